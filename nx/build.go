package nx

import (
	"fmt"
	"reflect"
)

// FromSlice returns a tensor holding data, a flat Go slice, with the given shape
// (a 1-D tensor of len(data) when no shape is given). The element type follows
// the Go type: []float32 gives f32, []uint8 gives u8, []Float16 gives f16, []int
// gives s64, []uint gives u64 and []bool gives u8.
//
// The tensor keeps data without copying it ([]int, []uint and []bool are
// converted): data must not be modified afterwards.
func FromSlice(data any, shape ...int) *Tensor {
	switch d := data.(type) {
	case []int:
		data = convertSlice(d, func(v int) int64 { return int64(v) })
	case []uint:
		data = convertSlice(d, func(v uint) uint64 { return uint64(v) })
	case []bool:
		data = convertSlice(d, func(v bool) uint8 {
			if v {
				return 1
			}
			return 0
		})
	}
	dt := dtypeOfData(data)
	if dt == InvalidDType {
		panic(&Error{Op: "nx.FromSlice", Msg: fmt.Sprintf("unsupported data type %T: want a slice of a Go numeric type", data)})
	}
	n := dataLen(data)
	s := Shape(shape)
	if shape == nil {
		s = Shape{n}
	}
	checkShape("nx.FromSlice", s)
	if s.Size() != n {
		panic(&Error{Op: "nx.FromSlice", Msg: fmt.Sprintf("shape %v holds %d elements but the slice has %d", []int(s), s.Size(), n)})
	}
	return &Tensor{shape: s.Clone(), dtype: dt, data: data}
}

func convertSlice[S, D any](s []S, f func(S) D) []D {
	out := make([]D, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}

func checkShape(op string, s Shape) {
	for _, d := range s {
		if d < 0 {
			panic(&Error{Op: op, Msg: fmt.Sprintf("shape %v has a negative dimension", []int(s))})
		}
	}
}

// scalarData turns a Go number into a one-element data slice.
func scalarData(op string, v any) any {
	switch x := v.(type) {
	case int:
		return []int64{int64(x)}
	case uint:
		return []uint64{uint64(x)}
	case bool:
		if x {
			return []uint8{1}
		}
		return []uint8{0}
	case *Tensor:
		panic(&Error{Op: op, Msg: "got a *Tensor where a Go number was expected"})
	}
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		panic(&Error{Op: op, Msg: "got nil where a Go number was expected"})
	}
	s := reflect.MakeSlice(reflect.SliceOf(rv.Type()), 1, 1)
	s.Index(0).Set(rv)
	if dtypeOfData(s.Interface()) == InvalidDType {
		panic(&Error{Op: op, Msg: fmt.Sprintf("unsupported value of type %T: want a Go number", v)})
	}
	return s.Interface()
}

// Scalar returns a 0-d tensor holding v, a Go number; the type follows v's Go type
// (int gives s64, float64 gives f64, float32 gives f32, complex128 gives c128).
// An optional dtype converts it.
func Scalar(v any, dtype ...DType) *Tensor {
	t := &Tensor{shape: Shape{}, data: scalarData("nx.Scalar", v)}
	t.dtype = dtypeOfData(t.data)
	if len(dtype) > 0 {
		return AsType(t, dtype[0])
	}
	return t
}

// Number returns a weakly typed 0-d tensor holding v, a Go number, the way Nx
// treats numbers: in a binary operation it takes the type of the other operand
// when that is at least as wide a kind (nx.Add(u8Tensor, nx.Number(1)) stays u8;
// nx.Add(s32Tensor, nx.Number(0.5)) is f32).
func Number(v any) *Tensor {
	t := Scalar(v)
	t.weak = true
	return t
}

// Zeros returns a tensor of the given type and shape filled with zeros.
func Zeros(dt DType, shape ...int) *Tensor { return Full(0, dt, shape...) }

// Ones returns a tensor of the given type and shape filled with ones.
func Ones(dt DType, shape ...int) *Tensor { return Full(1, dt, shape...) }

// Full returns a tensor of the given type and shape with every element value.
func Full(value any, dt DType, shape ...int) *Tensor {
	s := Shape(append([]int{}, shape...))
	checkShape("nx.Full", s)
	return Broadcast(AsType(Scalar(value), dt), s)
}

var opIota = &opDef{name: "iota", cpu: func(c *call) {
	o := c.outs[0]
	axis := c.attr.(int)
	n := o.shape.Size()
	idx := make([]int64, n)
	if axis < 0 {
		for i := range idx {
			idx[i] = int64(i)
		}
	} else {
		inner := o.shape[axis+1:].Size()
		dim := o.shape[axis]
		for i := range idx {
			idx[i] = int64((i / inner) % dim)
		}
	}
	o.data = makeData(o.dtype, n)
	convertInto(o.data, idx)
}}

// Iota returns a tensor of the given shape counting up from 0: along the Axis
// option when given, else over the flattened tensor. The type is s64 unless the
// Type option says otherwise.
//
//	nx.Iota(nx.Shape{2, 3}, nx.Axis(1)) // [[0 1 2] [0 1 2]]
func Iota(shape Shape, opts ...Option) *Tensor {
	o := parseOptions("nx.Iota", nil, opts, "Axis", "Type")
	checkShape("nx.Iota", shape)
	dt := S64
	if o.given["Type"] {
		dt = o.dtype
	}
	axis := -1
	if o.given["Axis"] {
		axis = o.axis
		if axis < 0 {
			axis += len(shape)
		}
		if axis < 0 || axis >= len(shape) {
			panic(&Error{Op: "nx.Iota", Msg: fmt.Sprintf("axis %d is out of range for shape %v", o.axis, []int(shape))})
		}
	}
	return opIota.apply1(shape.Clone(), dt, axis)
}

// Eye returns an identity matrix of type dt: shape n gives n×n; a longer shape
// gives a batch of (possibly rectangular) identity matrices over its last two axes.
func Eye(dt DType, shape ...int) *Tensor {
	s := Shape(append([]int{}, shape...))
	if len(s) == 1 {
		s = Shape{s[0], s[0]}
	}
	if len(s) < 2 {
		panic(&Error{Op: "nx.Eye", Msg: fmt.Sprintf("shape %v: want at least one dimension", shape)})
	}
	rows := Iota(s, Axis(-2))
	cols := Iota(s, Axis(-1))
	return AsType(Equal(rows, cols), dt)
}

// Linspace returns n evenly spaced values of type f32 (or the Type option) from
// start to stop, both included.
func Linspace(start, stop float64, n int, opts ...Option) *Tensor {
	o := parseOptions("nx.Linspace", nil, opts, "Type")
	dt := F32
	if o.given["Type"] {
		dt = o.dtype
	}
	if n < 0 {
		panic(&Error{Op: "nx.Linspace", Msg: fmt.Sprintf("n is %d: want n >= 0", n)})
	}
	vals := make([]float64, n)
	step := 0.0
	if n > 1 {
		step = (stop - start) / float64(n-1)
	}
	for i := range vals {
		vals[i] = start + float64(i)*step
	}
	if n > 1 {
		vals[n-1] = stop
	}
	return AsType(FromSlice(vals), dt)
}

// Tri returns an n×m u8 matrix with ones at and below the k-th diagonal (k = 0
// is the main diagonal, k > 0 above it, k < 0 below it).
func Tri(n, m, k int) *Tensor {
	rows := Iota(Shape{n, m}, Axis(0))
	cols := Iota(Shape{n, m}, Axis(1))
	return LessEqual(cols, Add(rows, Scalar(int64(k))))
}

// Tril returns t (a matrix, or a batch of them over the last two axes) with the
// elements above the k-th diagonal set to zero.
func Tril(t *Tensor, k int) *Tensor {
	if t.Rank() < 2 {
		panicf("nx.Tril", []*Tensor{t}, "want a tensor of rank 2 or more")
	}
	mask := Tri(t.Axis(-2), t.Axis(-1), k)
	return Select(mask, t, Zeros(t.dtype))
}

// Triu returns t (a matrix, or a batch of them over the last two axes) with the
// elements below the k-th diagonal set to zero.
func Triu(t *Tensor, k int) *Tensor {
	if t.Rank() < 2 {
		panicf("nx.Triu", []*Tensor{t}, "want a tensor of rank 2 or more")
	}
	mask := Tri(t.Axis(-2), t.Axis(-1), k-1)
	return Select(mask, Zeros(t.dtype), t)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
