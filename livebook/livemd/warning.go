package livemd

import (
	"fmt"
	"strings"
)

// Warning is a problem Parse found and worked around: what was wrong, where, and what
// Parse did about it.
type Warning struct {
	// Line is the 1-based line of the input the warning is about (0 if none).
	Line int
	// Msg describes the problem and how it was handled.
	Msg string
}

// Error returns "line N: msg".
func (w Warning) Error() string {
	if w.Line > 0 {
		return fmt.Sprintf("line %d: %s", w.Line, w.Msg)
	}
	return w.Msg
}

// ParseError is the error Parse returns, together with a usable notebook, when the
// input was malformed. It lists every problem in input order.
type ParseError struct {
	Warnings []Warning
}

// Error returns the first problem, and how many others there are.
func (e *ParseError) Error() string {
	if len(e.Warnings) == 0 {
		return "livemd: malformed notebook"
	}
	var b strings.Builder
	b.WriteString("livemd: ")
	b.WriteString(e.Warnings[0].Error())
	if n := len(e.Warnings) - 1; n == 1 {
		b.WriteString(" (and 1 more problem)")
	} else if n > 1 {
		fmt.Fprintf(&b, " (and %d more problems)", n)
	}
	return b.String()
}

// Unwrap returns the warnings as errors, for errors.As.
func (e *ParseError) Unwrap() []error {
	errs := make([]error, len(e.Warnings))
	for i, w := range e.Warnings {
		errs[i] = w
	}
	return errs
}
