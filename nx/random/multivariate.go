package random

import (
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/linalg"
)

// MultivariateNormal returns samples of the multivariate normal distribution
// with the given mean (a vector of size d) and covariance (a d×d symmetric
// positive semi-definite matrix), of the float type dt and shape shape+[d]
// (nil shape gives one sample, [d]), and the key to use next. As
// Nx.Random.multivariate_normal it splits key in two, samples with the second
// half (see MultivariateNormalSplit) and returns the first.
//
// Options: Method (Cholesky, the default, SVD or Eigh; use SVD or Eigh for
// singular covariances).
func MultivariateNormal(key, mean, cov *nx.Tensor, shape nx.Shape, dt nx.DType, opts ...Option) (values, next *nx.Tensor) {
	use, next := splitKey("random.MultivariateNormal", key)
	return multivariateChecked("random.MultivariateNormal", use, mean, cov, shape, dt, opts), next
}

// MultivariateNormalSplit is MultivariateNormal sampling with key itself, for a
// key that has been split beforehand: mean + z·aᵀ for standard normal samples z
// and a·aᵀ = cov. It traces and differentiates like the linalg decompositions
// it uses.
func MultivariateNormalSplit(key, mean, cov *nx.Tensor, shape nx.Shape, dt nx.DType, opts ...Option) *nx.Tensor {
	checkKey("random.MultivariateNormalSplit", key)
	return multivariateChecked("random.MultivariateNormalSplit", key, mean, cov, shape, dt, opts)
}

func multivariateChecked(op string, key, mean, cov *nx.Tensor, shape nx.Shape, dt nx.DType, opts []Option) *nx.Tensor {
	if mean == nil || cov == nil {
		fail(op, []*nx.Tensor{key, mean, cov}, "got a nil tensor")
	}
	o := parseOptions(op, mean, opts, "Method")
	checkShape(op, key, shape)
	checkFloat(op, key, dt, false)
	if mean.Rank() != 1 {
		fail(op, []*nx.Tensor{key, mean, cov}, "want mean to be a vector (rank 1)")
	}
	d := mean.Size()
	if !cov.Shape().Equal(nx.Shape{d, d}) {
		fail(op, []*nx.Tensor{key, mean, cov}, "want the covariance to be a %d×%d matrix, matching mean", d, d)
	}
	if mean.DType().IsComplex() || cov.DType().IsComplex() {
		fail(op, []*nx.Tensor{key, mean, cov}, "complex tensors are not supported")
	}
	mean, cov = nx.AsType(mean, dt), nx.AsType(cov, dt)
	var a *nx.Tensor
	switch o.method {
	case Cholesky:
		a = linalg.Cholesky(cov)
	case SVD:
		u, s, _ := linalg.SVD(cov)
		a = nx.Multiply(u, nx.Sqrt(s))
	case Eigh:
		w, v := linalg.Eigh(cov)
		a = nx.Multiply(v, nx.Sqrt(w))
	default:
		fail(op, []*nx.Tensor{key, mean, cov}, "invalid method %d: want Cholesky, SVD or Eigh", o.method)
	}
	out := append(shape.Clone(), d)
	z := nx.Reshape(normalChecked(op, key, 0, 1, out, dt), -1, d)
	x := nx.Add(mean, nx.DotGeneral(z, []int{1}, nil, a, []int{1}, nil))
	return nx.Reshape(x, out...)
}
