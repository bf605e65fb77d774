package server

import (
	"slices"
	"testing"
	"time"
)

// staleIn returns the cells a snapshot marks stale, in order.
func staleIn(s Snapshot) []string {
	var ids []string
	for _, sec := range s.Sections {
		for _, c := range sec.Cells {
			if c.Eval != nil && c.Eval.Stale {
				ids = append(ids, c.ID)
			}
		}
	}
	return ids
}

// staleOp reads until a cells_stale operation and returns its cells.
func (c *wsClient) staleOp() []string {
	c.t.Helper()
	return c.until(isOp(OpCellsStale, "")).Op.CellIDs
}

// untilStale reads until a cells_stale operation lists want.
func (c *wsClient) untilStale(want ...string) {
	c.t.Helper()
	c.until(func(m Message) bool {
		return m.Type == "op" && m.Op.Op == OpCellsStale && slices.Equal(m.Op.CellIDs, want)
	})
}

// TestStaleCells follows Livebook's rules: editing a cell makes it and the cells
// that use its names (and theirs, in turn) stale; evaluating a cell again makes
// its users stale; a restart makes every evaluated cell stale; evaluate_stale runs
// the stale cells again, in order.
func TestStaleCells(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Autosave = -1 })
	e.write("a.livemd", "# N\n\n## S\n\n```go\ndef x\n```\n\n```go\ndef y use x\n```\n\n```go\nuse y\n```\n\n```go\ndef z\n```\n")
	id := e.open("a.livemd")
	c := e.connect(id)
	snap := c.read().Snapshot
	var ids []string
	for _, cell := range snap.Sections[0].Cells {
		ids = append(ids, cell.ID)
	}
	x, y, useY, z := ids[0], ids[1], ids[2], ids[3]
	evaluate := func(cells ...string) {
		t.Helper()
		for _, cell := range cells {
			c.send(Op{Op: OpEvaluateCell, CellID: cell})
		}
		for _, cell := range cells {
			if m := c.until(isOp(OpEvaluationFinished, cell)); m.Op.Status != StatusOK {
				t.Fatalf("%s: %+v", cell, m.Op)
			}
		}
	}
	check := func(what string, want ...string) {
		t.Helper()
		c.untilStale(want...)
		if snap := staleIn(e.snapshot(id)); !slices.Equal(snap, want) {
			t.Errorf("%s: the snapshot has stale %q, want %q", what, snap, want)
		}
	}
	evaluate(x, y, useY, z)
	if got := e.snapshot(id).Sections[0].Cells[1].Eval; !slices.Equal(got.Defined, []string{"y"}) || !slices.Equal(got.Used, []string{"x"}) {
		t.Errorf("names of cell 2: %+v", got)
	}

	// Editing x: x, its user y and y's user go stale; z does not.
	c.send(Op{Op: OpSetCellSource, CellID: x, Source: "def x again"})
	check("after editing x", x, y, useY)

	// Evaluate stale: the three run again in order, and none is stale.
	c.send(Op{Op: OpEvaluateStale, Ref: "r"})
	for _, want := range []string{x, y, useY} {
		if m := c.until(isOp(OpEvaluateCell, "")); m.Op.CellID != want || m.Op.Ref != "r" || m.Op.Status != StatusQueued {
			t.Fatalf("evaluate_stale queued %+v, want %s", m.Op, want)
		}
	}
	check("after evaluate_stale")
	c.until(isOp(OpEvaluationFinished, useY))
	if snap := staleIn(e.snapshot(id)); len(snap) != 0 {
		t.Errorf("after evaluating the stale cells, stale %q", snap)
	}

	// Evaluating x again makes its users stale, not x itself.
	evaluate(x)
	check("after evaluating x again", y, useY)
	evaluate(y, useY)
	if snap := staleIn(e.snapshot(id)); len(snap) != 0 {
		t.Errorf("after evaluating its users, stale %q", snap)
	}

	// A restart makes every evaluated cell stale.
	c.send(Op{Op: OpRestartRuntime})
	check("after a restart", x, y, useY, z)
	c.send(Op{Op: OpEvaluateStale})
	c.until(isOp(OpEvaluationFinished, z))

	// Deleting y makes its user stale.
	c.send(Op{Op: OpDeleteCell, CellID: y})
	check("after deleting y", useY)

	// A cell after which the runtime lost its names (its kernel restarted)
	// makes the others stale.
	c.send(Op{Op: OpSetCellSource, CellID: z, Source: "restart"})
	check("after editing z", useY, z)
	evaluate(z)
	check("after a kernel restart", x, useY)
}

// TestInterrupt stops queued and running evaluations: the running cell's
// evaluator stops it (a kernel restarts), so the cells evaluated before go stale,
// and the session goes on with the same evaluator.
func TestInterrupt(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Autosave = -1 })
	e.write("a.livemd", "# N\n\n## S\n\n```go\ndef x\n```\n\n```go\nblock\n```\n\n```go\ndef w\n```\n")
	id := e.open("a.livemd")
	c := e.connect(id)
	snap := c.read().Snapshot
	x, block, w := snap.Sections[0].Cells[0].ID, snap.Sections[0].Cells[1].ID, snap.Sections[0].Cells[2].ID
	for _, cell := range []string{x, block, w} {
		c.send(Op{Op: OpEvaluateCell, CellID: cell})
	}
	c.until(isOp(OpEvaluationStarted, block))

	// Stopping the queued cell alone leaves the running one running.
	c.send(Op{Op: OpInterrupt, CellID: w})
	if m := c.until(isOp(OpEvaluationFinished, "")); m.Op.CellID != w || m.Op.Status != StatusAborted {
		t.Fatalf("after interrupting the queued cell: %+v", m.Op)
	}
	if st := e.snapshot(id).Sections[0].Cells[1].Eval.Status; st != StatusEvaluating {
		t.Fatalf("the running cell is %s", st)
	}

	// Stopping everything stops the running cell at once.
	t0 := time.Now()
	c.send(Op{Op: OpInterrupt})
	if m := c.until(isOp(OpEvaluationFinished, "")); m.Op.CellID != block || m.Op.Status != StatusAborted {
		t.Fatalf("after interrupting: %+v", m.Op)
	}
	if took := time.Since(t0); took > time.Second {
		t.Errorf("stopping took %v", took)
	}
	if got := c.staleOp(); !slices.Equal(got, []string{x}) {
		t.Errorf("stale after the interrupt: %q, want %q", got, x)
	}
	c.send(Op{Op: OpEvaluateCell, CellID: w})
	if m := c.until(isOp(OpEvaluationFinished, w)); m.Op.Status != StatusOK {
		t.Errorf("after the interrupt: %+v", m.Op)
	}
	if e.rt.starts.Load() != 1 {
		t.Errorf("%d evaluators started, want 1", e.rt.starts.Load())
	}
	c.send(Op{Op: OpInterrupt, CellID: "nope", Ref: "bad"})
	if m := c.until(func(m Message) bool { return m.Type == "error" }); m.Ref != "bad" {
		t.Errorf("interrupting a missing cell: %+v", m)
	}
}

// TestInterruptAbandonsHungEvaluator checks that a cell that does not stop when
// interrupted is abandoned after the grace period: its evaluator is closed, the
// next evaluation starts a new one, and every evaluated cell is stale.
func TestInterruptAbandonsHungEvaluator(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Autosave = -1 })
	e.write("a.livemd", "# N\n\n## S\n\n```go\ndef x\n```\n\n```go\nhang\n```\n")
	id := e.open("a.livemd")
	sess := e.srv.Sessions().Get(id)
	const grace = 100 * time.Millisecond
	if err := sess.call(t.Context(), func() { sess.runner.grace = grace }); err != nil {
		t.Fatal(err)
	}
	c := e.connect(id)
	snap := c.read().Snapshot
	x, hang := snap.Sections[0].Cells[0].ID, snap.Sections[0].Cells[1].ID
	c.send(Op{Op: OpEvaluateCell, CellID: x})
	c.send(Op{Op: OpEvaluateCell, CellID: hang})
	c.until(isOp(OpEvaluationStarted, hang))
	sess.stream.add(hang, text("so far"))
	c.until(isOp(OpEvaluationOutput, hang))
	t0 := time.Now()
	c.send(Op{Op: OpInterrupt, CellID: hang})
	m := c.until(isOp(OpEvaluationFinished, hang))
	if took := time.Since(t0); took < grace || took > grace+time.Second {
		t.Errorf("abandoned after %v, want about %v", took, grace)
	}
	if m.Op.Status != StatusAborted || len(m.Op.Outputs) != 1 || m.Op.Outputs[0].Text != "so far" {
		t.Errorf("abandoned evaluation: %+v, want aborted with what it streamed", m.Op)
	}
	if got := c.staleOp(); !slices.Equal(got, []string{x}) {
		t.Errorf("stale %q, want %q", got, x)
	}
	eventually(t, "the evaluator to close", func() bool { return e.rt.closes.Load() == 1 })
	c.send(Op{Op: OpEvaluateCell, CellID: x})
	if m := c.until(isOp(OpEvaluationFinished, x)); m.Op.Status != StatusOK || e.rt.starts.Load() != 2 {
		t.Errorf("after abandoning: %+v, %d starts", m.Op, e.rt.starts.Load())
	}
}
