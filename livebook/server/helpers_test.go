package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

const testToken = "test-token"

// fakeRuntime starts fakeEvaluators and counts them.
type fakeRuntime struct {
	starts, closes atomic.Int64
	// release ends the "stream" cells; nil until a test makes it.
	release chan struct{}
}

func (f *fakeRuntime) Start(_ context.Context, info StartInfo) (Evaluator, error) {
	f.starts.Add(1)
	return &fakeEvaluator{rt: f, closed: make(chan struct{}), stream: info.Output}, nil
}

// fakeEvaluator evaluates by the source's first word:
//
//	fail     the cell fails (Result.Error)
//	crash    the evaluator fails (Eval returns an error)
//	block    runs until cancelled or closed
//	hang     runs until closed, even when cancelled
//	restart  returns with Result.Restarted set
//	stream   streams text "a", frame f (1), text "b", frame f (2), then appends 3
//	         to f; returns when rt.release is closed, its result the same
//	other    one text output, "ran: SOURCE"
//
// A cell defines the word after "def" and uses the words after "use":
// "def x use y z".
type fakeEvaluator struct {
	rt     *fakeRuntime
	closed chan struct{}
	once   atomic.Bool
	stream func(string, Output)
}

func (e *fakeEvaluator) Eval(ctx context.Context, cellID, source string) (Result, error) {
	words := strings.Fields(source + " x")
	var defined, used []string
	for i, w := range words {
		switch {
		case w == "def" && i+1 < len(words):
			defined = append(defined, words[i+1])
		case w == "use":
			used = append(used, words[i+1:len(words)-1]...)
		}
	}
	switch words[0] {
	case "fail":
		return Result{Error: "cell failed"}, nil
	case "crash":
		return Result{}, errors.New("kernel died")
	case "block":
		select {
		case <-ctx.Done():
			return Result{Restarted: true}, nil
		case <-e.closed:
			return Result{}, errors.New("closed")
		}
	case "hang":
		<-e.closed
		return Result{}, errors.New("closed")
	case "restart":
		return Result{Restarted: true}, nil
	case "stream":
		frame := func(add bool, text ...string) Output {
			f := Output{Type: TypeFrame, ID: "f", Append: add}
			for _, t := range text {
				f.Outputs = append(f.Outputs, Output{Type: "text", Text: t})
			}
			return f
		}
		for _, o := range []Output{{Type: "text", Text: "a"}, frame(false, "1"), {Type: "text", Text: "b"}, frame(false, "2"), frame(true, "3")} {
			e.stream(cellID, o)
		}
		select {
		case <-e.rt.release:
		case <-ctx.Done():
			return Result{}, nil
		}
		return Result{Outputs: []Output{{Type: "text", Text: "a"}, frame(false, "2", "3"), {Type: "text", Text: "b"}}}, nil
	}
	return Result{Outputs: []Output{{Type: "text", Text: "ran: " + source}}, Defined: defined, Used: used}, nil
}

func (e *fakeEvaluator) Close() error {
	if e.once.CompareAndSwap(false, true) {
		close(e.closed)
		e.rt.closes.Add(1)
	}
	return nil
}

// testEnv is a server over a temporary root, served by httptest on loopback.
type testEnv struct {
	t    *testing.T
	root string
	rt   *fakeRuntime
	srv  *Server
	http *httptest.Server
}

func newEnv(t *testing.T, edit func(*Config)) *testEnv {
	t.Helper()
	e := &testEnv{t: t, root: t.TempDir(), rt: &fakeRuntime{}}
	cfg := Config{
		Home:           e.root,
		Token:          testToken,
		Autosave:       20 * time.Millisecond,
		DefaultRuntime: "fake",
		Runtimes:       map[string]Runtime{"fake": e.rt},
		Logger:         slog.New(slog.DiscardHandler),
	}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.http = httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		e.http.Close()
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	})
	return e
}

// write creates a file under the root.
func (e *testEnv) write(name, content string) {
	e.t.Helper()
	p := filepath.Join(e.root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// do sends an authenticated request and returns the status and body.
func (e *testEnv) do(method, path string, body any) (int, []byte) {
	e.t.Helper()
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, e.http.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, data
}

// open opens a session on name and returns its id.
func (e *testEnv) open(name string) string {
	e.t.Helper()
	status, body := e.do("POST", "/api/sessions", map[string]string{"path": name})
	if status != http.StatusCreated && status != http.StatusOK {
		e.t.Fatalf("open %s: %d %s", name, status, body)
	}
	var info SessionInfo
	if err := json.Unmarshal(body, &info); err != nil {
		e.t.Fatal(err)
	}
	return info.ID
}

// apply applies op through the HTTP API.
func (e *testEnv) apply(id string, op Op) {
	e.t.Helper()
	if status, body := e.do("POST", "/api/sessions/"+id+"/ops", op); status != http.StatusOK {
		e.t.Fatalf("apply %+v: %d %s", op, status, body)
	}
}

// snapshot fetches the session's state.
func (e *testEnv) snapshot(id string) Snapshot {
	e.t.Helper()
	status, body := e.do("GET", "/api/sessions/"+id, nil)
	if status != http.StatusOK {
		e.t.Fatalf("snapshot: %d %s", status, body)
	}
	var s Snapshot
	if err := json.Unmarshal(body, &s); err != nil {
		e.t.Fatal(err)
	}
	return s
}

// wsURL is the websocket URL of session id.
func (e *testEnv) wsURL(id string) string {
	return "ws" + strings.TrimPrefix(e.http.URL, "http") + "/api/sessions/" + id + "/ws"
}

// dial connects a websocket client with the token and the given Origin.
func (e *testEnv) dial(id, origin string) (*websocket.Conn, *http.Response, error) {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+testToken)
	if origin != "" {
		h.Set("Origin", origin)
	}
	return websocket.DefaultDialer.Dial(e.wsURL(id), h)
}

// wsClient is a connected test client.
type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func (e *testEnv) connect(id string) *wsClient {
	e.t.Helper()
	conn, _, err := e.dial(id, e.http.URL)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { conn.Close() })
	return &wsClient{t: e.t, conn: conn}
}

// read returns the next message, failing after a few seconds.
func (c *wsClient) read() Message {
	c.t.Helper()
	_ = c.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	var m Message
	if err := c.conn.ReadJSON(&m); err != nil {
		c.t.Fatalf("read: %v", err)
	}
	return m
}

// until reads messages until one satisfies ok, and returns it.
func (c *wsClient) until(ok func(Message) bool) Message {
	c.t.Helper()
	for {
		if m := c.read(); ok(m) {
			return m
		}
	}
}

func (c *wsClient) send(op Op) {
	c.t.Helper()
	if err := c.conn.WriteJSON(op); err != nil {
		c.t.Fatal(err)
	}
}

// isOp matches an operation message by name and cell.
func isOp(name, cell string) func(Message) bool {
	return func(m Message) bool {
		return m.Type == "op" && m.Op.Op == name && (cell == "" || m.Op.CellID == cell)
	}
}

// eventually polls cond until it holds or a few seconds pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

const simpleNotebook = "# Simple\n\n## One\n\n```go\nx := 1\n```\n\n## Two\n\nSome text.\n"

// httptestRecorder serves one request to h.
func httptestRecorder(h http.Handler, method, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec
}

func decode(t *testing.T, data []byte) Message {
	t.Helper()
	var m Message
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}
