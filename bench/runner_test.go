package bench

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPeerArgsAndThreadEnv(t *testing.T) {
	got := PeerArgs(2, Protocol{Target: 1500 * time.Microsecond, Rounds: 0})
	want := []string{"--threads", "2", "--target-ms", "1.5", "--rounds", "1"}
	if !slices.Equal(got, want) {
		t.Errorf("PeerArgs = %q, want %q", got, want)
	}
	env := ThreadEnv(3)
	for _, v := range []string{"OPENBLAS_NUM_THREADS=3", "OMP_NUM_THREADS=3"} {
		if !slices.Contains(env, v) {
			t.Errorf("ThreadEnv(3) = %q, missing %s", env, v)
		}
	}
}

func TestRunnerScratchHoldsThePeers(t *testing.T) {
	r := &Runner{}
	dir, err := r.scratch()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"gemm.c", "softmax.py", "conv.py", "protocol.py"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("scratch directory lacks %s: %v", name, err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Close left %s behind", dir)
	}
}

// TestRunnerRun runs small shell scripts standing in for peers.
func TestRunnerRun(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh on PATH")
	}
	r := &Runner{Threads: 3}
	for _, c := range []struct {
		name, script string
		results      int
		wantErr      string
	}{
		{"ok", `echo "{\"info\": \"threads\", \"value\": \"$OPENBLAS_NUM_THREADS\"}"; echo '{"system": "s", "case": "c", "ns": 5}'`, 1, ""},
		{"signal", `echo '{"system": "s", "case": "a", "ns": 5}'; kill -ILL $$`, 1, "died: signal: illegal instruction"},
		{"exit", `echo '{"system": "s", "case": "a", "ns": 5}'; echo 'Traceback: boom' >&2; exit 3`, 1, "exit status 3: Traceback: boom"},
		{"stray", `echo '{"system": "s", "case": "a", "ns": 5}'; echo hello`, 1, "malformed peer output"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cmd := exec.CommandContext(context.Background(), "sh", "-c", c.script)
			out, err := r.run(cmd, "fake", []string{"EXTRA=1"})
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("err = %v, want %q", err, c.wantErr)
			}
			if out == nil || len(out.Results) != c.results {
				t.Fatalf("out = %+v, want %d results kept", out, c.results)
			}
			if c.name == "ok" && (len(out.Info) != 1 || out.Info[0].Value != "3") {
				t.Errorf("Info = %+v, want OPENBLAS_NUM_THREADS=3 seen by the peer", out.Info)
			}
		})
	}
}

func TestCheckPythonMissing(t *testing.T) {
	r := &Runner{Python: filepath.Join(t.TempDir(), "no-python")}
	err := r.CheckPython(context.Background(), "numpy")
	if err == nil || !strings.Contains(err.Error(), "make setup-bench") {
		t.Errorf("CheckPython with no interpreter = %v, want an error naming make setup-bench", err)
	}
}
