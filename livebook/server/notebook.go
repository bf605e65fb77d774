package server

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// Snapshot is the whole state of a session, as a client joining it receives it and
// GET /api/sessions/{id} returns it. Operations with a higher Version follow it.
type Snapshot struct {
	// Session is the session id.
	Session string `json:"session"`
	// Path is the notebook file, relative to the notebooks root.
	Path string `json:"path"`
	// Version is the number of the last operation the snapshot includes.
	Version int64 `json:"version"`
	// Name is the notebook's title.
	Name string `json:"name"`
	// Dirty reports changes not saved yet.
	Dirty bool `json:"dirty"`
	// SaveError is the error of the last save, if it failed.
	SaveError string `json:"save_error,omitempty"`
	// Runtime names the runtime that evaluates the session's cells.
	Runtime string `json:"runtime"`
	// Setup is the setup cell (empty or one cell, sometimes two), evaluated first.
	Setup []CellState `json:"setup"`
	// Sections are the notebook's sections in order.
	Sections []SectionState `json:"sections"`
	// Clients are the ids of the connected clients.
	Clients []string `json:"clients"`
	// Users are the people connected, one per client, in the order of Clients.
	Users []User `json:"users"`
	// Warnings are the problems found when the file was parsed.
	Warnings []string `json:"warnings,omitempty"`
	// Inputs are the values of the notebook's kino inputs, by input ID.
	Inputs map[string]json.RawMessage `json:"inputs,omitempty"`
}

// SectionState is a section of a Snapshot.
type SectionState struct {
	// ID identifies the section within the session.
	ID string `json:"id"`
	// Name is the section's title.
	Name string `json:"name"`
	// BranchParent is the id of the section this one branches from, if any.
	BranchParent string `json:"branch_parent,omitempty"`
	// Cells are the section's cells in order.
	Cells []CellState `json:"cells"`
}

// CellState is a cell of a Snapshot.
type CellState struct {
	// ID identifies the cell within the session.
	ID string `json:"id"`
	// Kind is "markdown", "code" or "smart".
	Kind string `json:"kind"`
	// Language is the code language of code and smart cells.
	Language string `json:"language,omitempty"`
	// Source is the cell's text.
	Source string `json:"source"`
	// Version is the version of the text: how many updates made it (collab.go).
	Version int64 `json:"version"`
	// ReadOnly, when set, says why the cell cannot be edited or evaluated here.
	ReadOnly string `json:"read_only,omitempty"`
	// Outputs are the outputs saved in the notebook file.
	Outputs []Output `json:"outputs,omitempty"`
	// Eval is the cell's latest evaluation in this session, if any.
	Eval *EvalState `json:"eval,omitempty"`
}

// EvalState is the state of a cell's latest evaluation.
type EvalState struct {
	// Status is one of the Status constants.
	Status string `json:"status"`
	// Outputs are the outputs the evaluation produced.
	Outputs []Output `json:"outputs,omitempty"`
	// Error is how the cell failed, when Status is StatusError or StatusCrashed.
	Error string `json:"error,omitempty"`
	// DurationMS is how long the evaluation ran, in milliseconds.
	DurationMS float64 `json:"duration_ms,omitempty"`
	// Defined and Used are the names the cell bound and the names of earlier
	// cells it read (Result.Defined and Result.Used).
	Defined []string `json:"defined,omitempty"`
	Used    []string `json:"used,omitempty"`
	// Stale reports that the evaluation is out of date: the cell was edited since,
	// a cell whose names it uses was edited or evaluated again, or the runtime
	// restarted. Only finished evaluations (ok, error, crashed) go stale.
	Stale bool `json:"stale,omitempty"`
}

// doc is a session's notebook with an id for each section and cell, and the cells'
// evaluation state. Only the session goroutine touches it.
type doc struct {
	nb       *livemd.Notebook
	ids      map[any]string // *livemd.Section and *livemd.Cell to id
	sections map[string]*livemd.Section
	cells    map[string]*livemd.Cell
	evals    map[string]*evalEntry // by cell id
	hist     map[string]*history   // by cell id, once edited
	next     int
}

// evalEntry is a cell's latest evaluation and the sequence number of the request.
type evalEntry struct {
	seq   int64
	state EvalState
	// source is the text the evaluation ran.
	source string
	// depStale: a cell whose names this one uses changed, or the runtime
	// restarted, since it ran.
	depStale bool
	// streamed counts the bytes of outputs streamed while it runs.
	streamed int
}

func newDoc(nb *livemd.Notebook) *doc {
	d := &doc{
		nb:       nb,
		ids:      map[any]string{},
		sections: map[string]*livemd.Section{},
		cells:    map[string]*livemd.Cell{},
		evals:    map[string]*evalEntry{},
		hist:     map[string]*history{},
	}
	for _, c := range nb.Setup {
		d.addCell(c)
	}
	for _, s := range nb.Sections {
		d.addSection(s)
		for _, c := range s.Cells {
			d.addCell(c)
		}
	}
	return d
}

func (d *doc) newID(prefix string) string {
	d.next++
	return prefix + strconv.Itoa(d.next)
}

func (d *doc) addSection(s *livemd.Section) string {
	id := d.newID("s")
	d.ids[s], d.sections[id] = id, s
	return id
}

func (d *doc) addCell(c *livemd.Cell) string {
	id := d.newID("c")
	d.ids[c], d.cells[id] = id, c
	return id
}

func (d *doc) removeCell(c *livemd.Cell) {
	id := d.ids[c]
	delete(d.ids, c)
	delete(d.cells, id)
	delete(d.evals, id)
	delete(d.hist, id)
}

// sectionIndex returns the index of the section with id.
func (d *doc) sectionIndex(id string) (int, error) {
	s, ok := d.sections[id]
	if !ok {
		return 0, fmt.Errorf("%w: no section %q", ErrInvalidOp, id)
	}
	return slices.Index(d.nb.Sections, s), nil
}

// locate returns the section index (-1 for the setup cell) and cell index of the
// cell with id.
func (d *doc) locate(id string) (si, ci int, err error) {
	c, ok := d.cells[id]
	if !ok {
		return 0, 0, fmt.Errorf("%w: no cell %q", ErrInvalidOp, id)
	}
	if i := slices.Index(d.nb.Setup, c); i >= 0 {
		return -1, i, nil
	}
	for si, s := range d.nb.Sections {
		if ci := slices.Index(s.Cells, c); ci >= 0 {
			return si, ci, nil
		}
	}
	return 0, 0, fmt.Errorf("%w: cell %q is nowhere", ErrInvalidOp, id)
}

// keepBranches runs mutate, which may move or delete sections, and then rewrites
// each section's branch_parent_index to follow its parent, dropping branches whose
// parent is gone or no longer comes before them.
func (d *doc) keepBranches(mutate func()) {
	parents := map[*livemd.Section]*livemd.Section{}
	for i, s := range d.nb.Sections {
		if p, ok := d.nb.BranchParent(i); ok {
			parents[s] = d.nb.Sections[p]
		}
	}
	mutate()
	for i, s := range d.nb.Sections {
		p, ok := parents[s]
		if !ok {
			continue
		}
		if j := slices.Index(d.nb.Sections, p); j >= 0 && j < i {
			if old, _ := s.BranchParentIndex(); old != j {
				s.SetBranchParent(j)
			}
		} else {
			s.SetBranchParent(-1)
		}
	}
}

// snapshotCells describes cells.
func (d *doc) snapshotCells(cells []*livemd.Cell) []CellState {
	out := make([]CellState, 0, len(cells))
	for _, c := range cells {
		id := d.ids[c]
		cs := CellState{
			ID:       id,
			Kind:     c.Kind.String(),
			Language: c.Language,
			Source:   c.Source,
			ReadOnly: c.ReadOnlyReason(),
			Outputs:  fromPersisted(c.Outputs),
		}
		if h, ok := d.hist[id]; ok {
			cs.Version = h.version
		}
		if e, ok := d.evals[id]; ok {
			st := e.state
			cs.Eval = &st
		}
		out = append(out, cs)
	}
	return out
}

// snapshot describes the notebook.
func (d *doc) snapshot() Snapshot {
	s := Snapshot{
		Name:     d.nb.Name,
		Setup:    d.snapshotCells(d.nb.Setup),
		Sections: make([]SectionState, 0, len(d.nb.Sections)),
	}
	for i, sec := range d.nb.Sections {
		ss := SectionState{ID: d.ids[sec], Name: sec.Name, Cells: d.snapshotCells(sec.Cells)}
		if p, ok := d.nb.BranchParent(i); ok {
			ss.BranchParent = d.ids[d.nb.Sections[p]]
		}
		s.Sections = append(s.Sections, ss)
	}
	return s
}

// fromPersisted converts the outputs saved in a notebook file.
func fromPersisted(outs []livemd.Output) []Output {
	if len(outs) == 0 {
		return nil
	}
	res := make([]Output, len(outs))
	for i, o := range outs {
		typ := o.Info
		if typ == "" {
			typ = "text"
		}
		res[i] = Output{Type: typ, Text: o.Text}
	}
	return res
}

// toPersisted converts outputs to save in a notebook file: the textual ones, and
// those of frames.
func toPersisted(outs []Output) []livemd.Output {
	var res []livemd.Output
	for _, o := range outs {
		if o.Type == TypeFrame {
			res = append(res, toPersisted(o.Outputs)...)
			continue
		}
		if o.Data != nil || o.Text == "" {
			continue
		}
		info := o.Type
		if info == "text" {
			info = ""
		}
		res = append(res, livemd.Output{Info: info, Text: o.Text})
	}
	return res
}
