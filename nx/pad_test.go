package nx

import "testing"

func TestPad(t *testing.T) {
	m := FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	c := FromSlice([]int32{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2)
	zero := Number(0)
	tests := []struct {
		name   string
		in     *Tensor
		value  *Tensor
		config [][3]int
		dt     DType
		shape  []int
		want   []float64
	}{
		{"scalar", Scalar(int32(1)), zero, nil, S32, []int{}, []float64{1}},
		{"edges", FromSlice([]int32{1, 2, 3}), zero, [][3]int{{1, 1, 0}}, S32, []int{5}, []float64{0, 1, 2, 3, 0}},
		{"interior", m, zero, [][3]int{{0, 0, 1}, {0, 0, 1}}, S32, []int{3, 5},
			[]float64{1, 0, 2, 0, 3, 0, 0, 0, 0, 0, 4, 0, 5, 0, 6}},
		{"both", m, zero, [][3]int{{1, 1, 0}, {1, 1, 0}}, S32, []int{4, 5},
			[]float64{0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0}},
		{"3d", c, zero, [][3]int{{1, 0, 0}, {1, 1, 0}, {0, 1, 0}}, S32, []int{3, 4, 3},
			[]float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 5, 6, 0, 7, 8, 0, 0, 0, 0}},
		{"crop both ends", FromSlice([]int32{0, 1, 2, 3, 0}), zero, [][3]int{{-1, -1, 0}}, S32, []int{3}, []float64{1, 2, 3}},
		{"crop and pad", FromSlice([]int32{0, 1, 2, 3, 0, 4, 5, 6}, 2, 4), zero, [][3]int{{0, 0, 0}, {-1, 1, 0}}, S32, []int{2, 4},
			[]float64{1, 2, 3, 0, 4, 5, 6, 0}},
		{"crop f32", FromSlice([]float32{0, 1, 2, 3, 4, 5}, 2, 3), Number(0.0), [][3]int{{-1, 2, 0}, {1, -1, 0}}, F32, []int{3, 3},
			[]float64{0, 3, 4, 0, 0, 0, 0, 0, 0}},
		// The reference values below come from NumPy: interior dilation, then
		// constant padding for positive widths and slicing for negative ones.
		{"numpy 3d", Add(Iota(Shape{2, 3, 4}), Scalar(int64(1))), Scalar(int64(-1)), [][3]int{{1, -1, 1}, {-2, 1, 1}, {0, -1, 2}}, S64, []int{3, 4, 9},
			idxPad3d()},
		{"numpy crop into interior", Add(Iota(Shape{5}), Scalar(int64(1))), Scalar(int64(9)), [][3]int{{-3, -4, 2}}, S64, []int{6},
			[]float64{2, 9, 9, 3, 9, 9}},
		{"numpy mixed", Iota(Shape{2, 3}), Scalar(int64(7)), [][3]int{{-1, 1, 0}, {-1, 1, 3}}, S64, []int{2, 9},
			[]float64{7, 7, 7, 4, 7, 7, 7, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}},
		{"all cropped", Iota(Shape{2, 3}), Scalar(int64(7)), [][3]int{{0, 0, 0}, {-6, -1, 3}}, S64, []int{2, 2},
			[]float64{7, 7, 7, 7}},
		{"empty axis", Iota(Shape{0, 2}), Scalar(int64(3)), [][3]int{{1, 1, 4}, {0, 0, 0}}, S64, []int{2, 2},
			[]float64{3, 3, 3, 3}},
		{"merged type", FromSlice([]uint8{1, 2}), Scalar(0.5), [][3]int{{1, 0, 0}}, F64, []int{3}, []float64{0.5, 1, 2}},
		{"nothing", m, zero, [][3]int{{0, 0, 0}, {0, 0, 0}}, S32, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6}},
	}
	for _, tc := range tests {
		got := Pad(tc.in, tc.value, tc.config...)
		idxWant(t, tc.name, got, tc.dt, tc.shape, tc.want)
	}
	for _, dt := range DTypes() {
		x := idxTensor(dt, []int{2, 2}, []float64{1, 2, 3, 4})
		got := Pad(x, idxTensor(dt, []int{}, []float64{9}), [3]int{1, -1, 0}, [3]int{0, 1, 1})
		idxWant(t, "pad "+dt.String(), got, dt, []int{2, 4}, []float64{9, 9, 9, 9, 1, 9, 2, 9})
	}
	// Large enough to fill and copy in parallel.
	big := Pad(Ones(F32, 200, 300), Scalar(float32(2)), [3]int{1, 1, 0}, [3]int{0, 0, 1})
	if s := Sum(big).Float64(); s != 200*300+(599*202-200*300)*2 {
		t.Fatalf("large pad sums to %v", s)
	}

	idxPanic(t, func() { Pad(m, zero, [3]int{0, 0, 0}) }, "nx.Pad(s32[2][3], s64)", "got 1 padding configurations, want one per axis (2)")
	idxPanic(t, func() { Pad(m, Zeros(S32, 1), [3]int{0, 0, 0}, [3]int{0, 0, 0}) }, "must be a scalar")
	idxPanic(t, func() { Pad(m, nil, [3]int{0, 0, 0}, [3]int{0, 0, 0}) }, "must be a scalar")
	idxPanic(t, func() { Pad(m, zero, [3]int{0, 0, -1}, [3]int{0, 0, 0}) }, "interior padding -1 on axis 0")
	idxPanic(t, func() { Pad(m, zero, [3]int{0, 0, 0}, [3]int{-2, -2, 0}) }, "removes more than the 3 elements of axis 1")
}

// idxPad3d is NumPy's result for the "numpy 3d" case of TestPad: only these
// positions hold elements of the input; the rest is the padding value -1.
func idxPad3d() []float64 {
	v := make([]float64, 3*4*9)
	for i := range v {
		v[i] = -1
	}
	for pos, x := range map[int]float64{36: 5, 39: 6, 42: 7, 54: 9, 57: 10, 60: 11} {
		v[pos] = x
	}
	return v
}

func TestReverse(t *testing.T) {
	it := Iota(Shape{2, 3, 4})
	// NumPy: np.flip(it, axis=(0, 2)) and np.flip(it)
	idxWant(t, "axes 0 2", Reverse(it, Axes(0, -1)), S64, []int{2, 3, 4},
		[]float64{15, 14, 13, 12, 19, 18, 17, 16, 23, 22, 21, 20, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8})
	all := make([]float64, 24)
	for i := range all {
		all[i] = float64(23 - i)
	}
	idxWant(t, "all", Reverse(it), S64, []int{2, 3, 4}, all)
	// Nx: reverse(iota({2,2,2}, type: :f32), axes: [:x, :z])
	idxWant(t, "nx", Reverse(Iota(Shape{2, 2, 2}, Type(F32)), Axes(2, 0)), F32, []int{2, 2, 2}, []float64{5, 4, 7, 6, 1, 0, 3, 2})
	idxWant(t, "no axes", Reverse(it, Axes()), S64, []int{2, 3, 4}, idxIota(24))
	idxWant(t, "scalar", Reverse(Scalar(int64(3))), S64, []int{}, []float64{3})
	idxWant(t, "empty", Reverse(Iota(Shape{0, 3})), S64, []int{0, 3}, nil)
	for _, dt := range DTypes() {
		idxWant(t, "reverse "+dt.String(), Reverse(idxTensor(dt, []int{3}, []float64{1, 2, 3})), dt, []int{3}, []float64{3, 2, 1})
	}
	idxPanic(t, func() { Reverse(it, Axes(3)) }, "nx.Reverse(s64[2][3][4])", "axis 3 is out of range")
	idxPanic(t, func() { Reverse(it, Axes(1, 1)) }, "given twice")
	idxPanic(t, func() { Reverse(it, Axis(1)) }, "option Axis is not supported")
}

func TestTile(t *testing.T) {
	b := FromSlice([]int32{1, 2, 3, 4}, 2, 2)
	idxWant(t, "[2]", Tile(b, []int{2}), S32, []int{2, 4}, []float64{1, 2, 1, 2, 3, 4, 3, 4})
	idxWant(t, "[2 1]", Tile(b, []int{2, 1}), S32, []int{4, 2}, []float64{1, 2, 3, 4, 1, 2, 3, 4})
	idxWant(t, "[1 2]", Tile(b, []int{1, 2}), S32, []int{2, 4}, []float64{1, 2, 1, 2, 3, 4, 3, 4})
	idxWant(t, "[4 1]", Tile(FromSlice([]int32{1, 2, 3, 4}), []int{4, 1}), S32, []int{4, 4},
		[]float64{1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4})
	// NumPy: np.tile(np.arange(6).reshape(2,3), (2,1,2)) and (3,)
	x := Iota(Shape{2, 3})
	idxWant(t, "numpy 3", Tile(x, []int{2, 1, 2}), S64, []int{2, 2, 6},
		[]float64{0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5})
	idxWant(t, "numpy short", Tile(x, []int{3}), S64, []int{2, 9},
		[]float64{0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5, 3, 4, 5})
	idxWant(t, "scalar", Tile(Scalar(int64(7)), []int{2}), S64, []int{2}, []float64{7, 7})
	idxWant(t, "none", Tile(x, nil), S64, []int{2, 3}, idxIota(6))
	idxWant(t, "zero", Tile(x, []int{0, 1}), S64, []int{0, 3}, nil)
	idxPanic(t, func() { Tile(x, []int{-1}) }, "nx.Tile(s64[2][3])", "must not be negative")
}

// TestPadIntoReusedBuffer pads twice in a compiled function, the second
// result written into the buffer of the first (dead by then): the padding
// must be written, not assumed to be zero already.
func TestPadIntoReusedBuffer(t *testing.T) {
	// Two configurations giving the same shape, [8][8], with the padding in
	// other places.
	cfg1, cfg2 := [][3]int{{1, 2, 0}, {0, 1, 1}}, [][3]int{{2, 1, 0}, {1, 0, 1}}
	f := func(x *Tensor) *Tensor {
		first := Sum(Add(Pad(x, Number(0), cfg1...), Number(1)))
		second := Pad(Multiply(x, Number(3)), Number(0), cfg2...)
		return Add(second, first)
	}
	x := fuseInput(F32, 1, 5, 4)
	want := f(x)
	g := Jit(f)
	for i := range 3 {
		if err := sameResult(want, g(x), 0); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
}
