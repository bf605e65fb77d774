package nx

import (
	"math"
	"testing"
)

func TestMedian(t *testing.T) {
	x := FromSlice([]int32{1, 2, 2, 3, 4, 2, 4, 5, 2, 7, 9, 2}, 2, 2, 3)
	tests := []struct {
		name  string
		in    *Tensor
		opts  []Option
		dt    DType
		shape Shape
		want  any
	}{
		// Nx's documented examples.
		{"scalar", Scalar(int32(42)), nil, S32, Shape{}, []int32{42}},
		{"odd", FromSlice([]int32{1, 2, 3}), nil, S32, Shape{}, []int32{2}},
		{"even", FromSlice([]int32{1, 2}), nil, F32, Shape{}, []float32{1.5}},
		{"all of iota", Iota(Shape{2, 3, 3}, Type(S32)), nil, F32, Shape{}, []float32{8.5}},
		{"axis 0", FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3), []Option{Axis(0)}, F32, Shape{3}, []float32{2.5, 3.5, 4.5}},
		{"axis 1", FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3), []Option{Axis(1)}, S32, Shape{2}, []int32{2, 5}},
		{"3d axis 0", Iota(Shape{2, 2, 3}, Type(S32)), []Option{Axis(0)}, F32, Shape{2, 3}, []float32{3, 4, 5, 6, 7, 8}},
		{"axis -1", x, []Option{Axis(-1)}, S32, Shape{2, 2}, []int32{2, 3, 4, 7}},
		{"axis -1 keep", x, []Option{Axis(-1), KeepAxes()}, S32, Shape{2, 2, 1}, []int32{2, 3, 4, 7}},
		// Beyond Nx's examples (NumPy's median where it agrees).
		{"keep without axis", x, []Option{KeepAxes()}, F32, Shape{1, 1, 1}, []float32{2.5}},
		{"f16 even", AsType(FromSlice([]float32{1.5, -2.25, 7, 3.5}), F16), nil, F16, Shape{}, []float32{2.5}},
		{"u64 exact", FromSlice([]uint64{math.MaxUint64, 0, math.MaxUint64 - 1}), nil, U64, Shape{}, []uint64{math.MaxUint64 - 1}},
		{"s64 exact", FromSlice([]int64{math.MinInt64, math.MaxInt64, math.MaxInt64 - 1}), nil, S64, Shape{}, []int64{math.MaxInt64 - 1}},
		{"f64 even", FromSlice([]float64{4, -1, 0.5, 10}), nil, F64, Shape{}, []float64{2.25}},
		// NaN sorts last, as in Nx (NumPy would return NaN).
		{"nan", FromSlice([]float64{nan, 1, 3}), nil, F64, Shape{}, []float64{3}},
		// Three elements per lane: odd, so the type is kept.
		{"empty other axis", Zeros(F32, 0, 3), []Option{Axis(1)}, F32, Shape{0}, []float32{}},
	}
	for _, tc := range tests {
		ordSame(t, tc.name, Median(tc.in, tc.opts...), tc.dt, tc.shape, tc.want)
	}
}

func TestMode(t *testing.T) {
	m := FromSlice([]int32{1, 2, 2, 3, 5, 1, 1, 76, 8, 1}, 2, 5)
	tests := []struct {
		name  string
		in    *Tensor
		opts  []Option
		shape Shape
		want  any
	}{
		// Nx's documented examples.
		{"scalar", Scalar(int32(42)), nil, Shape{}, []int32{42}},
		{"one element", FromSlice([]int32{1}, 1, 1), nil, Shape{}, []int32{1}},
		{"vector", FromSlice([]int32{1, 2, 2, 3, 5}), nil, Shape{}, []int32{2}},
		{"matrix", m, nil, Shape{}, []int32{1}},
		{"axis 0", m, []Option{Axis(0)}, Shape{5}, []int32{1, 1, 2, 3, 1}},
		{"axis 1", m, []Option{Axis(1)}, Shape{2}, []int32{2, 1}},
		{"size-1 axis", FromSlice([]int32{1}, 1, 1, 1), []Option{Axis(1)}, Shape{1, 1}, []int32{1}},
		{"axis 1 keep", m, []Option{Axis(1), KeepAxes()}, Shape{2, 1}, []int32{2, 1}},
		{"keep without axis", m, []Option{KeepAxes()}, Shape{1, 1}, []int32{1}},
		// Ties go to the smallest value.
		{"tie", FromSlice([]int32{5, 3, 5, 3, 9}), nil, Shape{}, []int32{3}},
		{"all distinct", FromSlice([]int8{4, -7, 2}), nil, Shape{}, []int8{-7}},
		// Exact for wide integers.
		{"u64", FromSlice([]uint64{math.MaxUint64, math.MaxUint64 - 1, math.MaxUint64}), nil, Shape{}, []uint64{math.MaxUint64}},
		{"s64", FromSlice([]int64{math.MaxInt64 - 1, math.MaxInt64, math.MaxInt64 - 1}), nil, Shape{}, []int64{math.MaxInt64 - 1}},
		// NaNs differ from one another.
		{"nan", FromSlice([]float64{nan, 2, nan, 1}), nil, Shape{}, []float64{1}},
		{"f16", AsType(FromSlice([]float32{0.5, 2, 0.5, 2, 2}), F16), nil, Shape{}, []float32{2}},
		{"bf16 axis 0", AsType(FromSlice([]float32{1, 2, 1, 3, 4, 3}, 3, 2), BF16), []Option{Axis(0)}, Shape{2}, []float32{1, 3}},
	}
	for _, tc := range tests {
		ordSame(t, tc.name, Mode(tc.in, tc.opts...), tc.in.DType(), tc.shape, tc.want)
	}
}

// TestStatsLarge checks Median and Mode over many lanes against Sort.
func TestStatsLarge(t *testing.T) {
	const rows, n = 100, 101
	x := Remainder(Multiply(Iota(Shape{n, rows}), Scalar(int64(7919))), Scalar(int64(97)))
	sorted := Sort(x, Axis(0)).Int64s()
	med := Median(x, Axis(0)).Int64s()
	mode := Mode(x, Axis(0)).Int64s()
	for r := 0; r < rows; r++ {
		if want := sorted[(n/2)*rows+r]; med[r] != want {
			t.Fatalf("lane %d: median %d, want %d", r, med[r], want)
		}
		counts := map[int64]int{}
		best := int64(math.MaxInt64)
		for j := 0; j < n; j++ {
			counts[sorted[j*rows+r]]++
		}
		for v, c := range counts {
			if c > counts[best] || (c == counts[best] && v < best) {
				best = v
			}
		}
		if mode[r] != best {
			t.Fatalf("lane %d: mode %d, want %d", r, mode[r], best)
		}
	}
}

func TestStatsErrors(t *testing.T) {
	x := FromSlice([]float32{1, 2, 3})
	c := FromSlice([]complex128{1, 2})
	tests := []struct {
		name  string
		fn    func()
		parts []string
	}{
		{"median complex", func() { Median(c) }, []string{"nx.Median(c128[2])", "complex numbers are not ordered"}},
		{"mode complex", func() { Mode(c) }, []string{"nx.Mode(c128[2])", "not ordered"}},
		{"median empty", func() { Median(Zeros(F32, 0)) }, []string{"nx.Median(f32[0])", "cannot take the median of an empty axis"}},
		{"mode empty axis", func() { Mode(Zeros(S8, 2, 0), Axis(1)) }, []string{"nx.Mode(s8[2][0])", "cannot take the mode of an empty axis"}},
		{"median bad axis", func() { Median(x, Axis(1)) }, []string{"nx.Median(f32[3])", "axis 1 is out of range"}},
		{"mode scalar axis", func() { Mode(Scalar(1.0), Axis(0)) }, []string{"nx.Mode(f64)", "axis 0 is out of range for rank 0"}},
		{"median option", func() { Median(x, Axes(0)) }, []string{"option Axes is not supported (takes: Axis, KeepAxes)"}},
	}
	for _, tc := range tests {
		ordPanics(t, tc.name, tc.fn, tc.parts...)
	}
}

func TestStatsGrad(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.9, -0.4, 1.7}
	ordGradCheck(t, "Median", func(x *Tensor) *Tensor { return Median(x) }, x)
	ordGradCheck(t, "Median odd axis 1", func(x *Tensor) *Tensor {
		return Sum(Multiply(Median(x, Axis(1)), FromSlice([]float64{2, 3})))
	}, x, 2, 3)
	g := Grad(func(x *Tensor) *Tensor { return Sum(Mode(x, Axis(1))) })(FromSlice([]float64{1, 2, 2, 5, 7, 5}, 2, 3))
	ordSame(t, "Mode grad", g, F64, Shape{2, 3}, []float64{0, 1, 0, 1, 0, 0})
}
