package server

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// envCrashHelper makes the test binary run crashHelper: a server that edits a
// notebook as fast as it can and saves it every millisecond, until it is killed.
const envCrashHelper = "GONX_LIVEBOOK_CRASH_HELPER"

// crashSource is the source of the notebook's cell at edit n. It is long, so that
// writing the file takes a while.
func crashSource(n int) string {
	return fmt.Sprintf("x := %d\n// %s", n, strings.Repeat(strconv.Itoa(n%10), 64<<10))
}

var crashSourceRE = regexp.MustCompile(`^x := (\d+)\n`)

// crashNotebook is the notebook at edit n, as the server saves it.
func crashNotebook(t *testing.T, original []byte, n int) []byte {
	nb, err := livemd.Parse(original)
	if err != nil {
		t.Fatal(err)
	}
	nb.Sections[0].Cells[0].Source = crashSource(n)
	nb.Stamp = nil
	return livemd.Format(nb)
}

// TestCrashHelper is not a test: with envCrashHelper set to a notebooks root, it
// serves the notebook crash.livemd there, autosaving every millisecond, and edits
// its first cell in a loop, each edit numbered after the one on disk. It prints
// "ready" once it edits.
func TestCrashHelper(t *testing.T) {
	root := os.Getenv(envCrashHelper)
	if root == "" {
		t.Skip("a helper process of TestAutosaveSurvivesSIGKILL")
	}
	srv, err := New(Config{
		Home: root, DisableToken: true, Autosave: time.Millisecond,
		Runtimes: map[string]Runtime{"none": Unavailable("none")}, DefaultRuntime: "none",
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	sess, _, err := srv.Sessions().Open("crash.livemd")
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	ctx := context.Background()
	snap, err := sess.Snapshot(ctx)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	cell := snap.Sections[0].Cells[0]
	n := 0
	if m := crashSourceRE.FindStringSubmatch(cell.Source); m != nil {
		n, _ = strconv.Atoi(m[1])
	}
	for i := 0; ; i++ {
		n++
		if _, err := sess.Apply(ctx, Op{Op: OpSetCellSource, CellID: cell.ID, Source: crashSource(n)}); err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		if i == 10 {
			fmt.Println("ready")
		}
	}
}

// TestAutosaveSurvivesSIGKILL runs a server process that edits a notebook and
// autosaves it every millisecond, kills it with SIGKILL at random moments, and
// checks each time that the notebook holds one of the versions the server
// saved, whole: never a truncated or mixed file.
func TestAutosaveSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs server processes")
	}
	root := t.TempDir()
	original := []byte("# Crash\n\n## Section\n\n```go\nx := 0\n```\n\nSome text after.\n")
	path := filepath.Join(root, "crash.livemd")
	if err := os.WriteFile(path, original, 0o644); err != nil {
		t.Fatal(err)
	}
	last := 0
	progressed := 0
	for round := range 6 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashHelper$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashHelper+"="+root)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stdout)
			for sc.Scan() {
				if line := sc.Text(); line == "ready" || strings.HasPrefix(line, "error:") {
					ready <- line
				}
			}
			close(ready)
		}()
		select {
		case line := <-ready:
			if line != "ready" {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
				t.Fatalf("round %d: the helper says %q", round, line)
			}
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("round %d: the helper did not start", round)
		}
		time.Sleep(time.Duration(20+rand.IntN(200)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()

		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		nb, err := livemd.Parse(data)
		if err != nil {
			t.Fatalf("round %d: the notebook does not parse (%v); %d bytes", round, err, len(data))
		}
		if len(nb.Sections) != 1 || len(nb.Sections[0].Cells) != 2 {
			t.Fatalf("round %d: the notebook has %d sections", round, len(nb.Sections))
		}
		n := 0
		if m := crashSourceRE.FindStringSubmatch(nb.Sections[0].Cells[0].Source); m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		want := original
		if n > 0 {
			want = crashNotebook(t, original, n)
		}
		if string(data) != string(want) {
			t.Fatalf("round %d: the notebook (%d bytes) is not version %d (%d bytes)", round, len(data), n, len(want))
		}
		if n < last {
			t.Fatalf("round %d: version %d went back to %d", round, last, n)
		}
		if n > last {
			progressed++
		}
		last = n
	}
	if progressed == 0 {
		t.Errorf("no round saved a new version (last %d)", last)
	}
	t.Logf("last version saved: %d; %d of 6 rounds saved new ones", last, progressed)
	// Stray temporary files may stay; they are hidden, and the list skips them.
	srvStore, err := OpenStore(root)
	if err != nil {
		t.Fatal(err)
	}
	defer srvStore.Close()
	list, err := srvStore.List()
	if err != nil || len(list) != 1 {
		t.Errorf("the notebooks root lists %+v, %v", list, err)
	}
}
