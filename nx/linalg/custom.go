package linalg

import (
	"github.com/gonx-dev/gonx/nx"
)

// Tracing. Every function of this package that computes in plain Go runs its
// kernel through an nx.CustomOp: applied to concrete tensors it runs at once;
// applied to symbolic ones (inside nx.Jit, nx.Grad, nx.While) it is recorded
// and runs when the compiled function does, on the concrete values. The public
// functions therefore only check shapes, types and options before applying the
// operation, and read elements only inside the kernels. Gradients (the VJP
// rules in grad_*.go) are written with nx operations and with the functions of
// this package, so they trace and differentiate again in turn.

// evalFunc computes an operation's results from concrete operands.
type evalFunc = func(args []*nx.Tensor) []*nx.Tensor

// vjpFunc returns the gradients of an operation's operands given its operands,
// results and the gradients of its results.
type vjpFunc = func(args, results, grads []*nx.Tensor) []*nx.Tensor

// apply runs the kernel eval on args through an nx.CustomOp named op (the public
// name, as in messages), whose results have the given shapes and types; vjp
// gives its gradients (nil: not differentiable).
func apply(op string, eval evalFunc, vjp vjpFunc, results []nx.Result, args ...*nx.Tensor) []*nx.Tensor {
	c := &nx.CustomOp{Name: op, Eval: eval, VJP: vjp}
	return c.Apply(results, args...)
}

// result describes a result of shape and type dt.
func result(dt nx.DType, shape ...int) nx.Result {
	return nx.Result{Shape: nx.Shape(append([]int{}, shape...)), DType: dt}
}

// realGrad panics, for op's VJP, when an operand or a result is complex:
// gradients are defined for real floating-point tensors only.
func realGrad(op string, args, results []*nx.Tensor) {
	for _, t := range append(append([]*nx.Tensor{}, args...), results...) {
		if t.DType().IsComplex() {
			fail(op, args, "gradients of complex tensors are not supported")
		}
	}
}

// mm returns the matrix product of a [..., m, k] and b [..., k, n], matrix by
// matrix over equal leading (batch) axes.
func mm(a, b *nx.Tensor) *nx.Tensor {
	r := a.Rank()
	if r == 2 {
		return nx.Dot(a, b)
	}
	batch := make([]int, r-2)
	for i := range batch {
		batch[i] = i
	}
	return nx.DotGeneral(a, []int{r - 1}, batch, b, []int{r - 2}, batch)
}

// mT returns the transpose of the matrices in t's last two axes (not
// conjugated: the gradients are real).
func mT(t *nx.Tensor) *nx.Tensor {
	r := t.Rank()
	perm := make([]int, r)
	for i := range perm {
		perm[i] = i
	}
	perm[r-2], perm[r-1] = r-1, r-2
	return nx.Transpose(t, nx.Axes(perm...))
}

// row returns the vectors t [..., k] as rows [..., 1, k]; col as columns
// [..., k, 1].
func row(t *nx.Tensor) *nx.Tensor { return nx.NewAxis(t, -2) }
func col(t *nx.Tensor) *nx.Tensor { return nx.NewAxis(t, -1) }

// diagPart returns the matrices t with their off-diagonal entries zeroed.
func diagPart(t *nx.Tensor) *nx.Tensor {
	return nx.Multiply(t, nx.Eye(t.DType(), t.Axis(-2), t.Axis(-1)))
}

// symmetrize returns (t + tᵀ)/2.
func symmetrize(t *nx.Tensor) *nx.Tensor {
	return nx.Multiply(nx.Add(t, mT(t)), nx.Number(0.5))
}

// safeInverse returns 1/x elementwise, and 0 where x is 0.
func safeInverse(x *nx.Tensor) *nx.Tensor {
	zero := nx.Equal(x, nx.Zeros(x.DType()))
	return nx.Select(zero, nx.Zeros(x.DType()), nx.Divide(nx.Ones(x.DType()), nx.Select(zero, nx.Ones(x.DType()), x)))
}

// cols returns columns [start, start+n) of the matrices in t; rows the rows.
func cols(t *nx.Tensor, start, n int) *nx.Tensor {
	return nx.SliceAlongAxis(t, start, n, nx.Axis(t.Rank()-1))
}

func rows(t *nx.Tensor, start, n int) *nx.Tensor {
	return nx.SliceAlongAxis(t, start, n, nx.Axis(t.Rank()-2))
}

// eyeLike returns the n×n identity in t's type.
func eyeLike(t *nx.Tensor, n int) *nx.Tensor { return nx.Eye(t.DType(), n, n) }
