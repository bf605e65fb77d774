package nx

import (
	"math"
)

// integer is the set of Go integer element types.
type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// signedInt is the set of Go signed integer element types.
type signedInt interface {
	~int8 | ~int16 | ~int32 | ~int64
}

// unsignedInt is the set of Go unsigned integer element types.
type unsignedInt interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64
}

// native is the set of element types Go does arithmetic on directly.
type native interface {
	integer | ~float32 | ~float64
}

// convertData returns a new slice holding data's elements converted to dt, with
// Nx's conversion rules: integers wrap to narrower integers; floats truncate
// toward zero into integers, saturating at the integer's limits, with NaN as 0;
// complex numbers keep their real part when converted to real types.
func convertData(data any, dt DType) any {
	n := dataLen(data)
	out := makeData(dt, n)
	convertInto(out, data)
	return out
}

// convertInto converts src's elements into dst (of equal length).
func convertInto(dst, src any) {
	switch d := dst.(type) {
	case []uint8:
		castNative(d, src, 0, math.MaxUint8)
	case []uint16:
		castNative(d, src, 0, math.MaxUint16)
	case []uint32:
		castNative(d, src, 0, math.MaxUint32)
	case []uint64:
		castNative(d, src, 0, math.MaxUint64)
	case []int8:
		castNative(d, src, math.MinInt8, math.MaxInt8)
	case []int16:
		castNative(d, src, math.MinInt16, math.MaxInt16)
	case []int32:
		castNative(d, src, math.MinInt32, math.MaxInt32)
	case []int64:
		castNative(d, src, math.MinInt64, math.MaxInt64)
	case []float32:
		castNative(d, src, 0, 0)
	case []float64:
		castNative(d, src, 0, 0)
	case []Float16:
		f := make([]float32, len(d))
		castNative(f, src, 0, 0)
		for i, v := range f {
			d[i] = NewFloat16(v)
		}
	case []BFloat16:
		f := make([]float32, len(d))
		castNative(f, src, 0, 0)
		for i, v := range f {
			d[i] = NewBFloat16(v)
		}
	case []complex64:
		castComplex(d, src)
	case []complex128:
		castComplex(d, src)
	}
}

// castNative converts src into dst. For integer destinations, lo and hi are the
// destination's limits, used to saturate float sources; lo == hi marks a float
// destination.
func castNative[D native](dst []D, src any, lo, hi float64) {
	isInt := lo != hi
	fromFloat := func(v float64) D {
		if !isInt {
			return D(v)
		}
		switch {
		case v != v:
			return 0
		case v <= lo:
			return D(int64(lo))
		case v >= hi:
			if hi >= math.MaxInt64 {
				// Exact limits of 64-bit types, which float64 cannot hold.
				var top uint64 = math.MaxUint64
				if lo < 0 {
					top = math.MaxInt64
				}
				return D(top)
			}
			return D(int64(hi))
		case v < 0:
			return D(int64(v))
		}
		return D(uint64(v))
	}
	switch s := src.(type) {
	case []uint8:
		castInts(dst, s)
	case []uint16:
		castInts(dst, s)
	case []uint32:
		castInts(dst, s)
	case []uint64:
		castInts(dst, s)
	case []int8:
		castInts(dst, s)
	case []int16:
		castInts(dst, s)
	case []int32:
		castInts(dst, s)
	case []int64:
		castInts(dst, s)
	case []float32:
		if !isInt {
			for i, v := range s {
				dst[i] = D(v)
			}
			return
		}
		for i, v := range s {
			dst[i] = fromFloat(float64(v))
		}
	case []float64:
		if !isInt {
			for i, v := range s {
				dst[i] = D(v)
			}
			return
		}
		for i, v := range s {
			dst[i] = fromFloat(v)
		}
	case []Float16:
		for i, v := range s {
			dst[i] = fromFloat(v.Float64())
		}
	case []BFloat16:
		for i, v := range s {
			dst[i] = fromFloat(v.Float64())
		}
	case []complex64:
		for i, v := range s {
			dst[i] = fromFloat(float64(real(v)))
		}
	case []complex128:
		for i, v := range s {
			dst[i] = fromFloat(real(v))
		}
	}
}

// castInts converts integers into any native type with Go's conversion
// semantics (integers wrap, floats round to nearest).
func castInts[D native, S integer](dst []D, src []S) {
	for i, v := range src {
		dst[i] = D(v)
	}
}

// castComplex converts src into a complex destination.
func castComplex[D ~complex64 | ~complex128](dst []D, src any) {
	switch s := src.(type) {
	case []complex64:
		for i, v := range s {
			dst[i] = D(v)
		}
	case []complex128:
		for i, v := range s {
			dst[i] = D(v)
		}
	default:
		f := make([]float64, len(dst))
		castNative(f, src, 0, 0)
		for i, v := range f {
			dst[i] = D(complex(v, 0))
		}
	}
}
