package nx

import (
	"fmt"
	"strings"
)

// Shape is the list of a tensor's dimensions, outermost first. A scalar has the
// empty shape.
type Shape []int

// Rank returns the number of dimensions.
func (s Shape) Rank() int { return len(s) }

// Size returns the number of elements: the product of the dimensions (1 for a scalar).
func (s Shape) Size() int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// Equal reports whether s and o have the same dimensions.
func (s Shape) Equal(o Shape) bool {
	if len(s) != len(o) {
		return false
	}
	for i := range s {
		if s[i] != o[i] {
			return false
		}
	}
	return true
}

// Clone returns a copy of s that shares no memory with it.
func (s Shape) Clone() Shape { return append(Shape{}, s...) }

// String formats s the way Nx prints shapes: [2][3]; a scalar prints as nothing.
func (s Shape) String() string {
	var b strings.Builder
	for _, d := range s {
		fmt.Fprintf(&b, "[%d]", d)
	}
	return b.String()
}

// Strides returns the row-major strides of s, in elements.
func (s Shape) Strides() []int {
	st := make([]int, len(s))
	n := 1
	for i := len(s) - 1; i >= 0; i-- {
		st[i] = n
		n *= s[i]
	}
	return st
}

// BroadcastShapes returns the shape that a and b broadcast to, following Nx and
// NumPy: shapes are aligned on the right and each pair of dimensions must be equal
// or contain a 1. The boolean is false when they are not compatible.
func BroadcastShapes(a, b Shape) (Shape, bool) {
	n := max(len(a), len(b))
	out := make(Shape, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db || db == 1:
			out[i] = da
		case da == 1:
			out[i] = db
		default:
			return nil, false
		}
	}
	return out, true
}

// normAxis resolves a possibly negative axis against rank, panicking with an
// *Error for op when it is out of range.
func normAxis(op string, t *Tensor, axis, rank int) int {
	a := axis
	if a < 0 {
		a += rank
	}
	if a < 0 || a >= rank {
		panicf(op, []*Tensor{t}, "axis %d is out of range for rank %d", axis, rank)
	}
	return a
}

// normAxes resolves axes against t's rank; duplicates panic.
func normAxes(op string, t *Tensor, axes []int) []int {
	out := make([]int, len(axes))
	seen := make(map[int]bool, len(axes))
	for i, a := range axes {
		out[i] = normAxis(op, t, a, t.Rank())
		if seen[out[i]] {
			panicf(op, []*Tensor{t}, "axis %d is given twice in %v", a, axes)
		}
		seen[out[i]] = true
	}
	return out
}
