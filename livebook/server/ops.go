package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// Operation names. Clients send the first group; the session broadcasts every
// operation it applies, and the second group, which only the session makes.
const (
	OpInsertSection  = "insert_section"  // name, index (absent: at the end) → section_id
	OpDeleteSection  = "delete_section"  // section_id; its cells go with it
	OpMoveSection    = "move_section"    // section_id, index
	OpRenameSection  = "rename_section"  // section_id, name
	OpRenameNotebook = "rename_notebook" // name
	OpInsertCell     = "insert_cell"     // section_id, index, kind, language, source → cell_id
	OpDeleteCell     = "delete_cell"     // cell_id
	OpMoveCell       = "move_cell"       // cell_id, section_id (absent: its own), index
	OpSetCellSource  = "set_cell_source" // cell_id, source (the full text); broadcast with doc_version and updates, the same as a change
	OpCellUpdate     = "cell_update"     // cell_id, doc_version, updates: collaborative edits of a cell's text (collab.go)
	OpPullUpdates    = "pull_updates"    // cell_id, doc_version: answered, to the sender alone, by a catch_up message
	OpPresence       = "presence"        // selection (absent: not editing); broadcast with the sender's user
	OpSetUser        = "set_user"        // name, avatar; broadcast with the sender's user
	OpEvaluateCell   = "evaluate_cell"   // cell_id; broadcast with status "queued"
	OpEvaluateStale  = "evaluate_stale"  // broadcast as an evaluate_cell for each stale cell, in notebook order
	OpInterrupt      = "interrupt"       // cell_id, or absent for all: stops queued and running evaluations
	OpRestartRuntime = "restart_runtime" // stops the runtime; queued evaluations abort
	OpSetInput       = "set_input"       // input_id, value: the value of a kino input, saved with the notebook

	OpEvaluationStarted  = "evaluation_started"  // cell_id
	OpEvaluationOutput   = "evaluation_output"   // cell_id, outputs: produced since the last, while the cell runs
	OpEvaluationFinished = "evaluation_finished" // cell_id, status, outputs, error, duration_ms, defined, used
	OpCellsStale         = "cells_stale"         // cell_ids: every cell whose evaluation is now stale
	OpClientJoined       = "client_joined"       // client, user
	OpClientLeft         = "client_left"         // client
	OpNotebookSaved      = "notebook_saved"      // error when the save failed
)

// ErrInvalidOp is the error for an operation that cannot apply: an unknown name, a
// missing cell, an index out of range, a read-only cell.
var ErrInvalidOp = errors.New("invalid operation")

// Op is an operation on a session's notebook, as JSON: {"op":"insert_cell",
// "section_id":"s2","index":0,"kind":"code","source":"x := 1"}. Fields that an
// operation does not use are omitted. The session fills in the ids of what an
// insert creates, and the client that sent the operation, before broadcasting it.
type Op struct {
	// Op is the operation's name, one of the Op constants.
	Op string `json:"op"`
	// Ref is the sending client's reference for the operation, echoed back in the
	// broadcast and in an error reply so the client can match them.
	Ref string `json:"ref,omitempty"`
	// Client is the id of the client that sent the operation (set by the session).
	Client string `json:"client,omitempty"`
	// SectionID names a section.
	SectionID string `json:"section_id,omitempty"`
	// CellID names a cell.
	CellID string `json:"cell_id,omitempty"`
	// CellIDs lists cells: for cells_stale, every cell now stale, in notebook
	// order (absent: none).
	CellIDs []string `json:"cell_ids,omitempty"`
	// Index is a position among sections, or among a section's cells; absent means
	// the end.
	Index *int `json:"index,omitempty"`
	// Kind is the kind of a new cell: "markdown" or "code" (the default).
	Kind string `json:"kind,omitempty"`
	// Language is the language of a new code cell: "go" by default.
	Language string `json:"language,omitempty"`
	// Source is a cell's text; absent means empty.
	Source string `json:"source,omitempty"`
	// Name is a section's or the notebook's name.
	Name string `json:"name,omitempty"`
	// Status is an evaluation's status (set by the session).
	Status string `json:"status,omitempty"`
	// Outputs are an evaluation's outputs, or, for evaluation_output, those a
	// running cell produced since the last: text follows the cell's text, and a
	// frame update changes the frame with its ID where it is (set by the session).
	Outputs []Output `json:"outputs,omitempty"`
	// Error is why an evaluation or a save failed (set by the session).
	Error string `json:"error,omitempty"`
	// DurationMS is how long an evaluation took (set by the session).
	DurationMS float64 `json:"duration_ms,omitempty"`
	// Defined and Used are the names an evaluated cell bound and read (set by
	// the session).
	Defined []string `json:"defined,omitempty"`
	Used    []string `json:"used,omitempty"`
	// DocVersion is the version of the cell's text that Updates apply to.
	DocVersion int64 `json:"doc_version,omitempty"`
	// Updates are changes to a cell's text, in order (collab.go).
	Updates []Update `json:"updates,omitempty"`
	// Selection is where the sender's cursor is, for presence.
	Selection *Selection `json:"selection,omitempty"`
	// Avatar is the URL of the sender's picture, for set_user.
	Avatar string `json:"avatar,omitempty"`
	// User is the sender as the session knows it, for client_joined, presence
	// and set_user (set by the session).
	User *User `json:"user,omitempty"`
	// InputID names a kino input (its label), for set_input.
	InputID string `json:"input_id,omitempty"`
	// Value is an input's value for set_input: a JSON string or number.
	Value json.RawMessage `json:"value,omitempty"`
}

// Message is what a session sends to its websocket clients: the snapshot when the
// client joins, then every applied operation in order, and error replies to the
// client whose operation failed.
type Message struct {
	// Type is "snapshot", "op", "error" or "catch_up" (the reply to
	// pull_updates: Op is a cell_update with the updates asked for).
	Type string `json:"type"`
	// Version numbers operations 1, 2, 3, ... in the order the session applied
	// them; a snapshot carries the version of the last operation it includes, an
	// error the current version.
	Version int64 `json:"version"`
	// Op is the applied operation, for Type "op".
	Op *Op `json:"op,omitempty"`
	// Snapshot is the session's state, for Type "snapshot".
	Snapshot *Snapshot `json:"snapshot,omitempty"`
	// Client is the id the session gave the receiving client, for Type
	// "snapshot".
	Client string `json:"client,omitempty"`
	// Ref echoes the failed operation's Ref, for Type "error".
	Ref string `json:"ref,omitempty"`
	// Error says why the operation failed, for Type "error".
	Error string `json:"error,omitempty"`
	// Code is CodeStale or CodeTooOld for the errors clients recover from on
	// their own, for Type "error".
	Code string `json:"code,omitempty"`
}

// invalid returns an ErrInvalidOp error.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidOp, fmt.Sprintf(format, args...))
}

// position resolves an optional index into a slice of length n, where n itself
// (appending) is allowed when insert is true.
func position(idx *int, n int, insert bool) (int, error) {
	limit := n - 1
	if insert {
		limit = n
	}
	if idx == nil {
		return limit, nil
	}
	if *idx < 0 || *idx > limit {
		return 0, invalid("index %d out of range [0, %d]", *idx, limit)
	}
	return *idx, nil
}

// apply applies an editing operation (not an evaluation) to the notebook, filling
// in the ids of what it creates.
func (d *doc) apply(op *Op) error {
	switch op.Op {
	case OpInsertSection:
		i, err := position(op.Index, len(d.nb.Sections), true)
		if err != nil {
			return err
		}
		s := &livemd.Section{Name: nameOr(op.Name, livemd.DefaultSectionName)}
		d.keepBranches(func() { d.nb.Sections = slices.Insert(d.nb.Sections, i, s) })
		op.SectionID = d.addSection(s)
	case OpDeleteSection:
		i, err := d.sectionIndex(op.SectionID)
		if err != nil {
			return err
		}
		s := d.nb.Sections[i]
		for _, c := range s.Cells {
			d.removeCell(c)
		}
		d.keepBranches(func() { d.nb.Sections = slices.Delete(d.nb.Sections, i, i+1) })
		delete(d.ids, s)
		delete(d.sections, op.SectionID)
	case OpMoveSection:
		i, err := d.sectionIndex(op.SectionID)
		if err != nil {
			return err
		}
		j, err := position(op.Index, len(d.nb.Sections), false)
		if err != nil {
			return err
		}
		s := d.nb.Sections[i]
		d.keepBranches(func() {
			d.nb.Sections = slices.Insert(slices.Delete(d.nb.Sections, i, i+1), j, s)
		})
	case OpRenameSection:
		i, err := d.sectionIndex(op.SectionID)
		if err != nil {
			return err
		}
		d.nb.Sections[i].Name = nameOr(op.Name, livemd.DefaultSectionName)
		op.Name = d.nb.Sections[i].Name
	case OpRenameNotebook:
		d.nb.Name = nameOr(op.Name, livemd.DefaultName)
		op.Name = d.nb.Name
	case OpInsertCell:
		return d.insertCell(op)
	case OpDeleteCell:
		si, ci, err := d.locate(op.CellID)
		if err != nil {
			return err
		}
		if si < 0 {
			return invalid("the setup cell cannot be deleted")
		}
		s := d.nb.Sections[si]
		d.removeCell(s.Cells[ci])
		s.Cells = slices.Delete(s.Cells, ci, ci+1)
	case OpMoveCell:
		return d.moveCell(op)
	case OpSetCellSource:
		return d.setSource(op)
	default:
		return invalid("unknown operation %q", op.Op)
	}
	return nil
}

func (d *doc) insertCell(op *Op) error {
	i, err := d.sectionIndex(op.SectionID)
	if err != nil {
		return err
	}
	s := d.nb.Sections[i]
	j, err := position(op.Index, len(s.Cells), true)
	if err != nil {
		return err
	}
	c := &livemd.Cell{Source: op.Source}
	switch op.Kind {
	case "markdown":
		c.Kind = livemd.Markdown
		op.Language = ""
	case "", "code":
		c.Kind, op.Kind = livemd.Code, "code"
		if op.Language == "" {
			op.Language = livemd.LangGo
		}
		if !livemd.IsCodeLanguage(op.Language) {
			return invalid("unknown code language %q", op.Language)
		}
		c.Language = op.Language
	default:
		return invalid("cannot insert a %q cell", op.Kind)
	}
	s.Cells = slices.Insert(s.Cells, j, c)
	op.CellID = d.addCell(c)
	return nil
}

func (d *doc) moveCell(op *Op) error {
	si, ci, err := d.locate(op.CellID)
	if err != nil {
		return err
	}
	if si < 0 {
		return invalid("the setup cell cannot be moved")
	}
	ti := si
	if op.SectionID != "" {
		if ti, err = d.sectionIndex(op.SectionID); err != nil {
			return err
		}
	}
	from, to := d.nb.Sections[si], d.nb.Sections[ti]
	n := len(to.Cells)
	if ti != si {
		n++ // the cell joins the target section
	}
	j, err := position(op.Index, n, false)
	if err != nil {
		return err
	}
	c := from.Cells[ci]
	from.Cells = slices.Delete(from.Cells, ci, ci+1)
	to.Cells = slices.Insert(to.Cells, j, c)
	op.SectionID = d.ids[to]
	idx := j
	op.Index = &idx
	return nil
}

// evaluable returns the source of the cell to evaluate, or why it cannot be.
func (d *doc) evaluable(id string) (string, error) {
	c, ok := d.cells[id]
	if !ok {
		return "", invalid("no cell %q", id)
	}
	if !c.Runnable() {
		if r := c.ReadOnlyReason(); r != "" {
			return "", invalid("cell %s cannot be evaluated: %s", id, r)
		}
		return "", invalid("cell %s is not a code cell", id)
	}
	return c.Source, nil
}

func nameOr(name, def string) string {
	if name == "" {
		return def
	}
	return name
}
