package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gonx-dev/gonx/livebook/runtime"
	"github.com/gonx-dev/gonx/livebook/server"
)

// TestServerEvaluatesGoCells drives the server's HTTP API with the standalone
// kernel: a name bound in one cell is used by the next, and a failing cell
// reports its error while the session goes on.
func TestServerEvaluatesGoCells(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kernel and plugins")
	}
	root := t.TempDir()
	srv, err := server.New(server.Config{Home: root, Runtimes: runtimes(""), DefaultRuntime: "standalone", Autosave: -1})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	call := func(method, path string, body any, out any) {
		t.Helper()
		var b bytes.Buffer
		if body != nil {
			_ = json.NewEncoder(&b).Encode(body)
		}
		req, _ := http.NewRequest(method, ts.URL+path, &b)
		req.Header.Set("Authorization", "Bearer "+srv.Token())
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s: %s", method, path, resp.Status)
		}
		if out != nil {
			if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
				t.Fatal(err)
			}
		}
	}
	call("POST", "/api/notebooks", map[string]string{"path": "e2e.livemd", "name": "E2E"}, nil)
	var sess struct{ ID string }
	call("POST", "/api/sessions", map[string]string{"path": "e2e.livemd"}, &sess)
	snapshot := func() server.Snapshot {
		var s server.Snapshot
		call("GET", "/api/sessions/"+sess.ID, nil, &s)
		return s
	}
	section := snapshot().Sections[0].ID
	for i, src := range []string{"x := 21", "fmt.Println(x * 2)", "y := undefinedName"} {
		call("POST", "/api/sessions/"+sess.ID+"/ops", map[string]any{
			"op": "insert_cell", "section_id": section, "index": i, "kind": "code", "source": src}, nil)
	}
	cells := snapshot().Sections[0].Cells
	for _, c := range cells {
		call("POST", "/api/sessions/"+sess.ID+"/ops", map[string]any{"op": "evaluate_cell", "cell_id": c.ID}, nil)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		cells = snapshot().Sections[0].Cells
		done := 0
		for _, c := range cells {
			if c.Eval != nil && c.Eval.Status != server.StatusQueued && c.Eval.Status != server.StatusEvaluating {
				done++
			}
		}
		if done == len(cells) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("evaluations did not finish: %+v", cells)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if e := cells[0].Eval; e.Status != server.StatusOK {
		if errors.Is(startErr(), runtime.ErrUnsupported) {
			t.Skip("this toolchain cannot build plugins")
		}
		t.Fatalf("cell 1: %+v", e)
	}
	if e := cells[1].Eval; e.Status != server.StatusOK || len(e.Outputs) == 0 || e.Outputs[0].Text != "42\n" {
		t.Errorf("cell 2: %+v, want output 42", e)
	}
	if e := cells[2].Eval; e.Status != server.StatusError || !bytes.Contains([]byte(e.Error), []byte("undefinedName")) {
		t.Errorf("cell 3: %+v, want a compile error naming undefinedName", e)
	}
}

// startErr reports whether a kernel can start here at all.
func startErr() error {
	k, err := runtime.Start(context.Background(), runtime.Options{GonxRoot: os.Getenv("GONX_ROOT")})
	if err == nil {
		k.Close()
	}
	return err
}

// fakeKernel returns one result, as a runtime evaluator would.
type fakeKernel struct {
	res runtime.Result
	err error
}

func (k fakeKernel) Eval(context.Context, string, string) (runtime.Result, error) {
	return k.res, k.err
}

func (fakeKernel) Close() error { return nil }

// TestKernelEvaluatorOutputs checks how a cell's outputs reach the server: text and
// rich outputs in order, then the value's; a frame with its ID and content.
func TestKernelEvaluatorOutputs(t *testing.T) {
	md := runtime.Output{Type: "markdown", MIME: "text/markdown", Text: "# Hi"}
	img := runtime.Output{Type: "image", MIME: "image/png", Data: []byte{1, 2}}
	table := runtime.Output{Type: "table", MIME: "application/json", Text: `{"columns":[],"rows":[]}`}
	res := runtime.Result{
		Output: "a\nb\n",
		Outputs: []runtime.Output{
			{Type: "text", Text: "a\n"}, md,
			{Type: "frame", ID: "f", Outputs: []runtime.Output{table, {Type: "frame", ID: "g", Outputs: []runtime.Output{img}}}},
			{Type: "frame", ID: "empty"},
			{Type: "text", Text: "b\n"},
		},
		HasValue:     true,
		ValueOutputs: []runtime.Output{img},
		Defined:      []string{"a"},
		Used:         []string{"b", "c"},
	}
	got, err := kernelEvaluator{fakeKernel{res: res}}.Eval(context.Background(), "c", "")
	if err != nil {
		t.Fatal(err)
	}
	sImg := server.Output{Type: "image", MIME: "image/png", Data: []byte{1, 2}}
	want := server.Result{
		Outputs: []server.Output{
			{Type: "text", Text: "a\n"},
			{Type: "markdown", MIME: "text/markdown", Text: "# Hi"},
			{Type: "frame", ID: "f", Outputs: []server.Output{
				{Type: "table", MIME: "application/json", Text: `{"columns":[],"rows":[]}`},
				{Type: "frame", ID: "g", Outputs: []server.Output{sImg}},
			}},
			{Type: "frame", ID: "empty"},
			{Type: "text", Text: "b\n"},
			sImg,
		},
		Defined: []string{"a"},
		Used:    []string{"b", "c"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("server result\n%+v\nwant\n%+v", got, want)
	}

	// The kernel restarted after a cell: the names are gone.
	got, err = kernelEvaluator{fakeKernel{res: runtime.Result{Restarted: true}, err: &runtime.EvalError{Cell: "c", Kind: runtime.KindInterrupted, Message: "interrupted"}}}.Eval(context.Background(), "c", "")
	if err != nil || !got.Restarted || got.Error == "" {
		t.Errorf("interrupted: %+v, %v; want Restarted and an error", got, err)
	}

	// A plain value is a text output, and a failure the result's error.
	res = runtime.Result{HasValue: true, Value: "42", ValueOutputs: []runtime.Output{{Type: "text", Text: "42"}}}
	got, err = kernelEvaluator{fakeKernel{res: res, err: &runtime.EvalError{Cell: "c", Message: "boom"}}}.Eval(context.Background(), "c", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := (server.Result{Outputs: []server.Output{{Type: "text", Text: "42"}}, Error: `cell "c": boom`}); !reflect.DeepEqual(got, want) {
		t.Errorf("server result %+v, want %+v", got, want)
	}
}

// TestDescribeOutput checks how livebook run shows rich outputs on a terminal.
func TestDescribeOutput(t *testing.T) {
	md := runtime.Output{Type: "markdown", Text: "# Hi\n"}
	img := runtime.Output{Type: "image", MIME: "image/png", Data: make([]byte, 10)}
	for _, tc := range []struct {
		out  runtime.Output
		want string
	}{
		{md, "# Hi"},
		{img, "[image image/png, 10 bytes]"},
		{runtime.Output{Type: "frame", Outputs: []runtime.Output{md, img}}, "# Hi\n[image image/png, 10 bytes]"},
		{runtime.Output{Type: "frame", Append: true, Outputs: []runtime.Output{{Type: "vega-lite-data", Text: "[{}]"}}}, ""},
	} {
		if got := describeOutput(tc.out); got != tc.want {
			t.Errorf("describeOutput(%+v) = %q, want %q", tc.out, got, tc.want)
		}
	}
	res := runtime.Result{ValueOutputs: []runtime.Output{{Type: "text", Text: "["}, img, {Type: "text", Text: "]"}}}
	if got := valueText(res); got != "[[image image/png, 10 bytes]]" {
		t.Errorf("valueText = %q", got)
	}
}

// TestRuntimeOptionsStream checks that what a kernel streams reaches the
// session's StartInfo.Output in the server's form: text, and rich outputs with
// frames' IDs and content.
func TestRuntimeOptionsStream(t *testing.T) {
	t.Setenv("GONX_ROOT", "/somewhere")
	type got struct {
		cell string
		out  server.Output
	}
	var outs []got
	opts := runtimeOptions(server.StartInfo{Output: func(cell string, o server.Output) { outs = append(outs, got{cell, o}) }}, "")
	if opts.GonxRoot != "/somewhere" {
		t.Errorf("GonxRoot %q", opts.GonxRoot)
	}
	opts.Output("c1", "hello\n")
	opts.Rich("c1", runtime.Output{Type: "frame", ID: "f", Append: true, Outputs: []runtime.Output{{Type: "markdown", Text: "# step"}}})
	want := []got{
		{"c1", server.Output{Type: "text", Text: "hello\n"}},
		{"c1", server.Output{Type: "frame", ID: "f", Append: true, Outputs: []server.Output{{Type: "markdown", Text: "# step"}}}},
	}
	if !reflect.DeepEqual(outs, want) {
		t.Errorf("streamed %+v, want %+v", outs, want)
	}
	if opts := runtimeOptions(server.StartInfo{}, ""); opts.Output != nil || opts.Rich != nil {
		t.Error("callbacks without a stream")
	}
}

// TestKernelStreamsFrames evaluates, in the standalone kernel, a cell that
// updates a kino frame while it runs, and checks that the updates reach a
// websocket client as evaluation_output operations before the cell finishes,
// and that the result shows the frame with its last content.
func TestKernelStreamsFrames(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kernel and plugins")
	}
	root := t.TempDir()
	const src = "import \"github.com/gonx-dev/gonx/livebook/kino\"\n\n" +
		"f := kino.NewFrame()\nfor i := range 4 {\n\tf.Render(kino.Markdown(fmt.Sprint(\"step \", i)))\n\ttime.Sleep(200 * time.Millisecond)\n}\n"
	if err := os.WriteFile(root+"/frames.livemd", []byte("# Frames\n\n## S\n\n```go\n"+src+"```\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	srv := kernelServer(t, root)
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	defer srv.Close()
	sess, _, err := srv.Sessions().Open("frames.livemd")
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"Authorization": {"Bearer " + srv.Token()}}
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/api/sessions/"+sess.ID()+"/ws", h)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var m server.Message
	if err := conn.ReadJSON(&m); err != nil {
		t.Fatal(err)
	}
	cell := m.Snapshot.Sections[0].Cells[0].ID
	if err := conn.WriteJSON(server.Op{Op: server.OpEvaluateCell, CellID: cell}); err != nil {
		t.Fatal(err)
	}
	var frameID string
	steps := map[string]bool{}
	for {
		_ = conn.SetReadDeadline(time.Now().Add(2 * time.Minute))
		var m server.Message
		if err := conn.ReadJSON(&m); err != nil {
			t.Fatal(err)
		}
		if m.Type != "op" {
			continue
		}
		switch op := m.Op; op.Op {
		case server.OpEvaluationOutput:
			for _, o := range op.Outputs {
				if o.Type != server.TypeFrame || len(o.Outputs) != 1 {
					t.Fatalf("streamed %+v, want frame updates", o)
				}
				if frameID == "" {
					frameID = o.ID
				} else if o.ID != frameID {
					t.Errorf("frame %q, then %q", frameID, o.ID)
				}
				steps[o.Outputs[0].Text] = true
			}
		case server.OpEvaluationFinished:
			if op.Status != server.StatusOK {
				if errors.Is(startErr(), runtime.ErrUnsupported) {
					t.Skip("this toolchain cannot build plugins")
				}
				t.Fatalf("finished %+v", op)
			}
			if len(steps) < 2 {
				t.Errorf("streamed steps %v, want several before the end", steps)
			}
			want := []server.Output{{Type: server.TypeFrame, ID: frameID, Outputs: []server.Output{{Type: "markdown", MIME: "text/markdown", Text: "step 3"}}}}
			if !reflect.DeepEqual(op.Outputs, want) {
				t.Errorf("result %+v, want %+v", op.Outputs, want)
			}
			if !slices.Equal(op.Defined, []string{"f"}) {
				t.Errorf("defined %q, want f", op.Defined)
			}
			return
		}
	}
}
