// Package gorgonia converts between nx tensors and gorgonia.org/tensor's
// *tensor.Dense, sharing memory both ways, so that gorgonia users can bring their
// data to nx and take results back without copying.
//
// Both packages keep a tensor's elements in a flat Go slice in row-major order,
// so a conversion only wraps that slice: [FromDense] and [ToDense] allocate no
// element storage for contiguous tensors. Since nx tensors are immutable, a
// converted tensor's memory must not be written through the other package
// while the nx tensor is in use.
//
// Types map one to one: u8..u64, s8..s64, f32, f64, c64 and c128 have the same
// Go element types in both packages. A Dense of Go int or uint becomes s64 or
// u64 (s32 or u32 where int has 32 bits) and one of bool becomes u8, still
// sharing memory. gorgonia has no f16 or bf16: ToDense panics for them.
//
// This package lives apart from nx so that programs that do not use gorgonia do
// not link it.
package gorgonia

import (
	"fmt"
	"strconv"
	"unsafe"

	"github.com/gonx-dev/gonx/nx"
	"gorgonia.org/tensor"
)

// FromDense returns an nx tensor with d's shape, type and elements. When d is
// a contiguous row-major tensor (the usual case) the result shares d's backing
// slice; views (slices, lazy transposes) and column-major tensors are copied
// into row-major order. d must not be modified while the result is in use.
//
// It panics with an *nx.Error for element types nx does not have (string,
// uintptr, unsafe.Pointer).
func FromDense(d *tensor.Dense) *nx.Tensor {
	if d.IsMaterializable() {
		d = d.Materialize().(*tensor.Dense)
	}
	shape := []int(d.Shape().Clone())
	size := 1
	for _, n := range shape {
		size *= n
	}
	data := backing(d, size)
	if d.DataOrder().IsColMajor() && len(shape) > 1 {
		rev := make([]int, len(shape))
		for i, n := range shape {
			rev[len(shape)-1-i] = n
		}
		return nx.Transpose(nx.FromSlice(data, rev...))
	}
	return nx.FromSlice(data, shape...)
}

// backing returns the first n elements of d's backing array as the Go slice nx
// uses for d's type, sharing memory.
func backing(d *tensor.Dense, n int) any {
	switch d.Dtype() {
	case tensor.Uint8:
		return d.Uint8s()[:n:n]
	case tensor.Uint16:
		return d.Uint16s()[:n:n]
	case tensor.Uint32:
		return d.Uint32s()[:n:n]
	case tensor.Uint64:
		return d.Uint64s()[:n:n]
	case tensor.Int8:
		return d.Int8s()[:n:n]
	case tensor.Int16:
		return d.Int16s()[:n:n]
	case tensor.Int32:
		return d.Int32s()[:n:n]
	case tensor.Int64:
		return d.Int64s()[:n:n]
	case tensor.Float32:
		return d.Float32s()[:n:n]
	case tensor.Float64:
		return d.Float64s()[:n:n]
	case tensor.Complex64:
		return d.Complex64s()[:n:n]
	case tensor.Complex128:
		return d.Complex128s()[:n:n]
	case tensor.Int:
		s := d.Ints()[:n:n]
		if strconv.IntSize == 32 {
			return reinterpret[int, int32](s)
		}
		return reinterpret[int, int64](s)
	case tensor.Uint:
		s := d.Uints()[:n:n]
		if strconv.IntSize == 32 {
			return reinterpret[uint, uint32](s)
		}
		return reinterpret[uint, uint64](s)
	case tensor.Bool:
		return reinterpret[bool, uint8](d.Bools()[:n:n])
	}
	panic(&nx.Error{
		Op:       "gorgonia.FromDense",
		Operands: []string{d.Dtype().String() + nx.Shape(d.Shape()).String()},
		Msg:      fmt.Sprintf("element type %v has no nx dtype", d.Dtype()),
	})
}

// reinterpret views a slice of S as a slice of D, which must have the same size
// and accept every bit pattern of S.
func reinterpret[S, D any](s []S) []D {
	if len(s) == 0 {
		return []D{}
	}
	return unsafe.Slice((*D)(unsafe.Pointer(&s[0])), len(s))
}

// ToDense returns a *tensor.Dense with t's shape, type and elements, backed by
// t's own data slice: no element is copied, and the Dense must not be modified
// while t is in use (nx tensors are immutable). t must be a concrete tensor, not
// one being traced inside nx.Jit.
//
// It panics with an *nx.Error for f16 and bf16 tensors, which gorgonia cannot
// hold; convert them first with nx.AsType.
func ToDense(t *nx.Tensor) *tensor.Dense {
	switch t.DType() {
	case nx.F16, nx.BF16:
		panic(&nx.Error{
			Op:       "gorgonia.ToDense",
			Operands: []string{t.DType().String() + t.Shape().String()},
			Msg:      "gorgonia has no " + t.DType().String() + " type: convert with nx.AsType to f32 first",
		})
	}
	data := t.Data()
	if data == nil {
		panic(&nx.Error{
			Op:       "gorgonia.ToDense",
			Operands: []string{t.DType().String() + t.Shape().String()},
			Msg:      "the tensor has no data (is it being traced?)",
		})
	}
	return tensor.New(tensor.WithBacking(data), tensor.WithShape(t.Shape()...))
}
