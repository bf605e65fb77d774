package nx

import "github.com/gonx-dev/gonx/nx/internal/kernels"

// The matrix product kernel behind Dot, DotGeneral and Conv.
//
// Real floats (f32, f64) go through the packed, cache-blocked GEMM of package
// internal/kernels (AVX2/AVX-512 micro-kernels in Go assembly where the CPU
// has them, pure Go elsewhere or with NX_CPU=generic; see that package's
// documentation). Other types (integers, complex) and small or vector-shaped
// products use a plain loop; f16 and bf16 are computed in f32.

const (
	// gemmNR is the fewest columns worth one call of the GEMM (the width of
	// the AVX2 float32 micro-kernel's tile); conv.go cuts its im2col
	// buffers no narrower.
	gemmNR = 16

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
	dst := c.outOverwrite(0)
	clear(dataBytes(dst)) // the products add to it
	gemmInto(dst, a.data, b.data, l)
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
	if l.batch > 1 && per < gemmBatchSplit && l.batch*per >= gemmSerial {
		parallelFor(l.batch, max(1, gemmSerial/max(per, 1)), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				mm(c[i*cStep:(i+1)*cStep], l.n, a[i*aStep:(i+1)*aStep], l.ars, l.acs,
					b[i*bStep:(i+1)*bStep], l.brs, l.bcs, l.m, l.n, l.k, false)
			}
		})
		return
	}
	for i := 0; i < l.batch; i++ {
		mm(c[i*cStep:(i+1)*cStep], l.n, a[i*aStep:(i+1)*aStep], l.ars, l.acs,
			b[i*bStep:(i+1)*bStep], l.brs, l.bcs, l.m, l.n, l.k, true)
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

// blockedGemm reports whether an m×n×k product is worth the packed, blocked
// GEMM rather than the plain loop.
func blockedGemm(m, n, k int) bool { return m*n*k > gemmSmall && m > 1 && n > 1 }

// gemmFloat is the packed, blocked GEMM for f32 and f64 (a gemmFunc): the
// kernels package's, after the plain loop has taken the products too small
// or thin to be worth packing.
func gemmFloat[T gemmReal](c []T, ldc int, a []T, ars, acs int, b []T, brs, bcs int, m, n, k int, parallel bool) {
	if m == 0 || n == 0 || k == 0 {
		return
	}
	if !blockedGemm(m, n, k) {
		gemmPlain(c, ldc, a, ars, acs, b, brs, bcs, m, n, k, parallel)
		return
	}
	threads := 1 // the caller's goroutine only
	if parallel {
		threads = 0 // up to GOMAXPROCS
	}
	switch cc := any(c).(type) {
	case []float32:
		kernels.GemmF32(cc, ldc, any(a).([]float32), ars, acs, any(b).([]float32), brs, bcs, m, n, k, threads)
	case []float64:
		kernels.GemmF64(cc, ldc, any(a).([]float64), ars, acs, any(b).([]float64), brs, bcs, m, n, k, threads)
	}
}
