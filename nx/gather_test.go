package nx

import "testing"

func TestGather(t *testing.T) {
	m := FromSlice([]int32{1, 2, 3, 4}, 2, 2)
	it := Iota(Shape{2, 3, 4}) // NumPy: np.arange(24).reshape(2,3,4)
	tests := []struct {
		name    string
		in, idx *Tensor
		opts    []Option
		shape   []int
		want    []float64
	}{
		{"scalars", m, FromSlice([]int{1, 1, 0, 1, 1, 0}, 3, 2), nil, []int{3}, []float64{4, 2, 3}},
		{"scalars 2d", m, FromSlice([]int{1, 1, 0, 0, 1, 0, 0, 1}, 2, 2, 2), nil, []int{2, 2}, []float64{4, 1, 3, 2}},
		{"rows", FromSlice([]int32{1, 2, 3, 3, 4, 5}, 2, 3), FromSlice([]int{1, 0}, 2, 1), nil, []int{2, 3}, []float64{3, 4, 5, 1, 2, 3}},
		{"columns", FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3), FromSlice([]int{1, 0, 2, 1}, 4, 1), []Option{Axes(1)},
			[]int{4, 2}, []float64{2, 5, 1, 4, 3, 6, 2, 5}},
		// Nx: gather(iota({2, 1, 3}), [[[1], [0], [2]]], axes: [2])
		{"inner axis", Iota(Shape{2, 1, 3}), FromSlice([]int{1, 0, 2}, 1, 3, 1), []Option{Axes(2)},
			[]int{1, 3, 2, 1}, []float64{1, 4, 0, 3, 2, 5}},
		// NumPy: it[idx[:,0], :, idx[:,1]]
		{"axes 0 2", it, FromSlice([]uint8{0, 1, 1, 2, 1, 0}, 3, 2), []Option{Axes(0, -1)},
			[]int{3, 3}, []float64{1, 5, 9, 14, 18, 22, 12, 16, 20}},
		// NumPy: np.stack([it[:, 2, 3], it[:, 0, 0]])
		{"axes -2 -1", it, FromSlice([]int16{2, 3, 0, 0}, 2, 2), []Option{Axes(-2, -1)},
			[]int{2, 2}, []float64{11, 23, 0, 12}},
		{"leading axis", it, FromSlice([]int{1, 0}, 2, 1), nil, []int{2, 3, 4},
			append(idxIota(24)[12:], idxIota(12)...)},
		{"full index", it, FromSlice([]int{1, 2, 3}), nil, []int{}, []float64{23}},
		{"no indexed axes", m, Zeros(S64, 2, 0), nil, []int{2, 2, 2}, []float64{1, 2, 3, 4, 1, 2, 3, 4}},
		{"no indices", m, Zeros(S64, 0, 2), nil, []int{0}, nil},
	}
	for _, tc := range tests {
		got := Gather(tc.in, tc.idx, tc.opts...)
		idxWant(t, tc.name, got, tc.in.DType(), tc.shape, tc.want)
	}
	for _, dt := range DTypes() {
		x := idxTensor(dt, []int{3, 2}, idxIota(6))
		got := Gather(x, FromSlice([]int{2, 0, 1}, 3, 1))
		idxWant(t, "gather "+dt.String(), got, dt, []int{3, 2}, []float64{4, 5, 0, 1, 2, 3})
	}
}

func TestGatherLarge(t *testing.T) {
	// Enough rows to run in parallel: reverse 40000 rows of 2 by gathering.
	n := 40000
	x := Iota(Shape{n, 2})
	idx := Reshape(Subtract(Scalar(int64(n-1)), Iota(Shape{n})), n, 1)
	got := Gather(x, idx).Int64s()
	for i := 0; i < n; i++ {
		if got[2*i] != int64(2*(n-1-i)) || got[2*i+1] != int64(2*(n-1-i)+1) {
			t.Fatalf("row %d is %v", i, got[2*i:2*i+2])
		}
	}
}

func TestGatherErrors(t *testing.T) {
	x := Iota(Shape{2, 3})
	idxPanic(t, func() { Gather(x, FromSlice([]float32{0, 0}, 1, 2)) }, "nx.Gather(s64[2][3], f32[1][2])", "indices must be an integer tensor, got f32")
	idxPanic(t, func() { Gather(x, Scalar(0)) }, "rank 1 or more")
	idxPanic(t, func() { Gather(x, Zeros(S64, 1, 3)) }, "has size 3, more than the tensor's rank 2")
	idxPanic(t, func() { Gather(x, Zeros(S64, 1, 2), Axes(1, 0)) }, "increasing order")
	idxPanic(t, func() { Gather(x, Zeros(S64, 1, 2), Axes(1)) }, "got 1 axes, want 2")
	idxPanic(t, func() { Gather(x, Zeros(S64, 1, 1), Axes(2)) }, "axis 2 is out of range")
	idxPanic(t, func() { Gather(x, FromSlice([]int{1, 3}, 1, 2)) }, "index 3 is out of bounds for axis 1 of size 3")
	idxPanic(t, func() { Gather(x, FromSlice([]int{-1, 0}, 1, 2)) }, "index -1 is out of bounds for axis 0")
	idxPanic(t, func() { Gather(x, Zeros(S64, 1, 1), Axis(0)) }, "option Axis is not supported")
	idxPanic(t, func() { Gather(x, nil) }, "indices is nil")
}

func TestTake(t *testing.T) {
	m := FromSlice([]int32{1, 2, 3, 4}, 2, 2)
	got := Take(m, FromSlice([]int{1, 0, 1}))
	idxWant(t, "axis 0", got, S32, []int{3, 2}, []float64{3, 4, 1, 2, 3, 4})
	got = Take(m, FromSlice([]int{1, 0, 1}), Axis(1))
	idxWant(t, "axis 1", got, S32, []int{2, 3}, []float64{2, 1, 2, 4, 3, 4})
	c := FromSlice([]int32{1, 2, 11, 12, 101, 102, 111, 112}, 2, 2, 2)
	got = Take(c, FromSlice([]int{1, 0, 1}), Axis(1))
	idxWant(t, "3d axis 1", got, S32, []int{2, 3, 2}, []float64{11, 12, 1, 2, 11, 12, 111, 112, 101, 102, 111, 112})
	got = Take(FromSlice([]int32{1, 2, 11, 12}, 2, 2), FromSlice([]int{0, 0, 1, 1, 0, 0}, 3, 2), Axis(1))
	idxWant(t, "2d indices", got, S32, []int{2, 3, 2}, []float64{1, 1, 2, 2, 1, 1, 11, 11, 12, 12, 11, 11})

	it := Iota(Shape{2, 3, 4})
	// NumPy: np.take(it, [[2, 0], [1, 1], [0, 2]], axis=1)
	got = Take(it, FromSlice([]uint16{2, 0, 1, 1, 0, 2}, 3, 2), Axis(1))
	idxWant(t, "numpy 2d indices", got, S64, []int{2, 3, 2, 4}, []float64{
		8, 9, 10, 11, 0, 1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11,
		20, 21, 22, 23, 12, 13, 14, 15, 16, 17, 18, 19, 16, 17, 18, 19, 12, 13, 14, 15, 20, 21, 22, 23})
	// NumPy: np.take(it, [3, 0, 3], axis=-1)
	got = Take(it, FromSlice([]int8{3, 0, 3}), Axis(-1))
	idxWant(t, "last axis", got, S64, []int{2, 3, 3}, []float64{3, 0, 3, 7, 4, 7, 11, 8, 11, 15, 12, 15, 19, 16, 19, 23, 20, 23})
	got = Take(it, Scalar(int64(2)), Axis(1))
	idxWant(t, "scalar index", got, S64, []int{2, 4}, []float64{8, 9, 10, 11, 20, 21, 22, 23})
	got = Take(it, Zeros(S64, 0), Axis(2))
	idxWant(t, "no indices", got, S64, []int{2, 3, 0}, nil)

	for _, dt := range DTypes() {
		got := Take(idxTensor(dt, []int{4}, []float64{5, 6, 7, 8}), FromSlice([]int{3, 3, 0}))
		idxWant(t, "take "+dt.String(), got, dt, []int{3}, []float64{8, 8, 5})
	}

	idxPanic(t, func() { Take(m, FromSlice([]float32{1})) }, "nx.Take", "indices must be an integer tensor, got f32")
	idxPanic(t, func() { Take(m, FromSlice([]int{2})) }, "nx.Take", "index 2 is out of bounds for axis 0 of size 2")
	idxPanic(t, func() { Take(m, FromSlice([]int{0}), Axis(2)) }, "axis 2 is out of range")
	idxPanic(t, func() { Take(Scalar(1), FromSlice([]int{0})) }, "cannot take from a scalar")
}

func TestTakeAlongAxis(t *testing.T) {
	x := FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	got := TakeAlongAxis(x, FromSlice([]int{0, 0, 2, 2, 1, 1, 2, 2, 1, 1, 0, 0}, 2, 6), Axis(1))
	idxWant(t, "axis 1", got, S32, []int{2, 6}, []float64{1, 1, 3, 3, 2, 2, 6, 6, 5, 5, 4, 4})
	got = TakeAlongAxis(x, FromSlice([]int{0, 1, 1, 1, 0, 0, 0, 1, 0}, 3, 3), Axis(0))
	idxWant(t, "axis 0", got, S32, []int{3, 3}, []float64{1, 5, 6, 4, 2, 3, 1, 5, 3})
	// Nx: sorting with argsort's indices along axis 2.
	s := FromSlice([]int32{1, 2, 3, 4, 5, 6}, 1, 3, 2)
	got = TakeAlongAxis(s, FromSlice([]uint8{1, 0, 1, 0, 1, 0}, 1, 3, 2), Axis(-1))
	idxWant(t, "axis -1", got, S32, []int{1, 3, 2}, []float64{2, 1, 4, 3, 6, 5})
	got = TakeAlongAxis(Iota(Shape{2, 0}), Zeros(S64, 2, 0), Axis(1))
	idxWant(t, "empty", got, S64, []int{2, 0}, nil)

	for _, dt := range DTypes() {
		got := TakeAlongAxis(idxTensor(dt, []int{2, 2}, []float64{1, 2, 3, 4}), FromSlice([]int{1, 1, 0, 1}, 2, 2), Axis(1))
		idxWant(t, "along "+dt.String(), got, dt, []int{2, 2}, []float64{2, 2, 3, 4})
	}

	idxPanic(t, func() { TakeAlongAxis(x, FromSlice([]float64{0}, 1, 1)) }, "nx.TakeAlongAxis", "integer tensor, got f64")
	idxPanic(t, func() { TakeAlongAxis(x, FromSlice([]int{0, 1, 2})) }, "indices must have the tensor's rank 2, got 1")
	idxPanic(t, func() { TakeAlongAxis(x, Zeros(S64, 2, 2), Axis(0)) }, "except on axis 0")
	idxPanic(t, func() { TakeAlongAxis(x, FromSlice([]int{0, 3}, 2, 1), Axis(1)) }, "nx.TakeAlongAxis", "index 3 is out of bounds")
}

func TestIndexedAddPut(t *testing.T) {
	it := Iota(Shape{1, 2, 3}, Type(S32))
	got := IndexedAdd(it, FromSlice([]int{0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 2, 0, 1, 2}, 5, 3), FromSlice([]int32{1, 3, 1, -2, 5}))
	idxWant(t, "add scalars", got, S32, []int{1, 2, 3}, []float64{2, 1, 0, 3, 7, 10})
	got = IndexedAdd(FromSlice([]int32{1, 2}, 2, 1), FromSlice([]int{1, 0}), Number(8))
	idxWant(t, "add shorthand", got, S32, []int{2, 1}, []float64{1, 10})
	got = IndexedPut(FromSlice([]int32{1, 2}, 2, 1), FromSlice([]int{1, 0}), Number(10))
	idxWant(t, "put shorthand", got, S32, []int{2, 1}, []float64{1, 10})
	got = IndexedPut(it, FromSlice([]int{0, 0, 0, 0, 1, 1, 0, 0, 2}, 3, 3), FromSlice([]int32{1, 3, -2}))
	idxWant(t, "put scalars", got, S32, []int{1, 2, 3}, []float64{1, 1, -2, 3, 3, 5})

	// Windows: rows of the non-indexed axes.
	got = IndexedPut(Iota(Shape{1, 3, 2}, Type(S32)), FromSlice([]int{0, 0, 0, 2}, 2, 2), FromSlice([]int32{0, 10, 40, 50}, 2, 2))
	idxWant(t, "put rows", got, S32, []int{1, 3, 2}, []float64{0, 10, 2, 3, 40, 50})
	got = IndexedPut(it, FromSlice([]int{0, 0, 0, 2}, 2, 2), FromSlice([]int32{0, 30, 20, 50}, 2, 2), Axes(0, 2))
	idxWant(t, "put axes 0 2", got, S32, []int{1, 2, 3}, []float64{0, 1, 20, 30, 4, 50})
	// NumPy: r[:, i, :] += upd[k] for i in [2, 0, 2]
	got = IndexedAdd(Iota(Shape{2, 3, 4}), FromSlice([]int{2, 0, 2}, 3, 1), Add(Iota(Shape{3, 2, 4}), Scalar(int64(1))), Axes(1))
	idxWant(t, "add axis 1 repeated", got, S64, []int{2, 3, 4}, []float64{
		9, 11, 13, 15, 4, 5, 6, 7, 26, 29, 32, 35, 25, 27, 29, 31, 16, 17, 18, 19, 46, 49, 52, 55})
	// Smaller windows go to the start of the non-indexed axes.
	got = IndexedPut(Zeros(S64, 3, 4), FromSlice([]int{2, 0}, 2, 1), FromSlice([]int64{5, 6, 7, 8}, 2, 2))
	idxWant(t, "put small window", got, S64, []int{3, 4}, []float64{7, 8, 0, 0, 0, 0, 0, 0, 5, 6, 0, 0})
	got = IndexedPut(Zeros(S64, 3), FromSlice([]int{1, 1, 1}, 3, 1), FromSlice([]int64{4, 5, 6}))
	idxWant(t, "put last wins", got, S64, []int{3}, []float64{0, 6, 0})
	got = IndexedAdd(Zeros(S64, 2, 2), Zeros(S64, 0, 2), Zeros(S64, 0))
	idxWant(t, "no updates", got, S64, []int{2, 2}, []float64{0, 0, 0, 0})

	// Types merge.
	got = IndexedAdd(FromSlice([]float32{1}), FromSlice([]int{0, 0}, 2, 1), FromSlice([]int32{1, 1}))
	idxWant(t, "add f32 s32", got, F32, []int{1}, []float64{3})
	got = IndexedAdd(FromSlice([]int32{1}), FromSlice([]int{0, 0}, 2, 1), FromSlice([]int64{1, 1}))
	idxWant(t, "add s32 s64", got, S64, []int{1}, []float64{3})
	got = IndexedPut(FromSlice([]int32{1}), FromSlice([]int{0}, 1, 1), FromSlice([]float32{3}))
	idxWant(t, "put s32 f32", got, F32, []int{1}, []float64{3})

	for _, dt := range DTypes() {
		base := idxTensor(dt, []int{2, 2}, []float64{1, 2, 3, 4})
		idx := FromSlice([]int{1, 0, 1, 0, 0, 1}, 3, 2)
		upd := idxTensor(dt, []int{3}, []float64{10, 20, 30})
		idxWant(t, "add "+dt.String(), IndexedAdd(base, idx, upd), dt, []int{2, 2}, []float64{1, 32, 33, 4})
		idxWant(t, "put "+dt.String(), IndexedPut(base, idx, upd), dt, []int{2, 2}, []float64{1, 30, 20, 4})
	}
	// f16 accumulates in f32: 2048 + 1 + 1 is 2050, where f16 steps would stay at 2048.
	h := IndexedAdd(AsType(FromSlice([]float64{2048}), F16), FromSlice([]int{0, 0}, 2, 1), AsType(FromSlice([]float64{1, 1}), F16))
	idxWant(t, "f16 accumulation", h, F16, []int{1}, []float64{2050})
	// u8 wraps.
	u := IndexedAdd(FromSlice([]uint8{250}), FromSlice([]int{0}, 1, 1), FromSlice([]uint8{10}))
	idxWant(t, "u8 wraps", u, U8, []int{1}, []float64{4})
}

func TestIndexedErrors(t *testing.T) {
	x := FromSlice([]int32{1, 2}, 2, 1)
	idxPanic(t, func() { IndexedAdd(x, FromSlice([]int{1, 2, 3}, 1, 1, 3), FromSlice([]int{0})) }, "nx.IndexedAdd", "rank 1 or 2, got 3")
	idxPanic(t, func() { IndexedAdd(x, FromSlice([]int{1, 2}, 1, 2), FromSlice([]int{0, 1})) }, "leading axis of size 1")
	idxPanic(t, func() { IndexedAdd(FromSlice([]int32{1, 2, 3}, 1, 3), FromSlice([]int{0}, 1, 1), Zeros(S32, 1, 5)) }, "must be no larger")
	idxPanic(t, func() { IndexedPut(Iota(Shape{1, 2, 3}), FromSlice([]int{0, 1, 2}, 1, 3), Number(10), Axes(1, 0, 2)) }, "nx.IndexedPut", "increasing order")
	idxPanic(t, func() { IndexedPut(x, FromSlice([]int{0, 0}), Zeros(S32, 1)) }, "with indices of rank 1, want 2 indices (one per axis) and a scalar update")
	idxPanic(t, func() { IndexedPut(Iota(Shape{1, 2, 3}), FromSlice([]int{0, 1, 2}, 1, 3), Zeros(S64, 1), Axes(0, 1)) }, "got 2 axes, want 3")
	idxPanic(t, func() { IndexedPut(x, FromSlice([]float32{0, 0}, 1, 2), Zeros(S32, 1)) }, "integer tensor, got f32")
	idxPanic(t, func() { IndexedPut(x, FromSlice([]int{2, 0}, 1, 2), Zeros(S32, 1)) }, "index 2 is out of bounds for axis 0 of size 2")
	idxPanic(t, func() { IndexedPut(x, FromSlice([]int{0}, 1, 1), Zeros(S32, 1, 1, 1)) }, "updates must have rank 2")
	idxPanic(t, func() { IndexedPut(x, FromSlice([]int{0}, 1, 1), nil) }, "updates is nil")
	idxPanic(t, func() { IndexedAdd(x, FromSlice([]int{0}), Number(1)) }, "want 2 indices")
}
