package nx

import (
	"fmt"
	"strings"
)

// Error is the value nx panics with when an operation is misused: a shape or dtype
// mismatch, an axis out of range, an option the operation does not take. It names
// the operation, describes the operands and says what was expected.
//
// Boundaries that long-running programs call (a compiled function, a training
// loop, a notebook cell) recover it into an ordinary error with [Recover].
type Error struct {
	Op       string   // the operation, e.g. "nx.Add"
	Operands []string // the operands, e.g. "f32[2][3]"
	Msg      string   // what was wrong and what was expected
	// Pos is the file:line of the code outside nx that made the failing call,
	// when known (inside nx.Jit, the line of the traced function).
	Pos string
	// Err is the underlying error when the failure comes from outside nx's
	// checks (a backend that cannot run, a device error); nil otherwise.
	Err error
}

// Unwrap returns e.Err, so that errors.Is and errors.As see through e.
func (e *Error) Unwrap() error { return e.Err }

// Error formats e as "nx.Op(f32[2][3], s64[3]): message".
func (e *Error) Error() string {
	return fmt.Sprintf("%s(%s): %s", e.Op, strings.Join(e.Operands, ", "), e.Msg)
}

// panicf panics with an *Error for op, describing the tensors in operands.
func panicf(op string, operands []*Tensor, format string, args ...any) {
	desc := make([]string, len(operands))
	for i, t := range operands {
		desc[i] = t.describe()
	}
	panic(&Error{Op: op, Operands: desc, Msg: fmt.Sprintf(format, args...), Pos: callerPos()})
}

// Recover turns a panic carrying an *Error into an error stored in *err. Use it
// deferred at a boundary: defer nx.Recover(&err). Other panics propagate.
func Recover(err *error) {
	if r := recover(); r != nil {
		if e, ok := r.(*Error); ok {
			*err = e
			return
		}
		panic(r)
	}
}

// Try runs fn and returns the *Error it panicked with, if any.
func Try(fn func()) (err error) {
	defer Recover(&err)
	fn()
	return nil
}
