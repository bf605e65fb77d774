package nx

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// ctrWindowCases were computed in NumPy (pad with the reduction's identity,
// slice each window with its strides and dilations, reduce) on inputs
// ctrVals(n, 3, 11, 5).
var ctrWindowCases = []struct {
	op            string
	shape, window []int
	opts          []Option
	outShape      []int
	want          []float64
}{
	{"sum", []int{7}, []int{3}, nil, []int{5}, []float64{-6, 3, 1, -1, -3}},
	{"max", []int{7}, []int{2}, []Option{Strides(2), Padded(Pads([2]int{1, 1}))}, []int{4}, []float64{-5, 1, 4, 2}},
	{"sum", []int{4, 5}, []int{2, 3}, []Option{Strides(1, 2), Padded(Pads([2]int{1, 0}, [2]int{0, 2}))}, []int{4, 3}, []float64{-6, 1, -4, 0, 3, -4, 2, 5, 4, -7, 7, 1}},
	{"max", []int{4, 5}, []int{2, 2}, []Option{Padded(Same)}, []int{4, 5}, []float64{2, 5, 5, 4, 0, 3, 5, 5, 4, 4, 3, 2, 5, 5, 4, -1, 2, 5, 5, -3}},
	{"min", []int{4, 5}, []int{3, 2}, []Option{Strides(2, 1), Padded(Same)}, []int{2, 5}, []float64{-5, -2, -3, -4, -4, -5, -5, -3, -3, -3}},
	{"product", []int{3, 4}, []int{2, 2}, []Option{WindowDilations(1, 2)}, []int{2, 2}, []float64{40, 40, 72, 0}},
	{"max", []int{5, 6}, []int{2, 2}, []Option{Strides(1, 3), Padded(Pads([2]int{1, 1}, [2]int{0, 1})), WindowDilations(2, 2)}, []int{5, 2}, []float64{2, 0, 4, 4, 5, 3, 4, 5, 5, 3}},
	{"min", []int{2, 3, 4}, []int{1, 2, 3}, []Option{Strides(1, 2, 1), Padded(Pads([2]int{0, 0}, [2]int{1, 1}, [2]int{2, 0}))}, []int{2, 2, 4}, []float64{-5, -5, -5, -2, -4, -4, -4, -5, -2, -2, -2, -4, -1, -1, -5, -5}},
	{"sum", []int{2, 3, 4}, []int{2, 2, 2}, []Option{Padded(Same), WindowDilations(1, 1, 2)}, []int{2, 3, 4}, []float64{0, 0, 2, 12, 4, -3, -1, 5, 3, -5, -4, -2, 3, 6, -4, 9, 5, -1, 0, 0, 3, -5, 1, -5}},
}

func TestWindowNumPy(t *testing.T) {
	fns := map[string]func(*Tensor, []int, ...Option) *Tensor{
		"sum": WindowSum, "product": WindowProduct, "max": WindowMax, "min": WindowMin,
	}
	for _, tc := range ctrWindowCases {
		vals := ctrVals(Shape(tc.shape).Size(), 3, 11, 5)
		for _, dt := range []DType{F32, F64, F16, BF16, S8, S32, S64} {
			got := fns[tc.op](ctrTensor(dt, vals, tc.shape...), tc.window, tc.opts...)
			ctrWant(t, fmt.Sprintf("%s %v %v %s", tc.op, tc.shape, tc.window, dt), got, dt, tc.outShape, tc.want, 0)
		}
		if tc.op == "sum" || tc.op == "product" {
			got := fns[tc.op](ctrTensor(C128, vals, tc.shape...), tc.window, tc.opts...)
			ctrWant(t, fmt.Sprintf("%s %v %v c128", tc.op, tc.shape, tc.window), got, C128, tc.outShape, tc.want, 0)
		}
		if tc.op == "sum" {
			n := float64(Shape(tc.window).Size())
			mean := make([]float64, len(tc.want))
			for i, v := range tc.want {
				mean[i] = v / n
			}
			got := WindowMean(ctrTensor(S32, vals, tc.shape...), tc.window, tc.opts...)
			ctrWant(t, fmt.Sprintf("mean %v %v", tc.shape, tc.window), got, F32, tc.outShape, mean, 1e-6)
			got = WindowMean(ctrTensor(F64, vals, tc.shape...), tc.window, tc.opts...)
			ctrWant(t, fmt.Sprintf("mean %v %v f64", tc.shape, tc.window), got, F64, tc.outShape, mean, 1e-15)
		}
	}
}

func TestWindowKnownValues(t *testing.T) {
	// Nx documentation examples.
	t1 := FromSlice([]int32{1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, 2, 2, 3)
	t2 := FromSlice([]float32{4, 2, 3, 2, 5, 6.5, 1.2, 2.2, 3.2, 4, 5, 6.2}, 2, 2, 3)
	t3 := FromSlice([]int32{4, 2, 1, 3, 4, 2, 1, 7, 1, 2, 5, 7, 1, 8, 9, 2}, 2, 2, 4)
	padA := Padded(Pads([2]int{0, 1}, [2]int{2, 0}, [2]int{1, 1}))
	padB := Padded(Pads([2]int{1, 1}, [2]int{0, 0}, [2]int{1, 1}))
	inf := math.Inf(-1)
	tests := []struct {
		name  string
		got   *Tensor
		dt    DType
		shape []int
		want  []float64
	}{
		{"sum", WindowSum(t1, []int{1, 2, 1}), S32, []int{2, 1, 3}, []float64{5, 7, 9, 5, 7, 9}},
		{"sum padded", WindowSum(t1, []int{2, 2, 1}, Strides(1, 2, 3), padA), S32, []int{2, 2, 2}, []float64{0, 0, 0, 18, 0, 0, 0, 9}},
		{"sum f32", WindowSum(t2, []int{2, 1, 1}, Strides(2, 1, 1), padB), F32, []int{2, 2, 5},
			[]float64{0, 4, 2, 3, 0, 0, 2, 5, 6.5, 0, 0, 1.2, 2.2, 3.2, 0, 0, 4, 5, 6.2, 0}},
		{"sum dilated", WindowSum(t3, []int{1, 1, 2}, Strides(2, 1, 1), WindowDilations(1, 2, 1)), S32, []int{1, 2, 3}, []float64{6, 3, 4, 6, 3, 8}},
		{"sum dilated 2", WindowSum(t3, []int{1, 1, 2}, Strides(2, 1, 1), WindowDilations(1, 2, 2)), S32, []int{1, 2, 2}, []float64{5, 5, 5, 9}},
		{"sum dilated padded", WindowSum(t3, []int{2, 1, 2}, Strides(2, 1, 1), Padded(Pads([2]int{2, 1}, [2]int{3, 1}, [2]int{1, 0})), WindowDilations(1, 2, 2)),
			S32, []int{2, 6, 3}, append(make([]float64, 27), 4, 11, 14, 10, 15, 19, 0, 0, 0)},
		{"mean", WindowMean(t1, []int{1, 2, 1}), F32, []int{2, 1, 3}, []float64{2.5, 3.5, 4.5, 2.5, 3.5, 4.5}},
		{"mean padded", WindowMean(t1, []int{2, 2, 1}, Strides(1, 2, 3), padA), F32, []int{2, 2, 2}, []float64{0, 0, 0, 4.5, 0, 0, 0, 2.25}},
		{"mean dilated", WindowMean(t3, []int{1, 1, 2}, Strides(2, 1, 1), WindowDilations(1, 2, 1)), F32, []int{1, 2, 3}, []float64{3, 1.5, 2, 3, 1.5, 4}},
		{"max", WindowMax(t1, []int{1, 2, 1}), S32, []int{2, 1, 3}, []float64{4, 5, 6, 4, 5, 6}},
		{"max padded", WindowMax(t1, []int{2, 2, 1}, Strides(1, 2, 3), padA), S32, []int{2, 2, 2},
			[]float64{math.MinInt32, math.MinInt32, math.MinInt32, 6, math.MinInt32, math.MinInt32, math.MinInt32, 6}},
		{"max f32", WindowMax(t2, []int{2, 1, 1}, Strides(2, 1, 1), padB), F32, []int{2, 2, 5},
			[]float64{inf, 4, 2, 3, inf, inf, 2, 5, 6.5, inf, inf, 1.2, 2.2, 3.2, inf, inf, 4, 5, 6.2, inf}},
		{"max dilated", WindowMax(t3, []int{1, 1, 2}, Strides(2, 1, 1), WindowDilations(1, 2, 2)), S32, []int{1, 2, 2}, []float64{4, 3, 4, 7}},
		{"min", WindowMin(t1, []int{1, 2, 1}), S32, []int{2, 1, 3}, []float64{1, 2, 3, 1, 2, 3}},
		{"min padded", WindowMin(t1, []int{2, 2, 1}, Strides(1, 2, 3), padA), S32, []int{2, 2, 2},
			[]float64{math.MaxInt32, math.MaxInt32, math.MaxInt32, 3, math.MaxInt32, math.MaxInt32, math.MaxInt32, 3}},
		{"min f32", WindowMin(t2, []int{2, 1, 1}, Strides(2, 1, 1), padB), F32, []int{2, 2, 5},
			[]float64{-inf, 4, 2, 3, -inf, -inf, 2, 5, 6.5, -inf, -inf, 1.2, 2.2, 3.2, -inf, -inf, 4, 5, 6.2, -inf}},
		{"product", WindowProduct(t1, []int{1, 2, 1}), S32, []int{2, 1, 3}, []float64{4, 10, 18, 4, 10, 18}},
		{"product padded", WindowProduct(t1, []int{2, 2, 1}, Strides(1, 2, 3), padA), S32, []int{2, 2, 2}, []float64{1, 1, 1, 324, 1, 1, 1, 18}},
		// Unsigned padding for max is 0, the lowest u8; sums wrap in the type.
		{"u8 max", WindowMax(FromSlice([]uint8{3, 200}), []int{2}, Padded(Same)), U8, []int{2}, []float64{200, 200}},
		{"u8 min padded", WindowMin(FromSlice([]uint8{3, 200}), []int{2}, Padded(Pads([2]int{0, 3}))), U8, []int{4}, []float64{3, 200, 255, 255}},
		{"u8 sum wraps", WindowSum(FromSlice([]uint8{200, 100}), []int{2}), U8, []int{1}, []float64{44}},
		{"u8 mean wraps like Nx", WindowMean(FromSlice([]uint8{200, 100, 50}), []int{2}), F32, []int{2}, []float64{22, 75}}, // (200+100) mod 256 = 44
		{"scalar", WindowSum(Scalar(int64(7)), nil), S64, nil, []float64{7}},
		{"nan", WindowMax(FromSlice([]float64{1, math.NaN(), 3}), []int{2}), F64, []int{2}, []float64{math.NaN(), math.NaN()}},
		{"nan min", WindowMin(FromSlice([]float32{1, float32(math.NaN()), 3, 0}), []int{2}, Strides(2)), F32, []int{2}, []float64{math.NaN(), 0}},
	}
	for _, tc := range tests {
		ctrWant(t, tc.name, tc.got, tc.dt, tc.shape, tc.want, 1e-6)
	}
}

func TestWindowLarge(t *testing.T) {
	// Big enough to split across goroutines: max pooling 3×3, stride 2, on
	// [4][8][33][33], checked against a direct loop.
	shape := []int{4, 8, 33, 33}
	vals := ctrVals(Shape(shape).Size(), 7, 101, 50)
	got := WindowMax(ctrTensor(F32, vals, shape...), []int{1, 1, 3, 3}, Strides(1, 1, 2, 2), Padded(Same))
	want := make([]float64, 0, 4*8*17*17)
	for bc := 0; bc < 32; bc++ {
		for i := 0; i < 17; i++ {
			for j := 0; j < 17; j++ {
				m := math.Inf(-1)
				for di := 0; di < 3; di++ {
					for dj := 0; dj < 3; dj++ {
						y, x := 2*i+di-1, 2*j+dj-1
						if y >= 0 && y < 33 && x >= 0 && x < 33 {
							m = max(m, vals[bc*33*33+y*33+x])
						}
					}
				}
				want = append(want, m)
			}
		}
	}
	ctrWant(t, "max pool", got, F32, []int{4, 8, 17, 17}, want, 0)
}

// ctrScatterCases were computed in NumPy: for each window (padding skipped),
// the last largest (smallest) element receives the window's source value,
// 1, 2, 3, ... in row-major order; inputs are ctrVals(n, 3, 11, 5), which
// repeat, so ties occur.
var ctrScatterCases = []struct {
	max           bool
	shape, window []int
	opts          []Option
	source        []int
	want          []float64
}{
	{true, []int{4, 6}, []int{2, 3}, []Option{Strides(2, 3)}, []int{2, 2}, []float64{0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4, 0, 0}},
	{false, []int{4, 6}, []int{2, 3}, []Option{Strides(2, 3)}, []int{2, 2}, []float64{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 4, 0}},
	{true, []int{5, 5}, []int{3, 3}, []Option{Padded(Same)}, []int{5, 5}, []float64{0, 0, 0, 5, 0, 0, 1, 45, 0, 0, 17, 0, 0, 0, 10, 0, 0, 0, 171, 0, 0, 76, 0, 0, 0}},
	{false, []int{5, 5}, []int{2, 2}, []Option{Strides(2, 2), Padded(Pads([2]int{1, 0}, [2]int{0, 1}))}, []int{3, 3}, []float64{1, 0, 2, 0, 3, 0, 0, 0, 5, 6, 0, 4, 0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 8, 0, 0}},
	{true, []int{7}, []int{3}, []Option{Strides(2)}, []int{3}, []float64{0, 0, 1, 2, 0, 0, 3}},
}

func TestWindowScatterNumPy(t *testing.T) {
	for _, tc := range ctrScatterCases {
		vals := ctrVals(Shape(tc.shape).Size(), 3, 11, 5)
		src := make([]float64, Shape(tc.source).Size())
		for i := range src {
			src[i] = float64(i + 1)
		}
		fn := WindowScatterMin
		if tc.max {
			fn = WindowScatterMax
		}
		for _, dt := range []DType{F32, F64, BF16, S16, S64} {
			got := fn(ctrTensor(dt, vals, tc.shape...), ctrTensor(dt, src, tc.source...), Number(0), tc.window, tc.opts...)
			ctrWant(t, fmt.Sprintf("scatter max=%t %v %v %s", tc.max, tc.shape, tc.window, dt), got, dt, tc.shape, tc.want, 0)
		}
	}
}

func TestWindowScatterKnownValues(t *testing.T) {
	// Nx documentation examples.
	t1 := FromSlice([]int32{7, 2, 5, 3, 10, 2, 3, 8, 9, 3, 4, 2, 1, 5, 7, 5, 6, 1, 0, 6, 2, 7, 2, 8}, 4, 6)
	t2 := FromSlice([]int32{7, 2, 5, 3, 8, 3, 8, 9, 3, 4, 1, 5, 7, 5, 6, 0, 6, 2, 10, 2}, 4, 5)
	src := FromSlice([]int32{2, 6, 3, 1}, 2, 2)
	zero := Scalar(int32(0))
	tests := []struct {
		name  string
		got   *Tensor
		dt    DType
		shape []int
		want  []float64
	}{
		{"max", WindowScatterMax(t1, src, zero, []int{2, 3}, Strides(2, 3), Padded(Valid)), S32, []int{4, 6},
			[]float64{0, 0, 0, 0, 6, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
		{"max overlap", WindowScatterMax(t2, src, zero, []int{2, 3}, Strides(2, 2)), S32, []int{4, 5},
			[]float64{0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 1, 0}},
		{"min", WindowScatterMin(t1, src, zero, []int{2, 3}, Strides(2, 3)), S32, []int{4, 6},
			[]float64{0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 0, 0}},
		{"min overlap", WindowScatterMin(t2, src, zero, []int{2, 3}, Strides(2, 2)), S32, []int{4, 5},
			[]float64{0, 2, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1}},
		// The initial value fills the rest; types merge (s32 with an f32 scalar).
		{"init", WindowScatterMax(FromSlice([]float32{1, 3, 2, 5}), FromSlice([]float32{10, 20}), Scalar(float32(0.5)), []int{2}, Strides(2)),
			F32, []int{4}, []float64{0.5, 10.5, 0.5, 20.5}},
		{"merge", WindowScatterMax(FromSlice([]float32{1, 3}), FromSlice([]int32{7}), Scalar(float32(1)), []int{2}), F32, []int{2}, []float64{1, 8}},
		// Ties pick the last element, as in Nx; padding is never selected, even
		// when every element is below the padding's would-be value.
		{"tie", WindowScatterMax(FromSlice([]float64{4, 4, 4}), FromSlice([]float64{1, 2}), Number(0), []int{2}), F64, []int{3}, []float64{0, 1, 2}},
		{"tie min", WindowScatterMin(FromSlice([]int8{4, 4, 4}), FromSlice([]int8{1, 2}), Number(0), []int{2}), S8, []int{3}, []float64{0, 1, 2}},
		{"padding", WindowScatterMax(FromSlice([]float64{-4, -5}), FromSlice([]float64{1, 2, 3}), Number(0), []int{2}, Padded(Pads([2]int{1, 1}))),
			F64, []int{2}, []float64{3, 3}},
		{"same", WindowScatterMin(FromSlice([]int64{3, 1, 2}), FromSlice([]int64{1, 1, 1}), Number(0), []int{3}, Padded(Same)), S64, []int{3}, []float64{0, 3, 0}},
		{"f16", WindowScatterMax(FromSlice([]float64{1, 2, 3}), AsType(FromSlice([]float64{0.5, 0.25}), F16), Number(1), []int{2}), F16, []int{3}, []float64{1, 1.5, 1.25}},
	}
	for _, tc := range tests {
		ctrWant(t, tc.name, tc.got, tc.dt, tc.shape, tc.want, 0)
	}
}

func TestWindowErrors(t *testing.T) {
	x := Ones(F32, 4, 5)
	tests := []struct {
		name string
		fn   func()
		op   string
		want []string
	}{
		{"window rank", func() { WindowSum(x, []int{2}) }, "nx.WindowSum", []string{"f32[4][5]", "window [2] has 1 dimensions: want one per axis (2)"}},
		{"window zero", func() { WindowMax(x, []int{0, 1}) }, "nx.WindowMax", []string{"each dimension must be at least 1"}},
		{"too big", func() { WindowMin(x, []int{5, 1}) }, "nx.WindowMin", []string{"window (size 5 along axis 0, dilated) does not fit in the padded input (size 4)"}},
		{"dilated too big", func() { WindowSum(x, []int{2, 2}, WindowDilations(4)) }, "nx.WindowSum", []string{"size 5 along axis 0"}},
		{"strides", func() { WindowProduct(x, []int{1, 1}, Strides(1, 1, 1)) }, "nx.WindowProduct", []string{"Strides has 3 values"}},
		{"negative pad", func() { WindowSum(x, []int{1, 1}, Padded(Pads([2]int{-1, 0}, [2]int{0, 0}))) }, "nx.WindowSum", []string{"pads must not be negative"}},
		{"pad count", func() { WindowMean(x, []int{1, 1}, Padded(Pads([2]int{1, 0}))) }, "nx.WindowMean", []string{"1 (low, high) pairs"}},
		{"complex max", func() { WindowMax(Ones(C64, 2), []int{1}) }, "nx.WindowMax", []string{"complex numbers are not ordered"}},
		{"option", func() { WindowSum(x, []int{1, 1}, KeepAxes()) }, "nx.WindowSum", []string{"option KeepAxes is not supported"}},
		{"scatter source", func() { WindowScatterMax(x, Ones(F32, 2, 2), Number(0), []int{2, 2}) }, "nx.WindowScatterMax", []string{"source has shape [2 2]: want [3 4]"}},
		{"scatter init", func() { WindowScatterMin(x, Ones(F32, 3, 4), Ones(F32, 1), []int{2, 2}) }, "nx.WindowScatterMin", []string{"initial value must be a scalar"}},
		{"scatter window", func() { WindowScatterMax(x, Ones(F32, 3, 4), Number(0), []int{2}) }, "nx.WindowScatterMax", []string{"window [2] has 1 dimensions"}},
		{"scatter complex", func() { WindowScatterMax(x, Ones(C64, 3, 4), Number(0), []int{2, 2}) }, "nx.WindowScatterMax", []string{"complex numbers are not ordered"}},
		{"scatter dilations", func() { WindowScatterMax(x, Ones(F32, 3, 4), Number(0), []int{2, 2}, WindowDilations(2)) }, "nx.WindowScatterMax", []string{"option WindowDilations is not supported"}},
	}
	for _, tc := range tests {
		ctrPanics(t, tc.name, tc.fn, tc.op, tc.want...)
	}
}

// TestWindowSelectPlanesMatchesAny checks the pooling fast path of the
// select-and-scatter against the general loop: ties (small integers), NaNs,
// overlapping and strided windows, max and min.
func TestWindowSelectPlanesMatchesAny(t *testing.T) {
	for _, tc := range []struct {
		shape, window, strides []int
	}{
		{[]int{2, 3, 6, 6}, []int{1, 1, 2, 2}, []int{1, 1, 2, 2}},
		{[]int{2, 3, 7, 5}, []int{1, 1, 3, 2}, []int{1, 1, 2, 1}},
		{[]int{4, 9}, []int{2, 3}, []int{1, 3}},
		{[]int{3, 1, 5, 5}, []int{1, 1, 5, 5}, []int{1, 1, 1, 1}},
	} {
		shape := Shape(tc.shape)
		data := make([]float32, shape.Size())
		for i := range data {
			data[i] = float32((i * 7) % 5)
			if i%23 == 11 {
				data[i] = float32(math.NaN())
			}
		}
		windows := make(Shape, len(shape))
		for d := range shape {
			windows[d] = (shape[d]-tc.window[d])/tc.strides[d] + 1
		}
		for _, isMax := range []bool{true, false} {
			a := windowScatterAttr{max: isMax, window: tc.window, strides: tc.strides, lo: make([]int, len(shape))}
			if !planeWindows(shape, windows, a) {
				t.Fatalf("%v window %v: not taken by the fast path", shape, tc.window)
			}
			got, want := windowSelectPlanes(data, shape, windows, a), windowSelectAny(data, shape, windows, a)
			if !slices.Equal(got, want) {
				t.Errorf("%v window %v strides %v max %v: planes %v, general %v", shape, tc.window, tc.strides, isMax, got, want)
			}
			// The one-pass scatter adds each source value at the general
			// loop's choice, on top of the initial value.
			src := make([]float32, windows.Size())
			for i := range src {
				src[i] = float32(i%11) - 3
			}
			wantOut := make([]float32, len(data))
			for i := range wantOut {
				wantOut[i] = 0.5
			}
			scatterAdd(wantOut, src, want)
			scatter := WindowScatterMax
			if !isMax {
				scatter = WindowScatterMin
			}
			gotOut := scatter(FromSlice(data, tc.shape...), FromSlice(src, windows...), Scalar(float32(0.5)), tc.window, Strides(tc.strides...)).Float32s()
			if !slices.Equal(gotOut, wantOut) {
				t.Errorf("%v window %v strides %v max %v: scatter %v, want %v", shape, tc.window, tc.strides, isMax, gotOut, wantOut)
			}
		}
	}
	a := windowScatterAttr{max: true, window: []int{1, 2, 2}, strides: []int{1, 1, 1}, lo: []int{0, 0, 0}}
	if planeWindows(Shape{2, 4, 4}, Shape{1, 3, 3}, a) {
		t.Error("the fast path took a window over a leading axis of the wrong extent")
	}
	a.lo = []int{0, 1, 0}
	if planeWindows(Shape{2, 4, 4}, Shape{2, 4, 3}, a) {
		t.Error("the fast path took padded windows")
	}
}

// TestWindowChoosePlanesMax2x2 checks the unrolled 2×2 max choice against
// the general one, on data full of ties, signed zeros and NaNs, with
// overlapping and disjoint windows, and the scatter it does with no sel.
func TestWindowChoosePlanesMax2x2(t *testing.T) {
	shape := Shape{3, 2, 7, 9}
	data := make([]float32, shape.Size())
	vals := []float32{0, float32(math.Copysign(0, -1)), 1, 1, 2, float32(math.NaN()), -1}
	for i := range data {
		data[i] = vals[(i*7+i/5)%len(vals)]
	}
	for _, s := range []int{1, 2} {
		a := windowScatterAttr{max: true, window: []int{1, 1, 2, 2}, strides: []int{1, 1, s, s}, lo: []int{0, 0, 0, 0}}
		windows := Shape{3, 2, (7-2)/s + 1, (9-2)/s + 1}
		if !planeWindows(shape, windows, a) {
			t.Fatalf("stride %d: not plane windows", s)
		}
		got, want := windowSelectPlanes(data, shape, windows, a), windowSelectAny(data, shape, windows, a)
		if !slices.Equal(got, want) {
			t.Fatalf("stride %d: chose %v, want %v", s, got, want)
		}
		src := make([]float32, windows.Size())
		for i := range src {
			src[i] = float32(i + 1)
		}
		out, ref := make([]float32, len(data)), make([]float32, len(data))
		windowChoosePlanes(data, shape, windows, a, nil, out, src)
		scatterAdd(ref, src, want)
		if !slices.Equal(out, ref) {
			t.Fatalf("stride %d: scattered %v, want %v", s, out, ref)
		}
	}
}

// TestWindowMax2x2Order checks max pooling over 2×2 windows (the unrolled
// path) bit for bit against the sequential rule in row-major window order:
// the first of equal zeros is kept and a NaN wins, padding counts as -Inf.
func TestWindowMax2x2Order(t *testing.T) {
	h, w := 9, 11
	nz := float32(math.Copysign(0, -1))
	vals := []float32{0, nz, 0, nz, nz, 0, -2, float32(math.NaN()), 1}
	data := make([]float32, 2*3*h*w)
	seed := uint32(7)
	for i := range data {
		seed = seed*1664525 + 1013904223
		data[i] = vals[(seed>>16)%uint32(len(vals))]
	}
	for _, s := range []int{1, 2} {
		for _, pad := range []bool{false, true} {
			opts := []Option{Strides(1, 1, s, s)}
			lo := 0
			if pad {
				opts = append(opts, Padded(Pads([2]int{0, 0}, [2]int{0, 0}, [2]int{1, 0}, [2]int{1, 1})))
				lo = 1
			}
			got := WindowMax(FromSlice(data, 2, 3, h, w), []int{1, 1, 2, 2}, opts...)
			oh, ow := got.Shape()[2], got.Shape()[3]
			gv := got.Data().([]float32)
			for pl := range 6 {
				for oy := range oh {
					for ox := range ow {
						acc := float32(math.Inf(-1))
						for dy := range 2 {
							for dx := range 2 {
								y, x := oy*s+dy-lo, ox*s+dx-lo
								v := float32(math.Inf(-1))
								if y >= 0 && y < h && x >= 0 && x < w {
									v = data[pl*h*w+y*w+x]
								}
								if v > acc || v != v {
									acc = v
								}
							}
						}
						g := gv[pl*oh*ow+oy*ow+ox]
						if math.Float32bits(g) != math.Float32bits(acc) {
							t.Fatalf("stride %d pad %v: window (%d, %d, %d) is %v, want %v", s, pad, pl, oy, ox, g, acc)
						}
					}
				}
			}
		}
	}
}
