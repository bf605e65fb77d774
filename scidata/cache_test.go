package scidata_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/scidata"
)

// helperEnv, when set, makes the test binary act as a separate process that
// downloads the Iris data set (configured by the environment alone) and exits.
const helperEnv = "SCIDATA_TEST_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "download" {
		if err := scidata.Download(context.Background(), "iris", scidata.Quiet()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	// Keep the developer's settings out of the tests.
	for _, v := range []string{scidata.EnvCacheDir, scidata.EnvBaseURL, scidata.EnvOffline} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}

// TestConcurrentProcesses starts several processes that download the same
// file into the same cache at once, from a slow server: one downloads, the
// others wait for the lock and find the file, and the cache ends with one
// good copy.
func TestConcurrentProcesses(t *testing.T) {
	iris := irisData(t)
	s := newFileServer(t)
	s.add("iris", "iris.data", iris)
	s.set(func(s *fileServer) { s.delay = 300 * time.Millisecond })
	cache := t.TempDir()
	const procs = 3
	cmds := make([]*exec.Cmd, procs)
	outs := make([]bytes.Buffer, procs)
	for i := range cmds {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"=download",
			scidata.EnvCacheDir+"="+cache, scidata.EnvBaseURL+"="+s.URL, scidata.EnvOffline+"=")
		cmd.Stdout, cmd.Stderr = &outs[i], &outs[i]
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds[i] = cmd
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v: %s", i, err, outs[i].String())
		}
	}
	checkOneCopy(t, s, cache, iris)
}

// TestConcurrentGoroutines loads the same data set from many goroutines at
// once: one download, and every load sees the same data.
func TestConcurrentGoroutines(t *testing.T) {
	iris := irisData(t)
	s := newFileServer(t)
	s.add("iris", "iris.data", iris)
	s.set(func(s *fileServer) { s.delay = 100 * time.Millisecond })
	cache := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			tab, err := scidata.Iris(context.Background(), opts(t, s, scidata.CacheDir(cache))...)
			if err == nil && tab.Len() != 150 {
				err = fmt.Errorf("%d rows", tab.Len())
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	checkOneCopy(t, s, cache, iris)
}

// checkOneCopy checks that the cache holds exactly the right file, no partial
// download, and that the server sent it once.
func checkOneCopy(t *testing.T, s *fileServer, cache string, want []byte) {
	t.Helper()
	if n := s.count("/iris/iris.data", false); n != 1 {
		t.Errorf("%d requests, want 1: %v", n, s.log())
	}
	got, err := os.ReadFile(filepath.Join(cache, "iris", "iris.data"))
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("cached file wrong: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(cache, "iris"))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".part") {
			t.Errorf("partial file %s left behind", e.Name())
		}
	}
}

// TestEnvironment checks that the cache folder and the mirror can come from
// the environment, and that options override it.
func TestEnvironment(t *testing.T) {
	s := newFileServer(t)
	s.add("iris", "iris.data", irisData(t))
	envCache, optCache := t.TempDir(), t.TempDir()
	t.Setenv(scidata.EnvCacheDir, envCache)
	t.Setenv(scidata.EnvBaseURL, s.URL)
	t.Setenv(scidata.EnvOffline, "")
	tests := []struct {
		name  string
		opts  []scidata.Option
		cache string
	}{
		{"environment", nil, envCache},
		{"options win", []scidata.Option{scidata.CacheDir(optCache)}, optCache},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := scidata.Iris(context.Background(), append(tt.opts, scidata.Quiet())...); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(tt.cache, "iris", "iris.data")); err != nil {
				t.Error(err)
			}
			dir, err := scidata.Path("iris", tt.opts...)
			if err != nil || dir != filepath.Join(tt.cache, "iris") {
				t.Errorf("Path = %q, %v; want %q", dir, err, filepath.Join(tt.cache, "iris"))
			}
		})
	}
}

func TestProgress(t *testing.T) {
	s := newFileServer(t)
	s.add("iris", "iris.data", irisData(t))
	var buf bytes.Buffer
	if _, err := scidata.Iris(context.Background(), opts(t, s, scidata.Progress(&buf))...); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"iris/iris.data", "100%", "4.4 KiB/4.4 KiB", "\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress %q lacks %q", out, want)
		}
	}
}

func TestCancel(t *testing.T) {
	s := newFileServer(t)
	s.add("iris", "iris.data", irisData(t))
	s.set(func(s *fileServer) { s.fail["/iris/iris.data"] = 100 })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := scidata.Iris(ctx, opts(t, s, scidata.Retry(100, 10*time.Second))...)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want the context's", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("cancelled load took %v", d)
	}
}

func TestLookup(t *testing.T) {
	var names []string
	for _, d := range scidata.Datasets() {
		names = append(names, d.Name)
		for _, f := range d.Files {
			if len(f.SHA256) != 64 || f.Size <= 0 || len(f.URLs) == 0 {
				t.Errorf("%s/%s: incomplete entry %+v", d.Name, f.Name, f)
			}
		}
	}
	if got := strings.Join(names, " "); got != "cifar10 cifar100 fashion-mnist imdb iris kmnist mnist wine" {
		t.Errorf("Datasets = %s", got)
	}
	if _, err := scidata.Lookup("mnits"); !errors.Is(err, scidata.ErrUnknownDataset) {
		t.Errorf("Lookup(mnits) error %v", err)
	}
	if _, err := scidata.Path("mnits"); !errors.Is(err, scidata.ErrUnknownDataset) {
		t.Errorf("Path(mnits) error %v", err)
	}
	// Entries are copies: changing one leaves the registry alone.
	d, _ := scidata.Lookup("mnist")
	d.Files[0].URLs[0] = "changed"
	if d2, _ := scidata.Lookup("mnist"); d2.Files[0].URLs[0] == "changed" {
		t.Error("Lookup shares its slices with the registry")
	}
}
