package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"
)

// Assistant is implemented by the evaluators that help edit Go cells: completion,
// hover documentation and signature help, from what the evaluator's runtime knows of
// the cells evaluated so far (the livebook command's kernels ask gopls).
type Assistant interface {
	// Assist answers req. Errors say why the help is unavailable (gopls is not
	// installed, say); they are shown to the user.
	Assist(ctx context.Context, req AssistRequest) (AssistResult, error)
}

// Kinds of AssistRequest.
const (
	AssistComplete  = "complete"
	AssistHover     = "hover"
	AssistSignature = "signature"
)

// AssistRequest asks about a position in a cell's source.
type AssistRequest struct {
	// Kind is AssistComplete, AssistHover or AssistSignature.
	Kind string `json:"kind"`
	// Source is the cell's text as the client's editor holds it.
	Source string `json:"source"`
	// Pos is an offset in Source, in UTF-16 code units as browsers count.
	Pos int `json:"pos"`
}

// AssistResult answers an AssistRequest. Offsets count UTF-16 code units of the
// request's Source.
type AssistResult struct {
	// From and To delimit the text that completions replace, or the name a hover
	// is about.
	From int `json:"from"`
	To   int `json:"to"`
	// Items are the completions, best first.
	Items []CompletionItem `json:"items,omitempty"`
	// Doc is a hover's documentation, or the documentation of a signature's
	// function, in Markdown; empty when there is none.
	Doc string `json:"doc,omitempty"`
	// Label is the signature of the call around Pos, such as
	// "Repeat(s string, count int) string"; empty outside calls. Params are its
	// parameters' [start, end) offsets in Label and Active the index of the one at
	// Pos, or -1.
	Label  string   `json:"label,omitempty"`
	Params [][2]int `json:"params,omitempty"`
	Active int      `json:"active"`
	// Unavailable, when set, says why the runtime cannot help (gopls is not
	// installed, the runtime offers no help, the runtime failed to start); the
	// rest of the result is empty.
	Unavailable string `json:"unavailable,omitempty"`
}

// CompletionItem is one completion.
type CompletionItem struct {
	// Label is what the list shows; Insert, when set, what choosing it writes.
	Label  string `json:"label"`
	Insert string `json:"insert,omitempty"`
	// Kind is a CodeMirror completion type: "function", "method", "variable",
	// "constant", "type", "class", "interface", "property", "namespace",
	// "keyword" or "text".
	Kind string `json:"kind,omitempty"`
	// Detail is the item's type or signature, Doc its documentation (Markdown).
	Detail string `json:"detail,omitempty"`
	Doc    string `json:"doc,omitempty"`
}

// ErrNoAssistant is returned when a session's runtime offers no help with editing.
var ErrNoAssistant = errors.New("this runtime offers no completion or documentation")

// assistTimeout bounds one request; the first one may wait for the runtime and
// gopls to start.
const assistTimeout = 45 * time.Second

// handleAssist serves POST /api/sessions/{id}/assist with an AssistRequest: it
// answers with an AssistResult, whose Unavailable says why when the runtime cannot
// help (a normal state of a server without gopls, not an HTTP error); 400 for a
// malformed request.
func (s *Server) handleAssist(w http.ResponseWriter, r *http.Request) {
	sess := s.session(w, r)
	if sess == nil {
		return
	}
	var req AssistRequest
	if err := readJSON(w, r, &req); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	switch {
	case req.Kind != AssistComplete && req.Kind != AssistHover && req.Kind != AssistSignature:
		writeError(w, http.StatusBadRequest, fmt.Errorf("%w: kind %q is not complete, hover or signature", ErrInvalidOp, req.Kind))
		return
	case !utf8.ValidString(req.Source):
		writeError(w, http.StatusBadRequest, fmt.Errorf("%w: the source is not UTF-8", ErrInvalidOp))
		return
	case req.Pos < 0 || req.Pos > utf16Len(req.Source):
		writeError(w, http.StatusBadRequest, fmt.Errorf("%w: position %d is outside the source", ErrInvalidOp, req.Pos))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), assistTimeout)
	defer cancel()
	res, err := sess.assist(ctx, req)
	switch {
	case errors.Is(err, ErrSessionClosed):
		writeError(w, http.StatusGone, err)
	case err != nil && r.Context().Err() != nil:
		writeError(w, statusOf(err), err) // the client went away
	case err != nil:
		writeJSON(w, http.StatusOK, AssistResult{Active: -1, Unavailable: err.Error()})
	default:
		writeJSON(w, http.StatusOK, res)
	}
}

// assist asks the session's evaluator, starting it if there is none yet.
func (s *Session) assist(ctx context.Context, req AssistRequest) (AssistResult, error) {
	a, err := s.runner.assistant()
	if err != nil {
		return AssistResult{}, err
	}
	return a.Assist(ctx, req)
}

// assistant returns the evaluator as an Assistant, starting it if there is none.
func (r *runner) assistant() (Assistant, error) {
	r.startMu.Lock()
	defer r.startMu.Unlock()
	r.mu.Lock()
	ev, gen := r.ev, r.gen
	r.mu.Unlock()
	if ev == nil {
		if r.ctx.Err() != nil {
			return nil, ErrSessionClosed
		}
		var err error
		if ev, err = r.rt.Start(r.ctx, r.info); err != nil {
			return nil, fmt.Errorf("starting the runtime: %w", err)
		}
		r.mu.Lock()
		if gen != r.gen || r.ctx.Err() != nil {
			r.mu.Unlock()
			_ = ev.Close()
			return nil, fmt.Errorf("the runtime restarted; try again")
		}
		r.ev = ev
		r.mu.Unlock()
	}
	a, ok := ev.(Assistant)
	if !ok {
		return nil, ErrNoAssistant
	}
	return a, nil
}

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, c := range s {
		if c >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
