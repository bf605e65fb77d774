package linalg

import (
	"github.com/gonx-dev/gonx/nx"
)

// LU returns the decomposition a = p·l·u of a square matrix a, or of a batch of
// them over the leading axes, computed by Gaussian elimination with partial
// pivoting: p is a permutation matrix, l is unit lower triangular and u is
// upper triangular.
//
// As in Nx, p has a's type and l and u have its floating-point type (integers
// give f32). A singular matrix is factored too: u then has a zero on its
// diagonal.
//
// It traces (nx.Jit, nx.Grad). Gradients flow through l and u (as in JAX, with
// p held constant, being piecewise constant): ā = p·l⁻ᵀ·(tril(lᵀ·l̄, -1) +
// triu(ū·uᵀ))·u⁻ᵀ, for real matrices with an invertible u.
func LU(a *nx.Tensor) (p, l, u *nx.Tensor) {
	const op = "linalg.LU"
	batch, n := squareBatch(op, a)
	dt := floatType(a.DType())
	shape := a.Shape()
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		if dt.IsComplex() {
			return luBatch[complex128](args[0], batch, n)
		}
		return luBatch[float64](args[0], batch, n)
	}
	res := []nx.Result{result(a.DType(), shape...), result(dt, shape...), result(dt, shape...)}
	out := apply(op, eval, luGrad, res, a)
	return out[0], out[1], out[2]
}

func luBatch[T scalar](a *nx.Tensor, batch, n int) []*nx.Tensor {
	data := values[T](a)
	ps := make([]T, batch*n*n)
	ls := make([]T, batch*n*n)
	one := fromReal[T](1)
	for b := 0; b < batch; b++ {
		off := b * n * n
		m := data[off : off+n*n]
		perm, _ := luFactor(m, n)
		for i := 0; i < n; i++ {
			ps[off+perm[i]*n+i] = one
			for j := 0; j < i; j++ {
				ls[off+i*n+j] = m[i*n+j]
				m[i*n+j] = 0
			}
			ls[off+i*n+i] = one
		}
	}
	dt := floatType(a.DType())
	shape := a.Shape()
	return []*nx.Tensor{build(ps, a.DType(), shape...), build(ls, dt, shape...), build(data, dt, shape...)}
}

// luFactor factors the n×n matrix m in place into l (strictly below the
// diagonal, unit diagonal implied) and u (on and above it), choosing as pivot
// the first entry of largest magnitude in each column. Row i of the factored
// matrix is row perm[i] of the input; swaps counts the row exchanges.
func luFactor[T scalar](m []T, n int) (perm []int, swaps int) {
	perm = make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	for k := 0; k < n; k++ {
		piv, best := k, absv(m[k*n+k])
		for i := k + 1; i < n; i++ {
			if v := absv(m[i*n+k]); v > best {
				piv, best = i, v
			}
		}
		if piv != k {
			rk, rp := m[k*n:(k+1)*n], m[piv*n:(piv+1)*n]
			for j := range rk {
				rk[j], rp[j] = rp[j], rk[j]
			}
			perm[k], perm[piv] = perm[piv], perm[k]
			swaps++
		}
		d := m[k*n+k]
		if d == 0 {
			continue
		}
		rk := m[k*n : (k+1)*n]
		for i := k + 1; i < n; i++ {
			ri := m[i*n : (i+1)*n]
			f := ri[k] / d
			ri[k] = f
			if f == 0 {
				continue
			}
			for j := k + 1; j < n; j++ {
				ri[j] -= f * rk[j]
			}
		}
	}
	return perm, swaps
}

// Determinant returns the determinant of a square matrix a, or of each matrix
// of a batch over the leading axes (the result then has the batch's shape). The
// result has a's floating-point type (integers give f32); 2×2 and 3×3 matrices
// use the closed formulas, larger ones an LU decomposition.
//
// It traces (nx.Jit, nx.Grad); the gradient of a real matrix is
// ḡ·det(a)·a⁻ᵀ (NaN for a singular matrix).
func Determinant(a *nx.Tensor) *nx.Tensor {
	const op = "linalg.Determinant"
	batch, n := squareBatch(op, a)
	shape := a.Shape()
	out := shape[:len(shape)-2]
	dt := floatType(a.DType())
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		if dt.IsComplex() {
			return []*nx.Tensor{build(determinants[complex128](args[0], batch, n), dt, out...)}
		}
		return []*nx.Tensor{build(determinants[float64](args[0], batch, n), dt, out...)}
	}
	return apply(op, eval, determinantGrad, []nx.Result{result(dt, out...)}, a)[0]
}

func determinants[T scalar](a *nx.Tensor, batch, n int) []T {
	data := values[T](a)
	dets := make([]T, batch)
	for b := range dets {
		dets[b] = det(data[b*n*n:(b+1)*n*n], n)
	}
	return dets
}

// det returns the determinant of the n×n matrix m, overwriting m.
func det[T scalar](m []T, n int) T {
	switch n {
	case 0:
		return fromReal[T](1)
	case 1:
		return m[0]
	case 2:
		return m[0]*m[3] - m[1]*m[2]
	case 3:
		return m[0]*m[4]*m[8] + m[1]*m[5]*m[6] + m[2]*m[3]*m[7] -
			m[2]*m[4]*m[6] - m[1]*m[3]*m[8] - m[0]*m[5]*m[7]
	}
	_, swaps := luFactor(m, n)
	d := fromReal[T](1)
	if swaps%2 == 1 {
		d = -d
	}
	for i := 0; i < n; i++ {
		d *= m[i*n+i]
	}
	return d
}
