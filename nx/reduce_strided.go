package nx

import (
	"math"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// Reductions over axes that are not consecutive, such as a convolution's
// bias gradient (a sum over the batch and the spatial axes of [N, C, H, W],
// keeping C), without a transposed copy of the operand: the axes are merged
// into alternating blocks of reduced and kept ones; when the last block is
// reduced, its contiguous rows are reduced first (in parallel), and then
// the rows of the innermost kept block are folded into the result in the
// order they come, each element accumulated in float64.

// reduceBlocks merges shape's axes into blocks of consecutive axes that are
// all reduced or all kept (axes of size 1 dropped), up to maxFastRank
// blocks; ok is false beyond.
func reduceBlocks(shape Shape, axes []int, sizes *[maxFastRank]int, reduced *[maxFastRank]bool) (n int, ok bool) {
	for d, size := range shape {
		if size == 1 {
			continue
		}
		r := containsInt(axes, d)
		if n > 0 && reduced[n-1] == r {
			sizes[n-1] *= size
			continue
		}
		if n == maxFastRank {
			return 0, false
		}
		sizes[n], reduced[n] = size, r
		n++
	}
	return n, true
}

// reduceState is what a reduction keeps between runs of a compiled step: its
// float64 accumulators and the job that splits its rows.
type reduceState struct {
	acc, rows []float64
	job       reduceRowsJob
}

// reduceRowsJob reduces the contiguous rows of a reduction's operand into
// float64 values, in parallel.
type reduceRowsJob struct {
	f32   []float32
	f64   []float64
	group int
	kind  reduceKind
	out   []float64
}

func (j *reduceRowsJob) runRange(lo, hi int) {
	for i := lo; i < hi; i++ {
		if j.f32 != nil {
			j.out[i] = reduceRow(j.f32[i*j.group:(i+1)*j.group], j.kind)
		} else {
			j.out[i] = reduceRow(j.f64[i*j.group:(i+1)*j.group], j.kind)
		}
	}
}

// reduceRow reduces one row in float64, in order: f32 sums in the pieces of
// sumChunk, each summed by kernels.SumF32, as fused reductions do; f32 maxima
// by the vectorized kernel, which finds the same maximum.
func reduceRow[T ~float32 | ~float64](row []T, kind reduceKind) float64 {
	switch kind {
	case reduceSum:
		var s float64
		if r32, ok := any(row).([]float32); ok {
			for lo := 0; lo < len(r32); lo += sumChunk {
				s += kernels.SumF32(r32[lo:min(lo+sumChunk, len(r32))])
			}
			return s
		}
		for _, v := range row {
			s += float64(v)
		}
		return s
	case reduceProduct:
		p := 1.0
		for _, v := range row {
			p *= float64(v)
		}
		return p
	case reduceMax:
		if r32, ok := any(row).([]float32); ok {
			return fmaxNaN(math.Inf(-1), float64(kernels.MaxF32(r32)))
		}
		m := math.Inf(-1)
		for _, v := range row {
			m = fmaxNaN(m, float64(v))
		}
		return m
	default:
		m := math.Inf(1)
		for _, v := range row {
			m = fminNaN(m, float64(v))
		}
		return m
	}
}

// reduceStrided computes reduction c (of an f32 or f64 operand) over axes
// that are not consecutive; it reports false, doing nothing, when the
// operand has more than maxFastRank blocks of axes.
func reduceStrided(c *call, kind reduceKind, axes []int) bool {
	in := c.args[0]
	var sizes [maxFastRank]int
	var reduced [maxFastRank]bool
	n, ok := reduceBlocks(in.shape, axes, &sizes, &reduced)
	if !ok {
		return false
	}
	st := stateOf[reduceState](&c.state)
	outN := c.outs[0].shape.Size()
	if cap(st.acc) < outN {
		st.acc = make([]float64, outN)
	}
	acc := st.acc[:outN]
	init := reduceInit(kind)
	for i := range acc {
		acc[i] = init
	}
	var src []float64 // the values to fold: the operand's, or its rows'
	if n > 0 && reduced[n-1] {
		group := sizes[n-1]
		rows := in.shape.Size() / group
		if cap(st.rows) < rows {
			st.rows = make([]float64, rows)
		}
		st.job = reduceRowsJob{group: group, kind: kind, out: st.rows[:rows]}
		st.job.f32, _ = in.data.([]float32)
		st.job.f64, _ = in.data.([]float64)
		parallelRanges(rows, max(1, parallelGrain/max(group, 1)), &st.job)
		st.job = reduceRowsJob{}
		src = st.rows[:rows]
		n--
	}
	switch {
	case src != nil:
		foldKeptRows(acc, src, sizes[:n], reduced[:n], kind)
	case in.dtype == F32:
		foldKeptRows(acc, in.data.([]float32), sizes[:n], reduced[:n], kind)
	default:
		foldKeptRows(acc, in.data.([]float64), sizes[:n], reduced[:n], kind)
	}
	switch out := c.out(0).(type) {
	case []float32:
		for i, v := range acc {
			out[i] = float32(v)
		}
	case []float64:
		copy(out, acc)
	}
	return true
}

// foldKeptRows folds src, laid out over blocks (the last one kept), into
// acc, laid out over the kept blocks: each contiguous row of the last block
// is combined element by element into the result row its kept coordinates
// address, rows in the order they come.
func foldKeptRows[T float32 | float64](acc []float64, src []T, sizes []int, reduced []bool, kind reduceKind) {
	n := len(sizes)
	if n == 0 { // everything reduced: one value
		for _, v := range src {
			acc[0] = foldOne(acc[0], float64(v), kind)
		}
		return
	}
	k := sizes[n-1]
	// Strides of the outer blocks in the result (0 for reduced ones).
	var ost, idx [maxFastRank]int
	stride := k
	for b := n - 2; b >= 0; b-- {
		if !reduced[b] {
			ost[b] = stride
			stride *= sizes[b]
		}
	}
	off := 0
	for r := 0; r < len(src)/k; r++ {
		row, dst := src[r*k:(r+1)*k], acc[off:off+k]
		switch kind {
		case reduceSum:
			for i, v := range row {
				dst[i] += float64(v)
			}
		case reduceProduct:
			for i, v := range row {
				dst[i] *= float64(v)
			}
		default:
			for i, v := range row {
				dst[i] = foldOne(dst[i], float64(v), kind)
			}
		}
		for b := n - 2; b >= 0; b-- { // the odometer over the outer blocks
			idx[b]++
			off += ost[b]
			if idx[b] < sizes[b] {
				break
			}
			off -= idx[b] * ost[b]
			idx[b] = 0
		}
	}
}

func foldOne(a, v float64, kind reduceKind) float64 {
	switch kind {
	case reduceSum:
		return a + v
	case reduceProduct:
		return a * v
	case reduceMax:
		return fmaxNaN(a, v)
	}
	return fminNaN(a, v)
}
