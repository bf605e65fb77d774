package nx

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// ctrVals returns n small integers (i·mul mod m) - off, exact in every float type.
func ctrVals(n, mul, m, off int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64((i*mul)%m - off)
	}
	return v
}

// ctrTensor returns a tensor of type dt and shape from float64 values.
func ctrTensor(dt DType, vals []float64, shape ...int) *Tensor {
	return AsType(FromSlice(vals, shape...), dt)
}

// ctrWant checks got's type and shape, and its values against want within tol
// (relative to the largest magnitude of want, at least 1).
func ctrWant(t *testing.T, name string, got *Tensor, dt DType, shape []int, want []float64, tol float64) {
	t.Helper()
	if got.DType() != dt || !got.shape.Equal(shape) {
		t.Fatalf("%s: got %s%v, want %s%v", name, got.DType(), []int(got.shape), dt, shape)
	}
	g := got.Float64s()
	if len(g) != len(want) {
		t.Fatalf("%s: got %d values, want %d", name, len(g), len(want))
	}
	scale := 1.0
	for _, w := range want {
		if !math.IsInf(w, 0) {
			scale = max(scale, math.Abs(w))
		}
	}
	for i, w := range want {
		if g[i] == w || (math.IsNaN(w) && math.IsNaN(g[i])) {
			continue
		}
		if math.IsInf(w, 0) || math.Abs(g[i]-w) > tol*scale {
			t.Fatalf("%s: element %d is %v, want %v\ngot:  %v\nwant: %v", name, i, g[i], w, g, want)
		}
	}
}

// ctrPanics checks that fn panics with an *Error naming op and containing parts.
func ctrPanics(t *testing.T, name string, fn func(), op string, parts ...string) {
	t.Helper()
	err := Try(fn)
	if err == nil {
		t.Fatalf("%s: no panic, want an error containing %q", name, parts)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, op+"(") {
		t.Fatalf("%s: error %q does not name %s", name, msg, op)
	}
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Fatalf("%s: error %q does not contain %q", name, msg, p)
		}
	}
}

func TestDotKnownValues(t *testing.T) {
	s := func(v ...int64) []int64 { return v }
	m23 := FromSlice(s(1, 2, 3, 4, 5, 6), 2, 3)
	m32 := FromSlice(s(7, 8, 9, 10, 11, 12), 3, 2)
	x := FromSlice(s(1, 2, 3, 4), 2, 2)
	y := FromSlice(s(10, 20, 30, 40), 2, 2)
	tests := []struct {
		name  string
		got   *Tensor
		dt    DType
		shape []int
		want  []float64
	}{
		// Nx.dot/2 documentation.
		{"scalars", Dot(Scalar(int64(5)), Scalar(int64(5))), S64, nil, []float64{25}},
		{"float scalars", Dot(Scalar(-2.0), Scalar(5.0)), F64, nil, []float64{-10}},
		{"mixed scalars", Dot(Scalar(int32(2)), Scalar(float32(2))), F32, nil, []float64{4}},
		{"scalar tensor", Dot(Scalar(int64(2)), m23), S64, []int{2, 3}, []float64{2, 4, 6, 8, 10, 12}},
		{"vectors", Dot(FromSlice(s(1, 2, 3)), FromSlice(s(4, 5, 6))), S64, nil, []float64{32}},
		{"float vectors", Dot(FromSlice([]float32{2, 4, 3, 5}), FromSlice([]float32{1, 2, 3, 4})), F32, nil, []float64{39}},
		{"mixed vectors", Dot(FromSlice([]float32{1, 2, 3}), FromSlice(s(1, 2, 3))), F32, nil, []float64{14}},
		{"matrices", Dot(m23, m32), S64, []int{2, 2}, []float64{58, 64, 139, 154}},
		{"float matrices", Dot(FromSlice([]float32{10, 13, 14, 15, 59, 20, 10, 30}, 2, 4), FromSlice([]float32{2, 4, 5, 1, 6, 8, 9, 10}, 4, 2)),
			F32, []int{2, 2}, []float64{304, 315, 548, 636}},
		{"tensor vector", Dot(FromSlice(s(1, 2, 3, 4, 5, 6, 7, 8), 2, 2, 2), FromSlice(s(5, 10))), S64, []int{2, 2}, []float64{25, 55, 85, 115}},
		{"vector matrix", Dot(FromSlice(s(5, 10)), FromSlice(s(1, 2, 3, 4, 5, 6), 2, 3)), S64, []int{3}, []float64{45, 60, 75}},
		{"5-d vector", Dot(FromSlice([]float32{1, 2, 3, 4, 5, 6, 7, 8}, 1, 1, 2, 2, 2), FromSlice([]float32{2, 2})), F32, []int{1, 1, 2, 2}, []float64{6, 14, 22, 30}},
		{"3-d 3-d", Dot(FromSlice(s(1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9), 2, 3, 3), FromSlice(s(1, 2, 3, 3, 4, 5, 5, 6, 7), 1, 3, 3)),
			S64, []int{2, 3, 1, 3}, []float64{22, 28, 34, 49, 64, 79, 76, 100, 124, 22, 28, 34, 49, 64, 79, 76, 100, 124}},
		// Nx.dot/4 and Nx.dot/6 documentation.
		{"contract 0 0", DotGeneral(x, []int{0}, nil, y, []int{0}, nil), S64, []int{2, 2}, []float64{100, 140, 140, 200}},
		{"contract 0 1", DotGeneral(x, []int{0}, nil, y, []int{1}, nil), S64, []int{2, 2}, []float64{70, 150, 100, 220}},
		{"contract 1 0", DotGeneral(x, []int{1}, nil, y, []int{0}, nil), S64, []int{2, 2}, []float64{70, 100, 150, 220}},
		{"contract 1 1", DotGeneral(x, []int{1}, nil, y, []int{1}, nil), S64, []int{2, 2}, []float64{50, 110, 110, 250}},
		{"contract all", DotGeneral(x, []int{0, 1}, nil, y, []int{0, 1}, nil), S64, nil, []float64{300}},
		{"contract crossed", DotGeneral(FromSlice([]float32{0, 1, 2, 3, 4, 5}, 2, 3), []int{0, 1}, nil, FromSlice([]float32{0, 1, 2, 3, 4, 5}, 3, 2), []int{1, 0}, nil),
			F32, nil, []float64{50}},
		{"negative axes", DotGeneral(x, []int{-1}, nil, y, []int{-2}, nil), S64, []int{2, 2}, []float64{70, 100, 150, 220}},
		{"outer by dot", DotGeneral(x, nil, nil, y, nil, nil), S64, []int{2, 2, 2, 2},
			[]float64{10, 20, 30, 40, 20, 40, 60, 80, 30, 60, 90, 120, 40, 80, 120, 160}},
		{"batched 1x1", DotGeneral(FromSlice(s(1, 2), 2, 1, 1), []int{2}, []int{0}, FromSlice(s(3, 4), 2, 1, 1), []int{2}, []int{0}), S64, []int{2, 1, 1}, []float64{3, 8}},
		{"batched", DotGeneral(FromSlice(s(1, 1, 2, 2), 2, 1, 2), []int{2}, []int{0}, FromSlice(s(3, 3, 4, 4), 2, 2, 1), []int{1}, []int{0}), S64, []int{2, 1, 1}, []float64{6, 16}},
		// Nx.outer documentation.
		{"outer number", Outer(FromSlice(s(1, 2, 3)), Number(100)), S64, []int{3, 1}, []float64{100, 200, 300}},
		{"outer", Outer(FromSlice(s(1, 2, 3)), FromSlice(s(10, 20))), S64, []int{3, 2}, []float64{10, 20, 20, 40, 30, 60}},
		{"outer matrix", Outer(x, FromSlice(s(10, 20, 30))), S64, []int{4, 3}, []float64{10, 20, 30, 20, 40, 60, 30, 60, 90, 40, 80, 120}},
		{"outer u8 number", Outer(FromSlice([]uint8{1, 2}), Number(200)), U8, []int{2, 1}, []float64{200, 144}},
	}
	for _, tc := range tests {
		ctrWant(t, tc.name, tc.got, tc.dt, tc.shape, tc.want, 0)
	}
}

func TestDotNumPy(t *testing.T) {
	// Expected values from numpy.einsum on the same inputs.
	a := ctrTensor(F64, ctrVals(24, 1, 24, 0), 2, 3, 4)
	b := ctrTensor(F64, ctrVals(40, 3, 7, 3), 2, 4, 5)
	got := DotGeneral(a, []int{2}, []int{0}, b, []int{1}, []int{0}) // einsum('bij,bjk->bik')
	ctrWant(t, "bij,bjk->bik", got, F64, []int{2, 3, 5}, []float64{
		-4, 14, -10, 8, -9, -28, 38, -22, 16, -9, -52, 62, -34, 24, -9,
		35, -76, 86, -46, 32, 47, -100, 110, -58, 40, 59, -124, 134, -70, 48}, 0)
	c := ctrTensor(F64, ctrVals(30, 5, 9, 4), 3, 2, 5)
	got = DotGeneral(a, []int{1}, nil, c, []int{0}, nil) // numpy.tensordot(a, c, ([1], [0]))
	if !got.shape.Equal(Shape{2, 4, 2, 5}) {
		t.Fatalf("tensordot: shape %v, want [2 4 2 5]", got.shape)
	}
	row := FromSlice(got.Float64s()[60:65]) // [1, 2, 0, :]
	ctrWant(t, "tensordot", row, F64, []int{5}, []float64{-104, 4, -50, 58, 4}, 0)
}

// ctrRefProduct computes Σ_p a[i,p]·b[p,j] in float64 for row-major a (m×k)
// and b (k×n).
func ctrRefProduct(a, b []float64, m, n, k int) []float64 {
	c := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += a[i*k+p] * b[p*n+j]
			}
			c[i*n+j] = s
		}
	}
	return c
}

// TestDotGEMM checks the packed GEMM (and its plain fallback) against a
// reference product for many shapes, every operand layout and both float
// types, with sizes across the block boundaries.
func TestDotGEMM(t *testing.T) {
	sizes := [][3]int{{1, 1, 1}, {2, 3, 4}, {3, 3, 3}, {5, 7, 2}, {16, 1, 16}, {1, 40, 30}, {7, 5, 300}, {100, 7, 9},
		{4, 3100, 5}, {97, 101, 257}, {130, 64, 70}, {2, 2, 600}}
	for _, dt := range []DType{F32, F64, F16} {
		for _, sz := range sizes {
			m, n, k := sz[0], sz[1], sz[2]
			if dt == F16 && m*n*k > 100000 {
				continue
			}
			av, bv := ctrVals(m*k, 7, 9, 4), ctrVals(k*n, 5, 7, 3)
			if dt == F16 { // keep sums exact in f16
				av, bv = ctrVals(m*k, 1, 2, 0), ctrVals(k*n, 1, 3, 1)
			}
			want := ctrRefProduct(av, bv, m, n, k)
			a, b := ctrTensor(dt, av, m, k), ctrTensor(dt, bv, k, n)
			at, bt := Transpose(a), Transpose(b)
			name := fmt.Sprintf("%s %dx%dx%d", dt, m, n, k)
			ctrWant(t, name+" ab", Dot(a, b), dt, []int{m, n}, want, 0)
			ctrWant(t, name+" aTb", DotGeneral(at, []int{0}, nil, b, []int{0}, nil), dt, []int{m, n}, want, 0)
			ctrWant(t, name+" abT", DotGeneral(a, []int{1}, nil, bt, []int{1}, nil), dt, []int{m, n}, want, 0)
			ctrWant(t, name+" aTbT", DotGeneral(at, []int{0}, nil, bt, []int{1}, nil), dt, []int{m, n}, want, 0)
		}
	}
}

func TestDotBatchedLayouts(t *testing.T) {
	// [B][K1][M][K2] · [B][N][K2][K1]: contraction axes interleaved with free
	// axes need a real transpose; compare against per-batch reference products.
	const B, K1, M, K2, N = 3, 4, 5, 6, 7
	av, bv := ctrVals(B*K1*M*K2, 7, 11, 5), ctrVals(B*N*K2*K1, 3, 5, 2)
	for _, dt := range []DType{F32, F64, S32, C128} {
		a, b := ctrTensor(dt, av, B, K1, M, K2), ctrTensor(dt, bv, B, N, K2, K1)
		got := DotGeneral(a, []int{1, 3}, []int{0}, b, []int{3, 2}, []int{0})
		want := make([]float64, 0, B*M*N)
		for bi := 0; bi < B; bi++ {
			am := make([]float64, M*K1*K2) // [M][K1·K2]
			bm := make([]float64, K1*K2*N) // [K1·K2][N]
			for k1 := 0; k1 < K1; k1++ {
				for m := 0; m < M; m++ {
					for k2 := 0; k2 < K2; k2++ {
						am[m*K1*K2+k1*K2+k2] = av[((bi*K1+k1)*M+m)*K2+k2]
					}
				}
				for n := 0; n < N; n++ {
					for k2 := 0; k2 < K2; k2++ {
						bm[(k1*K2+k2)*N+n] = bv[((bi*N+n)*K2+k2)*K1+k1]
					}
				}
			}
			want = append(want, ctrRefProduct(am, bm, M, N, K1*K2)...)
		}
		ctrWant(t, "batched "+dt.String(), got, dt, []int{B, M, N}, want, 0)
	}
	// Many small products run one per goroutine.
	a := ctrTensor(F32, ctrVals(64*8*9, 5, 7, 3), 64, 8, 9)
	b := ctrTensor(F32, ctrVals(64*9*10, 3, 5, 2), 64, 9, 10)
	got := DotGeneral(a, []int{2}, []int{0}, b, []int{1}, []int{0})
	av, bv = a.Float64s(), b.Float64s()
	var want []float64
	for i := 0; i < 64; i++ {
		want = append(want, ctrRefProduct(av[i*72:(i+1)*72], bv[i*90:(i+1)*90], 8, 10, 9)...)
	}
	ctrWant(t, "many small", got, F32, []int{64, 8, 10}, want, 0)
}

func TestDotTypes(t *testing.T) {
	av, bv := ctrVals(6, 1, 4, 0), ctrVals(6, 2, 3, 0) // 0..3 and 0..2
	want := ctrRefProduct(av, bv, 2, 2, 3)
	for _, dt := range DTypes() {
		got := Dot(ctrTensor(dt, av, 2, 3), ctrTensor(dt, bv, 3, 2))
		ctrWant(t, "dot "+dt.String(), got, dt, []int{2, 2}, want, 0)
		got = Dot(ctrTensor(dt, av, 6), ctrTensor(dt, bv, 6))
		ctrWant(t, "vector dot "+dt.String(), got, dt, nil, []float64{av[0]*bv[0] + av[1]*bv[1] + av[2]*bv[2] + av[3]*bv[3] + av[4]*bv[4] + av[5]*bv[5]}, 0)
	}
	// Types merge as in Add.
	merged := []struct{ a, b, want DType }{{U8, S8, S16}, {S64, F32, F32}, {F16, BF16, F32}, {F64, C64, C128}, {U8, U32, U32}}
	for _, m := range merged {
		got := Dot(Ones(m.a, 2, 2), Ones(m.b, 2))
		ctrWant(t, fmt.Sprintf("merge %s %s", m.a, m.b), got, m.want, []int{2}, []float64{2, 2}, 0)
	}
	// Integer products wrap around in their type, as in Nx.
	ctrWant(t, "u8 wrap", Dot(FromSlice([]uint8{200, 100}), FromSlice([]uint8{2, 1})), U8, nil, []float64{244}, 0)
	ctrWant(t, "s8 wrap", Dot(FromSlice([]int8{100, 100}), FromSlice([]int8{1, 1})), S8, nil, []float64{-56}, 0)
	ctrWant(t, "s32 wrap", Dot(FromSlice([]int32{1 << 30, 1 << 30}), FromSlice([]int32{2, 2})), S32, nil, []float64{0}, 0)
	// Complex products are not conjugated by Dot; Outer conjugates b.
	c := FromSlice([]complex128{1 + 1i, 2 - 1i})
	d := FromSlice([]complex128{2 + 3i, 1i})
	if got := Dot(c, d).Complex128s()[0]; got != (1+1i)*(2+3i)+(2-1i)*1i {
		t.Fatalf("complex dot = %v", got)
	}
	if got := Outer(c, d).Complex128s(); got[0] != (1+1i)*(2-3i) || got[3] != (2-1i)*(-1i) {
		t.Fatalf("complex outer = %v", got)
	}
	// Floats keep NaN and Inf.
	ctrWant(t, "inf", Dot(FromSlice([]float32{1, 0}), FromSlice([]float32{float32(math.Inf(1)), 1})), F32, nil, []float64{math.Inf(1)}, 0)
	ctrWant(t, "nan", Dot(FromSlice([]float64{0, 1}), FromSlice([]float64{math.Inf(1), 1})), F64, nil, []float64{math.NaN()}, 0)
	// Empty contractions give zeros; empty free axes give empty results.
	ctrWant(t, "k=0", Dot(Zeros(F32, 2, 0), Zeros(F32, 0, 3)), F32, []int{2, 3}, make([]float64, 6), 0)
	ctrWant(t, "m=0", Dot(Zeros(S64, 0, 4), Ones(S64, 4, 3)), S64, []int{0, 3}, nil, 0)
}

func TestDotErrors(t *testing.T) {
	u := FromSlice([]int64{1, 1, 2, 2}, 2, 1, 2)
	v := FromSlice([]int64{3, 3, 4, 4}, 2, 2, 1)
	tests := []struct {
		name string
		fn   func()
		op   string
		want []string
	}{
		{"sizes", func() { Dot(FromSlice([]int64{1, 2, 3}), FromSlice([]int64{1, 2})) }, "nx.Dot", []string{"s64[3], s64[2]", "axis 0 of a (size 3) does not match axis 0 of b (size 2)"}},
		{"matrix sizes", func() { Dot(Ones(F32, 2, 3), Ones(F32, 2, 3)) }, "nx.Dot", []string{"axis 1 of a (size 3)", "axis 0 of b (size 2)"}},
		{"right not batched", func() { DotGeneral(u, []int{2}, []int{0}, v, []int{1}, nil) }, "nx.DotGeneral", []string{"1 batch axes for a", "0 for b"}},
		{"left not batched", func() { DotGeneral(u, []int{2}, nil, v, []int{1}, []int{0}) }, "nx.DotGeneral", []string{"0 batch axes for a"}},
		{"batch not leading", func() { DotGeneral(u, []int{2}, []int{1}, v, []int{1}, []int{0}) }, "nx.DotGeneral", []string{"leading axes"}},
		{"batch in contract a", func() { DotGeneral(u, []int{0}, []int{0}, v, []int{1}, []int{0}) }, "nx.DotGeneral", []string{"axis 0 of a is both a batch and a contraction axis"}},
		{"batch in contract b", func() { DotGeneral(u, []int{2}, []int{0}, v, []int{0}, []int{0}) }, "nx.DotGeneral", []string{"axis 0 of b is both a batch and a contraction axis"}},
		{"batch sizes", func() { DotGeneral(Ones(F32, 2, 3), []int{1}, []int{0}, Ones(F32, 3, 3), []int{1}, []int{0}) }, "nx.DotGeneral", []string{"batch axis 0 has size 2 in a and 3 in b"}},
		{"count", func() { DotGeneral(u, []int{1, 2}, nil, v, []int{1}, nil) }, "nx.DotGeneral", []string{"2 contraction axes for a", "1 for b"}},
		{"range", func() { DotGeneral(u, []int{3}, nil, v, []int{1}, nil) }, "nx.DotGeneral", []string{"contraction axis 3 of a is out of range for rank 3"}},
		{"twice", func() { DotGeneral(u, []int{2, -1}, nil, v, []int{1, 2}, nil) }, "nx.DotGeneral", []string{"given twice"}},
	}
	for _, tc := range tests {
		ctrPanics(t, tc.name, tc.fn, tc.op, tc.want...)
	}
}
