package linalg

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

func TestTriangularSolve(t *testing.T) {
	lower3 := nx.FromSlice([]int64{1, 0, 0, 1, 1, 0, 1, 2, 1}, 3, 3)
	tests := []struct {
		name  string
		a, b  *nx.Tensor
		opts  []Option
		want  []float64
		dt    nx.DType
		shape []int
	}{
		{"vector", nx.FromSlice([]int64{3, 0, 0, 0, 2, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1}, 4, 4), nx.FromSlice([]int64{4, 2, 4, 2}), nil,
			[]float64{4. / 3, -2. / 3, 8. / 3, -4. / 3}, nx.F32, []int{4}},
		{"f64 vector", mat([]float64{1, 0, 0}, []float64{1, 1, 0}, []float64{1, 1, 1}), nx.FromSlice([]int64{1, 2, 1}), nil,
			[]float64{1, 1, -1}, nx.F64, []int{3}},
		{"matrix", nx.FromSlice([]int64{1, 0, 0, 1, 1, 0, 0, 1, 1}, 3, 3), nx.FromSlice([]int64{1, 2, 3, 2, 2, 4, 2, 0, 1}, 3, 3), nil,
			[]float64{1, 2, 3, 1, 0, 1, 1, 0, 0}, nx.F32, []int{3, 3}},
		{"upper", nx.FromSlice([]int64{1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 2, 0, 0, 0, 3}, 4, 4), nx.FromSlice([]int64{2, 4, 2, 4}),
			[]Option{Lower(false)}, []float64{-4. / 3, 8. / 3, -2. / 3, 4. / 3}, nx.F32, []int{4}},
		{"right side", lower3, nx.FromSlice([]int64{0, 2, 1, 1, 1, 0, 3, 3, 1}, 3, 3), []Option{LeftSide(false)},
			[]float64{-1, 0, 1, 0, 1, 0, 1, 1, 1}, nx.F32, []int{3, 3}},
		{"right side rows", lower3, nx.FromSlice([]int64{0, 1, 3, 2, 1, 3}, 2, 3), []Option{LeftSide(false)},
			[]float64{2, -5, 3, 4, -5, 3}, nx.F32, []int{2, 3}},
		{"left side columns", lower3, nx.FromSlice([]int64{0, 2, 3, 0, 0, 0}, 3, 2), []Option{LeftSide(true)},
			[]float64{0, 2, 3, -2, -6, 2}, nx.F32, []int{3, 2}},
		{"transposed upper", mat([]float64{1, 1, 1}, []float64{0, 1, 1}, []float64{0, 0, 1}), nx.FromSlice([]int64{1, 2, 1}),
			[]Option{TransformA(Transposed), Lower(false)}, []float64{1, 1, -1}, nx.F64, []int{3}},
		{"conjugated real", mat([]float64{1, 0, 0}, []float64{1, 1, 0}, []float64{1, 1, 1}), nx.FromSlice([]int64{1, 2, 1}),
			[]Option{TransformA(Conjugated)}, []float64{1, 1, -1}, nx.F64, []int{3}},
		{"batch of vectors", nx.FromSlice([]int64{1, 0, 2, 3, 4, 0, 5, 6}, 2, 2, 2), nx.FromSlice([]int64{2, -1, 3, 7}, 2, 2), nil,
			[]float64{2, -5. / 3, 0.75, 0.5416667}, nx.F32, []int{2, 2}},
		{"transposed right side", lower3, nx.FromSlice([]float64{1, 2, 3}), []Option{LeftSide(false), TransformA(Transposed)},
			// x·aᵀ = b ⇔ a·xᵀ = bᵀ.
			[]float64{1, 1, 0}, nx.F64, []int{3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := TriangularSolve(tc.a, tc.b, tc.opts...)
			checkShape(t, "x", x, tc.dt, tc.shape...)
			closeTo(t, "x", x.Float64s(), tc.want, 1e-6)
		})
	}
}

func TestTriangularSolveComplex(t *testing.T) {
	a := nx.FromSlice([]complex64{1, 0, 0, 1, 1i, 0, 1i, 1, 1}, 3, 3)
	x := TriangularSolve(a, nx.FromSlice([]complex64{1, -1, 3 + 3i}))
	checkShape(t, "x", x, nx.C64, 3)
	closeToC(t, "x", x.Complex128s(), []complex128{1, 2i, 3}, 1e-6)
	// conj(a)·x = b.
	x = TriangularSolve(a, nx.FromSlice([]complex64{1, -1, 3 + 3i}), TransformA(Conjugated))
	closeToC(t, "conj(a)·x", productC(nx.Conjugate(a), nx.Reshape(x, 3, 1)), []complex128{1, -1, 3 + 3i}, 1e-6)
}

func TestTriangularSolveErrors(t *testing.T) {
	mustPanic(t, func() {
		TriangularSolve(nx.FromSlice([]int64{3, 0, 0, 0, 2, 1, 0, 0}, 2, 4), nx.FromSlice([]int64{4, 2, 4, 2}))
	}, "linalg.TriangularSolve(s64[2][4], s64[4])", "square matrix")
	mustPanic(t, func() { TriangularSolve(nx.Eye(nx.F32, 4), nx.FromSlice([]int64{4})) },
		"incompatible dimensions", "[4] or [4][k]")
	mustPanic(t, func() { TriangularSolve(nx.Eye(nx.F32, 2, 3, 3), nx.Ones(nx.F32, 3, 3)) },
		"incompatible dimensions", "[2][3] or [2][3][k]")
	mustPanic(t, func() {
		TriangularSolve(nx.FromSlice([]int64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, 4, 4), nx.FromSlice([]int64{4, 2, 4, 2}))
	}, "can't solve for singular matrix")
	mustPanic(t, func() { TriangularSolve(nx.Eye(nx.F32, 2), nx.Ones(nx.F32, 2), TransformA(9)) }, "invalid TransformA 9")
	mustPanic(t, func() { TriangularSolve(nx.Eye(nx.F32, 2), nx.Ones(nx.F32, 2), Eps(1)) }, "option linalg.Eps is not supported")
}

func TestSolve(t *testing.T) {
	tests := []struct {
		name  string
		a, b  *nx.Tensor
		want  []float64
		dt    nx.DType
		shape []int
	}{
		{"vector", nx.FromSlice([]int64{1, 3, 2, 1, 2, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1}, 4, 4), nx.FromSlice([]int64{-3, 0, 4, -2}),
			[]float64{1, -2, 3, -4}, nx.F32, []int{4}},
		{"f64", mat([]float64{1, 0, 1}, []float64{1, 1, 0}, []float64{1, 1, 1}), nx.FromSlice([]int64{0, 2, 1}),
			[]float64{1, 1, -1}, nx.F64, []int{3}},
		{"matrix", nx.FromSlice([]int64{1, 0, 1, 1, 1, 0, 0, 1, 1}, 3, 3), nx.FromSlice([]int64{2, 2, 3, 2, 2, 4, 2, 0, 1}, 3, 3),
			[]float64{1, 2, 3, 1, 0, 1, 1, 0, 0}, nx.F32, []int{3, 3}},
		{"batch", nx.FromSlice([]int64{14, 10, 9, 9, 4, 11, 2, 3}, 2, 2, 2), nx.FromSlice([]int64{2, 4, 3, 2, 1, 5, -3, -1}, 2, 2, 2),
			[]float64{-1. / 3, 4. / 9, 2. / 3, -2. / 9, -3.6, -2.6, 1.4, 1.4}, nx.F32, []int{2, 2, 2}},
		{"batch of vectors", nx.FromSlice([]float64{2, 0, 0, 4, 1, 1, 0, 1}, 2, 2, 2), nx.FromSlice([]float64{2, 4, 3, 1}, 2, 2),
			[]float64{1, 1, 2, 1}, nx.F64, []int{2, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := Solve(tc.a, tc.b)
			checkShape(t, "x", x, tc.dt, tc.shape...)
			closeTo(t, "x", x.Float64s(), tc.want, 1e-6)
		})
	}
	// Random systems are solved to rounding error.
	a, b := randomMatrix(21, 3, 8, 8), randomMatrix(22, 3, 8, 2)
	closeTo(t, "a·x", product(a, Solve(a, b)), b.Float64s(), 1e-12)
	c := nx.FromSlice([]complex128{1i, 2, 3, 4 - 1i}, 2, 2)
	x := Solve(c, nx.FromSlice([]float32{1, 2}))
	checkShape(t, "x", x, nx.C128, 2)
	closeToC(t, "c·x", productC(c, nx.Reshape(x, 2, 1)), []complex128{1, 2}, 1e-14)
}

func TestSolveErrors(t *testing.T) {
	mustPanic(t, func() { Solve(nx.Eye(nx.S64, 2), nx.FromSlice([]int64{4, 2, 4, 2})) },
		"linalg.Solve(s64[2][2], s64[4])", "incompatible dimensions", "[2] or [2][k]")
	mustPanic(t, func() { Solve(nx.Zeros(nx.S64, 3, 4), nx.FromSlice([]int64{4})) }, "square matrix")
	mustPanic(t, func() { Solve(nx.Ones(nx.F32, 2, 2), nx.Ones(nx.F32, 2)) }, "can't solve for singular matrix")
	mustPanic(t, func() { Solve(nx.FromSlice([]float32{1, 0, 0, 1, 1, 1, 1, 1}, 2, 2, 2), nx.Ones(nx.F32, 2, 2)) },
		"singular matrix at batch index 1")
}

func TestInvert(t *testing.T) {
	a := nx.FromSlice([]int64{1, 2, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1}, 4, 4)
	inv := Invert(a)
	checkShape(t, "inv", inv, nx.F32, 4, 4)
	closeTo(t, "inv", inv.Float64s(), []float64{1, -2, -1, 2, 0, 1, 0, -1, 0, 0, 1, -1, 0, 0, 0, 1}, 1e-6)
	d := mat([]float64{1, -2, 3, 0, 5}, []float64{2, 1, 0, 4, -1}, []float64{0, 3, 1, -2, 2}, []float64{4, 0, -1, 1, 3}, []float64{1, 1, 1, 1, 1})
	closeTo(t, "numpy", Invert(d).Float64s()[:5],
		[]float64{-0.8596491228070162, -1.842105263157892, -1.3859649122806996, 0.31578947368421034, 4.280701754385959}, 1e-13)
	b := randomMatrix(31, 2, 6, 6)
	closeTo(t, "a·a⁻¹", product(b, Invert(b)), identity(2, 6), 1e-12)
	// Singular matrices give NaN, as in Nx.
	nan := Invert(nx.FromSlice([]float64{0, 0, 0, 0, 1, 2, 2, 4, 1, 0, 0, 1}, 3, 2, 2)).Float64s()
	closeTo(t, "singular", nan, []float64{math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), math.NaN(), 1, 0, 0, 1}, 0)
	c := nx.FromSlice([]complex64{1i, 2, 3, 4}, 2, 2)
	closeToC(t, "complex", productC(c, Invert(c)), []complex128{1, 0, 0, 1}, 1e-6)
	mustPanic(t, func() { Invert(nx.Zeros(nx.S64, 2, 4)) }, "linalg.Invert(s64[2][4])", "square matrix")
}

func TestDeterminant(t *testing.T) {
	tests := []struct {
		name  string
		a     *nx.Tensor
		want  []float64
		dt    nx.DType
		shape []int
	}{
		{"2x2", nx.FromSlice([]int64{1, 2, 3, 4}, 2, 2), []float64{-2}, nx.F32, nil},
		{"3x3", mat([]float64{1, 2, 3}, []float64{1, -2, 3}, []float64{7, 8, 9}), []float64{48}, nx.F64, nil},
		{"dependent", mat([]float64{1, 2, 3}, []float64{-1, -2, -3}, []float64{4, 5, 6}), []float64{0}, nx.F64, nil},
		{"4x4", nx.FromSlice([]float32{1, 0, 0, 0, 0, 1, 2, 3, 0, 1, -2, 3, 0, 7, 8, 9}, 4, 4), []float64{48}, nx.F32, nil},
		{"5x5 permutation", nx.FromSlice([]float64{0, 0, 0, 0, -1, 0, 1, 2, 3, 0, 0, 1, -2, 3, 0, 0, 7, 8, 9, 0, 1, 0, 0, 0, 0}, 5, 5),
			[]float64{48}, nx.F64, nil},
		{"batch", nx.FromSlice([]int64{2, 4, 6, 7, 5, 1, 8, 8, 1, 7, 3, 1, 3, 9, 2, 4, 2, 5, 1, 3, 4, 1, 7, 9, 6, 8, 3, 2, 7, 8, 1, 4}, 2, 4, 4),
			[]float64{630, 630}, nx.F32, []int{2}},
		{"numpy 5x5", mat([]float64{1, -2, 3, 0, 5}, []float64{2, 1, 0, 4, -1}, []float64{0, 3, 1, -2, 2}, []float64{4, 0, -1, 1, 3}, []float64{1, 1, 1, 1, 1}),
			[]float64{57}, nx.F64, nil},
		{"1x1", nx.FromSlice([]float64{-3}, 1, 1), []float64{-3}, nx.F64, nil},
		{"empty", nx.Zeros(nx.F64, 0, 0), []float64{1}, nx.F64, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Determinant(tc.a)
			checkShape(t, "det", d, tc.dt, tc.shape...)
			closeTo(t, "det", d.Float64s(), tc.want, 1e-12)
		})
	}
	c := Determinant(nx.FromSlice([]complex64{0, 0, 0, 1, 0, 2i, 0, 0, 0, 0, 3, 0, 1, 0, 0, 0}, 4, 4))
	checkShape(t, "complex", c, nx.C64)
	closeToC(t, "complex", c.Complex128s(), []complex128{-6i}, 1e-6)
	c = Determinant(nx.FromSlice([]complex128{1, 2i, 0, 1, 0, 1 + 1i, 3, 0, 2, 0, 1, 1i, 1, 1, 1, 1}, 4, 4))
	closeToC(t, "numpy complex", c.Complex128s(), []complex128{3 + 16i}, 1e-13)
	mustPanic(t, func() { Determinant(nx.Zeros(nx.F32, 2, 3)) }, "linalg.Determinant(f32[2][3])", "square")
}

func TestPinv(t *testing.T) {
	tests := []struct {
		name  string
		a     *nx.Tensor
		want  []float64
		shape []int
	}{
		{"scalar", nx.Scalar(int64(2)), []float64{0.5}, nil},
		{"zero scalar", nx.Scalar(int64(0)), []float64{0}, nil},
		{"vector", nx.FromSlice([]int64{0, 1, 2}), []float64{0, 0.2, 0.4}, []int{3}},
		{"zero vector", nx.FromSlice([]int64{0, 0, 0}), []float64{0, 0, 0}, []int{3}},
		{"square", nx.FromSlice([]int64{1, 1, 3, 4}, 2, 2), []float64{4, -1, -3, 1}, []int{2, 2}},
		{"tall", nx.FromSlice([]float32{0.5, 0, 0, 1, 0.5, 0}, 3, 2), []float64{1, 0, 1, 0, 1, 0}, []int{2, 3}},
		{"zero matrix", nx.Zeros(nx.F32, 2, 3), make([]float64, 6), []int{3, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Pinv(tc.a)
			checkShape(t, "pinv", p, nx.FloatOf(tc.a.DType()), tc.shape...)
			closeTo(t, "pinv", p.Float64s(), tc.want, 1e-6)
		})
	}
	// Moore–Penrose conditions on a rank-deficient batch: a·p·a = a, p·a·p = p.
	r := randomMatrix(41, 2, 5, 3)
	a := nx.FromSlice(product(r, Adjoint(r)), 2, 5, 5) // rank 3
	p := Pinv(a)
	closeTo(t, "a·p·a", product(nx.FromSlice(product(a, p), 2, 5, 5), a), a.Float64s(), 1e-11)
	closeTo(t, "p·a·p", product(nx.FromSlice(product(p, a), 2, 5, 5), p), p.Float64s(), 1e-11)
	cv := Pinv(nx.FromSlice([]complex128{1i, 1}))
	closeToC(t, "complex vector", cv.Complex128s(), []complex128{-0.5i, 0.5}, 1e-15)
	mustPanic(t, func() { Pinv(nx.Zeros(nx.C64, 2, 2)) }, "linalg.Pinv(c64[2][2])", "complex")
}

func TestMatrixRankAndLeastSquares(t *testing.T) {
	for _, tc := range []struct {
		a    *nx.Tensor
		want uint64
	}{
		{nx.FromSlice([]int64{1, 2, 3, 4}, 2, 2), 2},
		{nx.FromSlice([]int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4}, 3, 4), 2},
		{nx.FromSlice([]int64{1, 1, 1, 2, 2, 2, 8, 9, 10, -2, 1, 5}, 4, 3), 3},
		{nx.Zeros(nx.F32, 3, 3), 0},
	} {
		r := MatrixRank(tc.a)
		checkShape(t, "rank", r, nx.U32)
		if got := r.Uint64s()[0]; got != tc.want {
			t.Fatalf("MatrixRank(%v) = %d, want %d", tc.a, got, tc.want)
		}
	}
	x := LeastSquares(nx.FromSlice([]int64{0, 1, 1, 1, 2, 1, 3, 1}, 4, 2), nx.FromSlice([]float32{-1, 0.2, 0.9, 2.1}))
	checkShape(t, "x", x, nx.F32, 2)
	closeTo(t, "x", x.Float64s(), []float64{1, -0.95}, 1e-6)
	x = LeastSquares(nx.FromSlice([]int64{1, 2, 3, 4, 5, 6}, 2, 3), nx.FromSlice([]int64{1, 2}))
	closeTo(t, "underdetermined", x.Float64s(), []float64{-0.055555582, 0.111111075, 0.27777776}, 1e-6)
	mustPanic(t, func() { LeastSquares(nx.FromSlice([]int64{1, 2, 3}), nx.FromSlice([]int64{1, 2})) },
		"linalg.LeastSquares(s64[3], s64[2])", "rank 2")
	mustPanic(t, func() { LeastSquares(nx.Eye(nx.F32, 2), nx.FromSlice([]int64{1, 2, 3})) }, "want b of shape [2] or [2][k]")
	mustPanic(t, func() { MatrixRank(nx.FromSlice([]int64{1, 2, 3})) }, "linalg.MatrixRank(s64[3])")
}

func TestMatrixPower(t *testing.T) {
	a := nx.FromSlice([]int64{1, 2, 3, 4}, 2, 2)
	iota := nx.Reshape(nx.Iota(nx.Shape{8}), 2, 2, 2)
	tests := []struct {
		name  string
		a     *nx.Tensor
		n     int
		want  []float64
		dt    nx.DType
		shape []int
	}{
		{"zero", a, 0, identity(1, 2), nx.S64, []int{2, 2}},
		{"one", a, 1, []float64{1, 2, 3, 4}, nx.S64, []int{2, 2}},
		{"six", a, 6, []float64{5743, 8370, 12555, 18298}, nx.S64, []int{2, 2}},
		{"inverse", a, -1, []float64{-2, 1, 1.5, -0.5}, nx.F32, []int{2, 2}},
		{"eye", nx.Eye(nx.F32, 3), 65535, identity(1, 3), nx.F32, []int{3, 3}},
		{"batch", iota, 3, []float64{6, 11, 22, 39, 514, 615, 738, 883}, nx.S64, []int{2, 2, 2}},
		{"batch negative", nx.AsType(iota, nx.F64), -3, []float64{-4.875, 1.375, 2.75, -0.75, -110.375, 76.875, 92.25, -64.25}, nx.F64, []int{2, 2, 2}},
		{"wrapping u8", nx.FromSlice([]uint8{2, 0, 0, 3}, 2, 2), 8, []float64{0, 0, 0, 161}, nx.U8, []int{2, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := MatrixPower(tc.a, tc.n)
			checkShape(t, "power", p, tc.dt, tc.shape...)
			closeTo(t, "power", p.Float64s(), tc.want, 1e-6)
		})
	}
	c := MatrixPower(nx.FromSlice([]complex64{0, 1i, 1i, 0}, 2, 2), 2)
	closeToC(t, "complex", c.Complex128s(), []complex128{-1, 0, 0, -1}, 0)
	mustPanic(t, func() { MatrixPower(nx.FromSlice([]int64{1, 2, 3, 4, 5, 6}, 3, 2), 1) }, "linalg.MatrixPower(s64[3][2])", "square")
}

func TestAdjoint(t *testing.T) {
	a := Adjoint(nx.FromSlice([]int64{1, 2, 3, 4}, 2, 2))
	checkShape(t, "real", a, nx.S64, 2, 2)
	closeTo(t, "real", a.Float64s(), []float64{1, 3, 2, 4}, 0)
	c := Adjoint(nx.FromSlice([]complex64{1, 2i, 3, -4i}, 2, 2))
	closeToC(t, "complex", c.Complex128s(), []complex128{1, 3, -2i, 4i}, 0)
	b := Adjoint(nx.Reshape(nx.Iota(nx.Shape{12}), 2, 3, 2))
	checkShape(t, "batch", b, nx.S64, 2, 2, 3)
	closeTo(t, "batch", b.Float64s(), []float64{0, 2, 4, 1, 3, 5, 6, 8, 10, 7, 9, 11}, 0)
}
