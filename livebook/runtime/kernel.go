package runtime

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/gonx-dev/gonx/livebook/runtime/kernel"
)

// Timeouts of the kernel process.
const (
	// startTimeout bounds a kernel's start when the caller's context has no deadline.
	startTimeout = 2 * time.Minute
	// drainTimeout bounds the wait for the rest of an evaluation's output.
	drainTimeout = 5 * time.Second
	// closeTimeout bounds the wait for a kernel to exit after its requests end.
	closeTimeout = 5 * time.Second
)

// Kernel runs cells in a separate kernel process. Its methods are safe for concurrent
// use; evaluations run one at a time.
type Kernel struct {
	opts   Options
	bin    string
	assist *assistant

	mu     sync.Mutex // serializes Eval, Restart and Close's cleanup
	proc   *process
	seq    int64
	done   chan struct{} // closed by Close
	closer sync.Once
}

// process is one kernel process.
type process struct {
	cmd    *exec.Cmd
	dir    string
	req    *os.File
	resps  chan kernel.Response // closed when the response pipe ends
	out    *output
	exited chan struct{} // closed when the process has been waited for
	state  string        // how it ended, valid after exited
}

// Start builds the kernel program if needed and starts a kernel process.
func Start(ctx context.Context, opts Options) (*Kernel, error) {
	if opts.GoCmd == "" {
		opts.GoCmd = "go"
	}
	if opts.Env == nil {
		opts.Env = os.Environ()
	}
	if opts.TempDir == "" {
		opts.TempDir = os.TempDir()
	}
	bin, err := kernelBinary(ctx, &opts)
	if err != nil {
		return nil, err
	}
	k := &Kernel{opts: opts, bin: bin, done: make(chan struct{}), assist: newAssistant(opts)}
	if k.proc, err = k.start(ctx); err != nil {
		return nil, err
	}
	return k, nil
}

// start starts a kernel process and waits for its greeting.
func (k *Kernel) start(ctx context.Context) (*process, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, startTimeout)
		defer cancel()
	}
	dir, err := os.MkdirTemp(k.opts.TempDir, "gonx-kernel-")
	if err != nil {
		return nil, fmt.Errorf("runtime: %w", err)
	}
	var tok [12]byte
	_, _ = rand.Read(tok[:])
	token := hex.EncodeToString(tok[:])
	p := &process{
		dir:    dir,
		resps:  make(chan kernel.Response, 1),
		out:    newOutput(token, k.opts.Output, k.opts.Rich),
		exited: make(chan struct{}),
	}
	var files []*os.File
	pipe := func() (r, w *os.File) {
		if err == nil {
			r, w, err = os.Pipe()
			files = append(files, r, w)
		}
		return r, w
	}
	reqR, reqW := pipe()
	respR, respW := pipe()
	outR, outW := pipe()
	if err != nil {
		for _, f := range files {
			f.Close()
		}
		os.RemoveAll(dir)
		return nil, fmt.Errorf("runtime: %w", err)
	}
	args := []string{"-dir", dir, "-go", k.opts.GoCmd, "-token", token}
	if k.opts.GonxRoot != "" {
		args = append(args, "-gonx-root", k.opts.GonxRoot)
	}
	p.cmd = exec.Command(k.bin, args...)
	p.cmd.Env = k.opts.Env
	p.cmd.Stdout, p.cmd.Stderr = outW, outW
	p.cmd.ExtraFiles = []*os.File{reqR, respW} // descriptors 3 and 4
	isolate(p.cmd)
	err = p.cmd.Start()
	reqR.Close()
	respW.Close()
	outW.Close()
	if err != nil {
		reqW.Close()
		respR.Close()
		outR.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("runtime: starting the kernel: %w", err)
	}
	p.req = reqW
	go p.readResponses(respR)
	go p.readOutput(outR)
	go p.wait()

	select {
	case r, ok := <-p.resps:
		switch {
		case ok && r.Ready:
			k.assist.setScope(r.Scope)
			return p, nil
		case ok && r.Error != nil:
			p.kill()
			if r.Error.Kind == kernel.FailUnsupported {
				return nil, fmt.Errorf("%w: %s", ErrUnsupported, r.Error.Message)
			}
			return nil, fmt.Errorf("runtime: kernel: %s", r.Error.Message)
		}
		p.kill()
		<-p.exited
		return nil, fmt.Errorf("runtime: the kernel stopped while starting (%s): %s", p.state, strings.TrimSpace(p.out.take()))
	case <-ctx.Done():
		p.kill()
		return nil, fmt.Errorf("runtime: starting the kernel: %w", ctx.Err())
	}
}

func (p *process) readResponses(r *os.File) {
	defer close(p.resps)
	defer r.Close()
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			var resp kernel.Response
			if json.Unmarshal(line, &resp) == nil {
				p.resps <- resp
			}
		}
		if err != nil {
			return
		}
	}
}

func (p *process) readOutput(r *os.File) {
	defer r.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			p.out.write(buf[:n])
		}
		if err != nil {
			p.out.close()
			return
		}
	}
}

func (p *process) wait() {
	err := p.cmd.Wait()
	switch {
	case err == nil:
		p.state = "exit status 0"
	default:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			p.state = ee.ProcessState.String()
		} else {
			p.state = err.Error()
		}
	}
	// Kill what the kernel left running, so that the output pipe ends.
	killGroup(p.cmd)
	os.RemoveAll(p.dir)
	close(p.exited)
}

// kill stops the process and what it started.
func (p *process) kill() {
	p.req.Close()
	killGroup(p.cmd)
}

// stop ends the process: it closes the requests, which makes the kernel exit, and
// kills it if it does not.
func (p *process) stop() {
	p.req.Close()
	select {
	case <-p.exited:
	case <-time.After(closeTimeout):
		killGroup(p.cmd)
		<-p.exited
	}
}

// drain waits for the output of request seq, or for the pipe to end.
func (p *process) drain(seq int64) string {
	if ch := p.out.wait(seq); ch != nil {
		timer := time.NewTimer(drainTimeout)
		defer timer.Stop()
		for ch != nil {
			select {
			case <-ch:
				ch = p.out.wait(seq)
			case <-timer.C:
				ch = nil
			}
		}
	}
	return p.out.take()
}

// Eval evaluates a cell in the kernel. When ctx ends first, or the kernel process
// ends during the cell, Eval kills the kernel, starts a fresh one (with no names
// bound) and returns an *EvalError of kind KindInterrupted or KindExit.
func (k *Kernel) Eval(ctx context.Context, cellID, source string) (Result, error) {
	start := time.Now()
	k.mu.Lock()
	defer k.mu.Unlock()
	select {
	case <-k.done:
		return Result{}, ErrClosed
	default:
	}
	if k.proc == nil {
		p, err := k.start(ctx)
		if err != nil {
			return Result{}, err
		}
		k.proc = p
	}
	p := k.proc
	k.seq++
	seq := k.seq
	p.out.begin(cellID)
	req := kernel.Request{Op: "eval", Seq: seq, Cell: cellID, Source: source}
	if k.opts.Inputs != nil {
		req.Inputs = k.opts.Inputs()
	}
	line, err := json.Marshal(req)
	if err != nil {
		return Result{}, fmt.Errorf("runtime: %w", err)
	}
	_, werr := p.req.Write(append(line, '\n'))
	var (
		resp kernel.Response
		got  bool
	)
	if werr == nil {
		select {
		case resp, got = <-p.resps:
		case <-ctx.Done():
			p.kill()
			<-p.exited
			res := Result{Output: p.drain(seq), Duration: time.Since(start)}
			res.splitRich()
			res.Restarted = k.restart()
			return res, &EvalError{
				Cell: cellID, Kind: KindInterrupted, Err: ctx.Err(),
				Message: fmt.Sprintf("interrupted (%v); the kernel was restarted, and the names of earlier cells are gone", ctx.Err()),
			}
		case <-k.done:
			p.kill()
			return Result{}, ErrClosed
		}
	}
	if !got {
		// The kernel ended during the cell.
		killGroup(p.cmd)
		<-p.exited
		res := Result{Output: p.drain(seq), Duration: time.Since(start)}
		res.splitRich()
		res.Restarted = k.restart()
		return res, &EvalError{
			Cell: cellID, Kind: KindExit,
			Message: fmt.Sprintf("the kernel stopped during the cell (%s); it was restarted, and the names of earlier cells are gone", p.state),
		}
	}
	res := Result{
		Output:   p.drain(seq),
		HasValue: resp.HasValue,
		Value:    resp.Value,
		Type:     resp.Type,
		Defined:  resp.Defined,
		Used:     resp.Used,
		Duration: time.Since(start),
	}
	res.splitRich()
	k.assist.setScope(resp.Scope)
	if resp.Error != nil {
		return res, evalError(cellID, resp.Error)
	}
	return res, nil
}

// Complete returns the completions at pos of a cell's source (see Assistant). It
// runs beside evaluations: a running cell does not hold it up.
func (k *Kernel) Complete(ctx context.Context, source string, pos int) (Completion, error) {
	return k.assist.complete(ctx, source, pos)
}

// Hover returns the documentation of what is at pos of a cell's source.
func (k *Kernel) Hover(ctx context.Context, source string, pos int) (Hover, error) {
	return k.assist.hover(ctx, source, pos)
}

// Signature returns the signature of the call around pos of a cell's source.
func (k *Kernel) Signature(ctx context.Context, source string, pos int) (Signature, error) {
	return k.assist.signature(ctx, source, pos)
}

// restart replaces the kernel process with a fresh one and reports whether it
// started; if it did not, the next Eval tries again.
func (k *Kernel) restart() bool {
	if k.proc != nil {
		k.proc.kill()
		<-k.proc.exited
		k.proc = nil
	}
	select {
	case <-k.done:
		return false
	default:
	}
	p, err := k.start(context.Background())
	if err != nil {
		return false
	}
	k.proc = p
	return true
}

// Restart stops the kernel process and starts a fresh one, with no names bound.
func (k *Kernel) Restart(ctx context.Context) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	select {
	case <-k.done:
		return ErrClosed
	default:
	}
	if k.proc != nil {
		k.proc.kill()
		<-k.proc.exited
		k.proc = nil
	}
	p, err := k.start(ctx)
	if err != nil {
		return err
	}
	k.proc = p
	return nil
}

// Close stops the kernel process, interrupting a running evaluation, and removes its
// scratch module. It returns nil; calling it again does nothing.
func (k *Kernel) Close() error {
	k.closer.Do(func() { close(k.done) })
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.proc != nil {
		k.proc.stop()
		k.proc = nil
	}
	k.assist.close()
	return nil
}

var (
	_ Evaluator = (*Kernel)(nil)
	_ Assistant = (*Kernel)(nil)
)
