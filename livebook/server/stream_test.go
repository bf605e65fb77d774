package server

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func text(s string) Output { return Output{Type: "text", Text: s} }

func frame(id string, add bool, outs ...Output) Output {
	return Output{Type: TypeFrame, ID: id, Append: add, Outputs: outs}
}

// TestStreamerBatches checks how streamed outputs gather between batches: a cell's
// consecutive text joins, a frame's updates coalesce into the first one's place,
// and discard drops a cell's outputs.
func TestStreamerBatches(t *testing.T) {
	s := newStreamer(func(func()) bool { return true }, nil)
	s.interval = time.Hour // batches are taken by hand
	for _, it := range []streamItem{
		{"c1", text("a")},
		{"c1", text("b")},
		{"c1", frame("f", false, text("1"))},
		{"c2", text("other")},
		{"c1", text("c")},
		{"c1", frame("f", false, text("2"))},
		{"c1", frame("f", true, text("3"))},
		{"c1", frame("g", true, text("x"))},
		{"c1", frame("g", true, text("y"))},
		{"c1", text("")},
	} {
		s.add(it.cell, it.out)
	}
	if !s.pending {
		t.Error("no batch was scheduled")
	}
	want := []streamItem{
		{"c1", text("ab")},
		{"c1", frame("f", false, text("2"), text("3"))},
		{"c2", text("other")},
		{"c1", text("c")},
		{"c1", frame("g", true, text("x"), text("y"))},
	}
	if got := s.take(); !reflect.DeepEqual(got, want) {
		t.Errorf("batch\n%+v\nwant\n%+v", got, want)
	}
	if got := s.take(); len(got) != 0 {
		t.Errorf("second batch %+v, want none", got)
	}

	s.add("c1", text("a"))
	s.add("c2", frame("f", false, text("1")))
	s.add("c1", frame("f", false, text("2")))
	s.discard("c1")
	s.add("c2", frame("f", true, text("3")))
	want = []streamItem{{"c2", frame("f", false, text("1"), text("3"))}}
	if got := s.take(); !reflect.DeepEqual(got, want) {
		t.Errorf("after discard\n%+v\nwant\n%+v", got, want)
	}

	// Past maxPending bytes, text is held back, and a note says how much.
	big := strings.Repeat("x", maxPending/2)
	s.add("c1", text(big))
	s.add("c1", text(big))
	s.add("c1", frame("f", false, text("kept")))
	got := s.take()
	if len(got) != 3 || got[0].out.Text != big || got[1].out.Type != TypeFrame ||
		!strings.Contains(got[2].out.Text, "more bytes of output") {
		t.Errorf("over the limit: %d items, last %+v", len(got), got[len(got)-1])
	}
}

func TestMergeOutputs(t *testing.T) {
	base := []Output{text("a"), frame("f", false, text("1")), {Type: "markdown", Text: "# m"}}
	orig := append([]Output(nil), base...)
	got := mergeOutputs(base, []Output{
		text("b"), // after the Markdown: a new text output
		text("c"),
		frame("f", true, text("2")),
		frame("g", true, text("new")),
		frame("g", false, text("replaced")),
	})
	want := []Output{
		text("a"), frame("f", false, text("1"), text("2")), {Type: "markdown", Text: "# m"},
		text("bc"), frame("g", false, text("replaced")),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merged\n%+v\nwant\n%+v", got, want)
	}
	if !reflect.DeepEqual(base, orig) {
		t.Errorf("mergeOutputs modified its input: %+v", base)
	}
}

// TestStreamingOutputs checks that a running cell's outputs reach clients as
// evaluation_output operations, batched, and that a client joining meanwhile sees
// them in its snapshot; the result replaces them.
func TestStreamingOutputs(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Autosave = -1 })
	e.rt.release = make(chan struct{})
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	c := e.connect(id)
	cell := c.read().Snapshot.Sections[0].Cells[0].ID
	c.send(Op{Op: OpSetCellSource, CellID: cell, Source: "stream"})
	c.send(Op{Op: OpEvaluateCell, CellID: cell})
	c.until(isOp(OpEvaluationStarted, cell))
	m := c.until(isOp(OpEvaluationOutput, cell))
	streamed := []Output{text("a"), frame("f", false, text("2"), text("3")), text("b")}
	if !reflect.DeepEqual(m.Op.Outputs, streamed) {
		t.Errorf("streamed %+v, want one batch %+v", m.Op.Outputs, streamed)
	}
	if got := e.snapshot(id).Sections[0].Cells[0].Eval; got.Status != StatusEvaluating || !reflect.DeepEqual(got.Outputs, streamed) {
		t.Errorf("snapshot while running: %+v", got)
	}
	close(e.rt.release)
	m = c.until(isOp(OpEvaluationFinished, cell))
	if want := []Output{text("a"), frame("f", false, text("2"), text("3")), text("b")}; m.Op.Status != StatusOK || !reflect.DeepEqual(m.Op.Outputs, want) {
		t.Errorf("finished %+v", m.Op)
	}
	data, _ := json.Marshal(m.Op.Outputs[1])
	if want := `{"type":"frame","id":"f","outputs":[{"type":"text","text":"2"},{"type":"text","text":"3"}]}`; string(data) != want {
		t.Errorf("a frame in JSON: %s, want %s", data, want)
	}
}

// TestStreamToEarlierFrame checks that an update of a frame shown by an earlier
// cell goes to that cell, and output arriving after a cell finished is added to
// its outputs.
func TestStreamToEarlierFrame(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Autosave = -1 })
	e.write("a.livemd", "# N\n\n## S\n\n```go\none\n```\n\n```go\ntwo\n```\n")
	id := e.open("a.livemd")
	c := e.connect(id)
	snap := c.read().Snapshot
	one, two := snap.Sections[0].Cells[0].ID, snap.Sections[0].Cells[1].ID
	for _, cell := range []string{one, two} {
		c.send(Op{Op: OpEvaluateCell, CellID: cell})
		c.until(isOp(OpEvaluationFinished, cell))
	}
	sess := e.srv.Sessions().Get(id)
	// Cell one's result showed frame f; give it one by hand.
	if err := sess.call(t.Context(), func() {
		sess.doc.evals[one].state.Outputs = append(sess.doc.evals[one].state.Outputs, frame("f", false, text("old")))
	}); err != nil {
		t.Fatal(err)
	}
	sess.stream.add(two, frame("f", false, text("new")))
	sess.stream.add(two, text("late"))
	m := c.until(isOp(OpEvaluationOutput, ""))
	if m.Op.CellID != one || !reflect.DeepEqual(m.Op.Outputs, []Output{frame("f", false, text("new"))}) {
		t.Errorf("frame update went to %s: %+v", m.Op.CellID, m.Op.Outputs)
	}
	m = c.until(isOp(OpEvaluationOutput, ""))
	if m.Op.CellID != two || m.Op.Outputs[0].Text != "late" {
		t.Errorf("late output: %+v", m.Op)
	}
	got := e.snapshot(id).Sections[0].Cells
	if want := []Output{text("ran: one"), frame("f", false, text("new"))}; !reflect.DeepEqual(got[0].Eval.Outputs, want) {
		t.Errorf("cell one shows %+v, want %+v", got[0].Eval.Outputs, want)
	}
	if want := []Output{text("ran: twolate")}; !reflect.DeepEqual(got[1].Eval.Outputs, want) {
		t.Errorf("cell two shows %+v, want %+v", got[1].Eval.Outputs, want)
	}
}
