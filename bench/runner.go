package bench

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// peerFS holds the peer scripts, so the command runs them wherever it was
// started from (and after go install).
//
//go:embed peers
var peerFS embed.FS

// DefaultPython is the interpreter peer scripts run under: Debian's, whose
// python3-numpy and python3-torch `make setup-bench` installs.
const DefaultPython = "/usr/bin/python3"

// Runner runs the peer scripts from a scratch directory, each as its own
// process with the same thread count and timing protocol as the Go side. Its
// zero value is ready to use; Close removes the scratch directory. A Runner is
// not safe for concurrent use: peers are meant to run one at a time.
type Runner struct {
	Python   string   // interpreter for *.py peers; DefaultPython when empty
	CC       string   // C compiler for *.c peers; "gcc" when empty
	Threads  int      // threads each peer may use (OPENBLAS_NUM_THREADS, torch threads, ...)
	Protocol Protocol // how long and how often peers time each case

	once   sync.Once
	dir    string
	err    error
	bins   map[string]string // C source → built program
	failed map[string]error  // C source → why it did not build
}

// ThreadEnv returns the environment variables that pin a peer's thread pools
// to n threads.
func ThreadEnv(n int) []string {
	v := strconv.Itoa(n)
	return []string{"OPENBLAS_NUM_THREADS=" + v, "OMP_NUM_THREADS=" + v, "MKL_NUM_THREADS=" + v}
}

// PeerArgs returns the command-line flags that give a peer script the thread
// count and the timing protocol.
func PeerArgs(threads int, p Protocol) []string {
	return []string{
		"--threads", strconv.Itoa(threads),
		"--target-ms", strconv.FormatFloat(float64(p.Target.Microseconds())/1e3, 'f', -1, 64),
		"--rounds", strconv.Itoa(max(p.Rounds, 1)),
	}
}

// scratch writes the embedded scripts into a new temporary directory, once.
func (r *Runner) scratch() (string, error) {
	r.once.Do(func() {
		r.dir, r.err = os.MkdirTemp("", "gonxbench-")
		if r.err != nil {
			return
		}
		sub, _ := fs.Sub(peerFS, "peers")
		r.err = os.CopyFS(r.dir, sub)
	})
	return r.dir, r.err
}

// Close removes the scratch directory.
func (r *Runner) Close() error {
	if r.dir == "" {
		return nil
	}
	return os.RemoveAll(r.dir)
}

func (r *Runner) python() string {
	if r.Python != "" {
		return r.Python
	}
	return DefaultPython
}

// CheckPython reports whether the interpreter can import every module named
// (e.g. "numpy", "torch"), with an error that says what to install if not.
func (r *Runner) CheckPython(ctx context.Context, modules ...string) error {
	code := "import " + strings.Join(modules, ", ")
	out, err := exec.CommandContext(ctx, r.python(), "-c", code).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s cannot %q (make setup-bench installs python3-numpy and python3-torch): %v%s",
			r.python(), code, err, colon(lastLines(out, 1)))
	}
	return nil
}

// RunPython runs the peer script name (a file of peers/) with args after the
// thread and protocol flags, with extra added to its environment.
func (r *Runner) RunPython(ctx context.Context, name string, extra []string, args ...string) (*PeerOutput, error) {
	dir, err := r.scratch()
	if err != nil {
		return nil, fmt.Errorf("bench: peer %s: %w", name, err)
	}
	argv := append([]string{"-u", "-B", filepath.Join(dir, name)}, PeerArgs(r.Threads, r.Protocol)...)
	cmd := exec.CommandContext(ctx, r.python(), append(argv, args...)...)
	return r.run(cmd, name, extra)
}

// RunC compiles the peer source name (a file of peers/, linked with libs such as
// "-lopenblas") once, then runs it with args after the thread and protocol
// flags, with extra added to its environment.
func (r *Runner) RunC(ctx context.Context, name string, libs []string, extra []string, args ...string) (*PeerOutput, error) {
	dir, err := r.scratch()
	if err != nil {
		return nil, fmt.Errorf("bench: peer %s: %w", name, err)
	}
	if err := r.failed[name]; err != nil {
		return nil, err
	}
	bin, ok := r.bins[name]
	if !ok {
		cc := r.CC
		if cc == "" {
			cc = "gcc"
		}
		bin = filepath.Join(dir, strings.TrimSuffix(name, ".c"))
		argv := append([]string{"-O2", "-o", bin, filepath.Join(dir, name)}, libs...)
		if out, err := exec.CommandContext(ctx, cc, argv...).CombinedOutput(); err != nil {
			err = fmt.Errorf("bench: peer %s: %s %s: %v%s (make setup-bench installs gcc and libopenblas-dev)",
				name, cc, strings.Join(argv, " "), err, colon(lastLines(out, 3)))
			if r.failed == nil {
				r.failed = map[string]error{}
			}
			r.failed[name] = err
			return nil, err
		}
		if r.bins == nil {
			r.bins = map[string]string{}
		}
		r.bins[name] = bin
	}
	cmd := exec.CommandContext(ctx, bin, append(PeerArgs(r.Threads, r.Protocol), args...)...)
	return r.run(cmd, name, extra)
}

// run runs cmd with the thread environment and parses its output. When the
// peer fails (a non-zero exit, a signal) it returns what the peer printed
// before failing along with the error.
func (r *Runner) run(cmd *exec.Cmd, name string, extra []string) (*PeerOutput, error) {
	cmd.Env = append(append(os.Environ(), ThreadEnv(r.Threads)...), extra...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	out, parseErr := ParsePeerOutput(&stdout)
	if runErr != nil {
		var ee *exec.ExitError
		if errors.As(runErr, &ee) && !ee.Exited() {
			return out, fmt.Errorf("peer %s died: %v", name, ee) // e.g. "signal: illegal instruction"
		}
		return out, fmt.Errorf("peer %s failed: %v%s", name, runErr, colon(lastLines(stderr.Bytes(), 3)))
	}
	if parseErr != nil {
		return out, fmt.Errorf("peer %s: %w", name, parseErr)
	}
	return out, nil
}

// colon returns ": " + s, or "" for an empty s.
func colon(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}
