//go:build !noasm

package kernels

import "unsafe"

// The assembly routines, in cpu_amd64.s, gemm_amd64.s and
// elementwise_amd64.s (the last two written by mkasm.go). stubs_noasm.go holds
// Go versions of each for other architectures and the noasm build tag.

// asmBuild reports whether this build has the assembly kernels.
const asmBuild = true

// cpuid executes the CPUID instruction for leaf eaxArg, subleaf ecxArg.
//
//go:noescape
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

// xgetbv reads extended control register 0 (the register states the operating
// system saves: XMM, YMM, ZMM).
//
//go:noescape
func xgetbv() (eax, edx uint32)

// The GEMM micro-kernels: c[r·ldc + q] += Σ_p a[p·MR + r]·b[p·NR + q] for the
// MR×NR tile in the name, k steps deep. a holds k·MR elements, b k·NR and c at
// least (MR-1)·ldc + NR.

//go:noescape
func sgemm6x16AVX2(k int, a, b, c []float32, ldc int)

//go:noescape
func dgemm6x8AVX2(k int, a, b, c []float64, ldc int)

//go:noescape
func sgemm12x32AVX512(k int, a, b, c []float32, ldc int)

//go:noescape
func dgemm12x16AVX512(k int, a, b, c []float64, ldc int)

// The elementwise loops: dst[i] = a[i] op b[i] for i < len(dst); a and b hold
// at least len(dst) elements.

//go:noescape
func addF32AVX2(dst, a, b []float32)

//go:noescape
func subF32AVX2(dst, a, b []float32)

//go:noescape
func mulF32AVX2(dst, a, b []float32)

//go:noescape
func divF32AVX2(dst, a, b []float32)

//go:noescape
func addF64AVX2(dst, a, b []float64)

//go:noescape
func subF64AVX2(dst, a, b []float64)

//go:noescape
func mulF64AVX2(dst, a, b []float64)

//go:noescape
func divF64AVX2(dst, a, b []float64)

// The transposing packers: d[p·w + q] = src[q·qs + p] for q < w and p < kc
// rounded down to a multiple of 8 (float32) or 4 (float64). They need AVX.

//go:noescape
func packTF32x6(d, src []float32, qs, kc int)

//go:noescape
func packTF32x12(d, src []float32, qs, kc int)

//go:noescape
func packTF32x16(d, src []float32, qs, kc int)

//go:noescape
func packTF32x32(d, src []float32, qs, kc int)

//go:noescape
func packTF64x6(d, src []float64, qs, kc int)

//go:noescape
func packTF64x8(d, src []float64, qs, kc int)

//go:noescape
func packTF64x12(d, src []float64, qs, kc int)

//go:noescape
func packTF64x16(d, src []float64, qs, kc int)

// copyRows copies size bytes (a multiple of 8) from src to dst n times,
// advancing src by ps bytes and dst by ds after each. It needs AVX.
//
//go:noescape
func copyRows(dst, src unsafe.Pointer, ds, ps, n, size int)

// expF32AVX2 sets dst[i] = exp(src[i]) for i < len(dst) rounded down to a
// multiple of 16 (exp_amd64.s; the method is in exp.go). It needs AVX2 and
// FMA.
//
//go:noescape
func expF32AVX2(dst, src []float32)

// maxF32AVX2 returns the largest of x[i] for i < len(x) rounded down to a
// multiple of 32 (-Inf if none; either zero where both signs occur) and
// whether any of them is a NaN (reduce_amd64.s).
//
//go:noescape
func maxF32AVX2(x []float32) (m float32, nan bool)

// The loops of one float32 slice and a scalar: dst[i] = a[i] op c (Right)
// or c op a[i] (Left) for i < len(dst); a holds at least len(dst) elements.

//go:noescape
func addScalarRightF32AVX2(dst, a []float32, c float32)

//go:noescape
func addScalarLeftF32AVX2(dst, a []float32, c float32)

//go:noescape
func subScalarRightF32AVX2(dst, a []float32, c float32)

//go:noescape
func subScalarLeftF32AVX2(dst, a []float32, c float32)

//go:noescape
func mulScalarRightF32AVX2(dst, a []float32, c float32)

//go:noescape
func mulScalarLeftF32AVX2(dst, a []float32, c float32)

//go:noescape
func divScalarRightF32AVX2(dst, a []float32, c float32)

//go:noescape
func divScalarLeftF32AVX2(dst, a []float32, c float32)

// The max and min of a float32 slice and a scalar c that is not NaN:
// dst[i] = max(a[i], c) (min), or nan where a[i] is NaN, for i < len(dst)
// rounded down to a multiple of 8.

//go:noescape
func maxScalarF32AVX2(dst, a []float32, c, nan float32)

//go:noescape
func minScalarF32AVX2(dst, a []float32, c, nan float32)
