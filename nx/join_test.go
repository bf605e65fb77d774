package nx

import "testing"

func TestConcatenate(t *testing.T) {
	a := Iota(Shape{2, 3})
	b := Add(Iota(Shape{2, 2}), Scalar(int64(10)))
	tests := []struct {
		name  string
		ts    []*Tensor
		opts  []Option
		dt    DType
		shape []int
		want  []float64
	}{
		{"single", []*Tensor{FromSlice([]int32{1, 2, 3})}, nil, S32, []int{3}, []float64{1, 2, 3}},
		{"1d", []*Tensor{FromSlice([]int32{1, 2, 3}), FromSlice([]int32{4, 5, 6})}, nil, S32, []int{6}, []float64{1, 2, 3, 4, 5, 6}},
		// NumPy: np.concatenate([np.arange(6).reshape(2,3), np.arange(4).reshape(2,2)+10], axis=1)
		{"axis 1", []*Tensor{a, b}, []Option{Axis(1)}, S64, []int{2, 5}, []float64{0, 1, 2, 10, 11, 3, 4, 5, 12, 13}},
		{"axis -1", []*Tensor{b, a}, []Option{Axis(-1)}, S64, []int{2, 5}, []float64{10, 11, 0, 1, 2, 12, 13, 3, 4, 5}},
		// Nx: iota {2,2,2} f32, {1,2,2} u8, {1,2,2} s64 on axis 0 give f32[4][2][2].
		{"merged types", []*Tensor{Iota(Shape{2, 2, 2}, Type(F32)), Iota(Shape{1, 2, 2}, Type(U8)), Iota(Shape{1, 2, 2})}, nil,
			F32, []int{4, 2, 2}, []float64{0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 0, 1, 2, 3}},
		// Nx: iota {1,3,2}, {1,1,2}, {1,2,2} on axis 1.
		{"three on axis 1", []*Tensor{Iota(Shape{1, 3, 2}), Iota(Shape{1, 1, 2}), Iota(Shape{1, 2, 2})}, []Option{Axis(1)},
			S64, []int{1, 6, 2}, []float64{0, 1, 2, 3, 4, 5, 0, 1, 0, 1, 2, 3}},
		{"empty part", []*Tensor{Iota(Shape{2, 0}), a}, []Option{Axis(1)}, S64, []int{2, 3}, idxIota(6)},
		{"weak number", []*Tensor{FromSlice([]uint8{1}), Number(2)}, nil, U8, []int{2}, []float64{1, 2}},
	}
	for _, tc := range tests {
		var ts []*Tensor
		for _, x := range tc.ts {
			if x.Rank() == 0 {
				x = Reshape(x, 1) // weak numbers as 1-element tensors
				x.weak = true
			}
			ts = append(ts, x)
		}
		idxWant(t, tc.name, Concatenate(ts, tc.opts...), tc.dt, tc.shape, tc.want)
	}
	for _, dt := range DTypes() {
		x := idxTensor(dt, []int{2, 1}, []float64{1, 2})
		y := idxTensor(dt, []int{2, 2}, []float64{3, 4, 5, 6})
		idxWant(t, "concat "+dt.String(), Concatenate([]*Tensor{x, y}, Axis(1)), dt, []int{2, 3}, []float64{1, 3, 4, 2, 5, 6})
	}
	// Large enough to copy in parallel.
	big := Concatenate([]*Tensor{Iota(Shape{300, 200}), Iota(Shape{300, 100})}, Axis(1)).Int64s()
	if big[0] != 0 || big[200] != 0 || big[199] != 199 || big[300+200] != 100 || big[len(big)-1] != 29999 {
		t.Fatalf("large concatenation is wrong: %v ...", big[:4])
	}

	idxPanic(t, func() { Concatenate(nil) }, "nx.Concatenate()", "at least one tensor")
	idxPanic(t, func() { Concatenate([]*Tensor{Iota(Shape{1, 2, 3}), Iota(Shape{1, 1, 3})}) }, "nx.Concatenate(s64[1][2][3], s64[1][1][3])", "shapes must match except on axis 0")
	idxPanic(t, func() { Concatenate([]*Tensor{Iota(Shape{1, 2, 3}), Iota(Shape{1, 1})}) }, "shapes must match")
	idxPanic(t, func() { Concatenate([]*Tensor{Scalar(1), Scalar(2)}) }, "cannot concatenate scalars")
	idxPanic(t, func() { Concatenate([]*Tensor{a, a}, Axis(2)) }, "axis 2 is out of range")
	idxPanic(t, func() { Concatenate([]*Tensor{a, nil}) }, "tensor 1 is nil")
}

func TestStack(t *testing.T) {
	a := Iota(Shape{2, 3})
	b := Add(Iota(Shape{2, 3}), Scalar(int64(6)))
	// NumPy: np.stack([a, b], axis=k)
	idxWant(t, "axis 0", Stack([]*Tensor{a, b}), S64, []int{2, 2, 3}, idxIota(12))
	idxWant(t, "axis 1", Stack([]*Tensor{a, b}, Axis(1)), S64, []int{2, 2, 3}, []float64{0, 1, 2, 6, 7, 8, 3, 4, 5, 9, 10, 11})
	idxWant(t, "axis -1", Stack([]*Tensor{a, b}, Axis(-1)), S64, []int{2, 3, 2}, []float64{0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11})
	idxWant(t, "scalars", Stack([]*Tensor{Scalar(int32(1)), Scalar(2.5)}), F64, []int{2}, []float64{1, 2.5})
	idxWant(t, "one", Stack([]*Tensor{a}, Axis(2)), S64, []int{2, 3, 1}, idxIota(6))
	idxWant(t, "empty", Stack([]*Tensor{Iota(Shape{0}), Iota(Shape{0})}), S64, []int{2, 0}, nil)
	for _, dt := range DTypes() {
		x := idxTensor(dt, []int{2}, []float64{1, 2})
		y := idxTensor(dt, []int{2}, []float64{3, 4})
		idxWant(t, "stack "+dt.String(), Stack([]*Tensor{x, y}, Axis(1)), dt, []int{2, 2}, []float64{1, 3, 2, 4})
	}
	idxPanic(t, func() { Stack([]*Tensor{a, Iota(Shape{3, 2})}) }, "nx.Stack(s64[2][3], s64[3][2])", "same shape")
	idxPanic(t, func() { Stack([]*Tensor{a, b}, Axis(3)) }, "axis 3 is out of range")
	idxPanic(t, func() { Stack(nil) }, "at least one tensor")
}

func TestSplit(t *testing.T) {
	x := Iota(Shape{3, 4})
	parts := Split(x, []int{2, -1})
	idxWant(t, "left", parts[0], S64, []int{2, 4}, idxIota(8))
	idxWant(t, "right", parts[1], S64, []int{1, 4}, []float64{8, 9, 10, 11})
	parts = Split(x, []int{1, 0, 3}, Axis(-1))
	idxWant(t, "a", parts[0], S64, []int{3, 1}, []float64{0, 4, 8})
	idxWant(t, "b", parts[1], S64, []int{3, 0}, nil)
	idxWant(t, "c", parts[2], S64, []int{3, 3}, []float64{1, 2, 3, 5, 6, 7, 9, 10, 11})
	parts = SplitN(x, 2, Axis(1))
	if len(parts) != 2 {
		t.Fatalf("SplitN gave %d parts", len(parts))
	}
	idxWant(t, "n0", parts[0], S64, []int{3, 2}, []float64{0, 1, 4, 5, 8, 9})
	idxWant(t, "n1", parts[1], S64, []int{3, 2}, []float64{2, 3, 6, 7, 10, 11})
	if parts := SplitN(x, 3); len(parts) != 3 || parts[2].Int64s()[0] != 8 {
		t.Fatalf("SplitN by 3 is wrong")
	}

	idxPanic(t, func() { Split(x, []int{2, 2}) }, "nx.Split(s64[3][4])", "must add up to 3")
	idxPanic(t, func() { Split(x, []int{5, -1}) }, "must add up to 3")
	idxPanic(t, func() { Split(x, []int{-1, -1}) }, "at most one -1")
	idxPanic(t, func() { Split(x, []int{-2, 5}) }, "sizes >= 0")
	idxPanic(t, func() { Split(Scalar(1), []int{1}) }, "cannot split a scalar")
	idxPanic(t, func() { SplitN(x, 3, Axis(1)) }, "nx.SplitN", "axis 1 of size 4 into 3")
	idxPanic(t, func() { SplitN(x, 0) }, "into 0 equal pieces")
}
