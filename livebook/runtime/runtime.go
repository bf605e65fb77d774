package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gonx-dev/gonx/livebook/runtime/kernel"
)

// Evaluator evaluates Go cells in order, keeping the names each cell declares for the
// cells after it. *Kernel and *Embedded implement it.
type Evaluator interface {
	// Eval evaluates source as the cell cellID. A cell that fails returns an
	// *EvalError, with what the cell printed before failing in the Result.
	Eval(ctx context.Context, cellID, source string) (Result, error)
	// Close stops the evaluator and frees what it holds.
	Close() error
}

// Result is what evaluating a cell produced.
type Result struct {
	// Output is what the cell printed to standard output and error, interleaved,
	// less the rich outputs it rendered with package livebook/kino.
	Output string
	// Outputs is all the cell printed, in order: its text (outputs of type "text")
	// between the rich outputs it rendered. The updates of a frame are applied to
	// the frame, which appears once, where it first did.
	Outputs []Output
	// HasValue reports whether the cell ended with an expression; Value is that
	// value as printed (strings quoted, other values as fmt's %v prints them), less
	// the rich outputs it holds, and Type its dynamic type.
	HasValue bool
	Value    string
	Type     string
	// ValueOutputs is the value split as Outputs is: one output of type "text"
	// for most values, while a cell ending with kino.Markdown("# Hi") has an empty
	// Value and one output of type "markdown".
	ValueOutputs []Output
	// Defined lists the names the cell bound, Used the names of earlier cells it
	// read; both sorted. A notebook marks the cells that use a redefined name stale.
	Defined []string
	Used    []string
	// Duration is how long the evaluation took, compilation included.
	Duration time.Duration
	// Restarted reports that the kernel was restarted after this cell: every name
	// bound before is gone.
	Restarted bool
}

// Kinds of EvalError.
const (
	// KindCompile: the cell does not compile; Diagnostics lists the errors.
	KindCompile = kernel.FailCompile
	// KindPanic: the cell panicked; the kernel goes on.
	KindPanic = kernel.FailPanic
	// KindExit: the kernel process ended during the cell (os.Exit, a fatal error, a
	// crash); it was restarted.
	KindExit = kernel.FailExit
	// KindInterrupted: the context ended during the cell; the kernel was restarted.
	KindInterrupted = kernel.FailInterrupted
	// KindInternal: the cell could not be built or loaded for a reason outside it.
	KindInternal = kernel.FailInternal
)

// Diagnostic is a compile error at a line and column of a cell (1-based; 0 when
// unknown).
type Diagnostic = kernel.Diagnostic

// EvalError reports a cell that failed.
type EvalError struct {
	// Cell is the ID of the cell.
	Cell string
	// Kind is one of the Kind constants.
	Kind string
	// Message says what went wrong.
	Message string
	// Line and Col locate the failure in the cell (1-based); 0 when unknown.
	Line, Col int
	// Diagnostics are the compile errors of a KindCompile failure.
	Diagnostics []Diagnostic
	// Stack holds the cell frames of a panic's stack.
	Stack string
	// Err is the cause, when there is one (the context's error for KindInterrupted).
	Err error
}

// Error returns "cell ID, line L: message".
func (e *EvalError) Error() string {
	where := fmt.Sprintf("cell %q", e.Cell)
	if e.Line > 0 && e.Kind != KindCompile {
		where += fmt.Sprintf(", line %d", e.Line)
	}
	return where + ": " + e.Message
}

// Unwrap returns the cause.
func (e *EvalError) Unwrap() error { return e.Err }

// evalError converts a kernel failure.
func evalError(cell string, f *kernel.Failure) *EvalError {
	return &EvalError{
		Cell:        cell,
		Kind:        f.Kind,
		Message:     f.Message,
		Line:        f.Line,
		Col:         f.Col,
		Diagnostics: f.Diagnostics,
		Stack:       f.Stack,
	}
}

// Errors of the runtime.
var (
	// ErrClosed is returned by Eval after Close.
	ErrClosed = errors.New("runtime: kernel closed")
	// ErrUnsupported is returned by Start where cells cannot run: no cgo, no C
	// compiler, or a platform without Go plugins.
	ErrUnsupported = errors.New("runtime: Go plugins are not supported here")
)

// Options configure Start and NewEmbedded.
type Options struct {
	// GonxRoot is a gonx checkout whose modules cells may import (the directory
	// holding its go.work). Empty means the standard library only; the livebook
	// command defaults it to $GONX_ROOT.
	GonxRoot string
	// GoCmd is the go command that builds the kernel and the cells; "go" from PATH
	// when empty.
	GoCmd string
	// Env is the environment of the kernel and the go commands; os.Environ() when nil.
	Env []string
	// Gopls is the gopls program that gives cells completion, hover documentation
	// and signature help (see Assistant); when empty, FindGopls looks for one.
	Gopls string
	// CacheDir holds the built kernel programs; when empty, a directory in the user's
	// cache directory.
	CacheDir string
	// TempDir is where kernels make their scratch modules; os.TempDir() when empty.
	TempDir string
	// Output, when set, receives what cells print as they print it, with the ID of
	// the cell evaluated last (output of goroutines a cell left running, printed
	// between evaluations, arrives here only), less the rich outputs of package
	// livebook/kino. Result.Output holds it too. It is called from another
	// goroutine, one call at a time, and must not call the evaluator.
	Output func(cellID, text string)
	// Rich, when set, receives the rich outputs cells render with package kino as
	// they render them, in order with the text that Output receives (from the same
	// goroutine): each update of a frame as it comes, so that a running cell's
	// frames can be redrawn. The rich outputs of the value a cell ends with are
	// only in its Result.
	Rich func(cellID string, out Output)
	// Inputs, when set, returns the values of the notebook's inputs (package kino's
	// Input), by input ID, as JSON. It is called before each evaluation, and the
	// cell's Input.Value reads them. An embedded evaluator keeps them in its
	// process's environment: embedded sessions that evaluate at the same time may
	// read each other's values.
	Inputs func() map[string]json.RawMessage
}
