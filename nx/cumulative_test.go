package nx

import (
	"math"
	"testing"
)

func TestCumulative(t *testing.T) {
	x := FromSlice([]int32{1, -2, 3, 4, 0, -1, 2, 5, 2}, 3, 3)
	iota := Iota(Shape{3, 3}, Type(S32))
	inf := math.Inf(1)
	f := FromSlice([]float64{1, nan, 3, -inf, 2})
	type fn func(*Tensor, ...Option) *Tensor
	tests := []struct {
		name  string
		op    fn
		in    *Tensor
		opts  []Option
		dt    DType
		shape Shape
		want  any
	}{
		// Nx's documented examples.
		{"nx sum", CumulativeSum, FromSlice([]int32{1, 2, 3, 4}), nil, S32, Shape{4}, []int32{1, 3, 6, 10}},
		{"nx sum axis 0", CumulativeSum, iota, []Option{Axis(0)}, S32, Shape{3, 3}, []int32{0, 1, 2, 3, 5, 7, 9, 12, 15}},
		{"nx sum axis 1", CumulativeSum, iota, []Option{Axis(1)}, S32, Shape{3, 3}, []int32{0, 1, 3, 3, 7, 12, 6, 13, 21}},
		{"nx sum axis 0 reverse", CumulativeSum, iota, []Option{Axis(0), Reversed()}, S32, Shape{3, 3}, []int32{9, 12, 15, 9, 11, 13, 6, 7, 8}},
		{"nx sum axis 1 reverse", CumulativeSum, iota, []Option{Axis(1), Reversed()}, S32, Shape{3, 3}, []int32{3, 3, 2, 12, 9, 5, 21, 15, 8}},
		// NumPy: cumsum, cumprod, maximum.accumulate, minimum.accumulate (with
		// flips for Reverse).
		{"sum default axis 0", CumulativeSum, x, nil, S32, Shape{3, 3}, []int32{1, -2, 3, 5, -2, 2, 7, 3, 4}},
		{"sum axis -1", CumulativeSum, x, []Option{Axis(-1)}, S32, Shape{3, 3}, []int32{1, -1, 2, 4, 4, 3, 2, 7, 9}},
		{"sum axis 0 reverse", CumulativeSum, x, []Option{Reversed()}, S32, Shape{3, 3}, []int32{7, 3, 4, 6, 5, 1, 2, 5, 2}},
		{"product axis 1", CumulativeProduct, x, []Option{Axis(1)}, S32, Shape{3, 3}, []int32{1, -2, -6, 4, 0, 0, 2, 10, 20}},
		{"product axis 1 reverse", CumulativeProduct, x, []Option{Axis(1), Reversed()}, S32, Shape{3, 3}, []int32{-6, -6, 3, 0, 0, -1, 20, 10, 2}},
		{"max axis 0", CumulativeMax, x, nil, S32, Shape{3, 3}, []int32{1, -2, 3, 4, 0, 3, 4, 5, 3}},
		{"max axis 0 reverse", CumulativeMax, x, []Option{Reversed()}, S32, Shape{3, 3}, []int32{4, 5, 3, 4, 5, 2, 2, 5, 2}},
		{"min axis 1", CumulativeMin, x, []Option{Axis(1)}, S32, Shape{3, 3}, []int32{1, -2, -2, 4, 0, -1, 2, 2, 2}},
		{"min axis 1 reverse", CumulativeMin, x, []Option{Axis(1), Reversed()}, S32, Shape{3, 3}, []int32{-2, -2, 3, -1, -1, -1, 2, 2, 2}},
		{"sum 3d axis 1", CumulativeSum, Iota(Shape{2, 3, 4}), []Option{Axis(1)}, S64, Shape{2, 3, 4},
			[]int64{0, 1, 2, 3, 4, 6, 8, 10, 12, 15, 18, 21, 12, 13, 14, 15, 28, 30, 32, 34, 48, 51, 54, 57}},
		// Integers keep their type and wrap, as in Nx.
		{"u8 sum wraps", CumulativeSum, FromSlice([]uint8{200, 100, 250}), nil, U8, Shape{3}, []uint8{200, 44, 38}},
		{"u8 product wraps", CumulativeProduct, FromSlice([]uint8{200, 100, 250}), nil, U8, Shape{3}, []uint8{200, 32, 64}},
		{"s8 sum wraps", CumulativeSum, FromSlice([]int8{100, 100, -3}), nil, S8, Shape{3}, []int8{100, -56, -59}},
		{"s8 product wraps", CumulativeProduct, FromSlice([]int8{100, 100, -3}), nil, S8, Shape{3}, []int8{100, 16, -48}},
		{"u64 max exact", CumulativeMax, FromSlice([]uint64{math.MaxUint64 - 1, 3, math.MaxUint64}), nil, U64, Shape{3}, []uint64{math.MaxUint64 - 1, math.MaxUint64 - 1, math.MaxUint64}},
		{"s64 min exact", CumulativeMin, FromSlice([]int64{math.MinInt64 + 1, 0, math.MinInt64}), nil, S64, Shape{3}, []int64{math.MinInt64 + 1, math.MinInt64 + 1, math.MinInt64}},
		// NaN propagates.
		{"f64 max nan", CumulativeMax, f, nil, F64, Shape{5}, []float64{1, nan, nan, nan, nan}},
		{"f64 min nan", CumulativeMin, f, nil, F64, Shape{5}, []float64{1, nan, nan, nan, nan}},
		{"f64 sum nan", CumulativeSum, f, nil, F64, Shape{5}, []float64{1, nan, nan, nan, nan}},
		{"f64 max reverse", CumulativeMax, f, []Option{Reversed()}, F64, Shape{5}, []float64{nan, nan, 3, 2, 2}},
		{"f32 min -inf", CumulativeMin, FromSlice([]float32{2, float32(-inf), 5}), nil, F32, Shape{3}, []float32{2, float32(-inf), float32(-inf)}},
		{"f16 sum", CumulativeSum, AsType(FromSlice([]float32{0.5, 1.25, -3}), F16), nil, F16, Shape{3}, []float32{0.5, 1.75, -1.25}},
		{"bf16 max", CumulativeMax, AsType(FromSlice([]float32{-1, 4, 2}), BF16), nil, BF16, Shape{3}, []float32{-1, 4, 4}},
		// Complex sums and products.
		{"c128 sum", CumulativeSum, FromSlice([]complex128{1 + 2i, 3 - 1i, -2 + 0.5i}), nil, C128, Shape{3}, []complex128{1 + 2i, 4 + 1i, 2 + 1.5i}},
		{"c64 product", CumulativeProduct, FromSlice([]complex64{1 + 2i, 3 - 1i, -2 + 0.5i}), nil, C64, Shape{3}, []complex64{1 + 2i, 5 + 5i, -12.5 - 7.5i}},
		// Empty tensors.
		{"empty", CumulativeSum, Zeros(F32, 0), nil, F32, Shape{0}, []float32{}},
		{"empty axis", CumulativeProduct, Zeros(S32, 2, 0), []Option{Axis(1)}, S32, Shape{2, 0}, []int32{}},
		{"empty other axis", CumulativeMax, Zeros(U16, 0, 3), []Option{Axis(1)}, U16, Shape{0, 3}, []uint16{}},
	}
	for _, tc := range tests {
		ordSame(t, tc.name, tc.op(tc.in, tc.opts...), tc.dt, tc.shape, tc.want)
	}
}

// TestCumulativeLarge checks a big, parallel scan against Sum over prefixes.
func TestCumulativeLarge(t *testing.T) {
	const rows, n = 165, 400 // enough for two goroutines
	x := Remainder(Iota(Shape{rows, n}), Scalar(int64(7)))
	got := CumulativeSum(x, Axis(1), Reversed()).Int64s()
	data := x.Int64s()
	for r := 0; r < rows; r++ {
		var s int64
		for j := n - 1; j >= 0; j-- {
			s += data[r*n+j]
			if got[r*n+j] != s {
				t.Fatalf("row %d position %d: got %d, want %d", r, j, got[r*n+j], s)
			}
		}
	}
	// The last running sum equals Sum, which accumulates in float64 too.
	f := Divide(AsType(x, F32), Scalar(float32(3)))
	last := CumulativeSum(f, Axis(1)).Float32s()
	sum := Sum(f, Axes(1)).Float32s()
	for r := 0; r < rows; r++ {
		if last[r*n+n-1] != sum[r] {
			t.Fatalf("row %d: last running sum %v, Sum %v", r, last[r*n+n-1], sum[r])
		}
	}
}

func TestCumulativeErrors(t *testing.T) {
	x := FromSlice([]float32{1, 2, 3})
	c := FromSlice([]complex64{1, 2})
	tests := []struct {
		name  string
		fn    func()
		parts []string
	}{
		{"max complex", func() { CumulativeMax(c) }, []string{"nx.CumulativeMax(c64[2])", "complex numbers are not ordered"}},
		{"min complex", func() { CumulativeMin(c) }, []string{"nx.CumulativeMin(c64[2])", "not ordered"}},
		{"sum scalar", func() { CumulativeSum(Scalar(int32(1))) }, []string{"nx.CumulativeSum(s32)", "axis 0 is out of range for rank 0"}},
		{"product bad axis", func() { CumulativeProduct(x, Axis(2)) }, []string{"nx.CumulativeProduct(f32[3])", "axis 2 is out of range"}},
		{"sum bad option", func() { CumulativeSum(x, Axes(0)) }, []string{"nx.CumulativeSum", "option Axes is not supported (takes: Axis, Reverse)"}},
	}
	for _, tc := range tests {
		ordPanics(t, tc.name, tc.fn, tc.parts...)
	}
}

func TestCumulativeSumGrad(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.9, -0.4, 1.7}
	w := FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	for _, opts := range [][]Option{{Axis(0)}, {Axis(1)}, {Axis(1), Reversed()}} {
		ordGradCheck(t, "CumulativeSum", func(x *Tensor) *Tensor {
			return Sum(Multiply(CumulativeSum(x, opts...), w))
		}, x, 2, 3)
	}
}
