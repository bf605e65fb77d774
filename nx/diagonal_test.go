package nx

import "testing"

func TestTakeDiagonal(t *testing.T) {
	// NumPy: np.diagonal(np.arange(120).reshape(2,3,4,5), k, axis1=-2, axis2=-1)
	a := Iota(Shape{2, 3, 4, 5})
	tests := []struct {
		k     int
		shape []int
		want  []float64
	}{
		{0, []int{2, 3, 4}, []float64{0, 6, 12, 18, 20, 26, 32, 38, 40, 46, 52, 58, 60, 66, 72, 78, 80, 86, 92, 98, 100, 106, 112, 118}},
		{1, []int{2, 3, 4}, []float64{1, 7, 13, 19, 21, 27, 33, 39, 41, 47, 53, 59, 61, 67, 73, 79, 81, 87, 93, 99, 101, 107, 113, 119}},
		{3, []int{2, 3, 2}, []float64{3, 9, 23, 29, 43, 49, 63, 69, 83, 89, 103, 109}},
		{-1, []int{2, 3, 3}, []float64{5, 11, 17, 25, 31, 37, 45, 51, 57, 65, 71, 77, 85, 91, 97, 105, 111, 117}},
		{-2, []int{2, 3, 2}, []float64{10, 16, 30, 36, 50, 56, 70, 76, 90, 96, 110, 116}},
		{4, []int{2, 3, 1}, []float64{4, 24, 44, 64, 84, 104}},
		{-3, []int{2, 3, 1}, []float64{15, 35, 55, 75, 95, 115}},
	}
	for _, tc := range tests {
		idxWant(t, "k="+itoaIdx(tc.k), TakeDiagonal(a, tc.k), S64, tc.shape, tc.want)
	}
	// Nx's examples.
	idxWant(t, "nx 3x3", TakeDiagonal(Iota(Shape{3, 3}), 0), S64, []int{3}, []float64{0, 4, 8})
	idxWant(t, "nx offset 1", TakeDiagonal(Iota(Shape{3, 3}), 1), S64, []int{2}, []float64{1, 5})
	idxWant(t, "nx offset -1", TakeDiagonal(Iota(Shape{3, 3}), -1), S64, []int{2}, []float64{3, 7})
	idxWant(t, "nx batched", TakeDiagonal(Iota(Shape{3, 2, 2}), 0), S64, []int{3, 2}, []float64{0, 3, 4, 7, 8, 11})
	idxWant(t, "nx batched -1", TakeDiagonal(Iota(Shape{3, 2, 2}), -1), S64, []int{3, 1}, []float64{2, 6, 10})
	idxWant(t, "empty matrix", TakeDiagonal(Iota(Shape{2, 0, 3}), 0), S64, []int{2, 0}, nil)
	for _, dt := range DTypes() {
		x := idxTensor(dt, []int{2, 2}, []float64{1, 2, 3, 4})
		idxWant(t, "diag "+dt.String(), TakeDiagonal(x, 0), dt, []int{2}, []float64{1, 4})
	}

	idxPanic(t, func() { TakeDiagonal(Iota(Shape{3}), 0) }, "nx.TakeDiagonal(s64[3])", "rank 2 or more")
	idxPanic(t, func() { TakeDiagonal(Iota(Shape{3, 3}), 3) }, "nx.TakeDiagonal(s64[3][3])", "offset 3 is outside")
	idxPanic(t, func() { TakeDiagonal(Iota(Shape{3, 3}), -4) }, "offset -4 is outside")
}

func TestMakeDiagonal(t *testing.T) {
	// NumPy: np.stack([np.diag(r, k) for r in np.arange(1, 7).reshape(2, 3)])
	b := Add(Iota(Shape{2, 3}), Scalar(int64(1)))
	idxWant(t, "k=0", MakeDiagonal(b, 0), S64, []int{2, 3, 3}, []float64{1, 0, 0, 0, 2, 0, 0, 0, 3, 4, 0, 0, 0, 5, 0, 0, 0, 6})
	idxWant(t, "k=2", MakeDiagonal(b, 2), S64, []int{2, 5, 5}, []float64{
		0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 4, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	idxWant(t, "k=-1", MakeDiagonal(b, -1), S64, []int{2, 4, 4}, []float64{
		0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 3, 0,
		0, 0, 0, 0, 4, 0, 0, 0, 0, 5, 0, 0, 0, 0, 6, 0})
	// Nx's examples.
	v := FromSlice([]int32{1, 2, 3})
	idxWant(t, "nx -4", MakeDiagonal(v, -4), S32, []int{7, 7}, []float64{
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0})
	idxWant(t, "nx 4", MakeDiagonal(v, 4), S32, []int{7, 7}, []float64{
		0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	idxWant(t, "empty", MakeDiagonal(Iota(Shape{0}), 0), S64, []int{0, 0}, nil)
	idxWant(t, "empty offset", MakeDiagonal(Iota(Shape{0}), -2), S64, []int{2, 2}, []float64{0, 0, 0, 0})
	idxWant(t, "one", MakeDiagonal(FromSlice([]int64{5}), 1), S64, []int{2, 2}, []float64{0, 5, 0, 0})
	for _, dt := range DTypes() {
		x := idxTensor(dt, []int{2}, []float64{1, 2})
		idxWant(t, "make "+dt.String(), MakeDiagonal(x, 0), dt, []int{2, 2}, []float64{1, 0, 0, 2})
	}
	// The two are inverses.
	back := TakeDiagonal(MakeDiagonal(b, -2), -2)
	idxWant(t, "round trip", back, S64, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6})

	idxPanic(t, func() { MakeDiagonal(Scalar(1), 0) }, "nx.MakeDiagonal(s64)", "rank 1 or more")
}

func itoaIdx(k int) string {
	if k < 0 {
		return "-" + itoaIdx(-k)
	}
	if k < 10 {
		return string(rune('0' + k))
	}
	return itoaIdx(k/10) + itoaIdx(k%10)
}
