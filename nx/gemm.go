package nx

import (
	"runtime"
	"sync"
)

// The matrix product kernel behind Dot, DotGeneral and Conv.
//
// Real floats (f32, f64) go through a packed, cache-blocked GEMM in the style
// of Goto and BLIS: B is packed into kc×NR column slivers, blocks of A into
// MR×kc row slivers, and a register-blocked MR×NR micro-kernel accumulates
// each tile of C. Row blocks of A are shared out across goroutines. Other
// types (integers, complex) and small or vector-shaped products use a plain
// loop; f16 and bf16 are computed in f32.

const (
	gemmMR = 3 // rows of the micro-kernel's tile
	gemmNR = 3 // columns of the micro-kernel's tile
	gemmKC = 256
	gemmMC = 96   // a multiple of gemmMR; an MC×KC block of A stays in L2
	gemmNC = 3072 // a multiple of gemmNR

	// gemmSmall is the m·n·k at or below which the plain loop beats packing.
	gemmSmall = 1 << 12
	// gemmSerial is the m·n·k below which one goroutine does all the work.
	gemmSerial = 1 << 17
	// gemmBatchSplit is the m·n·k below which a batch is split across
	// goroutines one matrix each, rather than splitting each matrix.
	gemmBatchSplit = 1 << 21
)

// matmulAttr describes a batched matrix product [B][M][K] × [B][K][N]. With
// transA, a is stored as [B][K][M]; with transB, b is stored as [B][N][K].
type matmulAttr struct{ transA, transB bool }

// matmulOp is the primitive behind every contraction: a batched matrix product
// of two operands of the result's type.
var matmulOp = &opDef{name: "dot", cpu: func(c *call) {
	attr := c.attr.(matmulAttr)
	a, b, out := c.args[0], c.args[1], c.outs[0]
	l := matLayout{batch: out.shape[0], m: out.shape[1], n: out.shape[2]}
	if attr.transA {
		l.k = a.shape[1]
		l.ars, l.acs = 1, l.m
	} else {
		l.k = a.shape[2]
		l.ars, l.acs = l.k, 1
	}
	if attr.transB {
		l.brs, l.bcs = 1, l.k
	} else {
		l.brs, l.bcs = l.n, 1
	}
	gemmInto(c.out(0), a.data, b.data, l)
}}

// matLayout describes a batch of products C = A·B: element (i, p) of A is at
// i·ars + p·acs within its matrix, element (p, j) of B at p·brs + j·bcs, and C
// is m×n row-major. Matrices follow each other densely in each operand.
type matLayout struct {
	batch, m, n, k     int
	ars, acs, brs, bcs int
}

// gemmInto computes the batched product l of a and b into out (zeroed), all
// data slices of one element type.
func gemmInto(out, a, b any, l matLayout) {
	switch x := a.(type) {
	case []float32:
		gemmBatch(out.([]float32), x, b.([]float32), l, gemmFloat[float32])
	case []float64:
		gemmBatch(out.([]float64), x, b.([]float64), l, gemmFloat[float64])
	case []Float16, []BFloat16:
		o := make([]float32, dataLen(out))
		gemmBatch(o, convertData(a, F32).([]float32), convertData(b, F32).([]float32), l, gemmFloat[float32])
		convertInto(out, o)
	case []uint8:
		gemmBatch(out.([]uint8), x, b.([]uint8), l, gemmPlain[uint8])
	case []uint16:
		gemmBatch(out.([]uint16), x, b.([]uint16), l, gemmPlain[uint16])
	case []uint32:
		gemmBatch(out.([]uint32), x, b.([]uint32), l, gemmPlain[uint32])
	case []uint64:
		gemmBatch(out.([]uint64), x, b.([]uint64), l, gemmPlain[uint64])
	case []int8:
		gemmBatch(out.([]int8), x, b.([]int8), l, gemmPlain[int8])
	case []int16:
		gemmBatch(out.([]int16), x, b.([]int16), l, gemmPlain[int16])
	case []int32:
		gemmBatch(out.([]int32), x, b.([]int32), l, gemmPlain[int32])
	case []int64:
		gemmBatch(out.([]int64), x, b.([]int64), l, gemmPlain[int64])
	case []complex64:
		gemmBatch(out.([]complex64), x, b.([]complex64), l, gemmPlain[complex64])
	case []complex128:
		gemmBatch(out.([]complex128), x, b.([]complex128), l, gemmPlain[complex128])
	default:
		panic(&Error{Op: "nx.Dot", Msg: "gemm: unsupported data"})
	}
}

// gemmFunc adds the m×n product of A (strides ars, acs) and B (strides brs,
// bcs), k deep, into C (row stride ldc). parallel allows it to use several
// goroutines.
type gemmFunc[T any] func(c []T, ldc int, a []T, ars, acs int, b []T, brs, bcs int, m, n, k int, parallel bool)

// gemmBatch runs mm over each matrix of the batch, splitting the batch across
// goroutines when the matrices are small and many.
func gemmBatch[T any](c, a, b []T, l matLayout, mm gemmFunc[T]) {
	aStep, bStep, cStep := l.m*l.k, l.k*l.n, l.m*l.n
	per := l.m * l.n * l.k
	one := func(i int, parallel bool) {
		mm(c[i*cStep:(i+1)*cStep], l.n, a[i*aStep:(i+1)*aStep], l.ars, l.acs,
			b[i*bStep:(i+1)*bStep], l.brs, l.bcs, l.m, l.n, l.k, parallel)
	}
	if l.batch > 1 && per < gemmBatchSplit && l.batch*per >= gemmSerial {
		parallelFor(l.batch, max(1, gemmSerial/max(per, 1)), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				one(i, false)
			}
		})
		return
	}
	for i := 0; i < l.batch; i++ {
		one(i, true)
	}
}

// dotElem is every element type the plain product loop handles.
type dotElem interface {
	integer | ~float32 | ~float64 | ~complex64 | ~complex128
}

// gemmPlain is the plain triple loop, choosing the loop order that reads
// memory in sequence. Integers wrap in their own type, as in Nx.
func gemmPlain[T dotElem](c []T, ldc int, a []T, ars, acs int, b []T, brs, bcs int, m, n, k int, parallel bool) {
	if m == 0 || n == 0 || k == 0 {
		return
	}
	body := func(lo, hi int) {
		switch {
		case bcs == 1 && n > 1 && acs != 1 && ars == 1:
			// A is column-major: walk it by columns, C[i,:] += A[i,p]·B[p,:].
			for p := 0; p < k; p++ {
				brow := b[p*brs : p*brs+n]
				acol := a[p*acs:]
				for i := lo; i < hi; i++ {
					av := acol[i]
					crow := c[i*ldc : i*ldc+n]
					for j, bv := range brow {
						crow[j] += av * bv
					}
				}
			}
		case bcs == 1 && n > 1:
			for i := lo; i < hi; i++ {
				crow := c[i*ldc : i*ldc+n]
				for p := 0; p < k; p++ {
					av := a[i*ars+p*acs]
					brow := b[p*brs : p*brs+n]
					for j, bv := range brow {
						crow[j] += av * bv
					}
				}
			}
		default:
			// Dot products of rows of A with columns of B.
			for i := lo; i < hi; i++ {
				ai := i * ars
				for j := 0; j < n; j++ {
					var s T
					bj := j * bcs
					for p := 0; p < k; p++ {
						s += a[ai+p*acs] * b[bj+p*brs]
					}
					c[i*ldc+j] += s
				}
			}
		}
	}
	if parallel && m*n*k >= gemmSerial {
		parallelFor(m, max(1, gemmSerial/(n*k)), body)
		return
	}
	body(0, m)
}

// gemmReal is the element type of the packed GEMM.
type gemmReal interface{ float32 | float64 }

var gemmPoolF32, gemmPoolF64 sync.Pool

// gemmGet returns a pooled buffer of n elements (contents undefined).
func gemmGet[T gemmReal](n int) *[]T {
	var pool *sync.Pool
	var z T
	if _, ok := any(z).(float32); ok {
		pool = &gemmPoolF32
	} else {
		pool = &gemmPoolF64
	}
	if v, ok := pool.Get().(*[]T); ok && cap(*v) >= n {
		*v = (*v)[:n]
		return v
	}
	s := make([]T, n)
	return &s
}

// gemmPut returns a buffer from gemmGet to its pool.
func gemmPut[T gemmReal](v *[]T) {
	var z T
	if _, ok := any(z).(float32); ok {
		gemmPoolF32.Put(v)
	} else {
		gemmPoolF64.Put(v)
	}
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }

// gemmFloat is the packed, blocked GEMM for f32 and f64 (a gemmFunc).
func gemmFloat[T gemmReal](c []T, ldc int, a []T, ars, acs int, b []T, brs, bcs int, m, n, k int, parallel bool) {
	if m == 0 || n == 0 || k == 0 {
		return
	}
	if m*n*k <= gemmSmall || m == 1 || n == 1 {
		gemmPlain(c, ldc, a, ars, acs, b, brs, bcs, m, n, k, parallel)
		return
	}
	workers := 1
	if parallel && m*n*k >= gemmSerial {
		workers = runtime.GOMAXPROCS(0)
	}
	bbuf := gemmGet[T](min(k, gemmKC) * roundUp(min(n, gemmNC), gemmNR))
	defer gemmPut(bbuf)
	bp := *bbuf
	for jc := 0; jc < n; jc += gemmNC {
		nc := min(gemmNC, n-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kc := min(gemmKC, k-pc)
			gemmPackB(bp, b[pc*brs+jc*bcs:], brs, bcs, kc, nc)
			mb := gemmMC
			if workers > 1 && m < workers*gemmMC {
				mb = roundUp((m+workers-1)/workers, gemmMR)
			}
			rowBlocks := (m + mb - 1) / mb
			slivers := (nc + gemmNR - 1) / gemmNR
			colChunks := gemmColChunks(workers, rowBlocks, slivers)
			tasks := rowBlocks * colChunks
			body := func(lo, hi int) {
				abuf := gemmGet[T](mb * kc)
				ap := *abuf
				packed := -1
				for t := lo; t < hi; t++ {
					rb, cc := t/colChunks, t%colChunks
					i0 := rb * mb
					mc := min(mb, m-i0)
					if rb != packed {
						gemmPackA(ap, a[i0*ars+pc*acs:], ars, acs, mc, kc)
						packed = rb
					}
					s0, s1 := cc*slivers/colChunks, (cc+1)*slivers/colChunks
					gemmMacro(c[i0*ldc+jc:], ldc, ap, bp, mc, nc, kc, s0, s1)
				}
				gemmPut(abuf)
			}
			if workers == 1 || tasks == 1 {
				body(0, tasks)
			} else {
				parallelFor(tasks, 1, body)
			}
		}
	}
}

// gemmColChunks returns how many column chunks to split each row block into so
// that the tasks (row blocks × column chunks) number about eight per goroutine
// or more and, where possible, a multiple of the goroutines, so that
// parallelFor's equal shares balance.
func gemmColChunks(workers, rowBlocks, slivers int) int {
	if workers <= 1 || rowBlocks >= 8*workers {
		return 1
	}
	cc := (8*workers + rowBlocks - 1) / rowBlocks
	for c := cc; c < cc+workers && c <= slivers; c++ {
		if rowBlocks*c%workers == 0 {
			return c
		}
	}
	return min(cc, slivers)
}

// gemmPackA packs the mc×kc block of A at a (strides ars, acs) into slivers of
// gemmMR rows: dst[s·MR·kc + p·MR + r] = A[s·MR + r, p], zero past the last row.
func gemmPackA[T any](dst, a []T, ars, acs, mc, kc int) {
	var zero T
	if acs != 1 {
		// A is stored by columns: read each column once, in order, and deal
		// its elements out to the slivers.
		full := mc / gemmMR * gemmMR
		for p := 0; p < kc; p++ {
			col := p * acs
			for i := 0; i < full; i += gemmMR {
				d := dst[i*kc+p*gemmMR : i*kc+p*gemmMR+gemmMR]
				s := col + i*ars
				d[0], d[1], d[2] = a[s], a[s+ars], a[s+2*ars]
			}
			if full < mc {
				d := dst[full*kc+p*gemmMR : full*kc+p*gemmMR+gemmMR]
				for r := range d {
					if full+r < mc {
						d[r] = a[col+(full+r)*ars]
					} else {
						d[r] = zero
					}
				}
			}
		}
		return
	}
	for i := 0; i < mc; i += gemmMR {
		d := dst[i*kc : i*kc+gemmMR*kc]
		mr := min(gemmMR, mc-i)
		for r := 0; r < gemmMR; r++ {
			if r >= mr {
				for p := 0; p < kc; p++ {
					d[p*gemmMR+r] = zero
				}
				continue
			}
			row := a[(i+r)*ars : (i+r)*ars+kc]
			for p, v := range row {
				d[p*gemmMR+r] = v
			}
		}
	}
}

// gemmPackB packs the kc×nc panel of B at b (strides brs, bcs) into slivers of
// gemmNR columns: dst[s·NR·kc + p·NR + q] = B[p, s·NR + q], zero past the last
// column.
func gemmPackB[T any](dst, b []T, brs, bcs, kc, nc int) {
	var zero T
	for j := 0; j < nc; j += gemmNR {
		d := dst[j*kc : j*kc+gemmNR*kc]
		nr := min(gemmNR, nc-j)
		if bcs == 1 && nr == gemmNR {
			for p := 0; p < kc; p++ {
				src := b[p*brs+j : p*brs+j+gemmNR]
				copy(d[p*gemmNR:p*gemmNR+gemmNR], src)
			}
			continue
		}
		if bcs != 1 && brs == 1 {
			for q := 0; q < gemmNR; q++ {
				if q >= nr {
					for p := 0; p < kc; p++ {
						d[p*gemmNR+q] = zero
					}
					continue
				}
				col := b[(j+q)*bcs : (j+q)*bcs+kc]
				for p, v := range col {
					d[p*gemmNR+q] = v
				}
			}
			continue
		}
		for p := 0; p < kc; p++ {
			dp := d[p*gemmNR : p*gemmNR+gemmNR]
			src := p*brs + j*bcs
			for q := range dp {
				if q < nr {
					dp[q] = b[src+q*bcs]
				} else {
					dp[q] = zero
				}
			}
		}
	}
}

// gemmMacro multiplies the packed mc×kc block ap by the packed slivers
// [s0, s1) of the kc×nc panel bp, adding into c (row stride ldc).
func gemmMacro[T gemmReal](c []T, ldc int, ap, bp []T, mc, nc, kc, s0, s1 int) {
	var tile [gemmMR * gemmNR]T
	for s := s0; s < s1; s++ {
		j := s * gemmNR
		nr := min(gemmNR, nc-j)
		bs := bp[j*kc : j*kc+gemmNR*kc]
		for i := 0; i < mc; i += gemmMR {
			mr := min(gemmMR, mc-i)
			as := ap[i*kc : i*kc+gemmMR*kc]
			if mr == gemmMR && nr == gemmNR {
				gemmKernel(kc, as, bs, c[i*ldc+j:], ldc)
				continue
			}
			tile = [gemmMR * gemmNR]T{}
			gemmKernel(kc, as, bs, tile[:], gemmNR)
			for r := 0; r < mr; r++ {
				row := c[(i+r)*ldc+j : (i+r)*ldc+j+nr]
				for q := range row {
					row[q] += tile[r*gemmNR+q]
				}
			}
		}
	}
}

// gemmKernel is the 3×3 micro-kernel: c[r·ldc + q] += Σ_p a[p·3 + r]·b[p·3 + q]
// over kc steps of packed slivers. Nine accumulators, the three values of B
// and one of A fit the fifteen vector registers Go allocates on amd64; the
// loop is unrolled twice.
func gemmKernel[T gemmReal](kc int, a, b, c []T, ldc int) {
	var c00, c01, c02, c10, c11, c12, c20, c21, c22 T
	a = a[:3*kc]
	b = b[:3*kc]
	for len(a) >= 6 && len(b) >= 6 {
		b0, b1, b2 := b[0], b[1], b[2]
		a0 := a[0]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		a1 := a[1]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		a2 := a[2]
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		b0, b1, b2 = b[3], b[4], b[5]
		a0 = a[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		a1 = a[4]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		a2 = a[5]
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		a = a[6:]
		b = b[6:]
	}
	if len(a) >= 3 && len(b) >= 3 {
		b0, b1, b2 := b[0], b[1], b[2]
		a0, a1, a2 := a[0], a[1], a[2]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
	}
	r := c[0:3:3]
	r[0] += c00
	r[1] += c01
	r[2] += c02
	r = c[ldc : ldc+3 : ldc+3]
	r[0] += c10
	r[1] += c11
	r[2] += c12
	r = c[2*ldc : 2*ldc+3 : 2*ldc+3]
	r[0] += c20
	r[1] += c21
	r[2] += c22
}
