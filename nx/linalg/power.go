package linalg

import (
	"github.com/gonx-dev/gonx/nx"
)

// MatrixPower returns the square matrix a (or each matrix of a batch over the
// leading axes) raised to the integer power n by repeated matrix products:
// n = 0 gives the identity, n < 0 the power -n of Invert(a).
//
// Positive powers keep a's type (integer products wrap, as Nx's do); negative
// powers have a's floating-point type (integers give f32).
//
// It traces (nx.Jit, nx.Grad). Real matrices have gradients, those of the
// products by squaring that compute it (and of Invert, for n < 0).
func MatrixPower(a *nx.Tensor, n int) *nx.Tensor {
	const op = "linalg.MatrixPower"
	batch, size := squareBatch(op, a)
	shape := a.Shape()
	switch {
	case n == 0:
		return nx.Eye(a.DType(), shape...)
	case n < 0:
		return MatrixPower(Invert(a), -n)
	}
	dt := a.DType()
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		a := args[0]
		switch {
		case dt.IsComplex():
			return []*nx.Tensor{build(powerBatch(a.Complex128s(), batch, size, n), dt, shape...)}
		case dt.IsInteger():
			return []*nx.Tensor{nx.AsType(nx.Reshape(nx.FromSlice(powerBatch(a.Int64s(), batch, size, n)), shape...), dt)}
		}
		return []*nx.Tensor{build(powerBatch(a.Float64s(), batch, size, n), dt, shape...)}
	}
	vjp := func(args, results, grads []*nx.Tensor) []*nx.Tensor {
		realGrad(op, args, results)
		return []*nx.Tensor{powerGrad(args[0], grads[0], n)}
	}
	return apply(op, eval, vjp, []nx.Result{result(dt, shape...)}, a)[0]
}

// powerBatch raises each n×n matrix of data to the power p >= 1, by squaring.
func powerBatch[T number](data []T, batch, n, p int) []T {
	out := make([]T, 0, len(data))
	for b := 0; b < batch; b++ {
		base := data[b*n*n : (b+1)*n*n]
		var acc []T
		for e := p; e > 0; e >>= 1 {
			if e&1 == 1 {
				if acc == nil {
					acc = base
				} else {
					acc = matmul(acc, base, n, n, n)
				}
			}
			if e > 1 {
				base = matmul(base, base, n, n, n)
			}
		}
		out = append(out, acc...)
	}
	return out
}

// Adjoint returns the conjugate transpose of t: its last two axes swapped (a
// batch of matrices stays a batch) and, for complex tensors, its elements
// conjugated. Tensors of rank below 2 are only conjugated.
func Adjoint(t *nx.Tensor) *nx.Tensor {
	checkTensor("linalg.Adjoint", t)
	if r := t.Rank(); r >= 2 {
		perm := make([]int, r)
		for i := range perm {
			perm[i] = i
		}
		perm[r-2], perm[r-1] = r-1, r-2
		t = nx.Transpose(t, nx.Axes(perm...))
	}
	if t.DType().IsComplex() {
		t = nx.Conjugate(t)
	}
	return t
}
