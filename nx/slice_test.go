package nx

import (
	"strings"
	"testing"
)

// idxIota returns 0, 1, ..., n-1 as float64s.
func idxIota(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(i)
	}
	return v
}

// idxTensor builds a tensor of type dt and the given shape from vals; complex
// types get imaginary part -v, so that moving them is checked too.
func idxTensor(dt DType, shape []int, vals []float64) *Tensor {
	if dt.IsComplex() {
		c := make([]complex128, len(vals))
		for i, v := range vals {
			c[i] = complex(v, -v)
		}
		return AsType(FromSlice(c, shape...), dt)
	}
	return AsType(FromSlice(vals, shape...), dt)
}

// idxWant checks got's type, shape and values (complex values as idxTensor makes them).
func idxWant(t *testing.T, name string, got *Tensor, dt DType, shape []int, want []float64) {
	t.Helper()
	if got.DType() != dt || !got.shape.Equal(shape) {
		t.Fatalf("%s: got %s%v, want %s%v", name, got.DType(), []int(got.shape), dt, shape)
	}
	g := got.Complex128s()
	if len(g) != len(want) {
		t.Fatalf("%s: got %d values, want %d", name, len(g), len(want))
	}
	for i, w := range want {
		wc := complex(w, 0)
		if dt.IsComplex() {
			wc = complex(w, -w)
		}
		if g[i] != wc {
			t.Fatalf("%s: element %d is %v, want %v (all: %v)", name, i, g[i], wc, got.Float64s())
		}
	}
}

// idxPanic checks that fn panics with an *Error whose message contains each of want.
func idxPanic(t *testing.T, fn func(), want ...string) {
	t.Helper()
	err := Try(fn)
	if err == nil {
		t.Fatalf("no panic, want an error containing %q", want)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("error %q does not contain %q", err, w)
		}
	}
}

func TestSlice(t *testing.T) {
	iota := func(shape ...int) *Tensor { return Iota(Shape(shape)) }
	tests := []struct {
		name            string
		in              *Tensor
		starts, lengths []int
		opts            []Option
		shape           []int
		want            []float64
	}{
		{"1d", iota(6), []int{1}, []int{3}, nil, []int{3}, []float64{1, 2, 3}},
		{"stride", iota(6), []int{0}, []int{6}, []Option{Strides(2)}, []int{3}, []float64{0, 2, 4}},
		{"stride uneven", iota(7), []int{1}, []int{6}, []Option{Strides(4)}, []int{2}, []float64{1, 5}},
		{"2d strides", iota(3, 2), []int{0, 0}, []int{3, 2}, []Option{Strides(2, 1)}, []int{2, 2}, []float64{0, 1, 4, 5}},
		{"single stride all axes", iota(3, 2), []int{0, 0}, []int{3, 2}, []Option{Strides(2)}, []int{2, 1}, []float64{0, 4}},
		// NumPy: np.arange(900).reshape(2,15,30)[0:2:2, 4:7, 11:20:3]
		{"3d", iota(2, 15, 30), []int{0, 4, 11}, []int{2, 3, 9}, []Option{Strides(2, 1, 3)}, []int{1, 3, 3},
			[]float64{131, 134, 137, 161, 164, 167, 191, 194, 197}},
		{"clamped start", iota(3, 3), []int{2, 2}, []int{2, 2}, nil, []int{2, 2}, []float64{4, 5, 7, 8}},
		{"whole", iota(2, 2), []int{0, 0}, []int{2, 2}, nil, []int{2, 2}, []float64{0, 1, 2, 3}},
		{"empty length", iota(2, 3), []int{1, 1}, []int{0, 2}, nil, []int{0, 2}, nil},
		{"empty tensor", iota(0, 3), []int{0, 1}, []int{0, 2}, nil, []int{0, 2}, nil},
		{"scalar", Scalar(int64(7)), nil, nil, nil, []int{}, []float64{7}},
	}
	for _, tc := range tests {
		got := Slice(tc.in, tc.starts, tc.lengths, tc.opts...)
		idxWant(t, tc.name, got, S64, tc.shape, tc.want)
	}
}

func TestSliceDTypes(t *testing.T) {
	for _, dt := range DTypes() {
		x := idxTensor(dt, []int{3, 4}, idxIota(12))
		got := Slice(x, []int{1, 1}, []int{2, 3}, Strides(1, 2))
		idxWant(t, "slice "+dt.String(), got, dt, []int{2, 2}, []float64{5, 7, 9, 11})
	}
}

func TestSliceDynamic(t *testing.T) {
	x := FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	got := SliceDynamic(x, []*Tensor{Scalar(int64(1)), Scalar(uint8(2))}, []int{1, 1})
	idxWant(t, "dynamic", got, S32, []int{1, 1}, []float64{6})

	// Starts are clamped into [0, size-length].
	got = SliceDynamic(Iota(Shape{3, 3}), []*Tensor{Scalar(int64(2)), Scalar(int64(-5))}, []int{2, 2})
	idxWant(t, "clamped", got, S64, []int{2, 2}, []float64{3, 4, 6, 7})
	got = SliceDynamic(Iota(Shape{3, 3}), []*Tensor{Scalar(int64(100)), Number(1)}, []int{1, 2})
	idxWant(t, "clamped high", got, S64, []int{1, 2}, []float64{7, 8})

	// Nx's example: strides [5, 3] over a 6×7 tensor.
	rows := Reshape(Iota(Shape{6, 7}, Axis(0), Type(F32)), 6, 7)
	big := GreaterEqual(rows, Scalar(float32(2)))
	got = SliceDynamic(AsType(big, F32), []*Tensor{Scalar(int32(0)), Scalar(int32(0))}, []int{6, 7}, Strides(5, 3))
	idxWant(t, "strided", got, F32, []int{2, 3}, []float64{0, 0, 0, 1, 1, 1})

	// A dynamic whole-tensor slice still copies through the primitive.
	got = SliceDynamic(Iota(Shape{2}), []*Tensor{Scalar(int64(0))}, []int{2})
	idxWant(t, "whole", got, S64, []int{2}, []float64{0, 1})
}

func TestSliceAlongAxis(t *testing.T) {
	got := SliceAlongAxis(Iota(Shape{5, 2}), 1, 2, Axis(0))
	idxWant(t, "axis 0", got, S64, []int{2, 2}, []float64{2, 3, 4, 5})
	got = SliceAlongAxis(Iota(Shape{2, 5}), 1, 2, Axis(1))
	idxWant(t, "axis 1", got, S64, []int{2, 2}, []float64{1, 2, 6, 7})
	got = SliceAlongAxis(Iota(Shape{2, 5}), 0, 3, Axis(-1), Strides(2))
	idxWant(t, "strided", got, S64, []int{2, 2}, []float64{0, 2, 5, 7})
	got = SliceAlongAxis(Iota(Shape{2, 5}), 0, 1)
	idxWant(t, "default axis", got, S64, []int{1, 5}, []float64{0, 1, 2, 3, 4})
}

func TestSliceErrors(t *testing.T) {
	x := Iota(Shape{2, 3})
	idxPanic(t, func() { Slice(x, []int{0}, []int{1, 1}) }, "nx.Slice(s64[2][3])", "want 2 of each")
	idxPanic(t, func() { Slice(x, []int{0, 0}, []int{3, 1}) }, "length 3 on axis 0")
	idxPanic(t, func() { Slice(x, []int{0, 0}, []int{1, -1}) }, "length -1 on axis 1")
	idxPanic(t, func() { Slice(x, []int{-1, 0}, []int{1, 1}) }, "start index -1 on axis 0 is negative")
	idxPanic(t, func() { Slice(x, []int{0, 0}, []int{1, 1}, Strides(0)) }, "stride 0 on axis 0")
	idxPanic(t, func() { Slice(x, []int{0, 0}, []int{1, 1}, Strides(1, 1, 1)) }, "got 3 strides")
	idxPanic(t, func() { Slice(x, []int{0, 0}, []int{1, 1}, Axis(0)) }, "option Axis is not supported")
	idxPanic(t, func() { SliceDynamic(x, []*Tensor{Scalar(1.0), Scalar(0)}, []int{1, 1}) }, "nx.SliceDynamic", "must be an integer, got f64")
	idxPanic(t, func() { SliceDynamic(x, []*Tensor{Iota(Shape{2}), Scalar(0)}, []int{1, 1}) }, "must be a scalar, got shape [2]")
	idxPanic(t, func() { SliceDynamic(x, []*Tensor{nil, Scalar(0)}, []int{1, 1}) }, "is nil")
	idxPanic(t, func() { SliceAlongAxis(x, 0, 4, Axis(1)) }, "nx.SliceAlongAxis", "length 4 on axis 1")
	idxPanic(t, func() { SliceAlongAxis(x, 0, 1, Axis(2)) }, "axis 2 is out of range")
	idxPanic(t, func() { SliceAlongAxis(x, 0, 1, Strides(1, 2)) }, "want a single stride")
	idxPanic(t, func() { SliceAlongAxis(Scalar(1), 0, 1) }, "cannot slice a scalar")
}

func TestPutSlice(t *testing.T) {
	got := PutSlice(FromSlice([]int32{0, 1, 2, 3, 4}), []int{2}, FromSlice([]int32{5, 6}))
	idxWant(t, "1d", got, S32, []int{5}, []float64{0, 1, 5, 6, 4})

	x := FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	s := FromSlice([]int32{7, 8, 9, 10}, 2, 2)
	got = PutSlice(x, []int{0, 1}, s)
	idxWant(t, "2d", got, S32, []int{2, 3}, []float64{1, 7, 8, 4, 9, 10})
	got = PutSlice(x, []int{1, 1}, s) // the start is moved back to fit the slice
	idxWant(t, "clamped", got, S32, []int{2, 3}, []float64{1, 7, 8, 4, 9, 10})

	got = PutSliceDynamic(x, []*Tensor{Scalar(int64(0)), Scalar(int64(1))}, FromSlice([]float32{10, 11}, 1, 2))
	idxWant(t, "dynamic merged type", got, F32, []int{2, 3}, []float64{1, 10, 11, 4, 5, 6})
	got = PutSliceDynamic(x, []*Tensor{Scalar(int64(-3)), Scalar(int64(9))}, FromSlice([]int32{0}, 1, 1))
	idxWant(t, "dynamic clamped", got, S32, []int{2, 3}, []float64{1, 2, 0, 4, 5, 6})

	// NumPy: y = np.arange(60).reshape(3,4,5); y[1:3, 1:4, 2:4] = -np.arange(12).reshape(2,3,2)
	y := Iota(Shape{3, 4, 5})
	got = PutSlice(y, []int{1, 1, 2}, Negate(Iota(Shape{2, 3, 2})))
	want := idxIota(60)
	for i, v := range []int{27, 28, 32, 33, 37, 38, 47, 48, 52, 53, 57, 58} {
		want[v] = -float64(i)
	}
	idxWant(t, "3d", got, S64, []int{3, 4, 5}, want)

	got = PutSlice(Iota(Shape{2, 3}), []int{1, 0}, Iota(Shape{0, 3}))
	idxWant(t, "empty slice", got, S64, []int{2, 3}, idxIota(6))
	got = PutSlice(Scalar(int64(1)), nil, Scalar(int64(5)))
	idxWant(t, "scalar", got, S64, []int{}, []float64{5})
	// x's original data is untouched.
	idxWant(t, "immutable", x, S32, []int{2, 3}, []float64{1, 2, 3, 4, 5, 6})

	for _, dt := range DTypes() {
		base := idxTensor(dt, []int{2, 3}, idxIota(6))
		got := PutSlice(base, []int{0, 2}, idxTensor(dt, []int{2, 1}, []float64{8, 9}))
		idxWant(t, "put "+dt.String(), got, dt, []int{2, 3}, []float64{0, 1, 8, 3, 4, 9})
	}
}

func TestPutSliceErrors(t *testing.T) {
	x := Iota(Shape{2, 3})
	idxPanic(t, func() { PutSlice(x, []int{0, 0}, Iota(Shape{3})) }, "nx.PutSlice(s64[2][3], s64[3])", "rank 1")
	idxPanic(t, func() { PutSlice(x, []int{0}, Iota(Shape{1, 1})) }, "1 start indices")
	idxPanic(t, func() { PutSlice(x, []int{0, 0}, Iota(Shape{1, 4})) }, "must be no larger")
	idxPanic(t, func() { PutSlice(x, []int{0, -1}, Iota(Shape{1, 1})) }, "start index -1 on axis 1 is negative")
	idxPanic(t, func() { PutSlice(x, []int{0, 0}, nil) }, "slice is nil")
	idxPanic(t, func() { PutSliceDynamic(x, []*Tensor{Scalar(0), Scalar(float32(1))}, Iota(Shape{1, 1})) }, "nx.PutSliceDynamic", "must be an integer, got f32")
}
