package server

import (
	"slices"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// Staleness follows Livebook: an evaluated cell is stale when its source changed
// since it ran, when a cell whose names it used (Result.Used) was edited, deleted
// or evaluated again (and so, in turn, the cells using the names of a stale cell),
// or when the runtime lost every name (a restart, an interrupted cell, a crashed
// kernel). The session broadcasts the set of stale cells as a cells_stale
// operation whenever it changes, and evaluate_stale runs them again in order.

// finished reports whether an evaluation with status ran to its end, so that
// it can go stale.
func finished(status string) bool {
	return status == StatusOK || status == StatusError || status == StatusCrashed
}

// allCells returns the notebook's cells in order: the setup cells, then each
// section's.
func (d *doc) allCells() []*livemd.Cell {
	cells := slices.Clone(d.nb.Setup)
	for _, s := range d.nb.Sections {
		cells = append(cells, s.Cells...)
	}
	return cells
}

// changedNames returns the names bound by the evaluated cells that op, about to
// apply, edits or deletes: the cells that use them go stale.
func (s *Session) changedNames(op *Op) []string {
	defined := func(id string) []string {
		if e, ok := s.doc.evals[id]; ok && finished(e.state.Status) {
			return e.state.Defined
		}
		return nil
	}
	switch op.Op {
	case OpSetCellSource:
		if e, ok := s.doc.evals[op.CellID]; ok && op.Source != e.source {
			return defined(op.CellID)
		}
	case OpDeleteCell:
		return defined(op.CellID)
	case OpDeleteSection:
		var names []string
		if sec, ok := s.doc.sections[op.SectionID]; ok {
			for _, c := range sec.Cells {
				names = append(names, defined(s.doc.ids[c])...)
			}
		}
		return names
	}
	return nil
}

// markDependents marks stale the evaluated cells, other than except, that use
// any of names, and then those that use the names of the cells so marked.
func (s *Session) markDependents(names []string, except string) {
	if len(names) == 0 {
		return
	}
	changed := make(map[string]bool, len(names))
	for _, n := range names {
		changed[n] = true
	}
	for more := true; more; {
		more = false
		for id, e := range s.doc.evals {
			if id == except || e.depStale || !finished(e.state.Status) {
				continue
			}
			if !slices.ContainsFunc(e.state.Used, func(n string) bool { return changed[n] }) {
				continue
			}
			e.depStale, more = true, true
			for _, n := range e.state.Defined {
				changed[n] = true
			}
		}
	}
}

// markAllStale marks every evaluated cell but except stale: the runtime lost the
// names they bound.
func (s *Session) markAllStale(except string) {
	for id, e := range s.doc.evals {
		if id != except && finished(e.state.Status) {
			e.depStale = true
		}
	}
}

// staleCells returns the stale cells in notebook order.
func (s *Session) staleCells() []string {
	var ids []string
	for _, c := range s.doc.allCells() {
		id := s.doc.ids[c]
		if e, ok := s.doc.evals[id]; ok && finished(e.state.Status) && (e.depStale || c.Source != e.source) {
			ids = append(ids, id)
		}
	}
	return ids
}

// updateStale records which cells are stale in their evaluation state and, when
// that changed, broadcasts the new set.
func (s *Session) updateStale() {
	ids := s.staleCells()
	for _, e := range s.doc.evals {
		e.state.Stale = false
	}
	for _, id := range ids {
		s.doc.evals[id].state.Stale = true
	}
	if slices.Equal(ids, s.stale) {
		return
	}
	s.stale = ids
	s.broadcast(&Op{Op: OpCellsStale, CellIDs: ids})
}
