package cuda

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"unsafe"

	"github.com/gonx-dev/gonx/nx"
)

// cuBLAS enumeration values used here (cublas_api.h, library_types.h).
const (
	cublasOpN         = 0  // CUBLAS_OP_N
	cublasOpT         = 1  // CUBLAS_OP_T
	cudaR16F          = 2  // CUDA_R_16F
	cudaR16BF         = 14 // CUDA_R_16BF
	cublasCompute32F  = 68 // CUBLAS_COMPUTE_32F
	cublasGemmDefault = -1 // CUBLAS_GEMM_DEFAULT
)

// BLAS is a cuBLAS handle bound to one device. Its methods are safe for
// concurrent use (calls are serialised on the handle).
type BLAS struct {
	dev     *Device
	mu      sync.Mutex
	h       uintptr
	version int
}

// BLAS returns d's cuBLAS handle, loading libcublas.so on first use (an error
// wrapping ErrNoLibrary when it is missing). cuBLAS 11 or later is required.
func (d *Device) BLAS() (*BLAS, error) {
	d.blasOnce.Do(func() {
		if l := load(libCUBLAS); l.err != nil {
			d.blasErr = l.err
			return
		}
		b := &BLAS{dev: d}
		err := d.do(func() error {
			if err := cublasErr("cublasCreate_v2", cublasCreate(&b.h)); err != nil {
				return err
			}
			var v int32
			if err := cublasErr("cublasGetVersion_v2", cublasGetVersion(b.h, &v)); err != nil {
				return err
			}
			b.version = int(v)
			return nil
		})
		if err != nil {
			d.blasErr = fmt.Errorf("cuda: cuBLAS on device %d: %w", d.ordinal, err)
			return
		}
		d.blas = b
	})
	return d.blas, d.blasErr
}

// Version returns the cuBLAS version, e.g. 120201 for 12.2.1.
func (b *BLAS) Version() int { return b.version }

// Gemm computes C = alpha·op(A)·op(B) + beta·C on stream s for row-major
// matrices of type dt (F32, F64, F16 or BF16; F16 and BF16 accumulate in f32):
//
//	op(A) is m×k: A is stored m×k (lda ≥ k), or k×m when transA (lda ≥ m)
//	op(B) is k×n: B is stored k×n (ldb ≥ n), or n×k when transB (ldb ≥ k)
//	C is m×n (ldc ≥ n)
//
// Element (i, j) of a row-major matrix X with leading dimension ldx is at
// index i·ldx + j, as in nx and NumPy. cuBLAS itself is column-major; Gemm
// passes it the transposed problem Cᵀ = op(B)ᵀ·op(A)ᵀ, which reads the same
// memory, so no data is moved. Dimensions and buffer lengths are checked before
// anything is queued.
func (b *BLAS) Gemm(s *Stream, dt nx.DType, transA, transB bool, m, n, k int, alpha float64, a *Buffer, lda int, bm *Buffer, ldb int, beta float64, c *Buffer, ldc int) error {
	return b.gemm("Gemm", s, dt, transA, transB, m, n, k, alpha, a, lda, 0, bm, ldb, 0, beta, c, ldc, 0, 1)
}

// GemmStridedBatched computes batch products as Gemm does: product i reads
// A at element offset i·strideA, B at i·strideB and writes C at i·strideC
// (strides in elements). A stride of 0 for A or B reuses one matrix for every
// product; the C matrices must not overlap.
func (b *BLAS) GemmStridedBatched(s *Stream, dt nx.DType, transA, transB bool, m, n, k int, alpha float64, a *Buffer, lda int, strideA int64, bm *Buffer, ldb int, strideB int64, beta float64, c *Buffer, ldc int, strideC int64, batch int) error {
	return b.gemm("GemmStridedBatched", s, dt, transA, transB, m, n, k, alpha, a, lda, strideA, bm, ldb, strideB, beta, c, ldc, strideC, batch)
}

// matrix checks one operand: rows×cols stored row-major with leading dimension
// ld, batch times at the given stride, in elements of size bytes.
func matrix(op, which string, d *Device, buf *Buffer, rows, cols, ld int, stride int64, batch, size int) (uintptr, error) {
	if buf == nil {
		return 0, fmt.Errorf("cuda: %s: %s is nil", op, which)
	}
	if buf.dev != d {
		return 0, fmt.Errorf("cuda: %s: %s is on device %d, not %d", op, which, buf.dev.ordinal, d.ordinal)
	}
	if ld < max(1, cols) || ld > math.MaxInt32 {
		return 0, fmt.Errorf("cuda: %s: leading dimension of %s is %d; want %d ≤ ld ≤ 2³¹-1 for a %d×%d row-major matrix", op, which, ld, max(1, cols), rows, cols)
	}
	if stride < 0 {
		return 0, fmt.Errorf("cuda: %s: stride of %s is %d", op, which, stride)
	}
	need := int64(0)
	if rows > 0 && cols > 0 {
		need = (int64(batch-1)*stride + int64(rows-1)*int64(ld) + int64(cols)) * int64(size)
	}
	ptr, err := buf.check(op, 0)
	if err != nil {
		return 0, err
	}
	if need > int64(buf.Len()) {
		return 0, fmt.Errorf("cuda: %s: %s needs %d bytes (%d×%d, ld %d, batch %d, stride %d), buffer has %d", op, which, need, rows, cols, ld, batch, stride, buf.Len())
	}
	return ptr, nil
}

func (b *BLAS) gemm(op string, s *Stream, dt nx.DType, transA, transB bool, m, n, k int, alpha float64, a *Buffer, lda int, strideA int64, bm *Buffer, ldb int, strideB int64, beta float64, c *Buffer, ldc int, strideC int64, batch int) error {
	d := b.dev
	if m < 0 || n < 0 || k < 0 || batch < 0 || max(m, n, k, batch) > math.MaxInt32 {
		return fmt.Errorf("cuda: %s: dimensions m=%d n=%d k=%d batch=%d out of range", op, m, n, k, batch)
	}
	var size int
	switch dt {
	case nx.F32, nx.F64, nx.F16, nx.BF16:
		size = dt.Size()
	default:
		return fmt.Errorf("cuda: %s: dtype %v not supported (want f32, f64, f16 or bf16)", op, dt)
	}
	if m == 0 || n == 0 || batch == 0 {
		return nil
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	pa, err := matrix(op, "A", d, a, ar, ac, lda, strideA, batch, size)
	if err != nil {
		return err
	}
	pb, err := matrix(op, "B", d, bm, br, bc, ldb, strideB, batch, size)
	if err != nil {
		return err
	}
	pc, err := matrix(op, "C", d, c, m, n, ldc, strideC, batch, size)
	if err != nil {
		return err
	}
	if batch > 1 && strideC < int64(m-1)*int64(ldc)+int64(n) {
		return fmt.Errorf("cuda: %s: C stride %d makes the %d output matrices overlap", op, strideC, batch)
	}
	h, err := s.handle(d)
	if err != nil {
		return err
	}
	// Column-major view: Cᵀ (n×m) = op(B)ᵀ (n×k) · op(A)ᵀ (k×m).
	ta, tb := int32(cublasOpN), int32(cublasOpN)
	if transA {
		ta = cublasOpT
	}
	if transB {
		tb = cublasOpT
	}
	M, N, K := int32(n), int32(m), int32(k)
	A, LDA, SA := pb, int32(ldb), strideB
	B, LDB, SB := pa, int32(lda), strideA
	TA, TB := tb, ta
	C, LDC, SC, NB := pc, int32(ldc), strideC, int32(batch)

	alpha32, beta32 := float32(alpha), float32(beta)
	b.mu.Lock()
	defer b.mu.Unlock()
	err = d.do(func() error {
		if err := cublasErr("cublasSetStream_v2", cublasSetStream(b.h, h)); err != nil {
			return err
		}
		var st cublasStatus
		var name string
		switch {
		case dt == nx.F32 && batch == 1:
			name, st = "cublasSgemm_v2", cublasSgemm(b.h, TA, TB, M, N, K, &alpha32, A, LDA, B, LDB, &beta32, C, LDC)
		case dt == nx.F64 && batch == 1:
			name, st = "cublasDgemm_v2", cublasDgemm(b.h, TA, TB, M, N, K, &alpha, A, LDA, B, LDB, &beta, C, LDC)
		case dt == nx.F32:
			name, st = "cublasSgemmStridedBatched", cublasSgemmStridedBatched(b.h, TA, TB, M, N, K, &alpha32, A, LDA, SA, B, LDB, SB, &beta32, C, LDC, SC, NB)
		case dt == nx.F64:
			name, st = "cublasDgemmStridedBatched", cublasDgemmStridedBatched(b.h, TA, TB, M, N, K, &alpha, A, LDA, SA, B, LDB, SB, &beta, C, LDC, SC, NB)
		default:
			typ := int32(cudaR16F)
			if dt == nx.BF16 {
				typ = cudaR16BF
			}
			pal, pbe := unsafe.Pointer(&alpha32), unsafe.Pointer(&beta32)
			if batch == 1 {
				name, st = "cublasGemmEx", cublasGemmEx(b.h, TA, TB, M, N, K, pal, A, typ, LDA, B, typ, LDB, pbe, C, typ, LDC, cublasCompute32F, cublasGemmDefault)
			} else {
				name, st = "cublasGemmStridedBatchedEx", cublasGemmStridedBatchedEx(b.h, TA, TB, M, N, K, pal, A, typ, LDA, SA, B, typ, LDB, SB, pbe, C, typ, LDC, SC, NB, cublasCompute32F, cublasGemmDefault)
			}
		}
		return cublasErr(name, st)
	})
	runtime.KeepAlive(a)
	runtime.KeepAlive(bm)
	runtime.KeepAlive(c)
	if err != nil {
		return fmt.Errorf("cuda: %s: %w", op, err)
	}
	return nil
}
