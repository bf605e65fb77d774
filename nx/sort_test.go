package nx

import (
	"errors"
	"math"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// ordSame fails unless got has type dt, the given shape and, element by
// element, the values of want (a Go slice), compared as Nx prints them (so NaN
// equals NaN and -0 differs from +0).
func ordSame(t *testing.T, name string, got *Tensor, dt DType, shape Shape, want any) {
	t.Helper()
	w := AsType(FromSlice(want, shape...), dt)
	if got.DType() != dt || !got.Shape().Equal(shape) {
		t.Fatalf("%s: got %s, want %s", name, got.describe(), w.describe())
	}
	for i := 0; i < w.Size(); i++ {
		if g, e := formatElem(got, i), formatElem(w, i); g != e {
			t.Fatalf("%s: element %d is %s, want %s\ngot  %v\nwant %v", name, i, g, e, got, w)
		}
	}
}

// ordPanics fails unless fn panics with an *Error whose message contains each
// of the parts.
func ordPanics(t *testing.T, name string, fn func(), parts ...string) {
	t.Helper()
	err := Try(fn)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%s: got error %v, want an *nx.Error", name, err)
	}
	for _, p := range parts {
		if !strings.Contains(e.Error(), p) {
			t.Fatalf("%s: error %q does not contain %q", name, e.Error(), p)
		}
	}
}

var nan = math.NaN()

func TestSortIntegerTypes(t *testing.T) {
	// Values that float64 cannot tell apart must still sort correctly.
	u64 := []uint64{math.MaxUint64, 1 << 63, 0, math.MaxUint64 - 1, 1<<63 + 1, 7}
	s64 := []int64{math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, -1, math.MinInt64 + 1, 0}
	tests := []struct {
		name     string
		in       any
		sorted   any
		asc, dsc []int64
	}{
		{"u8", []uint8{255, 0, 128, 3, 128}, []uint8{0, 3, 128, 128, 255}, []int64{1, 3, 2, 4, 0}, []int64{0, 2, 4, 3, 1}},
		{"u16", []uint16{65535, 1, 300}, []uint16{1, 300, 65535}, []int64{1, 2, 0}, []int64{0, 2, 1}},
		{"u32", []uint32{4294967295, 4294967294, 5}, []uint32{5, 4294967294, 4294967295}, []int64{2, 1, 0}, []int64{0, 1, 2}},
		{"u64", u64, []uint64{0, 7, 1 << 63, 1<<63 + 1, math.MaxUint64 - 1, math.MaxUint64}, []int64{2, 5, 1, 4, 3, 0}, []int64{0, 3, 4, 1, 5, 2}},
		{"s8", []int8{-128, 127, -1, 0}, []int8{-128, -1, 0, 127}, []int64{0, 2, 3, 1}, []int64{1, 3, 2, 0}},
		{"s16", []int16{-300, 300, -32768}, []int16{-32768, -300, 300}, []int64{2, 0, 1}, []int64{1, 0, 2}},
		{"s32", []int32{16, 23, 42, 4, 8, 15}, []int32{4, 8, 15, 16, 23, 42}, []int64{3, 4, 5, 0, 1, 2}, []int64{2, 1, 0, 5, 4, 3}},
		{"s64", s64, []int64{math.MinInt64, math.MinInt64 + 1, -1, 0, math.MaxInt64 - 1, math.MaxInt64}, []int64{1, 4, 3, 5, 2, 0}, []int64{0, 2, 5, 3, 4, 1}},
	}
	for _, tc := range tests {
		x := FromSlice(tc.in)
		n := x.Size()
		ordSame(t, tc.name+" sort", Sort(x), x.DType(), Shape{n}, tc.sorted)
		ordSame(t, tc.name+" argsort", Argsort(x), S64, Shape{n}, tc.asc)
		ordSame(t, tc.name+" argsort desc", Argsort(x, Order(Desc)), S64, Shape{n}, tc.dsc)
		desc := Sort(x, Order(Desc), Stable())
		rev := slices.Clone(Sort(x).Int64s())
		slices.Reverse(rev)
		if x.DType() == U64 {
			r := slices.Clone(Sort(x).Uint64s())
			slices.Reverse(r)
			ordSame(t, tc.name+" sort desc", desc, U64, Shape{n}, r)
			continue
		}
		ordSame(t, tc.name+" sort desc", desc, x.DType(), Shape{n}, rev)
	}
}

func TestSortFloatsNaNInf(t *testing.T) {
	in := []float64{nan, math.Inf(-1), 0, math.Inf(1), -1, nan, 2.5}
	asc := []float64{math.Inf(-1), -1, 0, 2.5, math.Inf(1), nan, nan}
	dsc := []float64{nan, nan, math.Inf(1), 2.5, 0, -1, math.Inf(-1)}
	for _, dt := range []DType{F16, BF16, F32, F64} {
		x := AsType(FromSlice(in), dt)
		name := dt.String()
		ordSame(t, name+" asc", Sort(x), dt, Shape{7}, asc)
		ordSame(t, name+" desc", Sort(x, Order(Desc)), dt, Shape{7}, dsc)
		ordSame(t, name+" argsort", Argsort(x), S64, Shape{7}, []int64{1, 4, 2, 6, 3, 0, 5})
		ordSame(t, name+" argsort desc", Argsort(x, Order(Desc)), S64, Shape{7}, []int64{0, 5, 3, 6, 2, 4, 1})
	}
	// Nx's documented examples.
	x := FromSlice([]float32{float32(nan), float32(math.Inf(-1)), float32(math.Inf(1)), 0})
	ordSame(t, "nx doc argsort", Argsort(x), S64, Shape{4}, []int64{1, 3, 2, 0})
	ordSame(t, "nx doc argsort desc", Argsort(x, Order(Desc)), S64, Shape{4}, []int64{0, 2, 3, 1})
	// -0 and +0 are equal keys: they keep their order.
	z := FromSlice([]float64{0, math.Copysign(0, -1), -1, 0})
	ordSame(t, "signed zeros", Sort(z), F64, Shape{4}, []float64{-1, 0, math.Copysign(0, -1), 0})
}

func TestSortStableTies(t *testing.T) {
	x := FromSlice([]int32{3, 1, 3, 1, 2, 3})
	ordSame(t, "asc", Argsort(x, Stable()), S64, Shape{6}, []int64{1, 3, 4, 0, 2, 5})
	// Descending keeps equal elements in their original order too.
	ordSame(t, "desc", Argsort(x, Order(Desc), Stable()), S64, Shape{6}, []int64{0, 2, 5, 4, 1, 3})
	f := FromSlice([]float32{2, float32(nan), 1, 2, float32(nan)})
	ordSame(t, "nan ties", Argsort(f), S64, Shape{5}, []int64{2, 0, 3, 1, 4})
	ordSame(t, "nan ties desc", Argsort(f, Order(Desc)), S64, Shape{5}, []int64{1, 4, 0, 3, 2})
}

func TestSortAxes(t *testing.T) {
	// Nx's documented examples.
	m := FromSlice([]int32{3, 1, 7, 2, 5, 4}, 2, 3)
	ordSame(t, "argsort axis 0 (default)", Argsort(m), S64, Shape{2, 3}, []int64{1, 0, 1, 0, 1, 0})
	ordSame(t, "argsort axis 1", Argsort(m, Axis(1)), S64, Shape{2, 3}, []int64{1, 0, 2, 0, 2, 1})
	ordSame(t, "argsort axis -1 u32", Argsort(m, Axis(-1), Order(Asc), Type(U32)), U32, Shape{2, 3}, []uint32{1, 0, 2, 0, 2, 1})
	c := FromSlice([]int32{4, 5, 2, 2, 5, 3, 5, 0, 2, 1, 9, 8, 2, 1, 3, 2, 1, 4}, 2, 3, 3)
	ordSame(t, "sort x", Sort(c, Axis(0)), S32, Shape{2, 3, 3}, []int32{1, 5, 2, 2, 1, 3, 2, 0, 2, 4, 9, 8, 2, 5, 3, 5, 1, 4})
	ordSame(t, "sort y", Sort(c, Axis(1)), S32, Shape{2, 3, 3}, []int32{2, 0, 2, 4, 5, 2, 5, 5, 3, 1, 1, 3, 2, 1, 4, 2, 9, 8})
	ordSame(t, "sort z", Sort(c, Axis(2)), S32, Shape{2, 3, 3}, []int32{2, 4, 5, 2, 3, 5, 0, 2, 5, 1, 8, 9, 1, 2, 3, 1, 2, 4})
	ordSame(t, "argsort x", Argsort(c, Axis(0), Stable()), S64, Shape{2, 3, 3}, []int64{1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1, 0, 1, 1})
	ordSame(t, "argsort y", Argsort(c, Axis(1), Stable()), S64, Shape{2, 3, 3}, []int64{1, 2, 0, 0, 0, 2, 2, 1, 1, 0, 1, 1, 1, 2, 2, 2, 0, 0})
	// Nx's test with a non-symmetric tensor.
	ns := FromSlice([]int64{4, 5, 2, 5, 5, 0, 1, 9, 2, 1, 2, 1, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0}, 4, 3, 2)
	ordSame(t, "non-symmetric sort", Sort(ns), S64, Shape{4, 3, 2}, []int64{-1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 1, 5, 2, 1, 2, 0, 4, 9, 2, 5, 5, 1})
	ordSame(t, "non-symmetric argsort", Argsort(ns, Stable()), S64, Shape{4, 3, 2}, []int64{3, 2, 2, 3, 3, 2, 2, 3, 3, 2, 2, 0, 1, 0, 0, 1, 1, 3, 0, 1, 1, 0, 0, 1})
}

func TestSortEmpty(t *testing.T) {
	for _, shape := range []Shape{{0}, {0, 3}, {2, 0}} {
		x := Zeros(F32, shape...)
		ordSame(t, "sort "+shape.String(), Sort(x, Axis(-1)), F32, shape, []float32{})
		ordSame(t, "argsort "+shape.String(), Argsort(x), S64, shape, []int64{})
	}
	v, i := TopK(Zeros(S8, 0, 3), 2)
	ordSame(t, "topk values", v, S8, Shape{0, 2}, []int8{})
	ordSame(t, "topk indices", i, S64, Shape{0, 2}, []int64{})
}

// TestSortLarge checks big, parallel sorts against slices.SortStableFunc.
func TestSortLarge(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	const rows, n = 16, 1000
	data := make([]float32, rows*n)
	for i := range data {
		data[i] = float32(rng.Intn(500)) / 4
		if rng.Intn(100) == 0 {
			data[i] = float32(nan)
		}
	}
	x := FromSlice(data, rows, n)
	for _, desc := range []bool{false, true} {
		opts := []Option{Axis(1)}
		if desc {
			opts = append(opts, Order(Desc))
		}
		sorted, idx := Sort(x, opts...).Float32s(), Argsort(x, opts...).Int64s()
		// Sorting the transposed tensor along axis 0 must agree.
		tIdx := Transpose(Argsort(Transpose(x), append(opts[1:], Axis(0))...)).Int64s()
		for r := 0; r < rows; r++ {
			row := data[r*n : (r+1)*n]
			want := make([]int, n)
			for j := range want {
				want[j] = j
			}
			slices.SortStableFunc(want, func(a, b int) int {
				if desc {
					return cmpFloat(row[b], row[a])
				}
				return cmpFloat(row[a], row[b])
			})
			for j, w := range want {
				if idx[r*n+j] != int64(w) || tIdx[r*n+j] != int64(w) {
					t.Fatalf("desc=%v row %d position %d: argsort %d (transposed %d), want %d", desc, r, j, idx[r*n+j], tIdx[r*n+j], w)
				}
				if g := sorted[r*n+j]; g != row[w] && !(g != g && row[w] != row[w]) {
					t.Fatalf("desc=%v row %d position %d: sort %v, want %v", desc, r, j, g, row[w])
				}
			}
		}
	}
}

func TestTopK(t *testing.T) {
	v, i := TopK(FromSlice([]int32{1, 2, 3, 4, 5}), 2)
	ordSame(t, "values", v, S32, Shape{2}, []int32{5, 4})
	ordSame(t, "indices", i, S64, Shape{2}, []int64{4, 3})
	v, i = TopK(FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3), 1)
	ordSame(t, "2d values", v, F32, Shape{2, 1}, []float32{3, 6})
	ordSame(t, "2d indices", i, S64, Shape{2, 1}, []int64{2, 2})
	v, i = TopK(FromSlice([]float32{float32(nan), float32(math.Inf(-1)), float32(math.Inf(1)), 0}), 3, Type(S32))
	ordSame(t, "nan values", v, F32, Shape{3}, []float32{float32(nan), float32(math.Inf(1)), 0})
	ordSame(t, "nan indices", i, S32, Shape{3}, []int32{0, 2, 3})
	v, i = TopK(FromSlice([]uint64{1, math.MaxUint64, 3, math.MaxUint64 - 1, 3, 2}, 2, 3), 3)
	ordSame(t, "ties values", v, U64, Shape{2, 3}, []uint64{math.MaxUint64, 3, 1, math.MaxUint64 - 1, 3, 2})
	ordSame(t, "ties indices", i, S64, Shape{2, 3}, []int64{1, 2, 0, 0, 1, 2})
	v, _ = TopK(AsType(FromSlice([]float32{0.5, -2, 7}), BF16), 2)
	ordSame(t, "bf16", v, BF16, Shape{2}, []float32{7, 0.5})
}

func TestSortErrors(t *testing.T) {
	c := FromSlice([]complex64{1, 2})
	x := FromSlice([]float32{1, 2, 3})
	tests := []struct {
		name  string
		fn    func()
		parts []string
	}{
		{"sort complex", func() { Sort(c) }, []string{"nx.Sort(c64[2])", "complex numbers are not ordered"}},
		{"argsort complex", func() { Argsort(c) }, []string{"nx.Argsort(c64[2])", "not ordered"}},
		{"sort scalar", func() { Sort(Scalar(1.0)) }, []string{"nx.Sort(f64)", "axis 0 is out of range for rank 0"}},
		{"sort bad axis", func() { Sort(x, Axis(1)) }, []string{"nx.Sort(f32[3])", "axis 1 is out of range"}},
		{"argsort bad axis", func() { Argsort(x, Axis(-2)) }, []string{"nx.Argsort(f32[3])", "axis -2"}},
		{"sort bad direction", func() { Sort(x, Order(Direction(7))) }, []string{"unknown direction 7"}},
		{"sort bad option", func() { Sort(x, Type(S32)) }, []string{"nx.Sort", "option Type is not supported"}},
		{"argsort float type", func() { Argsort(x, Type(F32)) }, []string{"nx.Argsort", "index type f32 is not an integer type"}},
		{"topk too big", func() { TopK(x, 4) }, []string{"nx.TopK(f32[3])", "k is 4: want 1 <= k <= 3"}},
		{"topk zero", func() { TopK(x, 0) }, []string{"k is 0"}},
		{"topk scalar", func() { TopK(Scalar(int32(1)), 1) }, []string{"nx.TopK(s32)", "rank 1 or more"}},
		{"topk complex", func() { TopK(c, 1) }, []string{"nx.TopK(c64[2])", "not ordered"}},
		{"topk option", func() { TopK(x, 1, Axis(0)) }, []string{"option Axis is not supported"}},
	}
	for _, tc := range tests {
		ordPanics(t, tc.name, tc.fn, tc.parts...)
	}
}

// ordGradCheck compares Grad(f) at x (f64, of the given shape) with central
// finite differences.
func ordGradCheck(t *testing.T, name string, f func(*Tensor) *Tensor, x []float64, shape ...int) {
	t.Helper()
	got := Grad(f)(FromSlice(x, shape...)).Float64s()
	const h = 1e-6
	for i := range x {
		xp, xm := slices.Clone(x), slices.Clone(x)
		xp[i] += h
		xm[i] -= h
		want := (f(FromSlice(xp, shape...)).Float64() - f(FromSlice(xm, shape...)).Float64()) / (2 * h)
		if math.Abs(got[i]-want) > 1e-6*max(1, math.Abs(want)) {
			t.Errorf("%s: ∂/∂x[%d] = %v, finite differences give %v", name, i, got[i], want)
		}
	}
}

func TestSortGrad(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.9, -0.4, 1.7}
	w := FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	weighted := func(f func(*Tensor) *Tensor) func(*Tensor) *Tensor {
		return func(x *Tensor) *Tensor { return Sum(Multiply(f(x), w)) }
	}
	ordGradCheck(t, "Sort axis 1", weighted(func(x *Tensor) *Tensor { return Sort(x, Axis(1)) }), x, 2, 3)
	ordGradCheck(t, "Sort axis 0 desc", weighted(func(x *Tensor) *Tensor { return Sort(x, Order(Desc)) }), x, 2, 3)
	w2 := FromSlice([]float64{1, -2, 3, 0.5}, 2, 2)
	ordGradCheck(t, "TopK", func(x *Tensor) *Tensor {
		v, _ := TopK(x, 2)
		return Sum(Multiply(v, w2))
	}, x, 2, 3)
	// Argsort is piecewise constant: no gradient flows through it.
	g := Grad(func(x *Tensor) *Tensor { return Sum(Multiply(x, AsType(Argsort(x), F64))) })(FromSlice(x))
	ordSame(t, "Argsort grad", g, F64, Shape{6}, []float64{1, 4, 0, 3, 5, 2})
}
