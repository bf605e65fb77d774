package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

func TestWebsocketOrigin(t *testing.T) {
	e := newEnv(t, nil)
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	tests := []struct {
		origin string
		ok     bool
	}{
		{"", true}, // not a browser
		{e.http.URL, true},
		{strings.ToUpper(e.http.URL), true},
		{"http://evil.example", false},
		{"http://127.0.0.1:1", false},
		{"null", false},
		{"file://" + strings.TrimPrefix(e.http.URL, "http://"), false},
	}
	for _, tt := range tests {
		t.Run(tt.origin, func(t *testing.T) {
			conn, resp, err := e.dial(id, tt.origin)
			if tt.ok {
				if err != nil {
					t.Fatalf("dial: %v", err)
				}
				conn.Close()
				return
			}
			if err == nil {
				conn.Close()
				t.Fatal("a cross-origin websocket was accepted")
			}
			if resp == nil || resp.StatusCode != http.StatusForbidden {
				t.Errorf("response %v, want 403", resp)
			}
		})
	}
}

func TestTwoClientsSeeSameOrder(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Autosave = -1 }) // no notebook_saved in between
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	a := e.connect(id)
	snapA := a.read()
	b := e.connect(id)
	snapB := b.read()
	if len(snapB.Snapshot.Clients) != 2 || snapB.Version != snapA.Version+1 {
		t.Fatalf("snapshots at %d and %d, clients %v", snapA.Version, snapB.Version, snapB.Snapshot.Clients)
	}
	a.until(isOp(OpClientJoined, "")) // b joining
	sec := snapB.Snapshot.Sections[0].ID
	cell := snapB.Snapshot.Sections[0].Cells[0].ID

	// Both clients send operations at once; the HTTP API does too.
	const n = 20
	var wg sync.WaitGroup
	for i, c := range []*wsClient{a, b} {
		wg.Go(func() {
			for j := range n {
				c.send(Op{Op: OpSetCellSource, CellID: cell, Source: fmt.Sprintf("x := %d%02d", i, j), Ref: fmt.Sprint(j)})
			}
		})
	}
	wg.Go(func() {
		for j := range n {
			zero := 0
			e.apply(id, Op{Op: OpInsertCell, SectionID: sec, Index: &zero, Kind: "markdown", Source: fmt.Sprint("note ", j)})
		}
	})
	wg.Wait()
	read := func(c *wsClient) []string {
		var got []string
		for len(got) < 3*n {
			m := c.read()
			if m.Type != "op" {
				t.Fatalf("unexpected %+v", m)
			}
			got = append(got, fmt.Sprintf("%d %s %s %s %s", m.Version, m.Op.Op, m.Op.Client, m.Op.CellID, m.Op.Source))
		}
		return got
	}
	gotA, gotB := read(a), read(b)
	for i := range gotA {
		if gotA[i] != gotB[i] {
			t.Fatalf("op %d: a saw %q, b saw %q", i, gotA[i], gotB[i])
		}
		var v int64
		fmt.Sscan(gotA[i], &v)
		if v != snapB.Version+int64(i)+1 {
			t.Fatalf("op %d has version %d, want %d", i, v, snapB.Version+int64(i)+1)
		}
	}
	// The final state is the last source applied.
	snap := e.snapshot(id)
	var last string
	for _, s := range gotA {
		if f := strings.SplitN(s, " ", 5); f[1] == OpSetCellSource {
			last = f[4]
		}
	}
	if got := snap.Sections[0].Cells[n].Source; got != last || snap.Version != snapB.Version+3*n {
		t.Errorf("final source %q at version %d, want %q at %d", got, snap.Version, last, snapB.Version+3*n)
	}

	// An operation that fails is answered to its sender only.
	a.send(Op{Op: OpDeleteCell, CellID: "nope", Ref: "bad"})
	if m := a.read(); m.Type != "error" || m.Ref != "bad" || !strings.Contains(m.Error, "no cell") {
		t.Errorf("error reply %+v", m)
	}
	b.send(Op{Op: OpRenameNotebook, Name: "Renamed"})
	for _, c := range []*wsClient{a, b} {
		if m := c.read(); m.Type != "op" || m.Op.Op != OpRenameNotebook {
			t.Errorf("after the failed op: %+v", m)
		}
	}
	a.send(Op{Op: OpClientJoined})
	if m := a.read(); m.Type != "error" {
		t.Errorf("a client sent a server-only operation: %+v", m)
	}
	if err := a.conn.WriteMessage(1, []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	if m := a.read(); m.Type != "error" {
		t.Errorf("bad JSON: %+v", m)
	}
}

func TestEvaluationAndMetrics(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Autosave = -1 })
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	c := e.connect(id)
	snap := c.read().Snapshot
	cell := snap.Sections[0].Cells[0].ID
	mdCell := snap.Sections[1].Cells[0].ID

	c.send(Op{Op: OpEvaluateCell, CellID: cell})
	if m := c.read(); m.Op.Op != OpEvaluateCell || m.Op.Status != StatusQueued {
		t.Fatalf("queued: %+v", m)
	}
	if m := c.read(); m.Op.Op != OpEvaluationStarted {
		t.Fatalf("started: %+v", m)
	}
	m := c.read()
	if m.Op.Op != OpEvaluationFinished || m.Op.Status != StatusOK || len(m.Op.Outputs) != 1 || m.Op.Outputs[0].Text != "ran: x := 1" {
		t.Fatalf("finished: %+v", m.Op)
	}

	steps := []struct {
		source, status string
	}{
		{"fail now", StatusError},
		{"crash now", StatusCrashed},
		{"y := 2", StatusOK}, // a new evaluator
	}
	for _, s := range steps {
		c.send(Op{Op: OpSetCellSource, CellID: cell, Source: s.source})
		c.send(Op{Op: OpEvaluateCell, CellID: cell})
		if m := c.until(isOp(OpEvaluationFinished, cell)); m.Op.Status != s.status {
			t.Errorf("%q finished %+v, want %s", s.source, m.Op, s.status)
		}
	}
	if e.rt.starts.Load() != 2 || e.rt.closes.Load() != 1 {
		t.Errorf("runtime started %d, closed %d; want 2, 1", e.rt.starts.Load(), e.rt.closes.Load())
	}
	c.send(Op{Op: OpEvaluateCell, CellID: mdCell, Ref: "md"})
	if m := c.read(); m.Type != "error" || m.Ref != "md" {
		t.Errorf("evaluating Markdown: %+v", m)
	}
	if got := e.snapshot(id).Sections[0].Cells[0].Eval; got == nil || got.Status != StatusOK {
		t.Errorf("snapshot eval state %+v", got)
	}

	status, body := e.do("GET", "/metrics", nil)
	text := string(body)
	for _, want := range []string{
		"livebook_sessions_open 1\n",
		"livebook_clients_connected 1\n",
		`livebook_evaluations_total{status="ok"} 2` + "\n",
		`livebook_evaluations_total{status="error"} 1` + "\n",
		`livebook_evaluations_total{status="crashed"} 1` + "\n",
		"livebook_evaluation_duration_seconds_count 4\n",
		`livebook_evaluation_duration_seconds_bucket{le="+Inf"} 4` + "\n",
		"livebook_kernel_restarts_total 1\n",
		"# TYPE livebook_evaluation_duration_seconds histogram\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if status != 200 || t.Failed() {
		t.Logf("metrics (%d):\n%s", status, text)
	}
}

func TestRestartAndDeleteAbort(t *testing.T) {
	e := newEnv(t, nil)
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	c := e.connect(id)
	snap := c.read().Snapshot
	sec, cell := snap.Sections[0].ID, snap.Sections[0].Cells[0].ID

	// A blocked cell, and one queued behind it; a restart aborts both.
	c.send(Op{Op: OpInsertCell, SectionID: sec, Source: "after := 1"})
	after := c.until(isOp(OpInsertCell, "")).Op.CellID
	c.send(Op{Op: OpSetCellSource, CellID: cell, Source: "block"})
	c.send(Op{Op: OpEvaluateCell, CellID: cell})
	c.until(isOp(OpEvaluationStarted, cell))
	c.send(Op{Op: OpEvaluateCell, CellID: after})
	c.until(isOp(OpEvaluateCell, after))
	c.send(Op{Op: OpRestartRuntime})
	aborted := map[string]bool{}
	for len(aborted) < 2 {
		m := c.until(isOp(OpEvaluationFinished, ""))
		if m.Op.Status != StatusAborted {
			t.Fatalf("after restart: %+v", m.Op)
		}
		aborted[m.Op.CellID] = true
	}
	eventually(t, "the evaluator to close", func() bool { return e.rt.closes.Load() == 1 })

	// Deleting a running cell aborts it; the runtime keeps running.
	c.send(Op{Op: OpEvaluateCell, CellID: cell})
	c.until(isOp(OpEvaluationStarted, cell))
	c.send(Op{Op: OpDeleteCell, CellID: cell})
	c.until(isOp(OpDeleteCell, cell))
	c.send(Op{Op: OpEvaluateCell, CellID: after})
	if m := c.until(isOp(OpEvaluationFinished, "")); m.Op.CellID != after || m.Op.Status != StatusOK {
		t.Errorf("after deleting the running cell: %+v", m.Op)
	}
	_, body := e.do("GET", "/metrics", nil)
	for _, want := range []string{"livebook_kernel_restarts_total 1\n", `livebook_evaluations_total{status="aborted"} 3` + "\n"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

func TestSessionCloseDisconnects(t *testing.T) {
	e := newEnv(t, nil)
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	c := e.connect(id)
	c.read()
	if status, _ := e.do("DELETE", "/api/sessions/"+id, nil); status != 204 {
		t.Fatal(status)
	}
	for {
		var m Message
		if err := c.conn.ReadJSON(&m); err != nil {
			if !strings.Contains(err.Error(), "1001") {
				t.Errorf("closed with %v, want going away (1001)", err)
			}
			break
		}
	}
	eventually(t, "the client to leave", func() bool { return e.srv.metrics.clientsConnected.Load() == 0 })
}

// TestMalformedMessages sends messages that are not operations: each gets an
// error frame, and the connection and the server go on.
func TestMalformedMessages(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Autosave = -1 })
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	c := e.connect(id)
	snap := c.read().Snapshot
	for _, tc := range []struct {
		name string
		typ  int
		data string
	}{
		{"not JSON", websocket.TextMessage, "{not json"},
		{"empty", websocket.TextMessage, ""},
		{"binary", websocket.BinaryMessage, "\x00\x01\x02"},
		{"array", websocket.TextMessage, `[1, 2]`},
		{"null", websocket.TextMessage, `null`},
		{"wrong types", websocket.TextMessage, `{"op": 5, "index": "x"}`},
		{"index out of range", websocket.TextMessage, `{"op":"insert_cell","section_id":"` + snap.Sections[0].ID + `","index":1000000}`},
		{"negative index", websocket.TextMessage, `{"op":"move_section","section_id":"` + snap.Sections[0].ID + `","index":-1}`},
		{"unknown op", websocket.TextMessage, `{"op":"drop_tables"}`},
		{"missing cell", websocket.TextMessage, `{"op":"evaluate_cell"}`},
		{"server-only op", websocket.TextMessage, `{"op":"cells_stale","cell_ids":["c1"]}`},
		{"invalid UTF-8", websocket.TextMessage, "{\"op\":\"rename_notebook\",\"name\":\"\xff\xfe\"}"},
		{"deep nesting", websocket.TextMessage, strings.Repeat("[", 100000)},
	} {
		if err := c.conn.WriteMessage(tc.typ, []byte(tc.data)); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		m := c.read()
		if tc.name == "invalid UTF-8" { // decodes, with replacement characters
			if m.Type != "op" || m.Op.Name != "\ufffd\ufffd" {
				t.Errorf("%s: %+v", tc.name, m)
			}
			continue
		}
		if m.Type != "error" || m.Error == "" {
			t.Errorf("%s: got %+v, want an error", tc.name, m)
		}
	}
	c.send(Op{Op: OpRenameNotebook, Name: "Still here"})
	if m := c.until(isOp(OpRenameNotebook, "")); m.Op.Name != "Still here" {
		t.Errorf("after the malformed messages: %+v", m)
	}
	if status, _ := e.do("GET", "/healthz", nil); status != 200 {
		t.Errorf("healthz %d", status)
	}
}

// TestManyClientsSameOrder connects 50 websocket clients to one notebook, all of
// them sending operations at once (edits, inserts, evaluations), and checks that
// every client receives the same operations in the same order, with consecutive
// versions.
func TestManyClientsSameOrder(t *testing.T) {
	const clients, perClient = 50, 4
	// Each client receives some 300 messages: a queue that holds them all, so
	// that a reader slowed down by a loaded machine is not disconnected as a
	// slow client (that policy has its own test).
	e := newEnv(t, func(c *Config) { c.Autosave, c.ClientQueue = -1, 4096 })
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	cs := make([]*wsClient, clients)
	var snap Snapshot
	for i := range cs {
		cs[i] = e.connect(id)
		snap = *cs[i].read().Snapshot
	}
	start := snap.Version // every client has joined by then
	sec, cell := snap.Sections[0].ID, snap.Sections[0].Cells[0].ID

	// Each client reads in its own goroutine until the last operation, a rename
	// to "done", so that no queue fills.
	got := make([][]string, clients)
	var readers sync.WaitGroup
	for i, c := range cs {
		readers.Go(func() {
			for {
				_ = c.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
				var m Message
				if err := c.conn.ReadJSON(&m); err != nil {
					got[i] = append(got[i], "read error: "+err.Error())
					return
				}
				if m.Type != "op" || m.Version <= start {
					continue
				}
				data, _ := json.Marshal(m.Op)
				got[i] = append(got[i], fmt.Sprintf("%d %s", m.Version, data))
				if m.Op.Op == OpRenameNotebook && m.Op.Name == "done" {
					return
				}
			}
		})
	}
	var writers sync.WaitGroup
	for i, c := range cs {
		writers.Go(func() {
			for j := range perClient {
				var op Op
				switch j {
				case 0:
					op = Op{Op: OpSetCellSource, CellID: cell, Source: fmt.Sprintf("x := %d", i)}
				case 1:
					op = Op{Op: OpInsertCell, SectionID: sec, Kind: "markdown", Source: fmt.Sprint("from ", i)}
				case 2:
					op = Op{Op: OpEvaluateCell, CellID: cell}
				default:
					op = Op{Op: OpRenameSection, SectionID: sec, Name: fmt.Sprint("by ", i)}
				}
				op.Ref = fmt.Sprint(i, "-", j)
				if err := c.conn.WriteJSON(op); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	writers.Wait()
	// Wait for every client's operations (each inserted a cell) and the
	// evaluations to end, then finish.
	eventually(t, "the operations and evaluations", func() bool {
		cells := e.snapshot(id).Sections[0].Cells
		ev := cells[0].Eval
		return len(cells) == 1+clients && ev != nil && !pending(ev.Status)
	})
	e.apply(id, Op{Op: OpRenameNotebook, Name: "done"})
	readers.Wait()

	want := got[0]
	if len(want) < clients*perClient {
		t.Fatalf("client 0 saw %d operations, want at least %d: %q", len(want), clients*perClient, want)
	}
	for i, ops := range got {
		if !slices.Equal(ops, want) {
			k := firstDiff(ops, want)
			t.Fatalf("client %d saw %d operations, client 0 %d; first difference at %d: %q", i, len(ops), len(want), k, ops[min(k, len(ops)-1)])
		}
	}
	for k, s := range want {
		var v int64
		fmt.Sscan(s, &v)
		if v != start+int64(k)+1 {
			t.Fatalf("operation %d has version %d, want %d", k, v, start+int64(k)+1)
		}
	}
}

// firstDiff returns the first index where a and b differ.
func firstDiff(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
