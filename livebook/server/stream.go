package server

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Streaming limits.
const (
	// streamInterval is how long the outputs a running cell produces gather before
	// the session sends them to its clients: text is sent in batches, and the
	// updates of a frame coalesce to the latest.
	streamInterval = 75 * time.Millisecond
	// maxPending bounds the bytes of streamed outputs waiting for the next batch;
	// beyond it text and non-frame outputs are held back (the cell's result has
	// them all when it finishes).
	maxPending = 1 << 20
	// maxStreamed bounds the bytes of streamed outputs a session keeps for one
	// evaluation while it runs.
	maxStreamed = 4 << 20
)

// streamItem is an output a cell produced while running.
type streamItem struct {
	cell string
	out  Output
}

// streamer gathers the outputs that runtimes stream, from any goroutine, and hands
// them to the session in batches: post runs a function on the session goroutine,
// which takes the batch then. Consecutive text of a cell joins, and a frame's
// updates coalesce into one.
type streamer struct {
	interval time.Duration
	post     func(func()) bool
	apply    func([]streamItem) // runs on the session goroutine

	mu      sync.Mutex
	items   []streamItem
	frames  map[string]int // index in items of each cell's frame update, by cell and frame ID
	bytes   int
	dropped map[string]int // bytes held back, by cell
	pending bool           // a batch is scheduled
}

func newStreamer(post func(func()) bool, apply func([]streamItem)) *streamer {
	return &streamer{
		interval: streamInterval,
		post:     post,
		apply:    apply,
		frames:   map[string]int{},
		dropped:  map[string]int{},
	}
}

// outputSize is roughly how many bytes o holds.
func outputSize(o Output) int {
	n := len(o.Text) + len(o.Data) + len(o.MIME) + len(o.ID) + 16
	for _, c := range o.Outputs {
		n += outputSize(c)
	}
	return n
}

// add takes an output cell produced, and schedules a batch if none is.
func (s *streamer) add(cell string, o Output) {
	if o.Type == "text" && o.Text == "" {
		return
	}
	size := outputSize(o)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case o.Type == TypeFrame && o.ID != "":
		key := cell + "\x00" + o.ID
		if i, ok := s.frames[key]; ok {
			f := &s.items[i].out
			if o.Append {
				f.Outputs = append(slices.Clip(f.Outputs), o.Outputs...)
			} else {
				*f = o
			}
		} else {
			s.frames[key] = len(s.items)
			s.items = append(s.items, streamItem{cell, o})
		}
	case s.bytes+size > maxPending:
		s.dropped[cell] += size
		return
	case o.Type == "text" && len(s.items) > 0 && s.items[len(s.items)-1].cell == cell &&
		s.items[len(s.items)-1].out.Type == "text":
		s.items[len(s.items)-1].out.Text += o.Text
	default:
		s.items = append(s.items, streamItem{cell, o})
	}
	s.bytes += size
	if !s.pending {
		s.pending = true
		time.AfterFunc(s.interval, s.fire)
	}
}

// fire hands the batch to the session.
func (s *streamer) fire() {
	if !s.post(func() { s.apply(s.take()) }) {
		s.take() // the session is closing
	}
}

// take returns the outputs gathered since the last batch, with a note for each
// cell whose outputs were held back, and starts a new batch.
func (s *streamer) take() []streamItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := s.items
	for cell, n := range s.dropped {
		items = append(items, streamItem{cell, Output{Type: "text",
			Text: fmt.Sprintf("\n[… %d more bytes of output: shown when the cell finishes]\n", n)}})
	}
	s.items, s.bytes, s.pending = nil, 0, false
	clear(s.frames)
	clear(s.dropped)
	return items
}

// discard drops what cell produced that has not been sent yet: its evaluation has
// finished, and its result holds all of it.
func (s *streamer) discard(cell string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.dropped, cell)
	kept := s.items[:0]
	s.bytes = 0
	clear(s.frames)
	for _, it := range s.items {
		if it.cell == cell {
			continue
		}
		if it.out.Type == TypeFrame && it.out.ID != "" {
			s.frames[it.cell+"\x00"+it.out.ID] = len(kept)
		}
		s.bytes += outputSize(it.out)
		kept = append(kept, it)
	}
	clear(s.items[len(kept):])
	s.items = kept
}

// mergeOutputs returns outs followed by the streamed outputs more: text joins the
// text before it, and a frame update changes the frame with its ID where it is. It
// does not modify outs, which snapshots may share.
func mergeOutputs(outs []Output, more []Output) []Output {
	outs = slices.Clone(outs)
	for _, o := range more {
		if o.Type == TypeFrame && o.ID != "" {
			if i := frameIndex(outs, o.ID); i >= 0 {
				f := &outs[i]
				if o.Append {
					f.Outputs = append(slices.Clip(f.Outputs), o.Outputs...)
				} else {
					f.Outputs = o.Outputs
				}
				continue
			}
			o.Append = false
			outs = append(outs, o)
			continue
		}
		if n := len(outs); o.Type == "text" && n > 0 && outs[n-1].Type == "text" {
			outs[n-1].Text += o.Text
			continue
		}
		outs = append(outs, o)
	}
	return outs
}

// frameIndex returns the index in outs of the frame with id, or -1.
func frameIndex(outs []Output, id string) int {
	return slices.IndexFunc(outs, func(o Output) bool { return o.Type == TypeFrame && o.ID == id })
}

// applyStreamed adds outputs that running cells produced to their evaluations and
// broadcasts them. A frame update goes to the cell that shows the frame, which may
// be an earlier one; outputs of cells that are queued again or gone are dropped.
func (s *Session) applyStreamed(items []streamItem) {
	var ops []*Op
	for _, it := range items {
		id := s.streamTarget(it)
		if id == "" {
			continue
		}
		e := s.doc.evals[id]
		size := outputSize(it.out)
		if e.streamed+size > maxStreamed && it.out.Type != TypeFrame {
			continue
		}
		e.streamed += size
		if n := len(ops); n > 0 && ops[n-1].CellID == id {
			ops[n-1].Outputs = append(ops[n-1].Outputs, it.out)
		} else {
			ops = append(ops, &Op{Op: OpEvaluationOutput, CellID: id, Outputs: []Output{it.out}})
		}
	}
	for _, op := range ops {
		e := s.doc.evals[op.CellID]
		e.state.Outputs = mergeOutputs(e.state.Outputs, op.Outputs)
		s.broadcast(op)
	}
}

// streamTarget returns the cell whose evaluation a streamed output belongs to, or
// "" if none.
func (s *Session) streamTarget(it streamItem) string {
	shows := func(id string) bool {
		e, ok := s.doc.evals[id]
		return ok && e.state.Status != StatusQueued
	}
	if it.out.Type == TypeFrame && it.out.ID != "" {
		if e, ok := s.doc.evals[it.cell]; !ok || frameIndex(e.state.Outputs, it.out.ID) < 0 {
			for _, c := range s.doc.allCells() {
				id := s.doc.ids[c]
				if id != it.cell && shows(id) && frameIndex(s.doc.evals[id].state.Outputs, it.out.ID) >= 0 {
					return id
				}
			}
		}
	}
	if !shows(it.cell) {
		return ""
	}
	return it.cell
}
