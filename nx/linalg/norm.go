package linalg

import (
	"github.com/gonx-dev/gonx/nx"
)

// Norm returns a norm of a vector or a matrix, chosen by the Ord option:
//
//	ord              matrix                        vector
//	(none)           Frobenius norm                2-norm
//	Frobenius        Frobenius norm                -
//	Nuclear          sum of singular values        -
//	Inf              max(sum(|x|, axis 1))         max(|x|)
//	NegInf           min(sum(|x|, axis 1))         min(|x|)
//	0                -                             number of non-zero elements
//	1                max(sum(|x|, axis 0))         as below
//	-1               min(sum(|x|, axis 0))         as below
//	2                largest singular value        as below
//	-2               smallest singular value       as below
//	other p          -                             sum(|x|^p)^(1/p)
//
// t must have rank 1 or 2. Axes with one axis computes vector norms along that
// axis of a matrix (one per row or column); Axes with both axes of a matrix is
// its matrix norm (Axes(1, 0) of its transpose). KeepAxes keeps the reduced
// axes with size 1. p-norms are computed as max·(sum((|x|/max)^p))^(1/p), as
// in Nx, to avoid overflow. The result has the real type of t's
// floating-point type (integers and c64 give f32).
//
// Nuclear and ±2 matrix norms use SVD and do not support complex tensors.
//
// Norm is composed of nx operations and SVD, so it traces (nx.Jit, nx.Grad);
// its gradients are theirs (the singular values' for Nuclear and ±2).
//
// Options: Ord, Axes, KeepAxes.
func Norm(t *nx.Tensor, opts ...Option) *nx.Tensor {
	const op = "linalg.Norm"
	checkTensor(op, t)
	o := parseOptions(op, t, opts, "Ord", "Axes", "KeepAxes")
	if t.Rank() != 1 && t.Rank() != 2 {
		fail(op, []*nx.Tensor{t}, "want a 1-D or 2-D tensor")
	}
	ft := nx.AsType(t, floatType(t.DType()))
	if !o.given["Axes"] {
		if t.Rank() == 1 {
			return vectorNorm(op, t, ft, 0, o)
		}
		return matrixNorm(op, t, ft, o)
	}
	axes := make([]int, len(o.axes))
	for i, a := range o.axes {
		if a < 0 {
			a += t.Rank()
		}
		if a < 0 || a >= t.Rank() || (i == 1 && a == axes[0]) {
			fail(op, []*nx.Tensor{t}, "invalid axes %v for rank %d", o.axes, t.Rank())
		}
		axes[i] = a
	}
	switch {
	case len(axes) == 1:
		return vectorNorm(op, t, ft, axes[0], o)
	case len(axes) == 2 && t.Rank() == 2:
		if axes[0] == 1 {
			ft = nx.Transpose(ft)
		}
		return matrixNorm(op, t, ft, o)
	}
	fail(op, []*nx.Tensor{t}, "invalid axes %v: want one axis (vector norms) or both axes of a matrix", o.axes)
	return nil
}

// vectorNorm returns the norm of the float tensor t along axis; orig is the
// operand as given, for messages.
func vectorNorm(op string, orig, t *nx.Tensor, axis int, o options) *nx.Tensor {
	red := []nx.Option{nx.Axes(axis)}
	if o.keepAxes {
		red = append(red, nx.KeepAxes())
	}
	rt := nx.RealOf(t.DType())
	abs := nx.Abs(t)
	ord := o.ord
	if !o.given["Ord"] {
		ord = 2
	}
	switch ord {
	case Frobenius, Nuclear:
		fail(op, []*nx.Tensor{orig}, "ord %v needs a matrix: want a 2-D tensor and no single axis", ord)
	case Inf:
		return nx.ReduceMax(abs, red...)
	case NegInf:
		return nx.ReduceMin(abs, red...)
	case 0:
		return nx.AsType(nx.Sum(nx.NotEqual(abs, nx.Zeros(rt)), red...), rt)
	}
	// max·(Σ (|x|/max)^p)^(1/p), with max = 1 where all of |x| is zero.
	scale := nx.ReduceMax(abs, nx.Axes(axis), nx.KeepAxes())
	scale = nx.Select(nx.Greater(scale, nx.Zeros(rt)), scale, nx.Ones(rt))
	pow := nx.Pow(nx.Divide(abs, scale), nx.Scalar(float64(ord), rt))
	out := nx.Multiply(nx.Pow(nx.Sum(pow, nx.Axes(axis), nx.KeepAxes()), nx.Scalar(1/float64(ord), rt)), scale)
	if !o.keepAxes {
		out = nx.Squeeze(out, nx.Axes(axis))
	}
	return out
}

// matrixNorm returns the matrix norm of the 2-D float tensor t; orig is the
// operand as given, for messages.
func matrixNorm(op string, orig, t *nx.Tensor, o options) *nx.Tensor {
	abs := nx.Abs(t)
	var out *nx.Tensor
	ord := o.ord
	if !o.given["Ord"] {
		ord = Frobenius
	}
	switch ord {
	case Frobenius:
		flat := nx.Reshape(t, t.Size())
		out = vectorNorm(op, orig, flat, 0, options{given: map[string]bool{}})
	case Inf:
		out = nx.ReduceMax(nx.Sum(abs, nx.Axes(1)))
	case NegInf:
		out = nx.ReduceMin(nx.Sum(abs, nx.Axes(1)))
	case 1:
		out = nx.ReduceMax(nx.Sum(abs, nx.Axes(0)))
	case -1:
		out = nx.ReduceMin(nx.Sum(abs, nx.Axes(0)))
	case Nuclear, 2, -2:
		if t.DType().IsComplex() {
			fail(op, []*nx.Tensor{orig}, "ord %v of a complex matrix is not supported", ord)
		}
		_, s, _ := SVD(t, FullMatrices(false))
		switch ord {
		case Nuclear:
			out = nx.Sum(s)
		case 2:
			out = nx.ReduceMax(s)
		default:
			out = nx.ReduceMin(s)
		}
	default:
		fail(op, []*nx.Tensor{orig}, "invalid ord %v for a matrix: want Frobenius, Nuclear, Inf, NegInf, 1, -1, 2 or -2", ord)
	}
	if o.keepAxes {
		out = nx.Reshape(out, 1, 1)
	}
	return out
}
