//go:build !amd64 || noasm

package kernels

import (
	"math"
	"unsafe"
)

// Go versions of the assembly routines declared in stubs_amd64.go, for other
// architectures and the noasm build tag. The CPU reports no vector features,
// so they are only reached from tests, which use them to check the blocked
// GEMM's handling of each kernel's tile shape.

// asmBuild reports whether this build has the assembly kernels.
const asmBuild = false

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32) { return 0, 0, 0, 0 }

func xgetbv() (eax, edx uint32) { return 0, 0 }

func sgemm6x16AVX2(k int, a, b, c []float32, ldc int) { kernelGo(6, 16, k, a, b, c, ldc) }

func dgemm6x8AVX2(k int, a, b, c []float64, ldc int) { kernelGo(6, 8, k, a, b, c, ldc) }

func sgemm12x32AVX512(k int, a, b, c []float32, ldc int) { kernelGo(12, 32, k, a, b, c, ldc) }

func dgemm12x16AVX512(k int, a, b, c []float64, ldc int) { kernelGo(12, 16, k, a, b, c, ldc) }

func addF32AVX2(dst, a, b []float32) { addGo(dst, a, b) }
func subF32AVX2(dst, a, b []float32) { subGo(dst, a, b) }
func mulF32AVX2(dst, a, b []float32) { mulGo(dst, a, b) }
func divF32AVX2(dst, a, b []float32) { divGo(dst, a, b) }
func addF64AVX2(dst, a, b []float64) { addGo(dst, a, b) }
func subF64AVX2(dst, a, b []float64) { subGo(dst, a, b) }
func mulF64AVX2(dst, a, b []float64) { mulGo(dst, a, b) }
func divF64AVX2(dst, a, b []float64) { divGo(dst, a, b) }

func packTF32x6(d, src []float32, qs, kc int)  { packTGo(d, src, qs, kc&^7, 6) }
func packTF32x12(d, src []float32, qs, kc int) { packTGo(d, src, qs, kc&^7, 12) }
func packTF32x16(d, src []float32, qs, kc int) { packTGo(d, src, qs, kc&^7, 16) }
func packTF32x32(d, src []float32, qs, kc int) { packTGo(d, src, qs, kc&^7, 32) }
func packTF64x6(d, src []float64, qs, kc int)  { packTGo(d, src, qs, kc&^3, 6) }
func packTF64x8(d, src []float64, qs, kc int)  { packTGo(d, src, qs, kc&^3, 8) }
func packTF64x12(d, src []float64, qs, kc int) { packTGo(d, src, qs, kc&^3, 12) }
func packTF64x16(d, src []float64, qs, kc int) { packTGo(d, src, qs, kc&^3, 16) }

func copyRows(dst, src unsafe.Pointer, ds, ps, n, size int) {
	for range n {
		copy(unsafe.Slice((*byte)(dst), size), unsafe.Slice((*byte)(src), size))
		dst, src = unsafe.Add(dst, ds), unsafe.Add(src, ps)
	}
}

func expF32AVX2(dst, src []float32) { expF32Go(dst[:len(dst)&^15], src) }

func maxF32AVX2(x []float32) (float32, bool) {
	m := float32(math.Inf(-1))
	for _, v := range x[:len(x)&^31] {
		if v != v {
			return m, true
		}
		m = max(m, v)
	}
	return m, false
}

func addScalarRightF32AVX2(dst, a []float32, c float32) { scalarRightGo(Add, dst, a, c) }
func addScalarLeftF32AVX2(dst, a []float32, c float32)  { scalarLeftGo(Add, dst, a, c) }
func subScalarRightF32AVX2(dst, a []float32, c float32) { scalarRightGo(Sub, dst, a, c) }
func subScalarLeftF32AVX2(dst, a []float32, c float32)  { scalarLeftGo(Sub, dst, a, c) }
func mulScalarRightF32AVX2(dst, a []float32, c float32) { scalarRightGo(Mul, dst, a, c) }
func mulScalarLeftF32AVX2(dst, a []float32, c float32)  { scalarLeftGo(Mul, dst, a, c) }
func divScalarRightF32AVX2(dst, a []float32, c float32) { scalarRightGo(Div, dst, a, c) }
func divScalarLeftF32AVX2(dst, a []float32, c float32)  { scalarLeftGo(Div, dst, a, c) }

func maxScalarF32AVX2(dst, a []float32, c, nan float32) {
	minMaxScalarGo(true, dst[:len(dst)&^7], a, c, nan)
}

func minScalarF32AVX2(dst, a []float32, c, nan float32) {
	minMaxScalarGo(false, dst[:len(dst)&^7], a, c, nan)
}
