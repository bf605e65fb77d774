package kernel

import "encoding/json"

// Request is one line the host sends to a kernel process, as JSON.
type Request struct {
	// Op is "eval" (evaluate Source as cell Cell) or "ping".
	Op string `json:"op"`
	// Seq numbers the request; the response carries it back.
	Seq int64 `json:"seq"`
	// Cell identifies the cell in messages and stack traces.
	Cell string `json:"cell,omitempty"`
	// Source is the cell's Go source.
	Source string `json:"source,omitempty"`
	// Inputs, on an eval request, are the values of the notebook's inputs (package
	// kino's Input), by input ID; absent means none. The kernel writes them where
	// kino's Input.Value reads them (see Session.SetInputs) before running the cell.
	Inputs map[string]json.RawMessage `json:"inputs,omitempty"`
}

// Response is one line a kernel process sends back, as JSON. The first line a kernel
// sends, before any request, has Ready set (or Error, when it cannot start).
type Response struct {
	// Seq is the Seq of the request answered.
	Seq int64 `json:"seq"`
	// Ready is set on the greeting line of a kernel that started.
	Ready bool `json:"ready,omitempty"`
	// GoVersion is the toolchain that builds the cells (greeting only).
	GoVersion string `json:"go_version,omitempty"`
	// HasValue reports whether the cell ended with an expression whose value is
	// Value, of type Type.
	HasValue bool   `json:"has_value,omitempty"`
	Value    string `json:"value,omitempty"`
	Type     string `json:"type,omitempty"`
	// Defined lists the names the cell bound; Used the names from earlier cells it
	// read. Both are sorted.
	Defined []string `json:"defined,omitempty"`
	Used    []string `json:"used,omitempty"`
	// Error describes why the cell failed; nil when it succeeded.
	Error *Failure `json:"error,omitempty"`
	// Scope is what the next cell sees, on the greeting and after each evaluation.
	Scope *Scope `json:"scope,omitempty"`
}

// Failure kinds.
const (
	// FailCompile: the cell does not compile; Diagnostics lists the errors.
	FailCompile = "compile"
	// FailPanic: the cell panicked; Stack holds the cell frames.
	FailPanic = "panic"
	// FailExit: the kernel process ended during the cell (os.Exit, a fatal error, a
	// crash). Set by the host.
	FailExit = "exit"
	// FailInterrupted: the host stopped the kernel (interrupt, timeout). Set by the
	// host.
	FailInterrupted = "interrupted"
	// FailUnsupported: the kernel cannot run cells here (no cgo, no plugins on this
	// platform). Sent on the greeting line.
	FailUnsupported = "unsupported"
	// FailInternal: the kernel could not build or load the cell for a reason that is
	// not in the cell (a toolchain or plugin problem).
	FailInternal = "internal"
)

// Failure says why a cell failed.
type Failure struct {
	// Kind is one of the Fail constants.
	Kind string `json:"kind"`
	// Message is the error, with cell names as the cell wrote them.
	Message string `json:"message"`
	// Line and Col locate the error in the cell (1-based); 0 when unknown.
	Line int `json:"line,omitempty"`
	Col  int `json:"col,omitempty"`
	// Diagnostics are all the compile errors, in cell coordinates.
	Diagnostics []Diagnostic `json:"diagnostics,omitempty"`
	// Stack is the panic's stack trace, cell frames only.
	Stack string `json:"stack,omitempty"`
}

// Diagnostic is a compile error at a position in a cell.
type Diagnostic struct {
	// Line and Col are 1-based; 0 when unknown.
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Message string `json:"message"`
}
