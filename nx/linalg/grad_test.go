package linalg

import (
	"fmt"
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// checkGrad compares the gradient of the scalar function f at the f64 tensor x
// with central finite differences, and requires the compiled gradient
// (nx.Jit(nx.Grad(f))) to give the same values as the eager one.
func checkGrad(t *testing.T, name string, f func(*nx.Tensor) *nx.Tensor, x *nx.Tensor) {
	t.Helper()
	const h = 1e-6
	xs, shape := x.Float64s(), x.Shape()
	grad := nx.Grad(f)(x)
	got := grad.Float64s()
	for i := range xs {
		xp, xm := append([]float64{}, xs...), append([]float64{}, xs...)
		xp[i] += h
		xm[i] -= h
		want := (f(nx.FromSlice(xp, shape...)).Float64() - f(nx.FromSlice(xm, shape...)).Float64()) / (2 * h)
		if !(math.Abs(got[i]-want) <= 1e-5*max(1, math.Abs(want))) {
			t.Errorf("%s: ∂/∂x[%d] = %v, finite differences give %v", name, i, got[i], want)
		}
	}
	jit := nx.Jit(nx.Grad(f))(x).Float64s()
	closeTo(t, name+" (jit)", jit, got, 1e-12)
}

// weighted returns the function Σ w∘fn(x), with fixed pseudo-random weights of
// fn's result shape: a scalar that depends on every element of the result.
func weighted(seed uint64, fn func(*nx.Tensor) *nx.Tensor) func(*nx.Tensor) *nx.Tensor {
	return func(x *nx.Tensor) *nx.Tensor {
		y := fn(x)
		return nx.Sum(nx.Multiply(randomMatrix(seed, y.Shape()...), y))
	}
}

// sum2 is Σ w₁∘x + Σ w₂∘y.
func sum2(seed uint64, x, y *nx.Tensor) *nx.Tensor {
	return nx.Add(nx.Sum(nx.Multiply(randomMatrix(seed, x.Shape()...), x)),
		nx.Sum(nx.Multiply(randomMatrix(seed+1, y.Shape()...), y)))
}

// wellConditioned returns a pseudo-random square matrix (or batch) with
// shift added to its diagonal.
func wellConditioned(seed uint64, shift float64, shape ...int) *nx.Tensor {
	n := shape[len(shape)-1]
	return nx.Add(randomMatrix(seed, shape...), nx.Multiply(nx.Eye(nx.F64, n, n), nx.Scalar(shift)))
}

// spd returns a symmetric positive-definite matrix (or batch): r·rᵀ + n·I.
func spd(seed uint64, shape ...int) *nx.Tensor {
	r := randomMatrix(seed, shape...)
	return nx.Add(mm(r, mT(r)), nx.Multiply(nx.Eye(nx.F64, shape[len(shape)-1], shape[len(shape)-1]), nx.Scalar(float64(shape[len(shape)-1]))))
}

func TestGradCholesky(t *testing.T) {
	for _, shape := range [][]int{{1, 1}, {3, 3}, {2, 4, 4}} {
		a := spd(1, shape...)
		name := "Cholesky" + nx.Shape(shape).String()
		checkGrad(t, name, weighted(2, Cholesky), a)
		// Through a symmetric parametrization a = x·xᵀ + n·I.
		n := float64(shape[len(shape)-1])
		sym := func(x *nx.Tensor) *nx.Tensor {
			return nx.Add(mm(x, mT(x)), nx.Multiply(nx.Eye(nx.F64, int(n), int(n)), nx.Scalar(n)))
		}
		checkGrad(t, name+" of x·xᵀ", weighted(3, func(x *nx.Tensor) *nx.Tensor { return Cholesky(sym(x)) }),
			randomMatrix(4, shape...))
	}
	// Only the lower triangle is read: the upper one gets no gradient.
	g := nx.Grad(weighted(2, Cholesky))(spd(1, 3, 3))
	closeTo(t, "upper triangle", nx.Triu(g, 1).Float64s(), make([]float64, 9), 0)
}

func TestGradQR(t *testing.T) {
	tests := []struct {
		name  string
		shape []int
		mode  QRMode
	}{
		{"square", []int{3, 3}, Reduced},
		{"tall", []int{4, 3}, Reduced},
		{"wide", []int{3, 5}, Reduced},
		{"wide complete", []int{2, 4}, Complete},
		{"square complete", []int{3, 3}, Complete},
		{"batch tall", []int{2, 4, 2}, Reduced},
		{"batch wide", []int{2, 2, 3}, Reduced},
	}
	for _, tc := range tests {
		a := randomMatrix(5, tc.shape...)
		checkGrad(t, "QR "+tc.name, func(a *nx.Tensor) *nx.Tensor {
			q, r := QR(a, Mode(tc.mode))
			return sum2(6, q, r)
		}, a)
	}
	// A complete q of a tall matrix: its first columns directly, its others
	// through the projection onto the complement, which does not depend on
	// the basis chosen.
	for _, shape := range [][]int{{4, 2}, {2, 5, 3}} {
		a := randomMatrix(7, shape...)
		m, n := shape[len(shape)-2], shape[len(shape)-1]
		checkGrad(t, "QR complete tall"+nx.Shape(shape).String(), func(a *nx.Tensor) *nx.Tensor {
			q, r := QR(a, Mode(Complete))
			q2 := cols(q, n, m-n)
			return nx.Add(sum2(8, cols(q, 0, n), r), weighted(9, func(q2 *nx.Tensor) *nx.Tensor { return mm(q2, mT(q2)) })(q2))
		}, a)
	}
}

func TestGradLU(t *testing.T) {
	for _, shape := range [][]int{{2, 2}, {4, 4}, {3, 3, 3}} {
		checkGrad(t, "LU"+nx.Shape(shape).String(), func(a *nx.Tensor) *nx.Tensor {
			p, l, u := LU(a)
			return nx.Add(sum2(10, l, u), nx.Sum(p))
		}, randomMatrix(11, shape...))
	}
}

func TestGradTriangularSolve(t *testing.T) {
	shapes := []struct {
		a, b []int
		left bool
	}{
		{[]int{3, 3}, []int{3}, true}, {[]int{3, 3}, []int{3}, false},
		{[]int{3, 3}, []int{3, 2}, true}, {[]int{3, 3}, []int{2, 3}, false},
		{[]int{2, 3, 3}, []int{2, 3}, true}, {[]int{2, 3, 3}, []int{2, 3}, false},
		{[]int{2, 3, 3}, []int{2, 3, 2}, true}, {[]int{2, 3, 3}, []int{2, 2, 3}, false},
	}
	for _, sh := range shapes {
		for _, lower := range []bool{true, false} {
			for _, tr := range []Transform{NoTransform, Transposed, Conjugated} {
				opts := []Option{Lower(lower), LeftSide(sh.left), TransformA(tr)}
				name := fmt.Sprint("TriangularSolve", nx.Shape(sh.a), nx.Shape(sh.b), opts)
				a, b := wellConditioned(12, 3, sh.a...), randomMatrix(13, sh.b...)
				checkGrad(t, name+" ∂a", weighted(14, func(a *nx.Tensor) *nx.Tensor { return TriangularSolve(a, b, opts...) }), a)
				checkGrad(t, name+" ∂b", weighted(14, func(b *nx.Tensor) *nx.Tensor { return TriangularSolve(a, b, opts...) }), b)
			}
		}
	}
	// The triangle that is not read gets no gradient.
	g := nx.Grad(weighted(14, func(a *nx.Tensor) *nx.Tensor { return TriangularSolve(a, nx.Ones(nx.F64, 3)) }))(wellConditioned(12, 3, 3, 3))
	closeTo(t, "upper triangle", nx.Triu(g, 1).Float64s(), make([]float64, 9), 0)
}

func TestGradSolveInvertDeterminant(t *testing.T) {
	for _, tc := range []struct{ a, b []int }{{[]int{3, 3}, []int{3}}, {[]int{3, 3}, []int{3, 2}}, {[]int{2, 3, 3}, []int{2, 3}}, {[]int{2, 3, 3}, []int{2, 3, 4}}} {
		a, b := wellConditioned(15, 2, tc.a...), randomMatrix(16, tc.b...)
		name := "Solve" + nx.Shape(tc.a).String() + nx.Shape(tc.b).String()
		checkGrad(t, name+" ∂a", weighted(17, func(a *nx.Tensor) *nx.Tensor { return Solve(a, b) }), a)
		checkGrad(t, name+" ∂b", weighted(17, func(b *nx.Tensor) *nx.Tensor { return Solve(a, b) }), b)
	}
	for _, shape := range [][]int{{1, 1}, {2, 2}, {3, 3}, {5, 5}, {2, 4, 4}} {
		a := wellConditioned(18, 2, shape...)
		checkGrad(t, "Invert"+nx.Shape(shape).String(), weighted(19, Invert), a)
		checkGrad(t, "Determinant"+nx.Shape(shape).String(), weighted(20, Determinant), a)
	}
}

func TestGradSVD(t *testing.T) {
	for _, shape := range [][]int{{3, 3}, {4, 3}, {3, 5}, {2, 4, 3}, {2, 2, 4}} {
		a := randomMatrix(21, shape...)
		m, n := shape[len(shape)-2], shape[len(shape)-1]
		k := min(m, n)
		name := nx.Shape(shape).String()
		checkGrad(t, "SVD s"+name, weighted(22, func(a *nx.Tensor) *nx.Tensor { _, s, _ := SVD(a); return s }), a)
		// The singular vectors are unique up to a common sign of u[:, i] and
		// vt[i, :]: test functions that do not depend on it.
		for _, full := range []bool{false, true} {
			checkGrad(t, "SVD u, vt"+name, func(a *nx.Tensor) *nx.Tensor {
				u, s, vt := SVD(a, FullMatrices(full))
				u1, vt1 := cols(u, 0, k), rows(vt, 0, k)
				pairs := mm(nx.Multiply(u1, row(nx.Sqrt(nx.Add(s, nx.Number(1))))), vt1)
				squares := nx.Add(weighted(23, nx.Square)(u1), weighted(24, nx.Square)(vt1))
				return nx.Add(weighted(25, func(x *nx.Tensor) *nx.Tensor { return x })(pairs), squares)
			}, a)
		}
		// The completion of a full u or vt, through the projection onto it.
		if m != n {
			checkGrad(t, "SVD complement"+name, func(a *nx.Tensor) *nx.Tensor {
				u, _, vt := SVD(a)
				if m > n {
					u2 := cols(u, k, m-k)
					return weighted(26, func(x *nx.Tensor) *nx.Tensor { return mm(x, mT(x)) })(u2)
				}
				vt2 := rows(vt, k, n-k)
				return weighted(26, func(x *nx.Tensor) *nx.Tensor { return mm(mT(x), x) })(vt2)
			}, a)
		}
	}
	// The singular values alone keep exact gradients when repeated.
	g := nx.Grad(func(a *nx.Tensor) *nx.Tensor { return Norm(a, Ord(Nuclear)) })(nx.Eye(nx.F64, 3, 3))
	closeTo(t, "nuclear norm at I", g.Float64s(), identity(1, 3), 1e-12)
}

func TestGradEigh(t *testing.T) {
	for _, shape := range [][]int{{1, 1}, {3, 3}, {2, 4, 4}} {
		a := wellConditioned(27, 0, shape...)
		name := "Eigh" + nx.Shape(shape).String()
		checkGrad(t, name+" w", weighted(28, func(a *nx.Tensor) *nx.Tensor { w, _ := Eigh(a); return w }), a)
		checkGrad(t, name+" w, v", func(a *nx.Tensor) *nx.Tensor { w, v := Eigh(a); return sum2(29, w, v) }, a)
	}
	g := nx.Grad(func(a *nx.Tensor) *nx.Tensor { w, _ := Eigh(a); return nx.Sum(w) })(nx.Eye(nx.F64, 3, 3))
	closeTo(t, "trace at I", g.Float64s(), identity(1, 3), 1e-12)
}

func TestGradNorm(t *testing.T) {
	a := randomMatrix(30, 3, 4)
	for _, ord := range []NormOrder{Frobenius, Nuclear, 2, -2, 1, -1, Inf, NegInf} {
		checkGrad(t, "Norm "+ord.String(), func(a *nx.Tensor) *nx.Tensor { return Norm(a, Ord(ord)) }, a)
	}
	v := randomMatrix(31, 5)
	for _, ord := range []NormOrder{1, 2, 3, Inf} {
		checkGrad(t, "vector Norm "+ord.String(), func(v *nx.Tensor) *nx.Tensor { return Norm(v, Ord(ord)) }, v)
	}
}

func TestGradPinvLeastSquares(t *testing.T) {
	for _, shape := range [][]int{{}, {4}, {3, 3}, {4, 2}, {2, 4}, {2, 3, 2}} {
		a := randomMatrix(32, shape...)
		if len(shape) == 2 && shape[0] == shape[1] {
			a = wellConditioned(32, 2, shape...)
		}
		checkGrad(t, "Pinv"+nx.Shape(shape).String(), weighted(33, func(a *nx.Tensor) *nx.Tensor { return Pinv(a) }), a)
	}
	for _, tc := range []struct{ a, b []int }{{[]int{4, 2}, []int{4}}, {[]int{4, 3}, []int{4, 2}}, {[]int{2, 3}, []int{2}}} {
		a, b := randomMatrix(34, tc.a...), randomMatrix(35, tc.b...)
		name := "LeastSquares" + nx.Shape(tc.a).String() + nx.Shape(tc.b).String()
		checkGrad(t, name+" ∂a", weighted(36, func(a *nx.Tensor) *nx.Tensor { return LeastSquares(a, b) }), a)
		checkGrad(t, name+" ∂b", weighted(36, func(b *nx.Tensor) *nx.Tensor { return LeastSquares(a, b) }), b)
	}
}

func TestGradMatrixPower(t *testing.T) {
	for _, n := range []int{-3, -1, 0, 1, 2, 3, 6, 7} {
		for _, shape := range [][]int{{3, 3}, {2, 2, 2}} {
			a := nx.Multiply(wellConditioned(37, 1.5, shape...), nx.Scalar(0.5))
			checkGrad(t, "MatrixPower "+itoa(n)+nx.Shape(shape).String(),
				weighted(38, func(a *nx.Tensor) *nx.Tensor { return MatrixPower(a, n) }), a)
		}
	}
}

func TestGradErrors(t *testing.T) {
	c := nx.FromSlice([]complex128{4, 1i, -1i, 3}, 2, 2)
	mustPanic(t, func() {
		nx.Grad(func(a *nx.Tensor) *nx.Tensor { return nx.Real(nx.Sum(Cholesky(a))) })(c)
	}, "linalg.Cholesky(c128[2][2])", "gradients of complex tensors are not supported")
	mustPanic(t, func() {
		nx.Grad(func(a *nx.Tensor) *nx.Tensor { return nx.Real(nx.Sum(Invert(a))) })(c)
	}, "linalg.Invert", "gradients of complex tensors are not supported")
	// A singular u has no gradient: the triangular solve says so.
	mustPanic(t, func() {
		nx.Grad(func(a *nx.Tensor) *nx.Tensor { _, _, u := LU(a); return nx.Sum(u) })(mat([]float64{1, 2}, []float64{2, 4}))
	}, "can't solve for singular matrix")
}

func TestGradSecondOrderAndVmap(t *testing.T) {
	// The rules are written with nx operations and the functions of this
	// package, so gradients differentiate again.
	for name, fn := range map[string]func(*nx.Tensor) *nx.Tensor{"Determinant": Determinant, "Cholesky": Cholesky, "Invert": Invert} {
		checkGrad(t, name+" second order", func(a *nx.Tensor) *nx.Tensor {
			return nx.Sum(nx.Multiply(nx.Grad(weighted(61, fn))(a), randomMatrix(62, 3, 3)))
		}, spd(60, 3, 3))
	}
	// nx.Vmap maps the operations over a vectorized axis.
	a := spd(63, 2, 3, 3)
	closeTo(t, "Vmap(Cholesky)", nx.Vmap(Cholesky, 0)(a).Float64s(), Cholesky(a).Float64s(), 0)
}
