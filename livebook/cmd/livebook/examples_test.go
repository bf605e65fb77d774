package main

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/gonx-dev/gonx/livebook/runtime"
)

// TestExampleNotebooksRun evaluates every notebook of examples/notebooks with
// livebook run, importing the gonx modules of this checkout. mnist.livemd loads the
// real MNIST files through scidata from a loopback mirror of the project's data
// folder, trains on 60 batches ($MNIST_BATCHES) and must reach a test accuracy
// above 0.8 (it reaches about 0.86); it is skipped without the data.
func TestExampleNotebooksRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds notebook cells")
	}
	repo, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(repo, "examples", "notebooks", "*.livemd"))
	if len(files) == 0 {
		t.Fatal("no notebooks in examples/notebooks")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if filepath.Base(f) == "mnist.livemd" {
				mnistEnv(t)
			}
			root := newRoot()
			var stdout, stderr bytes.Buffer
			root.SetOut(&stdout)
			root.SetErr(&stderr)
			root.SetArgs([]string{"run", "--gonx-root", repo, f})
			err := root.Execute()
			if errors.Is(err, runtime.ErrUnsupported) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
			}
			if stdout.Len() == 0 {
				t.Error("the notebook printed nothing")
			}
			if filepath.Base(f) == "mnist.livemd" {
				m := regexp.MustCompile(`test accuracy: ([0-9.]+)`).FindStringSubmatch(stdout.String())
				if m == nil {
					t.Fatalf("no test accuracy in\n%s", stdout.String())
				}
				if acc, _ := strconv.ParseFloat(m[1], 64); acc < 0.8 {
					t.Errorf("test accuracy %v after 60 batches, want above 0.8 (it did not learn)\n%s", acc, stdout.String())
				}
			}
		})
	}
}

// mnistEnv points scidata at a loopback mirror of the project's data folder (the
// shared/data holding mnist/ found walking up from here, or $GONX_DATA), with an
// empty cache, and caps the training of mnist.livemd at 60 batches; it skips the
// test when the data is absent.
func mnistEnv(t *testing.T) {
	t.Helper()
	dir := os.Getenv("GONX_DATA")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "shared", "data", "mnist", "train-images-idx3-ubyte.gz")); err == nil {
				dir = filepath.Join(d, "shared", "data")
				break
			}
			if filepath.Dir(d) == d {
				t.Skip("no shared/data/mnist above the working directory; set GONX_DATA")
			}
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	t.Cleanup(srv.Close)
	t.Setenv("SCIDATA_BASE_URL", srv.URL)
	t.Setenv("SCIDATA_CACHE_DIR", t.TempDir())
	t.Setenv("SCIDATA_OFFLINE", "")
	t.Setenv("MNIST_BATCHES", "60")
}
