package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkGEMM measures square products C += A·B with the active kernels,
// on one goroutine and on all of GOMAXPROCS, reporting GFLOP/s (2n³
// floating-point operations per product). Compare levels with NX_CPU=generic
// or NX_CPU=avx2.
func BenchmarkGEMM(b *testing.B) {
	for _, n := range []int{256, 512, 1024, 2048} {
		r := rand.New(rand.NewPCG(1, uint64(n)))
		a32, b32 := randSlice[float32](r, n*n), randSlice[float32](r, n*n)
		a64, b64 := randSlice[float64](r, n*n), randSlice[float64](r, n*n)
		for _, threads := range []int{1, 0} {
			name := "all"
			if threads == 1 {
				name = "1thread"
			}
			b.Run(fmt.Sprintf("f32/%d/%s", n, name), func(b *testing.B) {
				c := make([]float32, n*n)
				for b.Loop() {
					GemmF32(c, n, a32, n, 1, b32, n, 1, n, n, n, threads)
				}
				reportGFLOPS(b, n)
			})
			b.Run(fmt.Sprintf("f64/%d/%s", n, name), func(b *testing.B) {
				c := make([]float64, n*n)
				for b.Loop() {
					GemmF64(c, n, a64, n, 1, b64, n, 1, n, n, n, threads)
				}
				reportGFLOPS(b, n)
			})
		}
	}
}

func reportGFLOPS(b *testing.B, n int) {
	b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkElementwise measures AddF32 and DivF32 over 4096 elements (in L1).
func BenchmarkElementwise(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	x, y, d := randSlice[float32](r, 4096), randSlice[float32](r, 4096), make([]float32, 4096)
	for _, l := range levels() {
		if l == AVX512 {
			continue // the elementwise loops stop at AVX2
		}
		b.Run("add/"+l.String(), func(b *testing.B) {
			defer SetLevel(SetLevel(l))
			b.SetBytes(3 * 4 * 4096)
			for b.Loop() {
				AddF32(d, x, y)
			}
		})
		b.Run("div/"+l.String(), func(b *testing.B) {
			defer SetLevel(SetLevel(l))
			b.SetBytes(3 * 4 * 4096)
			for b.Loop() {
				DivF32(d, x, y)
			}
		})
	}
}

// BenchmarkGEMMBlocks compares cache-block sizes (MC, KC) for the active
// kernels on 1024×1024 products on one goroutine: the experiment behind the
// blocking constants in gemm.go.
func BenchmarkGEMMBlocks(b *testing.B) {
	const n = 1024
	r := rand.New(rand.NewPCG(1, n))
	l := Active()
	blocks := map[Level][2][][2]int{
		Generic: {{{96, 256}}, {{96, 256}}},
		AVX2: {
			{{144, 256}, {72, 256}, {288, 256}, {144, 128}, {96, 384}, {72, 512}},
			{{72, 256}, {144, 256}, {36, 256}, {72, 128}, {48, 384}},
		},
		AVX512: {
			{{384, 256}, {384, 128}, {192, 256}, {240, 384}, {480, 192}, {768, 128}, {96, 512}},
			{{96, 256}, {192, 128}, {192, 256}, {120, 384}, {384, 128}, {240, 192}},
		},
	}[l]
	a32, b32 := randSlice[float32](r, n*n), randSlice[float32](r, n*n)
	for _, mk := range blocks[0] {
		g := *sgemmImpls[l]
		g.mc, g.kc = mk[0], mk[1]
		b.Run(fmt.Sprintf("f32/%s/mc=%d/kc=%d", l, g.mc, g.kc), func(b *testing.B) {
			c := make([]float32, n*n)
			for b.Loop() {
				g.gemm(c, n, a32, n, 1, b32, n, 1, n, n, n, 1, nil)
			}
			reportGFLOPS(b, n)
		})
	}
	a64, b64 := randSlice[float64](r, n*n), randSlice[float64](r, n*n)
	for _, mk := range blocks[1] {
		g := *dgemmImpls[l]
		g.mc, g.kc = mk[0], mk[1]
		b.Run(fmt.Sprintf("f64/%s/mc=%d/kc=%d", l, g.mc, g.kc), func(b *testing.B) {
			c := make([]float64, n*n)
			for b.Loop() {
				g.gemm(c, n, a64, n, 1, b64, n, 1, n, n, n, 1, nil)
			}
			reportGFLOPS(b, n)
		})
	}
}

// BenchmarkMicroKernel measures each assembly micro-kernel this CPU can run
// on its own, on slivers that stay in L1: the ceiling of the blocked GEMM.
func BenchmarkMicroKernel(b *testing.B) {
	for l := AVX2; l <= AVX512; l++ {
		if !l.Supported() {
			continue
		}
		benchMicro(b, sgemmImpls[l])
		benchMicro(b, dgemmImpls[l])
	}
}

func benchMicro[T float32 | float64](b *testing.B, g *gemmImpl[T]) {
	const k = 256
	r := rand.New(rand.NewPCG(1, 2))
	a, bb, c := randSlice[T](r, g.mr*k), randSlice[T](r, g.nr*k), make([]T, g.mr*g.nr)
	var z T
	name := map[bool]string{true: "f32", false: "f64"}[any(z) == any(float32(0))]
	b.Run(name+"/"+g.name, func(b *testing.B) {
		for b.Loop() {
			g.kernel(k, a, bb, c, g.nr)
		}
		b.ReportMetric(2*float64(g.mr*g.nr*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

// BenchmarkPack measures packing 256×256 blocks of A and B, each stored
// both ways, in nanoseconds per element.
func BenchmarkPack(b *testing.B) {
	const m, k = 256, 256
	a := make([]float32, m*k)
	dst := make([]float32, roundUp(m, 6)*k)
	for _, ars := range []int{k, 1} {
		acs := 1
		if ars == 1 {
			acs = m
		}
		b.Run(fmt.Sprintf("A/ars=%d", ars), func(b *testing.B) {
			for b.Loop() {
				packA(dst, a, ars, acs, m, k, 6)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(m*k), "ns/elem")
		})
		b.Run(fmt.Sprintf("B/trans=%v", ars == 1), func(b *testing.B) {
			brs, bcs := k, 1
			if ars == 1 {
				brs, bcs = 1, k
			}
			for b.Loop() {
				packB(dst, a, brs, bcs, k, m, 16)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(m*k), "ns/elem")
		})
	}
}
