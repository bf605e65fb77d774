package linalg

import (
	"math"
	"math/cmplx"

	"github.com/gonx-dev/gonx/nx"
)

// Cholesky returns the lower-triangular matrix l with l·lᴴ = a, for a symmetric
// (Hermitian, if complex) positive-definite matrix a or a batch of them over
// the leading axes. Only the lower triangle of a is read.
//
// The result has a's shape and its floating-point type (integers give f32). It
// panics with an *nx.Error when a is not square or not positive definite.
//
// It traces (nx.Jit, nx.Grad). The gradient of real matrices is the standard
// one, l⁻ᵀ·Φ(lᵀ·ḡ)·l⁻¹ with Φ the lower triangle with its diagonal halved,
// symmetrized and then folded onto the lower triangle that is read: the upper
// triangle of a gets zero, each entry below the diagonal the sum of its two
// symmetric parts. For a perturbation that keeps a symmetric it is the usual
// symmetric gradient.
func Cholesky(a *nx.Tensor) *nx.Tensor {
	const op = "linalg.Cholesky"
	batch, n := squareBatch(op, a)
	dt := floatType(a.DType())
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		a := args[0]
		if dt.IsComplex() {
			return []*nx.Tensor{build(choleskyBatch[complex128](op, a, batch, n), dt, a.Shape()...)}
		}
		return []*nx.Tensor{build(choleskyBatch[float64](op, a, batch, n), dt, a.Shape()...)}
	}
	return apply(op, eval, choleskyGrad, []nx.Result{result(dt, a.Shape()...)}, a)[0]
}

func choleskyBatch[T scalar](op string, a *nx.Tensor, batch, n int) []T {
	data := values[T](a)
	for b := 0; b < batch; b++ {
		m := data[b*n*n : (b+1)*n*n]
		if !cholesky(m, n) {
			fail(op, []*nx.Tensor{a}, "the matrix%s is not positive definite", batchLabel(b, batch))
		}
	}
	return data
}

// cholesky factors the n×n matrix m in place into its Cholesky factor
// (Cholesky–Banachiewicz, row by row), zeroing the upper triangle. It reports
// false when m is not positive definite.
func cholesky[T scalar](m []T, n int) bool {
	for i := 0; i < n; i++ {
		row := m[i*n : (i+1)*n]
		for j := 0; j <= i; j++ {
			rj := m[j*n : (j+1)*n]
			var sum T
			for k := 0; k < j; k++ {
				sum += row[k] * conj(rj[k])
			}
			if i == j {
				d := re(row[i]) - re(sum)
				if !(d > 0) || math.IsInf(d, 0) {
					return false
				}
				row[i] = fromReal[T](math.Sqrt(d))
			} else {
				row[j] = (row[j] - sum) / rj[j]
			}
		}
		for j := i + 1; j < n; j++ {
			row[j] = 0
		}
	}
	for _, v := range m {
		if isNaN(v) {
			return false
		}
	}
	return true
}

// isNaN reports whether x (or a part of it) is NaN.
func isNaN[T scalar](x T) bool {
	switch v := any(x).(type) {
	case float64:
		return math.IsNaN(v)
	case complex128:
		return cmplx.IsNaN(v)
	}
	return false
}

// batchLabel names matrix b of a batch of count for messages: "" for a single
// matrix, " at batch index 3" otherwise.
func batchLabel(b, count int) string {
	if count == 1 {
		return ""
	}
	return " at batch index " + itoa(b)
}
