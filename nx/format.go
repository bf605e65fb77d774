package nx

import (
	"math"
	"strconv"
	"strings"
	"unsafe"
)

// inspectLimit is how many elements String prints before eliding the rest.
const inspectLimit = 50

// formatFloat formats v the way Nx prints floats: 1.0, 0.25, 1.0e-10, NaN, Inf.
func formatFloat(v float64, bits int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	s := strconv.FormatFloat(v, 'g', -1, bits)
	mant, exp, hasExp := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	if hasExp {
		return mant + "e" + strings.TrimPrefix(exp, "+")
	}
	return mant
}

// formatElem formats element i of t.
func formatElem(t *Tensor, i int) string {
	switch x := t.data.(type) {
	case []float32:
		return formatFloat(float64(x[i]), 32)
	case []float64:
		return formatFloat(x[i], 64)
	case []Float16:
		return x[i].String()
	case []BFloat16:
		return x[i].String()
	case []complex64:
		return formatComplex(complex128(x[i]), 32)
	case []complex128:
		return formatComplex(x[i], 64)
	}
	if t.dtype.IsUnsigned() {
		return strconv.FormatUint(convertData(sliceData(t.data, i, i+1), U64).([]uint64)[0], 10)
	}
	return strconv.FormatInt(convertData(sliceData(t.data, i, i+1), S64).([]int64)[0], 10)
}

func formatComplex(c complex128, bits int) string {
	im := imag(c)
	sign := "+"
	if math.Signbit(im) {
		sign = "-"
		im = -im
	}
	return formatFloat(real(c), bits) + sign + formatFloat(im, bits) + "i"
}

// formatValues formats t's values as nested brackets, indenting by indent.
func formatValues(t *Tensor, indent int) string {
	shape := t.physicalShape()
	if len(shape) == 0 {
		return formatElem(t, 0)
	}
	var b strings.Builder
	printed := 0
	var rec func(depth, offset int)
	rec = func(depth, offset int) {
		pad := strings.Repeat(" ", indent+2*depth)
		dim := shape[depth]
		if depth == len(shape)-1 {
			b.WriteString("[")
			for i := 0; i < dim; i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				if printed >= inspectLimit {
					b.WriteString("...")
					break
				}
				b.WriteString(formatElem(t, offset+i))
				printed++
			}
			b.WriteString("]")
			return
		}
		inner := shape[depth+1:].Size()
		b.WriteString("[\n")
		for i := 0; i < dim; i++ {
			b.WriteString(pad + "  ")
			if printed >= inspectLimit {
				b.WriteString("...\n")
				break
			}
			rec(depth+1, offset+i*inner)
			if i < dim-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString(pad + "]")
	}
	rec(0, 0)
	return b.String()
}

// dataBytes returns the bytes of a data slice, sharing memory.
func dataBytes(data any) []byte {
	n := dataLen(data)
	if n == 0 {
		return nil
	}
	size := dtypeOfData(data).Size()
	var p unsafe.Pointer
	switch x := data.(type) {
	case []uint8:
		p = unsafe.Pointer(&x[0])
	case []uint16:
		p = unsafe.Pointer(&x[0])
	case []uint32:
		p = unsafe.Pointer(&x[0])
	case []uint64:
		p = unsafe.Pointer(&x[0])
	case []int8:
		p = unsafe.Pointer(&x[0])
	case []int16:
		p = unsafe.Pointer(&x[0])
	case []int32:
		p = unsafe.Pointer(&x[0])
	case []int64:
		p = unsafe.Pointer(&x[0])
	case []Float16:
		p = unsafe.Pointer(&x[0])
	case []BFloat16:
		p = unsafe.Pointer(&x[0])
	case []float32:
		p = unsafe.Pointer(&x[0])
	case []float64:
		p = unsafe.Pointer(&x[0])
	case []complex64:
		p = unsafe.Pointer(&x[0])
	case []complex128:
		p = unsafe.Pointer(&x[0])
	}
	return unsafe.Slice((*byte)(p), n*size)
}
