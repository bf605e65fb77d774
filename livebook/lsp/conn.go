package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// ErrClosed is returned by calls on a connection that has ended.
var ErrClosed = errors.New("lsp: connection closed")

// Error is an error response of JSON-RPC 2.0.
type Error struct {
	Code    int             `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data,omitempty"`
}

// Error returns "lsp: MESSAGE (code CODE)".
func (e *Error) Error() string {
	return fmt.Sprintf("lsp: %s (code %d)", e.Message, e.Code)
}

// JSON-RPC error codes a Conn sends.
const (
	codeMethodNotFound = -32601
	// CodeRequestCancelled is the code of the error a server answers a cancelled
	// request with.
	CodeRequestCancelled = -32800
)

// message is any JSON-RPC 2.0 message.
type message struct {
	JSONRPC string           `json:"jsonrpc"`
	ID      *json.RawMessage `json:"id,omitempty"`
	Method  string           `json:"method,omitempty"`
	Params  json.RawMessage  `json:"params,omitempty"`
	Result  json.RawMessage  `json:"result,omitempty"`
	Error   *Error           `json:"error,omitempty"`
}

// Handler answers the requests and takes the notifications that the other side
// sends. For a request it returns the result (marshalled to JSON) or an error; for a
// notification its result is dropped. It runs on the connection's reading goroutine,
// so it must not call the connection and wait.
type Handler func(method string, params json.RawMessage) (any, error)

// Conn is a JSON-RPC 2.0 connection in the base protocol's framing. Its methods are
// safe for concurrent use.
type Conn struct {
	w       io.Writer
	handler Handler

	wmu sync.Mutex // serializes writes

	mu      sync.Mutex
	nextID  int64
	pending map[int64]chan *message
	err     error         // why the connection ended
	done    chan struct{} // closed when reading ends
}

// NewConn starts a connection that reads messages from r and writes them to w; h
// handles what the other side sends (nil answers every request with "method not
// found"). Reading ends at the end of r or at the first malformed message.
func NewConn(r io.Reader, w io.Writer, h Handler) *Conn {
	if h == nil {
		h = func(method string, _ json.RawMessage) (any, error) {
			return nil, &Error{Code: codeMethodNotFound, Message: "method not found: " + method}
		}
	}
	c := &Conn{w: w, handler: h, pending: map[int64]chan *message{}, done: make(chan struct{})}
	go c.read(bufio.NewReaderSize(r, 64<<10))
	return c
}

// Done returns a channel closed when the connection has ended.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err returns why the connection ended, or nil while it is open.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *Conn) read(r *bufio.Reader) {
	var err error
	for {
		var data []byte
		if data, err = ReadMessage(r); err != nil {
			break
		}
		var m message
		if err = json.Unmarshal(data, &m); err != nil {
			err = fmt.Errorf("%w: %v", ErrFraming, err)
			break
		}
		switch {
		case m.Method != "":
			c.handle(&m)
		case m.ID != nil:
			var id int64
			if json.Unmarshal(*m.ID, &id) != nil {
				continue // not an answer to us
			}
			c.mu.Lock()
			ch := c.pending[id]
			delete(c.pending, id)
			c.mu.Unlock()
			if ch != nil {
				ch <- &m
			}
		}
	}
	if err == io.EOF {
		err = ErrClosed
	} else {
		err = fmt.Errorf("%w: %v", ErrClosed, err)
	}
	c.mu.Lock()
	c.err = err
	for id, ch := range c.pending {
		close(ch)
		delete(c.pending, id)
	}
	c.mu.Unlock()
	close(c.done)
}

// handle runs the handler for a request or notification and answers a request.
func (c *Conn) handle(m *message) {
	result, err := c.handler(m.Method, m.Params)
	if m.ID == nil {
		return
	}
	resp := message{JSONRPC: "2.0", ID: m.ID}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			e = &Error{Code: -32603, Message: err.Error()}
		}
		resp.Error = e
	} else {
		data, merr := json.Marshal(result)
		if merr != nil {
			resp.Error = &Error{Code: -32603, Message: merr.Error()}
		} else {
			resp.Result = data
		}
	}
	_ = c.send(&resp)
}

// send writes one message.
func (c *Conn) send(m *message) error {
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("lsp: %w", err)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	return WriteMessage(c.w, data)
}

// Notify sends a notification.
func (c *Conn) Notify(method string, params any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("lsp: %s: %w", method, err)
	}
	select {
	case <-c.done:
		return c.Err()
	default:
	}
	return c.send(&message{JSONRPC: "2.0", Method: method, Params: raw})
}

// Call sends a request and waits for its answer, which it decodes into result (when
// not nil). When ctx ends first, Call tells the other side with $/cancelRequest and
// returns ctx's error.
func (c *Conn) Call(ctx context.Context, method string, params, result any) error {
	raw, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("lsp: %s: %w", method, err)
	}
	ch := make(chan *message, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	c.nextID++
	id := c.nextID
	c.pending[id] = ch
	c.mu.Unlock()
	idRaw := json.RawMessage(fmt.Sprint(id))
	if err := c.send(&message{JSONRPC: "2.0", ID: &idRaw, Method: method, Params: raw}); err != nil {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return err
	}
	select {
	case m, ok := <-ch:
		if !ok {
			return c.Err()
		}
		if m.Error != nil {
			return m.Error
		}
		if result == nil || len(m.Result) == 0 {
			return nil
		}
		if err := json.Unmarshal(m.Result, result); err != nil {
			return fmt.Errorf("lsp: %s: decoding the result: %w", method, err)
		}
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		_ = c.Notify("$/cancelRequest", map[string]int64{"id": id})
		return ctx.Err()
	}
}
