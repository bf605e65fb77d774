package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// peer is the other side of a Conn in a test: it reads what the Conn writes and
// writes what the Conn reads.
type peer struct {
	r *bufio.Reader
	w io.Writer
}

func newPair(t *testing.T, h Handler) (*Conn, *peer, func()) {
	cr, pw := io.Pipe()
	pr, cw := io.Pipe()
	c := NewConn(cr, cw, h)
	return c, &peer{r: bufio.NewReader(pr), w: pw}, func() { pw.Close(); pr.Close() }
}

func (p *peer) read(t *testing.T) map[string]any {
	t.Helper()
	data, err := ReadMessage(p.r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (p *peer) write(t *testing.T, s string) {
	t.Helper()
	if err := WriteMessage(p.w, []byte(s)); err != nil {
		t.Fatal(err)
	}
}

// TestConn checks calls, results, errors, the server's own requests, cancellation
// and the end of the connection.
func TestConn(t *testing.T) {
	c, p, stop := newPair(t, func(method string, params json.RawMessage) (any, error) {
		if method == "workspace/configuration" {
			return []string{"ok"}, nil
		}
		return nil, errors.New("no " + method)
	})
	defer stop()
	ctx := context.Background()

	type answer struct {
		v   map[string]int
		err error
	}
	got := make(chan answer, 1)
	go func() {
		var v map[string]int
		err := c.Call(ctx, "sum", []int{1, 2}, &v)
		got <- answer{v, err}
	}()
	m := p.read(t)
	if m["method"] != "sum" || m["jsonrpc"] != "2.0" {
		t.Fatalf("request %v", m)
	}
	// Before answering, the peer asks something itself.
	p.write(t, `{"jsonrpc":"2.0","id":"s1","method":"workspace/configuration","params":{"items":[{}]}}`)
	if r := p.read(t); r["id"] != "s1" || r["result"].([]any)[0] != "ok" {
		t.Fatalf("answer to the server's request %v", r)
	}
	p.write(t, `{"jsonrpc":"2.0","id":"s2","method":"other"}`)
	if r := p.read(t); r["id"] != "s2" || !strings.Contains(r["error"].(map[string]any)["message"].(string), "no other") {
		t.Fatalf("error answer %v", r)
	}
	p.write(t, `{"jsonrpc":"2.0","id":`+jsonNumber(m["id"])+`,"result":{"sum":3}}`)
	if a := <-got; a.err != nil || a.v["sum"] != 3 {
		t.Fatalf("Call: %v, %v", a.v, a.err)
	}

	go func() { got <- answer{err: c.Call(ctx, "fail", nil, nil)} }()
	m = p.read(t)
	p.write(t, `{"jsonrpc":"2.0","id":`+jsonNumber(m["id"])+`,"error":{"code":-32602,"message":"bad params"}}`)
	var rpcErr *Error
	if a := <-got; !errors.As(a.err, &rpcErr) || rpcErr.Code != -32602 {
		t.Fatalf("error response: %v", a.err)
	}

	cctx, cancel := context.WithCancel(ctx)
	go func() { got <- answer{err: c.Call(cctx, "slow", nil, nil)} }()
	m = p.read(t)
	cancel()
	if n := p.read(t); n["method"] != "$/cancelRequest" || jsonNumber(n["params"].(map[string]any)["id"]) != jsonNumber(m["id"]) {
		t.Fatalf("cancellation %v", n)
	}
	if a := <-got; !errors.Is(a.err, context.Canceled) {
		t.Fatalf("cancelled Call: %v", a.err)
	}

	// A malformed message ends the connection; calls then fail.
	go func() { got <- answer{err: c.Call(ctx, "pending", nil, nil)} }()
	p.read(t)
	if _, err := io.WriteString(p.w, "Content-Length: 3\r\n\r\n{x}"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the connection did not end")
	}
	if a := <-got; !errors.Is(a.err, ErrClosed) {
		t.Fatalf("pending Call: %v", a.err)
	}
	if err := c.Call(ctx, "after", nil, nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Call after the end: %v", err)
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestDecoding checks the unions of the protocol.
func TestDecoding(t *testing.T) {
	var l CompletionList
	if err := json.Unmarshal([]byte(`[{"label":"a","textEdit":{"newText":"ab","insert":{"start":{"line":0,"character":1},"end":{"line":0,"character":2}},"replace":{"start":{"line":0,"character":1},"end":{"line":0,"character":5}}}}]`), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 1 || l.Items[0].TextEdit == nil || l.Items[0].TextEdit.Range.End.Character != 2 || l.Items[0].TextEdit.NewText != "ab" {
		t.Errorf("insert-replace edit: %+v", l)
	}
	var s Signature
	if err := json.Unmarshal([]byte(`{"label":"f(é int, b string)","documentation":"plain","parameters":[{"label":[2,7]},{"label":"b string"}]}`), &s); err != nil {
		t.Fatal(err)
	}
	if s.Parameters[0].Label != "é int" || s.Parameters[1].Label != "b string" || s.Documentation.Value != "plain" {
		t.Errorf("signature %+v", s)
	}
	var h Hover
	if err := json.Unmarshal([]byte(`{"contents":{"language":"go","value":"var x int"}}`), &h); err != nil {
		t.Fatal(err)
	}
	if h.Contents.Value != "```go\nvar x int\n```" {
		t.Errorf("marked string %q", h.Contents.Value)
	}
	if err := json.Unmarshal([]byte(`{"label":"f","parameters":[{"label":[3,1]}]}`), &s); err == nil {
		t.Error("a reversed parameter span decoded")
	}
}
