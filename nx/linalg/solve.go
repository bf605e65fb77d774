package linalg

import (
	"math"
	"slices"

	"github.com/gonx-dev/gonx/nx"
)

// rhsKind tells how the right-hand side b of a solve is laid out against a.
type rhsKind int

const (
	rhsVector rhsKind = iota // b is [..., n]: one vector per matrix
	rhsMatrix                // b is [..., n, k] (or [..., k, n] on the right side)
)

// rhsLayout checks b against a batch of n×n matrices a, following Nx's rules:
// b is a batch of vectors [..., n] or of matrices [..., n, k] ([..., k, n] when
// right is set) with the same batch shape as a; a single matrix a prefers the
// matrix reading of a 2-D b, a batch prefers the vector reading. It returns
// false when b fits neither.
func rhsLayout(a, b *nx.Tensor, right bool) (rhsKind, bool) {
	as, bs := a.Shape(), b.Shape()
	n := as[len(as)-1]
	batch := as[:len(as)-2]
	vector := len(bs) >= 1 && slices.Equal(bs[:len(bs)-1], batch) && bs[len(bs)-1] == n
	matrix := len(bs) >= 2 && slices.Equal(bs[:len(bs)-2], batch) &&
		((!right && bs[len(bs)-2] == n) || (right && bs[len(bs)-1] == n))
	switch {
	case len(as) == 2 && len(bs) == 2:
		return rhsMatrix, matrix
	case vector:
		return rhsVector, true
	case matrix:
		return rhsMatrix, true
	}
	return 0, false
}

// TriangularSolve solves op(a)·x = b for x, where a is a triangular matrix, or
// x·op(a) = b with LeftSide(false). b is a vector of a's size or a matrix with
// as many rows as a (as many columns, on the right side); batches of matrices
// a over the leading axes take batches of b with the same batch shape.
//
// Lower (default true) says which triangle of a holds the matrix; the other is
// not read. TransformA sets op(a): NoTransform (the default), Transposed or
// Conjugated. The result has b's shape and the floating-point type of a and b
// merged (integers give f32). A zero on a's diagonal panics with "can't solve
// for singular matrix".
//
// It traces (nx.Jit, nx.Grad). Real operands have gradients: b̄ solves the
// transposed system for x̄, and ā = -b̄·xᵀ (-xᵀ·b̄ on the right side), transposed
// back through op and restricted to the triangle of a that is read.
//
// Options: Lower, LeftSide, TransformA.
func TriangularSolve(a, b *nx.Tensor, opts ...Option) *nx.Tensor {
	const op = "linalg.TriangularSolve"
	checkTensor(op, a, b)
	o := parseOptions(op, a, opts, "Lower", "LeftSide", "TransformA")
	if o.transform < NoTransform || o.transform > Conjugated {
		fail(op, []*nx.Tensor{a, b}, "invalid TransformA %d: want NoTransform, Transposed or Conjugated", o.transform)
	}
	if a.Rank() < 2 || a.Axis(-1) != a.Axis(-2) {
		fail(op, []*nx.Tensor{a, b}, "want a to be a square matrix or a batch of square matrices")
	}
	kind, ok := rhsLayout(a, b, !o.leftSide)
	if !ok {
		fail(op, []*nx.Tensor{a, b}, "incompatible dimensions for a and b: want b of shape %v",
			expectedRHS(a, !o.leftSide))
	}
	dt := floatType(nx.Merge(a.DType(), b.DType()))
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		a, b := args[0], args[1]
		if dt.IsComplex() {
			return []*nx.Tensor{build(triangularBatch[complex128](op, a, b, kind, o), dt, b.Shape()...)}
		}
		return []*nx.Tensor{build(triangularBatch[float64](op, a, b, kind, o), dt, b.Shape()...)}
	}
	return apply(op, eval, triangularGrad(kind, o), []nx.Result{result(dt, b.Shape()...)}, a, b)[0]
}

// expectedRHS describes the shapes b may have against a, for messages.
func expectedRHS(a *nx.Tensor, right bool) string {
	s := a.Shape()
	n := s[len(s)-1]
	batch := nx.Shape(s[:len(s)-2]).String()
	if right {
		return batch + "[" + itoa(n) + "] or " + batch + "[k][" + itoa(n) + "]"
	}
	return batch + "[" + itoa(n) + "] or " + batch + "[" + itoa(n) + "][k]"
}

func triangularBatch[T scalar](op string, a, b *nx.Tensor, kind rhsKind, o options) []T {
	n := a.Axis(-1)
	batch := nx.Shape(a.Shape()[:a.Rank()-2]).Size()
	ad, bd := values[T](a), values[T](b)
	per := len(bd) / max(batch, 1)
	m := make([]T, n*n)
	for k := 0; k < batch; k++ {
		// m = op(a), transposed again for the right side: x·op(a) = b is
		// op(a)ᵀ·xᵀ = bᵀ.
		src := ad[k*n*n : (k+1)*n*n]
		transpose := (o.transform == Transposed) != !o.leftSide
		for i := 0; i < n; i++ {
			for j := 0; j < n; j++ {
				v := src[i*n+j]
				if o.transform == Conjugated {
					v = conj(v)
				}
				if transpose {
					m[j*n+i] = v
				} else {
					m[i*n+j] = v
				}
			}
		}
		lower := o.lower != transpose
		x := bd[k*per : (k+1)*per]
		stride, count, step := 1, 1, 0 // how the right-hand sides sit in x
		if kind == rhsMatrix {
			if o.leftSide {
				count, stride, step = per/max(n, 1), per/max(n, 1), 1 // columns
			} else {
				count, stride, step = per/max(n, 1), 1, n // rows
			}
		}
		for c := 0; c < count; c++ {
			if !substitute(m, n, lower, false, x[c*step:], stride) {
				fail(op, []*nx.Tensor{a, b}, "can't solve for singular matrix%s", batchLabel(k, batch))
			}
		}
	}
	return bd
}

// substitute solves the triangular system m·x = y in place, where y's entries
// are y[0], y[stride], ... . m is lower or upper triangular (only that part is
// read); unit says its diagonal is all ones. It reports false on a zero pivot.
func substitute[T scalar](m []T, n int, lower, unit bool, y []T, stride int) bool {
	if lower {
		for i := 0; i < n; i++ {
			s := y[i*stride]
			for j := 0; j < i; j++ {
				s -= m[i*n+j] * y[j*stride]
			}
			if !unit {
				if m[i*n+i] == 0 {
					return false
				}
				s /= m[i*n+i]
			}
			y[i*stride] = s
		}
		return true
	}
	for i := n - 1; i >= 0; i-- {
		s := y[i*stride]
		for j := i + 1; j < n; j++ {
			s -= m[i*n+j] * y[j*stride]
		}
		if !unit {
			if m[i*n+i] == 0 {
				return false
			}
			s /= m[i*n+i]
		}
		y[i*stride] = s
	}
	return true
}

// Solve solves a·x = b for x, where a is a square matrix and b a vector of its
// size or a matrix with as many rows; batches of matrices a over the leading
// axes take batches of b with the same batch shape. It uses an LU decomposition
// with partial pivoting. The result has b's shape and the floating-point type
// of a and b merged (integers give f32). A singular a panics with "can't solve
// for singular matrix".
//
// It traces (nx.Jit, nx.Grad). Real operands have gradients b̄ = a⁻ᵀ·x̄ and
// ā = -b̄·xᵀ.
func Solve(a, b *nx.Tensor) *nx.Tensor {
	const op = "linalg.Solve"
	checkTensor(op, a, b)
	if a.Rank() < 2 || a.Axis(-1) != a.Axis(-2) {
		fail(op, []*nx.Tensor{a, b}, "want a to be a square matrix or a batch of square matrices")
	}
	kind, ok := rhsLayout(a, b, false)
	if !ok {
		fail(op, []*nx.Tensor{a, b}, "b has incompatible dimensions: want b of shape %v", expectedRHS(a, false))
	}
	dt := floatType(nx.Merge(a.DType(), b.DType()))
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		a, b := args[0], args[1]
		if dt.IsComplex() {
			return []*nx.Tensor{build(solveBatch[complex128](op, a, b, kind), dt, b.Shape()...)}
		}
		return []*nx.Tensor{build(solveBatch[float64](op, a, b, kind), dt, b.Shape()...)}
	}
	return apply(op, eval, solveGrad(kind), []nx.Result{result(dt, b.Shape()...)}, a, b)[0]
}

func solveBatch[T scalar](op string, a, b *nx.Tensor, kind rhsKind) []T {
	n := a.Axis(-1)
	batch := nx.Shape(a.Shape()[:a.Rank()-2]).Size()
	ad, bd := values[T](a), values[T](b)
	per := len(bd) / max(batch, 1)
	cols := 1
	if kind == rhsMatrix {
		cols = per / max(n, 1)
	}
	for k := 0; k < batch; k++ {
		m := ad[k*n*n : (k+1)*n*n]
		x := bd[k*per : (k+1)*per]
		if !luSolve(m, n, x, cols) {
			fail(op, []*nx.Tensor{a, b}, "can't solve for singular matrix%s", batchLabel(k, batch))
		}
	}
	return bd
}

// luSolve solves m·x = y in place for the n×cols matrix y (row-major), with an
// LU decomposition of m (overwritten). It reports false when m is singular.
func luSolve[T scalar](m []T, n int, y []T, cols int) bool {
	perm, _ := luFactor(m, n)
	for i := 0; i < n; i++ {
		if m[i*n+i] == 0 {
			return false
		}
	}
	// Apply the row permutation to y.
	p := make([]T, len(y))
	for i, src := range perm {
		copy(p[i*cols:(i+1)*cols], y[src*cols:(src+1)*cols])
	}
	copy(y, p)
	for c := 0; c < cols; c++ {
		substitute(m, n, true, true, y[c:], cols)
		substitute(m, n, false, false, y[c:], cols)
	}
	return true
}

// Invert returns the inverse of a square matrix a, or of each matrix of a batch
// over the leading axes, in a's floating-point type (integers give f32).
//
// As in Nx, a singular matrix does not panic: its inverse is all NaN. A matrix
// counts as singular when |det a| is at most 1000 times the smallest normal
// number of the result type.
//
// It traces (nx.Jit, nx.Grad); the gradient of a real matrix is
// -a⁻ᵀ·ḡ·a⁻ᵀ.
func Invert(a *nx.Tensor) *nx.Tensor {
	const op = "linalg.Invert"
	batch, n := squareBatch(op, a)
	dt := floatType(a.DType())
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		a := args[0]
		if dt.IsComplex() {
			return []*nx.Tensor{build(invertBatch[complex128](a, batch, n, dt), dt, a.Shape()...)}
		}
		return []*nx.Tensor{build(invertBatch[float64](a, batch, n, dt), dt, a.Shape()...)}
	}
	return apply(op, eval, invertGrad, []nx.Result{result(dt, a.Shape()...)}, a)[0]
}

func invertBatch[T scalar](a *nx.Tensor, batch, n int, dt nx.DType) []T {
	data := values[T](a)
	out := make([]T, len(data))
	tiny := smallestNormal(dt) * 1e3
	for k := 0; k < batch; k++ {
		m := data[k*n*n : (k+1)*n*n]
		inv := out[k*n*n : (k+1)*n*n]
		if absv(det(slices.Clone(m), n)) <= tiny || !luSolve(m, n, fillEye(inv, n), n) {
			nan := fromReal[T](math.NaN())
			for i := range inv {
				inv[i] = nan
			}
		}
	}
	return out
}

// fillEye sets the n×n matrix m to the identity and returns it.
func fillEye[T scalar](m []T, n int) []T {
	clear(m)
	for i := 0; i < n; i++ {
		m[i*n+i] = fromReal[T](1)
	}
	return m
}
