package server

import (
	"bytes"
	"encoding/json"
	"maps"
	"sync"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// InputsMetadata is the key of the notebook metadata (<!-- livebook:{...} --> before
// the title) under which the values of its kino inputs are saved, by input ID.
const InputsMetadata = "gonx_inputs"

// Limits of set_input.
const (
	maxInputID    = 256
	maxInputValue = 64 << 10
)

// inputStore holds the values of a session's kino inputs. The session goroutine sets
// them; evaluations read them from the runner's goroutine.
type inputStore struct {
	mu sync.Mutex
	m  map[string]json.RawMessage
}

// loadInputs reads the input values saved in a notebook's metadata, keeping the
// strings and numbers.
func loadInputs(nb *livemd.Notebook) *inputStore {
	st := &inputStore{m: map[string]json.RawMessage{}}
	saved, _ := nb.Metadata[InputsMetadata].(map[string]any)
	for id, v := range saved {
		switch v.(type) {
		case string, float64, json.Number:
			if b, err := json.Marshal(v); err == nil {
				st.m[id] = b
			}
		}
	}
	return st
}

// values returns a copy of the values; nil when there are none.
func (st *inputStore) values() map[string]json.RawMessage {
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.m) == 0 {
		return nil
	}
	return maps.Clone(st.m)
}

// set records a value and returns all of them, decoded, for the notebook's metadata.
func (st *inputStore) set(id string, v json.RawMessage) map[string]any {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.m[id] = v
	out := make(map[string]any, len(st.m))
	for k, raw := range st.m {
		var x any
		if json.Unmarshal(raw, &x) == nil {
			out[k] = x
		}
	}
	return out
}

// setInput applies set_input: the value of the input op.InputID becomes op.Value, a
// JSON string or number, saved with the notebook and read by the evaluations that
// start from now on.
func (s *Session) setInput(op *Op) (int64, error) {
	if op.InputID == "" || len(op.InputID) > maxInputID {
		return s.version, invalid("set_input: an input_id of 1 to %d bytes", maxInputID)
	}
	v := bytes.TrimSpace(op.Value)
	if len(v) > maxInputValue {
		return s.version, invalid("set_input: a value of %d bytes (at most %d)", len(v), maxInputValue)
	}
	var x any
	if err := json.Unmarshal(v, &x); err != nil {
		return s.version, invalid("set_input: value: %v", err)
	}
	switch x.(type) {
	case string, float64:
	default:
		return s.version, invalid("set_input: value %s: want a string or a number", v)
	}
	v, _ = json.Marshal(x) // compact, canonical
	all := s.inputs.set(op.InputID, v)
	if s.doc.nb.Metadata == nil {
		s.doc.nb.Metadata = livemd.Metadata{}
	}
	s.doc.nb.Metadata[InputsMetadata] = all
	op.Value = v
	s.touch()
	s.broadcast(op)
	return s.version, nil
}
