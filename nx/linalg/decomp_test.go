package linalg

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

func TestCholesky(t *testing.T) {
	tests := []struct {
		name  string
		a     *nx.Tensor
		dt    nx.DType
		want  []float64
		tol   float64
		shape []int
	}{
		{"nx doc 2x2", nx.FromSlice([]float32{20, 17.6, 17.6, 16}, 2, 2), nx.F32,
			[]float64{4.472136, 0, 3.9354796, 0.71554184}, 1e-6, []int{2, 2}},
		{"numpy 4x4", mat([]float64{6, 3, 4, 8}, []float64{3, 6, 5, 1}, []float64{4, 5, 10, 7}, []float64{8, 1, 7, 25}), nx.F64,
			[]float64{2.449489742783178, 0, 0, 0, 1.2247448713915892, 2.1213203435596424, 0, 0,
				1.6329931618554523, 1.414213562373095, 2.309401076758503, 0,
				3.2659863237109046, -1.4142135623730956, 1.5877132402714704, 3.1324910215354165}, 1e-14, []int{4, 4}},
		{"batch of integers", nx.FromSlice([]int32{2, 3, 3, 5, 1, 0, 0, 1}, 2, 2, 2), nx.F32,
			[]float64{1.4142135, 0, 2.1213205, 0.7071065, 1, 0, 0, 1}, 1e-6, []int{2, 2, 2}},
		{"f16", nx.AsType(mat([]float64{4, 2}, []float64{2, 5}), nx.F16), nx.F16,
			[]float64{2, 0, 1, 2}, 1e-3, []int{2, 2}},
		{"empty", nx.Zeros(nx.F32, 0, 0), nx.F32, []float64{}, 0, []int{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := Cholesky(tc.a)
			checkShape(t, "l", l, tc.dt, tc.shape...)
			closeTo(t, "l", l.Float64s(), tc.want, tc.tol)
		})
	}
}

func TestCholeskyComplex(t *testing.T) {
	a := nx.FromSlice([]complex128{4, 2 + 1i, 2 - 1i, 5}, 2, 2)
	l := Cholesky(a)
	checkShape(t, "l", l, nx.C128, 2, 2)
	closeToC(t, "l", l.Complex128s(), []complex128{2, 0, 1 - 0.5i, 1.9364916731037085}, 1e-14)
	closeToC(t, "l·lᴴ", productC(l, Adjoint(l)), a.Complex128s(), 1e-14)
	// Nx's doc example.
	l = Cholesky(nx.FromSlice([]complex64{1, -2i, 2i, 5}, 2, 2))
	checkShape(t, "l", l, nx.C64, 2, 2)
	closeToC(t, "l", l.Complex128s(), []complex128{1, 0, 2i, 1}, 1e-6)
}

func TestCholeskyReconstructs(t *testing.T) {
	r := randomMatrix(1, 3, 6, 6)
	a := nx.Add(nx.FromSlice(product(r, Adjoint(r)), 3, 6, 6), nx.Multiply(nx.Eye(nx.F64, 3, 6, 6), nx.Scalar(0.5)))
	l := Cholesky(a)
	closeTo(t, "l·lᵀ", product(l, Adjoint(l)), a.Float64s(), 1e-13)
	closeTo(t, "upper part", nx.Triu(l, 1).Float64s(), make([]float64, 3*36), 0)
}

func TestCholeskyErrors(t *testing.T) {
	mustPanic(t, func() { Cholesky(nx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)) },
		"linalg.Cholesky(f32[2][3])", "square matrix")
	mustPanic(t, func() { Cholesky(nx.FromSlice([]float32{1, 2})) }, "square matrix")
	mustPanic(t, func() { Cholesky(mat([]float64{1, 2}, []float64{2, 1})) }, "not positive definite")
	mustPanic(t, func() { Cholesky(nx.FromSlice([]float64{1, 0, 0, 1, -1, 0, 0, 1}, 2, 2, 2)) },
		"matrix at batch index 1 is not positive definite")
	mustPanic(t, func() { Cholesky(nil) }, "nil tensor")
}

func TestQR(t *testing.T) {
	a33 := mat([]float64{-3, 2, 1}, []float64{0, 1, 1}, []float64{0, 0, -1})
	tests := []struct {
		name         string
		a            *nx.Tensor
		opts         []Option
		wantQ, wantR []float64
		qShape       []int
		rShape       []int
	}{
		{"upper triangular stays", a33, nil, identity(1, 3), a33.Float64s(), []int{3, 3}, []int{3, 3}},
		{"nx doc reduced 4x3", mat([]float64{3, 2, 1}, []float64{0, 1, 1}, []float64{0, 0, 1}, []float64{0, 0, 1}),
			[]Option{Mode(Reduced)},
			[]float64{1, 0, 0, 0, 1, 0, 0, 0, math.Sqrt2 / 2, 0, 0, math.Sqrt2 / 2},
			[]float64{3, 2, 1, 0, 1, 1, 0, 0, math.Sqrt2}, []int{4, 3}, []int{3, 3}},
		{"nx doc complete 4x3", mat([]float64{3, 2, 1}, []float64{0, 1, 1}, []float64{0, 0, 1}, []float64{0, 0, 0}),
			[]Option{Mode(Complete)}, identity(1, 4),
			[]float64{3, 2, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0}, []int{4, 4}, []int{4, 3}},
		{"classic 3x3", mat([]float64{12, -51, 4}, []float64{6, 167, -68}, []float64{-4, 24, -41}), nil,
			[]float64{6. / 7, -69. / 175, 58. / 175, 3. / 7, 158. / 175, -6. / 175, -2. / 7, 6. / 35, 33. / 35},
			[]float64{14, 21, -14, 0, 175, -70, 0, 0, -35}, []int{3, 3}, []int{3, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q, r := QR(tc.a, tc.opts...)
			checkShape(t, "q", q, nx.F64, tc.qShape...)
			checkShape(t, "r", r, nx.F64, tc.rShape...)
			closeTo(t, "q", q.Float64s(), tc.wantQ, 1e-12)
			closeTo(t, "r", r.Float64s(), tc.wantR, 1e-12)
		})
	}
}

func TestQRReconstructs(t *testing.T) {
	for _, tc := range []struct {
		shape []int
		mode  QRMode
	}{
		{[]int{5, 3}, Reduced}, {[]int{5, 3}, Complete}, {[]int{3, 5}, Reduced},
		{[]int{3, 5}, Complete}, {[]int{2, 4, 4}, Reduced}, {[]int{1, 1}, Reduced},
	} {
		a := randomMatrix(7, tc.shape...)
		q, r := QR(a, Mode(tc.mode))
		closeTo(t, "q·r", product(q, r), a.Float64s(), 1e-13)
		k := q.Axis(-1)
		closeTo(t, "qᵀ·q", product(Adjoint(q), q), identity(q.Size()/(q.Axis(-2)*k), k), 1e-13)
		closeTo(t, "r lower part", nx.Tril(r, -1).Float64s(), make([]float64, r.Size()), 0)
	}
	// Integers give f32; complex matrices reconstruct too.
	q, r := QR(nx.FromSlice([]int64{1, 2, 3, 4, 5, 6}, 3, 2))
	checkShape(t, "q", q, nx.F32, 3, 2)
	checkShape(t, "r", r, nx.F32, 2, 2)
	closeTo(t, "q·r", product(q, r), []float64{1, 2, 3, 4, 5, 6}, 1e-5)
	c := nx.FromSlice([]complex128{1 + 1i, 2, 3i, 4 - 1i, 5, 6 + 2i}, 3, 2)
	q, r = QR(c, Mode(Complete))
	checkShape(t, "q", q, nx.C128, 3, 3)
	closeToC(t, "q·r", productC(q, r), c.Complex128s(), 1e-13)
	closeToC(t, "qᴴ·q", productC(Adjoint(q), q), []complex128{1, 0, 0, 0, 1, 0, 0, 0, 1}, 1e-13)
}

func TestQRErrors(t *testing.T) {
	mustPanic(t, func() { QR(nx.FromSlice([]float32{1, 2, 3, 4, 5})) }, "linalg.QR(f32[5])", "rank 2 or more")
	mustPanic(t, func() { QR(mat([]float64{1}), Mode(7)) }, "invalid mode 7")
	mustPanic(t, func() { QR(mat([]float64{1}), Lower(true)) }, "option linalg.Lower is not supported (takes: Eps, Mode)")
}

func TestLU(t *testing.T) {
	tests := []struct {
		name       string
		a          *nx.Tensor
		p, l, u    []float64
		pType, typ nx.DType
	}{
		{"nx doc singular", nx.FromSlice([]int32{1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3),
			[]float64{0, 1, 0, 0, 0, 1, 1, 0, 0},
			[]float64{1, 0, 0, 1. / 7, 1, 0, 4. / 7, 0.5, 1},
			[]float64{7, 8, 9, 0, 6. / 7, 12. / 7, 0, 0, 0}, nx.S32, nx.F32},
		{"nx doc zero column", mat([]float64{1, 0, 1}, []float64{-1, 0, -1}, []float64{1, 1, 1}),
			[]float64{1, 0, 0, 0, 0, 1, 0, 1, 0},
			[]float64{1, 0, 0, 1, 1, 0, -1, 0, 1},
			[]float64{1, 0, 1, 0, 1, 0, 0, 0, 0}, nx.F64, nx.F64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, l, u := LU(tc.a)
			checkShape(t, "p", p, tc.pType, 3, 3)
			checkShape(t, "l", l, tc.typ, 3, 3)
			checkShape(t, "u", u, tc.typ, 3, 3)
			closeTo(t, "p", p.Float64s(), tc.p, 0)
			closeTo(t, "l", l.Float64s(), tc.l, 1e-6)
			closeTo(t, "u", u.Float64s(), tc.u, 1e-6)
		})
	}
}

func TestLUReconstructs(t *testing.T) {
	a := randomMatrix(3, 2, 5, 5)
	p, l, u := LU(a)
	closeTo(t, "p·l·u", product(p, nx.FromSlice(product(l, u), 2, 5, 5)), a.Float64s(), 1e-14)
	c := nx.FromSlice([]complex64{1i, 2, 3, 4 + 1i, 5, 6i, 7, 8, 10}, 3, 3)
	p, l, u = LU(c)
	checkShape(t, "p", p, nx.C64, 3, 3)
	closeToC(t, "p·l·u", productC(p, nx.FromSlice(productC(l, u), 3, 3)), c.Complex128s(), 1e-5)
	mustPanic(t, func() { LU(nx.FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)) }, "linalg.LU(s32[2][3])", "square")
}

func TestEigh(t *testing.T) {
	tests := []struct {
		name  string
		a     *nx.Tensor
		w, v  []float64
		shape []int
	}{
		{"nx doc diagonal", nx.FromSlice([]int64{1, 0, 0, 2}, 2, 2), []float64{2, 1}, []float64{0, 1, 1, 0}, []int{2, 2}},
		{"numpy 2x2", mat([]float64{2, 5}, []float64{5, 6}),
			[]float64{9.385164807134505, -1.385164807134504},
			[]float64{0.5606288093051838, 0.8280672304692729, 0.8280672304692729, -0.5606288093051838}, []int{2, 2}},
		{"batch", nx.FromSlice([]float64{2, 5, 5, 6, 1, 0, 0, 4}, 2, 2, 2),
			[]float64{9.385164807134505, -1.385164807134504, 4, 1},
			[]float64{0.5606288093051838, 0.8280672304692729, 0.8280672304692729, -0.5606288093051838, 0, 1, 1, 0}, []int{2, 2, 2}},
		{"1x1", mat([]float64{-3}), []float64{-3}, []float64{1}, []int{1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, v := Eigh(tc.a)
			dt := nx.FloatOf(tc.a.DType())
			checkShape(t, "w", w, dt, tc.shape[:len(tc.shape)-1]...)
			checkShape(t, "v", v, dt, tc.shape...)
			closeTo(t, "w", w.Float64s(), tc.w, 1e-6)
			closeTo(t, "v", v.Float64s(), tc.v, 1e-6)
		})
	}
}

func TestEighReconstructs(t *testing.T) {
	r := randomMatrix(11, 3, 7, 7)
	a := nx.Add(r, Adjoint(r))
	w, v := Eigh(a)
	// a·v = v·diag(w), vᵀ·v = I.
	closeTo(t, "a·v", product(a, v), nx.Multiply(v, nx.NewAxis(w, -2)).Float64s(), 1e-12)
	closeTo(t, "vᵀ·v", product(Adjoint(v), v), identity(3, 7), 1e-12)
	ws := w.Float64s()
	for i := 1; i < len(ws); i++ {
		if i%7 != 0 && math.Abs(ws[i]) > math.Abs(ws[i-1]) {
			t.Fatalf("eigenvalues %v are not sorted by decreasing magnitude", ws)
		}
	}
	// Repeated eigenvalues (Nx's doc example: 5, -1, -1).
	a = nx.FromSlice([]int32{0, 1, 2, 1, 0, 2, 2, 2, 3}, 3, 3)
	w, v = Eigh(a)
	closeTo(t, "w", w.Float64s(), []float64{5, -1, -1}, 1e-12)
	closeTo(t, "first vector", nx.Slice(nx.Transpose(v), []int{0, 0}, []int{1, 3}).Float64s(),
		[]float64{0.40824828, 0.40824834, 0.81649655}, 1e-6)
	closeTo(t, "a·v", product(a, v), nx.Multiply(v, w).Float64s(), 1e-6)
}

func TestEighComplex(t *testing.T) {
	a := nx.FromSlice([]complex128{2, 1 - 1i, 0, 1 + 1i, 3, 1i, 0, -1i, 1}, 3, 3)
	w, v := Eigh(a)
	checkShape(t, "w", w, nx.F64, 3)
	checkShape(t, "v", v, nx.C128, 3, 3)
	closeTo(t, "w", w.Float64s(), []float64{4.214319743377535, 1.4608111271891109, 0.32486912943335366}, 1e-13)
	closeToC(t, "a·v", productC(a, v), nx.Multiply(v, nx.AsType(w, nx.C128)).Complex128s(), 1e-13)
	closeToC(t, "vᴴ·v", productC(Adjoint(v), v), []complex128{1, 0, 0, 0, 1, 0, 0, 0, 1}, 1e-13)
	mustPanic(t, func() { Eigh(nx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)) }, "linalg.Eigh(f32[2][3])", "square")
}

func TestSVD(t *testing.T) {
	tests := []struct {
		name      string
		a         *nx.Tensor
		opts      []Option
		u, s, vt  []float64
		uS, vtS   []int
		tolerance float64
	}{
		{"nx doc diagonal", nx.FromSlice([]int32{1, 0, 0, 0, 1, 0, 0, 0, -1}, 3, 3), nil,
			[]float64{1, 0, 0, 0, 1, 0, 0, 0, -1}, []float64{1, 1, 1}, identity(1, 3), []int{3, 3}, []int{3, 3}, 1e-7},
		{"nx doc tall full", nx.FromSlice([]int32{2, 0, 0, 0, 3, 0, 0, 0, -1, 0, 0, 0}, 4, 3), nil,
			[]float64{0, 1, 0, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1}, []float64{3, 2, 1},
			[]float64{0, 1, 0, 1, 0, 0, 0, 0, 1}, []int{4, 4}, []int{3, 3}, 1e-7},
		{"nx doc tall reduced", nx.FromSlice([]int32{2, 0, 0, 0, 3, 0, 0, 0, -1, 0, 0, 0}, 4, 3), []Option{FullMatrices(false)},
			[]float64{0, 1, 0, 1, 0, 0, 0, 0, -1, 0, 0, 0}, []float64{3, 2, 1},
			[]float64{0, 1, 0, 1, 0, 0, 0, 0, 1}, []int{4, 3}, []int{3, 3}, 1e-7},
		{"zeros", nx.Zeros(nx.F64, 2, 3), nil, identity(1, 2), []float64{0, 0}, identity(1, 3), []int{2, 2}, []int{3, 3}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, s, vt := SVD(tc.a, tc.opts...)
			dt := nx.FloatOf(tc.a.DType())
			checkShape(t, "u", u, dt, tc.uS...)
			checkShape(t, "vt", vt, dt, tc.vtS...)
			closeTo(t, "u", u.Float64s(), tc.u, tc.tolerance)
			closeTo(t, "s", s.Float64s(), tc.s, tc.tolerance)
			closeTo(t, "vt", vt.Float64s(), tc.vt, tc.tolerance)
		})
	}
}

func TestSVDReconstructs(t *testing.T) {
	for _, tc := range []struct {
		shape []int
		full  bool
	}{
		{[]int{6, 4}, true}, {[]int{6, 4}, false}, {[]int{4, 6}, true}, {[]int{4, 6}, false},
		{[]int{2, 5, 5}, true}, {[]int{3, 1}, true},
	} {
		a := randomMatrix(5, tc.shape...)
		u, s, vt := SVD(a, FullMatrices(tc.full))
		k := s.Axis(-1)
		us := nx.Slice(u, make([]int, u.Rank()), withShape(u.Shape(), u.Axis(-2), k))
		vts := nx.Slice(vt, make([]int, vt.Rank()), withShape(vt.Shape(), k, vt.Axis(-1)))
		closeTo(t, "u·s·vt", product(nx.Multiply(us, nx.NewAxis(s, -2)), vts), a.Float64s(), 1e-13)
		batch := a.Size() / (a.Axis(-1) * a.Axis(-2))
		closeTo(t, "uᵀ·u", product(Adjoint(u), u), identity(batch, u.Axis(-1)), 1e-13)
		closeTo(t, "vt·vtᵀ", product(vt, Adjoint(vt)), identity(batch, vt.Axis(-2)), 1e-13)
	}
	// Known singular values (NumPy), and a rank-deficient matrix.
	_, s, _ := SVD(mat([]float64{1, 2}, []float64{3, 4}, []float64{5, 6}))
	closeTo(t, "s", s.Float64s(), []float64{9.525518091565107, 0.5143005806586443}, 1e-14)
	a := mat([]float64{1, 2, 3}, []float64{2, 4, 6}, []float64{1, 1, 1})
	u, s, vt := SVD(a)
	closeTo(t, "u·s·vt", product(nx.Multiply(u, s), vt), a.Float64s(), 1e-13)
	closeTo(t, "uᵀ·u", product(Adjoint(u), u), identity(1, 3), 1e-13)
	if s.Float64s()[2] > 1e-14 {
		t.Fatalf("s = %v: want a zero singular value", s.Float64s())
	}
}

func TestSVDErrors(t *testing.T) {
	mustPanic(t, func() { SVD(nx.FromSlice([]float32{1, 2})) }, "linalg.SVD(f32[2])", "rank 2")
	mustPanic(t, func() { SVD(nx.FromSlice([]complex64{1, 2, 3, 4}, 2, 2)) }, "complex tensors are not supported")
	mustPanic(t, func() { SVD(mat([]float64{1}), Mode(Complete)) }, "option linalg.Mode is not supported")
}
