package kino

import (
	"fmt"
	"reflect"
)

// Tensors are accepted without importing package nx (the notebook server links no
// numeric code): a tensor is a value with a Shape method returning a slice of ints
// (nx.Shape is a named []int, so no interface can name it here) and the element
// accessors below, which *nx.Tensor has.

// floatTensor is a tensor whose elements read as float64.
type floatTensor interface{ Float64s() []float64 }

// byteTensor is a tensor whose elements read as uint8.
type byteTensor interface{ Uint8s() []uint8 }

// tensorShape returns the dimensions of x if x has a method Shape() returning a slice
// of ints (any named type of that kind). It panics if x is a nil pointer; fn names the
// caller in the panic.
func tensorShape(fn string, x any) ([]int, bool) {
	v := reflect.ValueOf(x)
	if !v.IsValid() {
		return nil, false
	}
	m := v.MethodByName("Shape")
	if !m.IsValid() {
		return nil, false
	}
	mt := m.Type()
	if mt.NumIn() != 0 || mt.NumOut() != 1 || mt.Out(0).Kind() != reflect.Slice || mt.Out(0).Elem().Kind() != reflect.Int {
		return nil, false
	}
	if k := v.Kind(); (k == reflect.Pointer || k == reflect.Interface) && v.IsNil() {
		panic(fmt.Sprintf("kino: %s: nil tensor %T", fn, x))
	}
	s := m.Call(nil)[0]
	dims := make([]int, s.Len())
	for i := range dims {
		dims[i] = int(s.Index(i).Int())
	}
	return dims, true
}

// size returns the number of elements of a shape.
func size(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}
