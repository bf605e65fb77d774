package runtime

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"
)

// The attached runtime: a kernel that a person starts by hand (livebook kernel
// --listen ADDR --secret-file FILE), on this machine or another, and that notebook
// servers connect to over TCP. Serve is the kernel's side, Attach the server's.
//
// The protocol is JSON lines. The client's first line is {"op":"hello","secret":S};
// the kernel answers {"op":"ready"} or {"op":"refused","error":...} and closes.
// Then the client sends {"op":"eval","seq":N,"cell":ID,"source":SRC,"inputs":{...}}
// (inputs: the notebook's kino input values, when there are any) and, to stop
// it, {"op":"interrupt","seq":N}; the kernel streams {"op":"output","seq":N,...} and
// {"op":"rich",...} while the cell runs and ends with {"op":"result","seq":N,...}.

// Limits of the attached protocol.
const (
	// helloTimeout bounds the wait for a client's hello and the kernel's answer.
	helloTimeout = 10 * time.Second
	// maxHello bounds the size of the hello line, read before authentication.
	maxHello = 4 << 10
	// maxWireLine bounds any other line.
	maxWireLine = 256 << 20
	// interruptGrace bounds the wait for the result of an interrupted cell.
	interruptGrace = 15 * time.Second
)

// Errors of the attached runtime.
var (
	// ErrSecret: the kernel refused the secret (Attach), or a client sent a
	// wrong one (Serve's log).
	ErrSecret = errors.New("runtime: the attached kernel refused the secret")
	// ErrKernelBusy is returned by Attach when another client is attached to the
	// kernel.
	ErrKernelBusy = errors.New("runtime: the attached kernel is serving another client")
)

// wireMsg is one line of the attached protocol, in either direction.
type wireMsg struct {
	Op     string     `json:"op"`
	Seq    int64      `json:"seq,omitempty"`
	Secret string     `json:"secret,omitempty"`
	Cell   string     `json:"cell,omitempty"`
	Source string     `json:"source,omitempty"`
	Text   string     `json:"text,omitempty"`
	Rich   *Output    `json:"rich,omitempty"`
	Result *Result    `json:"result,omitempty"`
	Fail   *EvalError `json:"fail,omitempty"`
	Error  string     `json:"error,omitempty"`
	Busy   bool       `json:"busy,omitempty"`
	// Inputs are the notebook's input values on an eval (Options.Inputs).
	Inputs map[string]json.RawMessage `json:"inputs,omitempty"`
}

// secretsEqual compares two secrets in constant time; hashing first hides their
// lengths.
func secretsEqual(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

// readLine reads one line of at most max bytes.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		frag, err := br.ReadSlice('\n')
		line = append(line, frag...)
		if len(line) > max {
			return nil, fmt.Errorf("a line longer than %d bytes", max)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, err
	}
}

// Attached evaluates cells in a kernel started by hand, over a TCP connection. Its
// Eval runs one cell at a time; Close disconnects, and the kernel then drops the
// names cells bound.
type Attached struct {
	opts Options
	conn net.Conn

	wmu sync.Mutex // serializes writes
	enc *json.Encoder

	mu   sync.Mutex // serializes Eval
	seq  int64
	msgs chan wireMsg // from the reader; closed when the connection ends

	closeOnce sync.Once
	readErr   error // why the connection ended; valid after msgs closes
}

// Attach connects to the kernel that Serve runs at addr (host:port) and
// authenticates with secret. What cells print and render streams to opts.Output and
// opts.Rich, as with Start; the other options are the kernel's business. It fails
// with ErrSecret when the kernel refuses the secret and ErrKernelBusy when another
// server is attached.
func Attach(ctx context.Context, addr, secret string, opts Options) (*Attached, error) {
	if secret == "" {
		return nil, errors.New("runtime: attach: no secret (the kernel refuses clients without one)")
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("runtime: attach to %s: %w", addr, err)
	}
	deadline := time.Now().Add(helloTimeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = conn.SetDeadline(deadline)
	enc := json.NewEncoder(conn)
	if err := enc.Encode(wireMsg{Op: "hello", Secret: secret}); err != nil {
		conn.Close()
		return nil, fmt.Errorf("runtime: attach to %s: %w", addr, err)
	}
	br := bufio.NewReaderSize(conn, 64<<10)
	line, err := readLine(br, maxHello)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("runtime: attach to %s: no answer to the hello (is it a gonx kernel?): %w", addr, err)
	}
	var ans wireMsg
	if err := json.Unmarshal(line, &ans); err != nil {
		conn.Close()
		return nil, fmt.Errorf("runtime: attach to %s: not a gonx kernel: %w", addr, err)
	}
	switch {
	case ans.Op == "refused" && ans.Busy:
		conn.Close()
		return nil, fmt.Errorf("%w (%s)", ErrKernelBusy, addr)
	case ans.Op == "refused":
		conn.Close()
		return nil, fmt.Errorf("%w (%s): %s", ErrSecret, addr, ans.Error)
	case ans.Op != "ready":
		conn.Close()
		return nil, fmt.Errorf("runtime: attach to %s: unexpected answer %q", addr, ans.Op)
	}
	_ = conn.SetDeadline(time.Time{})
	a := &Attached{opts: opts, conn: conn, enc: enc, msgs: make(chan wireMsg, 64)}
	go a.read(br)
	return a, nil
}

// read delivers the kernel's lines to msgs.
func (a *Attached) read(br *bufio.Reader) {
	defer close(a.msgs)
	for {
		line, err := readLine(br, maxWireLine)
		if len(strings.TrimSpace(string(line))) > 0 {
			var m wireMsg
			if jerr := json.Unmarshal(line, &m); jerr != nil {
				a.readErr = fmt.Errorf("runtime: attached kernel: bad message: %w", jerr)
				return
			}
			a.msgs <- m
		}
		if err != nil {
			if err == io.EOF {
				err = errors.New("the attached kernel closed the connection")
			}
			a.readErr = fmt.Errorf("runtime: %w", err)
			return
		}
	}
}

func (a *Attached) send(m wireMsg) error {
	a.wmu.Lock()
	defer a.wmu.Unlock()
	return a.enc.Encode(m)
}

// Eval evaluates a cell in the attached kernel. When ctx ends first, it asks the
// kernel to stop the cell (the kernel restarts its process, as a standalone kernel
// does) and returns the interrupted result. An error that is not an *EvalError
// means the connection is gone.
func (a *Attached) Eval(ctx context.Context, cellID, source string) (Result, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seq++
	seq := a.seq
	msg := wireMsg{Op: "eval", Seq: seq, Cell: cellID, Source: source}
	if a.opts.Inputs != nil {
		msg.Inputs = a.opts.Inputs()
	}
	if err := a.send(msg); err != nil {
		return Result{}, fmt.Errorf("runtime: attached kernel: %w", err)
	}
	done := ctx.Done()
	var grace <-chan time.Time
	for {
		select {
		case m, ok := <-a.msgs:
			if !ok {
				return Result{}, a.readErr
			}
			if m.Seq != seq {
				continue
			}
			switch m.Op {
			case "output":
				if a.opts.Output != nil {
					a.opts.Output(m.Cell, m.Text)
				}
			case "rich":
				if a.opts.Rich != nil && m.Rich != nil {
					a.opts.Rich(m.Cell, *m.Rich)
				}
			case "result":
				var res Result
				if m.Result != nil {
					res = *m.Result
				}
				if m.Fail != nil {
					if ctx.Err() != nil && m.Fail.Kind == KindInterrupted {
						m.Fail.Err = ctx.Err()
					}
					return res, m.Fail
				}
				if m.Error != "" {
					return res, fmt.Errorf("runtime: attached kernel: %s", m.Error)
				}
				return res, nil
			}
		case <-done:
			done = nil
			_ = a.send(wireMsg{Op: "interrupt", Seq: seq})
			grace = time.After(interruptGrace)
		case <-grace:
			a.Close()
			return Result{}, fmt.Errorf("runtime: attached kernel: no answer %v after the interrupt; disconnected", interruptGrace)
		}
	}
}

// Close disconnects from the kernel, which stops a running cell and drops the names
// cells bound. It returns nil; calling it again does nothing.
func (a *Attached) Close() error {
	a.closeOnce.Do(func() { a.conn.Close() })
	return nil
}

var _ Evaluator = (*Attached)(nil)

// Serve runs the kernel side of the attached runtime: it accepts connections on ln
// until ctx ends, and evaluates the cells of the client that authenticates with
// secret (compared in constant time) in a kernel it starts with Start(opts), one
// client at a time. A client that sends another secret, or none, is refused and
// disconnected; a second client while one is attached is told the kernel is busy.
// When a client disconnects, its kernel process stops (the names its cells bound
// go) and the next client gets a fresh one. logf, when set, receives a line per
// event (connections, refusals, failures).
func Serve(ctx context.Context, ln net.Listener, secret string, opts Options, logf func(format string, args ...any)) error {
	if secret == "" {
		return errors.New("runtime: serve: an empty secret is not allowed")
	}
	if logf == nil {
		logf = func(string, ...any) {}
	}
	srv := &kernelServer{secret: secret, opts: opts, logf: logf, busy: make(chan struct{}, 1)}
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		conn, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return fmt.Errorf("runtime: serve: %w", err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv.handle(ctx, conn)
		}()
	}
}

// kernelServer is Serve's state.
type kernelServer struct {
	secret string
	opts   Options
	logf   func(string, ...any)
	busy   chan struct{} // holds a token while a client is attached
}

// handle authenticates a client and serves its evaluations.
func (s *kernelServer) handle(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	peer := conn.RemoteAddr().String()
	enc := json.NewEncoder(conn)
	_ = conn.SetDeadline(time.Now().Add(helloTimeout))
	br := bufio.NewReaderSize(conn, 64<<10)
	line, err := readLine(br, maxHello)
	var hello wireMsg
	if err == nil {
		err = json.Unmarshal(line, &hello)
	}
	if err != nil || hello.Op != "hello" {
		s.logf("refused %s: no hello (%v)", peer, err)
		_ = enc.Encode(wireMsg{Op: "refused", Error: "the first message must be a hello with the secret"})
		return
	}
	if hello.Secret == "" || !secretsEqual(hello.Secret, s.secret) {
		s.logf("refused %s: wrong secret", peer)
		_ = enc.Encode(wireMsg{Op: "refused", Error: "wrong secret"})
		return
	}
	select {
	case s.busy <- struct{}{}:
		defer func() { <-s.busy }()
	default:
		s.logf("refused %s: busy", peer)
		_ = enc.Encode(wireMsg{Op: "refused", Busy: true, Error: "another client is attached"})
		return
	}
	_ = conn.SetDeadline(time.Time{})
	s.logf("attached %s", peer)
	defer s.logf("detached %s", peer)

	var wmu sync.Mutex
	send := func(m wireMsg) {
		wmu.Lock()
		defer wmu.Unlock()
		_ = enc.Encode(m)
	}
	var (
		cur   sync.Mutex
		seq   int64 // the evaluation running, 0 between them
		intr  context.CancelFunc
		evals sync.WaitGroup
		// inputs are the input values of the evaluation running.
		inputs map[string]json.RawMessage
	)
	opts := s.opts
	opts.Inputs = func() map[string]json.RawMessage {
		cur.Lock()
		defer cur.Unlock()
		return inputs
	}
	opts.Output = func(cell, text string) {
		cur.Lock()
		n := seq
		cur.Unlock()
		send(wireMsg{Op: "output", Seq: n, Cell: cell, Text: text})
	}
	opts.Rich = func(cell string, o Output) {
		cur.Lock()
		n := seq
		cur.Unlock()
		send(wireMsg{Op: "rich", Seq: n, Cell: cell, Rich: &o})
	}
	cctx, cancel := context.WithCancel(ctx)
	var k *Kernel // started on the first evaluation: building it may take a while
	defer func() {
		if k != nil {
			k.Close()
		}
	}()
	defer evals.Wait()
	defer cancel()
	send(wireMsg{Op: "ready"})
	for {
		line, err := readLine(br, maxWireLine)
		if err != nil {
			return // the client left: cancel the cell, then stop the kernel
		}
		var m wireMsg
		if err := json.Unmarshal(line, &m); err != nil {
			send(wireMsg{Op: "result", Error: "bad message: " + err.Error()})
			return
		}
		switch m.Op {
		case "eval":
			evals.Wait() // the client waits for each result; never two at once
			ectx, ecancel := context.WithCancel(cctx)
			cur.Lock()
			seq, intr, inputs = m.Seq, ecancel, m.Inputs
			cur.Unlock()
			evals.Add(1)
			go func(m wireMsg) {
				defer evals.Done()
				defer ecancel()
				out := wireMsg{Op: "result", Seq: m.Seq, Result: &Result{}}
				if k == nil {
					var err error
					if k, err = Start(ectx, opts); err != nil {
						s.logf("kernel for %s: %v", peer, err)
						out.Error = "the kernel did not start: " + err.Error()
					}
				}
				if k != nil {
					res, err := k.Eval(ectx, m.Cell, m.Source)
					out.Result = &res
					var ee *EvalError
					switch {
					case errors.As(err, &ee):
						fail := *ee
						fail.Err = nil
						out.Fail = &fail
					case err != nil:
						out.Error = err.Error()
					}
				}
				cur.Lock()
				seq, intr = 0, nil
				cur.Unlock()
				send(out)
			}(m)
		case "interrupt":
			cur.Lock()
			if seq == m.Seq && intr != nil {
				intr()
			}
			cur.Unlock()
		}
	}
}
