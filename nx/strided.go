package nx

// stridedCopy fills dst, laid out row-major over shape, with the elements of src
// at offset + Σ idx[d]·strides[d]. It is the one kernel behind Broadcast (zero
// strides), Transpose (permuted strides), Reverse (negative strides) and strided
// slicing. dst and src are data slices of the same element type.
//
// Its job is kept in c's state, so that a compiled step splits the copy
// between threads without allocating.
func stridedCopy(c *call, dst, src any, shape Shape, strides []int, offset int) {
	n := dataLen(dst)
	if n == 0 {
		return
	}
	if len(shape) == 0 { // one element
		shape, strides = Shape{1}, []int{0}
	}
	inner := shape[len(shape)-1]
	j := stateOf[stridedJob](&c.state)
	*j = stridedJob{dst: dst, src: src, g: newStridedGeom(shape, strides), offset: offset}
	parallelRanges(n/inner, max(1, parallelGrain/inner), j)
	*j = stridedJob{} // keep no operand alive
}

// maxFastRank is the most axes whose strides and odometers live in arrays
// on the stack, so that a strided copy allocates nothing.
const maxFastRank = 8

// stridesTo returns shape's row-major strides in buf when it is long
// enough, else in a new slice.
func stridesTo(buf []int, shape Shape) []int {
	st := buf[:0]
	if len(shape) > len(buf) {
		st = make([]int, 0, len(shape))
	}
	st = st[:len(shape)]
	n := 1
	for i := len(shape) - 1; i >= 0; i-- {
		st[i] = n
		n *= shape[i]
	}
	return st
}

// stridedGeom is the shape and strides of a strided copy, copied into its
// job (so that the caller's slices stay on its stack).
type stridedGeom struct {
	rank            int
	shape, strides  [maxFastRank]int
	bigShape, bigSt []int // beyond maxFastRank axes
}

func newStridedGeom(shape Shape, strides []int) stridedGeom {
	g := stridedGeom{rank: len(shape)}
	if g.rank > maxFastRank {
		g.bigShape, g.bigSt = append([]int(nil), shape...), append([]int(nil), strides...)
		return g
	}
	copy(g.shape[:], shape)
	copy(g.strides[:], strides)
	return g
}

func (g *stridedGeom) get() (Shape, []int) {
	if g.rank > maxFastRank {
		return g.bigShape, g.bigSt
	}
	return g.shape[:g.rank], g.strides[:g.rank]
}

// gatherRows copies rows [lo, hi) of dst (see stridedCopy).
func gatherRows[T any](dst, src []T, shape Shape, strides []int, offset, lo, hi int) {
	rank := len(shape)
	inner := shape[rank-1]
	is := strides[rank-1]
	outer := shape[:rank-1]
	outerStrides := strides[:rank-1]
	var ib [maxFastRank]int
	idx := ib[:0]
	if len(outer) > len(ib) {
		idx = make([]int, 0, len(outer))
	}
	idx = idx[:len(outer)]
	{
		// Position the odometer at row lo.
		base := offset
		r := lo
		for d := len(outer) - 1; d >= 0; d-- {
			idx[d] = r % outer[d]
			r /= outer[d]
			base += idx[d] * outerStrides[d]
		}
		for row := lo; row < hi; row++ {
			out := dst[row*inner : (row+1)*inner]
			switch is {
			case 1:
				copy(out, src[base:base+inner])
			case 0:
				v := src[base]
				for i := range out {
					out[i] = v
				}
			default:
				p := base
				for i := range out {
					out[i] = src[p]
					p += is
				}
			}
			for d := len(outer) - 1; d >= 0; d-- {
				idx[d]++
				base += outerStrides[d]
				if idx[d] < outer[d] {
					break
				}
				base -= idx[d] * outerStrides[d]
				idx[d] = 0
			}
		}
	}
}

// stridedJob is a strided copy split between threads (see stridedCopy).
type stridedJob struct {
	dst, src any
	g        stridedGeom
	offset   int
}

func (j *stridedJob) runRange(lo, hi int) {
	shape, strides := j.g.get()
	switch d := j.dst.(type) {
	case []uint8:
		gatherRows(d, j.src.([]uint8), shape, strides, j.offset, lo, hi)
	case []uint16:
		gatherRows(d, j.src.([]uint16), shape, strides, j.offset, lo, hi)
	case []uint32:
		gatherRows(d, j.src.([]uint32), shape, strides, j.offset, lo, hi)
	case []uint64:
		gatherRows(d, j.src.([]uint64), shape, strides, j.offset, lo, hi)
	case []int8:
		gatherRows(d, j.src.([]int8), shape, strides, j.offset, lo, hi)
	case []int16:
		gatherRows(d, j.src.([]int16), shape, strides, j.offset, lo, hi)
	case []int32:
		gatherRows(d, j.src.([]int32), shape, strides, j.offset, lo, hi)
	case []int64:
		gatherRows(d, j.src.([]int64), shape, strides, j.offset, lo, hi)
	case []Float16:
		gatherRows(d, j.src.([]Float16), shape, strides, j.offset, lo, hi)
	case []BFloat16:
		gatherRows(d, j.src.([]BFloat16), shape, strides, j.offset, lo, hi)
	case []float32:
		gatherRows(d, j.src.([]float32), shape, strides, j.offset, lo, hi)
	case []float64:
		gatherRows(d, j.src.([]float64), shape, strides, j.offset, lo, hi)
	case []complex64:
		gatherRows(d, j.src.([]complex64), shape, strides, j.offset, lo, hi)
	case []complex128:
		gatherRows(d, j.src.([]complex128), shape, strides, j.offset, lo, hi)
	default:
		panic(&Error{Op: "nx", Msg: "stridedCopy: unsupported data"})
	}
}
