package nx

import (
	"fmt"
	"reflect"
)

// Tensor is an immutable n-dimensional array: a shape, an element type and the
// elements in row-major order. Every operation returns a new tensor; none changes
// its operands, so tensors may be shared freely between goroutines.
type Tensor struct {
	shape Shape
	dtype DType
	// data is the backend's buffer: for the CPU backend a Go slice whose element
	// type matches dtype ([]float32 for f32, []Float16 for f16, []complex64 for
	// c64, ...), len(data) == shape.Size().
	data any
	// weak marks a tensor made from a Go number by Number: in binary operations it
	// takes the type of the other operand, as numbers do in Nx.
	weak bool
	// expr is set, and data nil, for a symbolic tensor: a parameter or a result of
	// a primitive applied to symbolic operands while a function is traced (see
	// trace.go).
	expr *expr
	// vec lists the vectorized axes (see Vectorize): they lead the data's layout,
	// before the axes of shape, which are the ones operations see.
	vec []VecAxis
	// owner is set when data is a recycled buffer (see pool.go); tensors that
	// share the buffer share the owner.
	owner *owner
}

// Shape returns a copy of t's shape.
func (t *Tensor) Shape() Shape { return t.shape.Clone() }

// DType returns t's element type.
func (t *Tensor) DType() DType { return t.dtype }

// Rank returns the number of dimensions of t.
func (t *Tensor) Rank() int { return len(t.shape) }

// Size returns the number of elements of t.
func (t *Tensor) Size() int { return t.shape.Size() }

// Axis returns the size of dimension axis of t; negative axes count from the end.
func (t *Tensor) Axis(axis int) int { return t.shape[normAxis("nx.Axis", t, axis, t.Rank())] }

// Data returns t's elements as the Go slice that holds them ([]float32 for f32,
// []Float16 for f16, ...). The slice is shared with t: it must not be modified.
func (t *Tensor) Data() any {
	if t.owner != nil {
		t.owner.escaped.Store(true) // the caller may keep the slice: never recycle it
	}
	return t.concrete("Data")
}

// describe formats t as dtype and shape, e.g. "f32[2][3]", for error messages.
func (t *Tensor) describe() string {
	if t == nil {
		return "nil"
	}
	return t.dtype.String() + t.shape.String()
}

// makeData allocates a zeroed slice of n elements of type dt.
func makeData(dt DType, n int) any {
	switch dt {
	case U8:
		return make([]uint8, n)
	case U16:
		return make([]uint16, n)
	case U32:
		return make([]uint32, n)
	case U64:
		return make([]uint64, n)
	case S8:
		return make([]int8, n)
	case S16:
		return make([]int16, n)
	case S32:
		return make([]int32, n)
	case S64:
		return make([]int64, n)
	case F16:
		return make([]Float16, n)
	case BF16:
		return make([]BFloat16, n)
	case F32:
		return make([]float32, n)
	case F64:
		return make([]float64, n)
	case C64:
		return make([]complex64, n)
	case C128:
		return make([]complex128, n)
	}
	panic(&Error{Op: "nx", Msg: fmt.Sprintf("invalid dtype %s", dt)})
}

// dtypeOfData returns the DType of a Go slice, or InvalidDType.
func dtypeOfData(data any) DType {
	switch data.(type) {
	case []uint8:
		return U8
	case []uint16:
		return U16
	case []uint32:
		return U32
	case []uint64:
		return U64
	case []int8:
		return S8
	case []int16:
		return S16
	case []int32:
		return S32
	case []int64:
		return S64
	case []Float16:
		return F16
	case []BFloat16:
		return BF16
	case []float32:
		return F32
	case []float64:
		return F64
	case []complex64:
		return C64
	case []complex128:
		return C128
	}
	return InvalidDType
}

// Float64s returns t's elements converted to float64 (complex numbers give
// their real part). The slice is a new copy.
func (t *Tensor) Float64s() []float64 { return convertData(t.concrete("Float64s"), F64).([]float64) }

// Float32s returns t's elements converted to float32, in a new slice.
func (t *Tensor) Float32s() []float32 { return convertData(t.concrete("Float32s"), F32).([]float32) }

// Int64s returns t's elements converted to int64, in a new slice. Floats are
// truncated toward zero and saturate at the limits of int64; NaN becomes 0.
func (t *Tensor) Int64s() []int64 { return convertData(t.concrete("Int64s"), S64).([]int64) }

// Int32s returns t's elements converted to int32, in a new slice.
func (t *Tensor) Int32s() []int32 { return convertData(t.concrete("Int32s"), S32).([]int32) }

// Uint8s returns t's elements converted to uint8, in a new slice.
func (t *Tensor) Uint8s() []uint8 { return convertData(t.concrete("Uint8s"), U8).([]uint8) }

// Uint64s returns t's elements converted to uint64, in a new slice.
func (t *Tensor) Uint64s() []uint64 { return convertData(t.concrete("Uint64s"), U64).([]uint64) }

// Complex128s returns t's elements converted to complex128, in a new slice.
func (t *Tensor) Complex128s() []complex128 {
	return convertData(t.concrete("Complex128s"), C128).([]complex128)
}

// Bools returns t's elements as booleans (non-zero is true), in a new slice.
func (t *Tensor) Bools() []bool {
	c := t.Complex128s()
	out := make([]bool, len(c))
	for i, v := range c {
		out[i] = v != 0
	}
	return out
}

// Float64 returns the value of a tensor with one element as a float64.
func (t *Tensor) Float64() float64 {
	if t.Size() != 1 {
		panicf("nx.Tensor.Float64", []*Tensor{t}, "expected a tensor with one element")
	}
	return t.Float64s()[0]
}

// Int64 returns the value of a tensor with one element as an int64.
func (t *Tensor) Int64() int64 {
	if t.Size() != 1 {
		panicf("nx.Tensor.Int64", []*Tensor{t}, "expected a tensor with one element")
	}
	return t.Int64s()[0]
}

// Value returns t's elements as nested Go slices of its element type: a scalar
// f32 tensor gives a float32, an f32[2][3] tensor gives [][]float32.
func (t *Tensor) Value() any {
	data := t.concrete("Value")
	shape := t.physicalShape()
	if len(shape) == 0 {
		return indexData(data, 0)
	}
	return nestValue(data, shape)
}

// nestValue builds nested slices by splitting data along the outer dimensions.
func nestValue(data any, shape Shape) any {
	return nest(reflect.ValueOf(data), shape).Interface()
}

func nest(v reflect.Value, shape Shape) reflect.Value {
	if len(shape) == 1 {
		c := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		reflect.Copy(c, v)
		return c
	}
	typ := v.Type()
	for range shape {
		typ = reflect.SliceOf(typ)
	}
	typ = typ.Elem()
	out := reflect.MakeSlice(typ, shape[0], shape[0])
	inner := shape[1:].Size()
	for i := 0; i < shape[0]; i++ {
		out.Index(i).Set(nest(v.Slice(i*inner, (i+1)*inner), shape[1:]))
	}
	return out
}

// indexData returns element i of a data slice as its Go value.
func indexData(data any, i int) any { return reflect.ValueOf(data).Index(i).Interface() }

// sliceData returns data[lo:hi], sharing memory.
func sliceData(data any, lo, hi int) any { return reflect.ValueOf(data).Slice(lo, hi).Interface() }

// dataLen returns the length of a data slice.
func dataLen(data any) int { return reflect.ValueOf(data).Len() }
