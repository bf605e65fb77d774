package server

import (
	"context"
	"encoding/json"
	"fmt"
)

// Evaluator runs the code cells of one session. The server calls Eval for one cell at
// a time, in the order the cells were queued; it never calls Eval concurrently.
//
// Eval returns the cell's result. A failure of the cell itself (a compile error, a
// panic in the cell) belongs in Result.Error; an error from Eval means the evaluator
// could not run the cell at all (the kernel died, ctx was cancelled), and the server
// then discards the evaluator and starts a new one for the next evaluation.
//
// Close stops the evaluator. It may be called while Eval runs, and must make that Eval
// return promptly.
//
// When ctx ends during Eval (a user stopped the cell, or the runtime restarts), Eval
// must stop the cell and return promptly; a kernel process does it by killing the
// cell's process group. An Eval that has not returned a second after its ctx ended
// is abandoned: the server closes the evaluator and starts a new one for the next
// evaluation.
type Evaluator interface {
	Eval(ctx context.Context, cellID, source string) (Result, error)
	Close() error
}

// Result is what evaluating a cell produced.
type Result struct {
	// Outputs are the cell's outputs in the order it produced them.
	Outputs []Output `json:"outputs,omitempty"`
	// Error describes how the cell failed, such as a compile error or a panic, or is
	// empty when the cell ran to completion.
	Error string `json:"error,omitempty"`
	// Defined lists the names the cell bound, and Used the names bound by earlier
	// cells that it read. The session marks stale the evaluated cells that use
	// the names of a cell that was edited or evaluated again.
	Defined []string `json:"defined,omitempty"`
	Used    []string `json:"used,omitempty"`
	// Restarted reports that the runtime lost the names bound by earlier cells
	// during this evaluation (its kernel was stopped and started again, as after
	// an interrupt or a crash of the kernel process): every evaluated cell is
	// stale.
	Restarted bool `json:"restarted,omitempty"`
}

// Output is one output of a cell.
type Output struct {
	// Type is the kind of output: "text" (standard output), "markdown", "image",
	// "table", "vega-lite", "vega-lite-data" (records pushed into the chart before
	// it in a frame, kino.Chart's Push), ... The UI decides how to show each.
	Type string `json:"type"`
	// MIME is the media type of Data for binary outputs such as images.
	MIME string `json:"mime,omitempty"`
	// Text is the output for textual types.
	Text string `json:"text,omitempty"`
	// Data is the output for binary types (base64 in JSON).
	Data []byte `json:"data,omitempty"`
	// ID identifies a frame (Type "frame"): a place whose content the cell
	// replaces as it runs. Clients show a frame where it first appears and
	// update it there, by ID.
	ID string `json:"id,omitempty"`
	// Outputs is a frame's content. In a streamed update it replaces what the
	// frame showed, or, when Append is set, follows it.
	Outputs []Output `json:"outputs,omitempty"`
	// Append marks a frame update that adds to the frame's content.
	Append bool `json:"append,omitempty"`
}

// TypeFrame is the Output type of frames.
const TypeFrame = "frame"

// Evaluation statuses, as recorded in metrics and sent to clients.
const (
	// StatusQueued: the cell waits for earlier evaluations.
	StatusQueued = "queued"
	// StatusEvaluating: the evaluator is running the cell.
	StatusEvaluating = "evaluating"
	// StatusOK: the cell ran to completion.
	StatusOK = "ok"
	// StatusError: the cell failed (Result.Error), or its runtime failed to start.
	StatusError = "error"
	// StatusCrashed: the evaluator failed while running the cell (Eval returned an
	// error); the server starts a new one for the next evaluation.
	StatusCrashed = "crashed"
	// StatusAborted: the evaluation was cancelled: interrupted by a user, by a
	// runtime restart, by the cell's deletion or by the session closing.
	StatusAborted = "aborted"
)

// StartInfo tells a Runtime which session it starts an evaluator for.
type StartInfo struct {
	// SessionID is the session's id.
	SessionID string
	// Path is the notebook file's absolute path.
	Path string
	// Dir is the directory holding the notebook, where relative file names in its
	// cells should resolve.
	Dir string
	// Output, when the runtime can stream, receives what a cell produces while it
	// runs, as it produces it: text it prints (outputs of type "text", in chunks)
	// and its rich outputs, among them each update of a frame (type "frame" with
	// ID, Outputs and Append). cellID is the cell evaluated last: what goroutines a
	// cell left running print after it finished goes to it too. The session sends
	// these to its clients in batches while the cell runs; the Result's outputs
	// replace them when it finishes. Output may be called from any goroutine,
	// one call at a time, and returns quickly.
	Output func(cellID string, out Output)
	// Inputs returns the values of the notebook's kino inputs, by input ID, as
	// people set them (set_input): the runtime hands them to each evaluation, where
	// kino's Input.Value reads them. Safe to call from any goroutine.
	Inputs func() map[string]json.RawMessage
}

// Runtime starts evaluators: a kernel process per session (standalone), an evaluator
// inside the server process (embedded), or a connection to a kernel started by hand
// (attached). A session starts its evaluator the first time a cell is evaluated, and
// again after a restart or a crash. The ctx given to Start is cancelled when the
// session closes, so it may bound the kernel's life (exec.CommandContext); the
// evaluator must still stop on Close.
type Runtime interface {
	Start(ctx context.Context, info StartInfo) (Evaluator, error)
}

// RuntimeFunc adapts a function to the Runtime interface.
type RuntimeFunc func(ctx context.Context, info StartInfo) (Evaluator, error)

// Start calls f(ctx, info).
func (f RuntimeFunc) Start(ctx context.Context, info StartInfo) (Evaluator, error) {
	return f(ctx, info)
}

// Unavailable returns a Runtime whose evaluators report, for every cell, that the
// runtime is not available, with reason as the cell's error. It stands in for a
// kernel that this build does not have.
func Unavailable(reason string) Runtime {
	return RuntimeFunc(func(context.Context, StartInfo) (Evaluator, error) {
		return unavailable(reason), nil
	})
}

type unavailable string

func (u unavailable) Eval(context.Context, string, string) (Result, error) {
	return Result{Error: fmt.Sprintf("runtime unavailable: %s", string(u))}, nil
}

func (unavailable) Close() error { return nil }
