package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gonx-dev/gonx/livebook/runtime/kernel"
)

// Embedded evaluates cells in the calling process, loading their plugins into it.
//
// It spares the kernel process, for small devices, at a price: a cell that exits or
// crashes ends the caller, a runaway cell cannot be stopped (Eval returns when its
// context ends, and the evaluator refuses cells until the runaway one finishes), and
// while a cell runs, everything the process writes to its standard output and error
// is taken as the cell's output. The process must be built with cgo by the toolchain
// of Options.GoCmd; NewEmbedded checks that.
type Embedded struct {
	opts   Options
	dir    string
	sess   *kernel.Session
	sem    chan struct{} // held while a cell runs
	assist *assistant
	mu     sync.Mutex
	closed bool
}

// ErrBusy is returned by Embedded.Eval while an interrupted cell is still running.
var ErrBusy = errors.New("runtime: an interrupted cell is still running")

// NewEmbedded prepares an in-process evaluator.
func NewEmbedded(ctx context.Context, opts Options) (*Embedded, error) {
	if opts.GoCmd == "" {
		opts.GoCmd = "go"
	}
	if opts.Env == nil {
		opts.Env = os.Environ()
	}
	if opts.TempDir == "" {
		opts.TempDir = os.TempDir()
	}
	if !canCapture {
		return nil, fmt.Errorf("%w (%s)", ErrUnsupported, goruntime.GOOS)
	}
	tc, err := goEnv(ctx, opts.GoCmd, opts.Env)
	if err != nil {
		return nil, err
	}
	if tc.GOVERSION != goruntime.Version() {
		return nil, fmt.Errorf("%w: this program was built by %s and %s is %s, so its plugins would not load",
			ErrUnsupported, goruntime.Version(), opts.GoCmd, tc.GOVERSION)
	}
	dir, err := os.MkdirTemp(opts.TempDir, "gonx-embedded-")
	if err != nil {
		return nil, fmt.Errorf("runtime: %w", err)
	}
	sess, err := kernel.NewSession(kernel.Config{
		Dir:        dir,
		GonxRoot:   opts.GonxRoot,
		GoCmd:      opts.GoCmd,
		BuildFlags: hostBuildFlags(),
		Env:        opts.Env,
	})
	if err != nil {
		os.RemoveAll(dir)
		if errors.Is(err, kernel.ErrUnsupported) {
			return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
		}
		return nil, err
	}
	e := &Embedded{opts: opts, dir: dir, sess: sess, sem: make(chan struct{}, 1), assist: newAssistant(opts)}
	e.assist.setScope(sess.Scope())
	return e, nil
}

// hostBuildFlags returns the go build flags that make plugins match this program.
func hostBuildFlags() []string {
	var flags []string
	if raceEnabled {
		flags = append(flags, "-race")
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch {
			case s.Key == "-trimpath" && s.Value == "true":
				flags = append(flags, "-trimpath")
			case s.Key == "-tags" && s.Value != "":
				flags = append(flags, "-tags="+s.Value)
			}
		}
	}
	return flags
}

// Eval evaluates a cell in this process. If ctx ends first, Eval returns an
// *EvalError of kind KindInterrupted while the cell goes on running; later calls
// return ErrBusy until it ends.
func (e *Embedded) Eval(ctx context.Context, cellID, source string) (Result, error) {
	start := time.Now()
	e.mu.Lock()
	closed := e.closed
	e.mu.Unlock()
	if closed {
		return Result{}, ErrClosed
	}
	select {
	case e.sem <- struct{}{}:
	default:
		return Result{}, ErrBusy
	}
	if err := ctx.Err(); err != nil {
		<-e.sem
		return Result{}, &EvalError{Cell: cellID, Kind: KindInterrupted, Message: fmt.Sprintf("interrupted (%v)", err), Err: err}
	}
	type outcome struct {
		resp   kernel.Response
		output string
		err    error
	}
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		// Free the evaluator before reporting, so that the next Eval finds it free.
		defer func() { done <- o }()
		defer func() { <-e.sem }()
		c, err := startCapture(cellID, e.opts.Output, e.opts.Rich)
		if err != nil {
			o.err = fmt.Errorf("runtime: capturing output: %w", err)
			return
		}
		if e.opts.Inputs != nil {
			if err := e.sess.SetInputs(e.opts.Inputs()); err != nil {
				c.stop()
				o.err = fmt.Errorf("runtime: %w", err)
				return
			}
		}
		o.resp = e.sess.Eval(cellID, source)
		o.output = c.stop()
		e.assist.setScope(e.sess.Scope())
	}()
	select {
	case o := <-done:
		if o.err != nil {
			return Result{}, o.err
		}
		res := Result{
			Output:   o.output,
			HasValue: o.resp.HasValue,
			Value:    o.resp.Value,
			Type:     o.resp.Type,
			Defined:  o.resp.Defined,
			Used:     o.resp.Used,
			Duration: time.Since(start),
		}
		res.splitRich()
		if o.resp.Error != nil {
			return res, evalError(cellID, o.resp.Error)
		}
		return res, nil
	case <-ctx.Done():
		return Result{Duration: time.Since(start)}, &EvalError{
			Cell: cellID, Kind: KindInterrupted, Err: ctx.Err(),
			Message: fmt.Sprintf("interrupted (%v); the cell goes on running in this process", ctx.Err()),
		}
	}
}

// Close removes the scratch module; the plugins stay loaded. Close waits for a
// running cell.
func (e *Embedded) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.mu.Unlock()
	e.assist.close()
	e.sem <- struct{}{}
	return os.RemoveAll(e.dir)
}

// Complete returns the completions at pos of a cell's source (see Assistant).
func (e *Embedded) Complete(ctx context.Context, source string, pos int) (Completion, error) {
	return e.assist.complete(ctx, source, pos)
}

// Hover returns the documentation of what is at pos of a cell's source.
func (e *Embedded) Hover(ctx context.Context, source string, pos int) (Hover, error) {
	return e.assist.hover(ctx, source, pos)
}

// Signature returns the signature of the call around pos of a cell's source.
func (e *Embedded) Signature(ctx context.Context, source string, pos int) (Signature, error) {
	return e.assist.signature(ctx, source, pos)
}

var (
	_ Evaluator = (*Embedded)(nil)
	_ Assistant = (*Embedded)(nil)
)
