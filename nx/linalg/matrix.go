package linalg

import (
	"fmt"
	"math"
	"math/cmplx"
	"strconv"

	"github.com/gonx-dev/gonx/nx"
)

// scalar is the element type the kernels compute in: float64 for real tensors
// (integers, f16, bf16, f32, f64) and complex128 for complex ones.
type scalar interface{ float64 | complex128 }

// conj returns the complex conjugate of x (x itself when real).
func conj[T scalar](x T) T {
	if c, ok := any(x).(complex128); ok {
		return any(cmplx.Conj(c)).(T)
	}
	return x
}

// absv returns |x|.
func absv[T scalar](x T) float64 {
	switch v := any(x).(type) {
	case float64:
		return math.Abs(v)
	case complex128:
		return cmplx.Abs(v)
	}
	return 0
}

// abs2 returns |x|², without a square root.
func abs2[T scalar](x T) float64 {
	switch v := any(x).(type) {
	case float64:
		return v * v
	case complex128:
		return real(v)*real(v) + imag(v)*imag(v)
	}
	return 0
}

// re returns the real part of x.
func re[T scalar](x T) float64 {
	switch v := any(x).(type) {
	case float64:
		return v
	case complex128:
		return real(v)
	}
	return 0
}

// fromReal returns f as a T.
func fromReal[T scalar](f float64) T {
	var z T
	if _, ok := any(z).(complex128); ok {
		return any(complex(f, 0)).(T)
	}
	return any(f).(T)
}

// isComplex reports whether T is complex128.
func isComplex[T scalar]() bool {
	var z T
	_, ok := any(z).(complex128)
	return ok
}

// values returns t's elements as a new []T.
func values[T scalar](t *nx.Tensor) []T {
	if isComplex[T]() {
		return any(t.Complex128s()).([]T)
	}
	return any(t.Float64s()).([]T)
}

// build returns a tensor of type dt and the given shape holding data.
func build[T scalar](data []T, dt nx.DType, shape ...int) *nx.Tensor {
	return nx.AsType(nx.Reshape(nx.FromSlice(data, len(data)), shape...), dt)
}

// floatType is the type linear-algebra results take for an input of type dt:
// integers become f32, floats and complex types stay.
func floatType(dt nx.DType) nx.DType { return nx.FloatOf(dt) }

// describe formats t's type and shape as nx does in errors, e.g. "f32[2][3]".
func describe(t *nx.Tensor) string {
	if t == nil {
		return "nil"
	}
	return t.DType().String() + t.Shape().String()
}

// fail panics with an *nx.Error for op, describing operands.
func fail(op string, operands []*nx.Tensor, format string, args ...any) {
	desc := make([]string, len(operands))
	for i, t := range operands {
		desc[i] = describe(t)
	}
	panic(&nx.Error{Op: op, Operands: desc, Msg: fmt.Sprintf(format, args...)})
}

// checkTensor panics when t is nil or has an invalid type.
func checkTensor(op string, ts ...*nx.Tensor) {
	for _, t := range ts {
		if t == nil {
			fail(op, ts, "got a nil tensor")
		}
	}
}

// squareBatch checks that t is a batch of square matrices (rank >= 2, last two
// axes equal) and returns the number of matrices and their size.
func squareBatch(op string, t *nx.Tensor) (batch, n int) {
	checkTensor(op, t)
	if t.Rank() < 2 || t.Axis(-1) != t.Axis(-2) {
		fail(op, []*nx.Tensor{t}, "want a square matrix or a batch of square matrices")
	}
	s := t.Shape()
	return s[:len(s)-2].Size(), s[len(s)-1]
}

// matrixBatch checks that t has rank 2 or more and returns the number of
// matrices and their rows and columns.
func matrixBatch(op string, t *nx.Tensor) (batch, m, n int) {
	checkTensor(op, t)
	if t.Rank() < 2 {
		fail(op, []*nx.Tensor{t}, "want a tensor of rank 2 or more (a matrix or a batch of matrices)")
	}
	m, n = t.Axis(-2), t.Axis(-1)
	s := t.Shape()
	return s[:len(s)-2].Size(), m, n
}

// rejectComplex panics for complex tensors, for operations that support only
// real ones.
func rejectComplex(op string, t *nx.Tensor) {
	if t.DType().IsComplex() {
		fail(op, []*nx.Tensor{t}, "complex tensors are not supported")
	}
}

// withShape returns shape with its last two dimensions replaced by dims.
func withShape(shape nx.Shape, dims ...int) []int {
	out := append([]int{}, shape[:len(shape)-2]...)
	return append(out, dims...)
}

// eye returns the n×n identity.
func eye[T scalar](n int) []T {
	out := make([]T, n*n)
	one := fromReal[T](1)
	for i := 0; i < n; i++ {
		out[i*n+i] = one
	}
	return out
}

// number is the element type matrix products compute in: int64 for integer
// tensors (wrapping as the narrower types do), float64 and complex128.
type number interface{ int64 | float64 | complex128 }

// matmul returns the m×p product of a (m×k) and b (k×p), row-major.
func matmul[T number](a, b []T, m, k, p int) []T {
	out := make([]T, m*p)
	for i := 0; i < m; i++ {
		row := out[i*p : (i+1)*p]
		for l := 0; l < k; l++ {
			x := a[i*k+l]
			if x == 0 {
				continue
			}
			bl := b[l*p : (l+1)*p]
			for j := range row {
				row[j] += x * bl[j]
			}
		}
	}
	return out
}

// adjointOf returns the m×n matrix a as its n×m conjugate transpose.
func adjointOf[T scalar](a []T, m, n int) []T {
	out := make([]T, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			out[j*m+i] = conj(a[i*n+j])
		}
	}
	return out
}

// smallestNormal returns the smallest positive normal number of dt's real
// type, as Nx.Constants.smallest_positive_normal.
func smallestNormal(dt nx.DType) float64 {
	switch nx.RealOf(dt) {
	case nx.F16:
		return 6.103515625e-05
	case nx.F64:
		return 2.2250738585072014e-308
	}
	return 1.1754943508222875e-38 // f32 and bf16
}

// itoa formats i in decimal.
func itoa(i int) string { return strconv.Itoa(i) }
