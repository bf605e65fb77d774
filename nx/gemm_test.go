package nx

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// gemmRef is the float64 triple loop: C[i,j] (row stride ldc) plus Σ A·B,
// with a bound on the rounding error of a float sum of the same terms.
func gemmRef[T gemmReal](c []T, ldc int, a []T, ars, acs int, b []T, brs, bcs int, m, n, k int) (want, bound []float64) {
	want, bound = make([]float64, len(c)), make([]float64, len(c))
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := float64(c[i*ldc+j])
			sa := math.Abs(s)
			for p := 0; p < k; p++ {
				x := float64(a[i*ars+p*acs]) * float64(b[p*brs+j*bcs])
				s += x
				sa += math.Abs(x)
			}
			want[i*ldc+j], bound[i*ldc+j] = s, sa
		}
	}
	return want, bound
}

func randFloats[T gemmReal](r *rand.Rand, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(2*r.Float64() - 1)
	}
	return s
}

// testGemmFloat checks gemmFloat, as matmulOp and Conv call it, against the
// triple loop over sizes around the micro-kernels' tiles and cache blocks, in
// the four layouts matmulOp uses and with C's rows padded as Conv pads them.
func testGemmFloat[T gemmReal](t *testing.T, eps float64) {
	r := rand.New(rand.NewPCG(21, 22))
	sizes := []int{1, 2, 5, 6, 7, 12, 13, 16, 17, 33, 72, 73, 145, 257}
	for it := 0; it < 60; it++ {
		m, n, k := sizes[r.IntN(len(sizes))], sizes[r.IntN(len(sizes))], sizes[r.IntN(len(sizes))]
		if it%10 == 0 {
			k = 256 + r.IntN(300) // past KC
		}
		transA, transB, pad, parallel := r.IntN(2) == 0, r.IntN(2) == 0, r.IntN(3), r.IntN(2) == 0
		ars, acs, brs, bcs := k, 1, n, 1
		if transA {
			ars, acs = 1, m
		}
		if transB {
			brs, bcs = 1, k
		}
		ldc := n + pad
		a, b, c := randFloats[T](r, m*k), randFloats[T](r, k*n), randFloats[T](r, (m-1)*ldc+n)
		orig := append([]T(nil), c...)
		want, bound := gemmRef(c, ldc, a, ars, acs, b, brs, bcs, m, n, k)
		gemmFloat(c, ldc, a, ars, acs, b, brs, bcs, m, n, k, parallel)
		for x, w := range want {
			if x%ldc >= n {
				if c[x] != orig[x] {
					t.Fatalf("%dx%dx%d pad=%d: C[%d] past the row's end changed", m, n, k, pad, x)
				}
				continue
			}
			if d := math.Abs(float64(c[x]) - w); d > 2*float64(k+2)*eps*bound[x] {
				t.Fatalf("%dx%dx%d transA=%v transB=%v pad=%d: C[%d] = %v, want %v", m, n, k, transA, transB, pad, x, c[x], w)
			}
		}
	}
}

func TestGemmFloatLayouts(t *testing.T) {
	for _, l := range gemmLevels() {
		prev := kernels.SetLevel(l)
		t.Run(l.String()+"/f32", func(t *testing.T) { testGemmFloat[float32](t, 1.0/(1<<23)) })
		t.Run(l.String()+"/f64", func(t *testing.T) { testGemmFloat[float64](t, 1.0/(1<<52)) })
		kernels.SetLevel(prev)
	}
}

// gemmLevels returns the kernel levels this CPU can run.
func gemmLevels() []kernels.Level {
	var ls []kernels.Level
	for _, l := range []kernels.Level{kernels.Generic, kernels.AVX2, kernels.AVX512} {
		if l.Supported() {
			ls = append(ls, l)
		}
	}
	return ls
}

// TestDotKernelLevels checks that Dot gives the same products (within
// rounding) with the assembly kernels as with the pure-Go ones, for each
// layout Dot reaches without copying.
func TestDotKernelLevels(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for _, dt := range []DType{F32, F64} {
		x := AsType(FromSlice(randFloats[float64](r, 150*300), 150, 300), dt)
		y := AsType(FromSlice(randFloats[float64](r, 300*70), 300, 70), dt)
		products := map[string]func() *Tensor{
			"x·y":   func() *Tensor { return Dot(x, y) },
			"xᵀ·x":  func() *Tensor { return DotGeneral(x, []int{0}, nil, x, []int{0}, nil) },
			"y·yᵀ":  func() *Tensor { return DotGeneral(y, []int{1}, nil, y, []int{1}, nil) },
			"yᵀ·xᵀ": func() *Tensor { return DotGeneral(y, []int{0}, nil, x, []int{1}, nil) },
		}
		for name, f := range products {
			prev := kernels.SetLevel(kernels.Generic)
			want := f()
			kernels.SetLevel(prev)
			for _, l := range gemmLevels() {
				prev := kernels.SetLevel(l)
				got := f()
				kernels.SetLevel(prev)
				if !AllClose(got, want, 1e-4, 1e-4).Bools()[0] {
					t.Errorf("%s %s with %s kernels differs from the pure-Go product", dt, name, l)
				}
			}
		}
	}
}

// TestDotConcurrent multiplies from 8 goroutines at once; every result must
// match the same product computed alone.
func TestDotConcurrent(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	type job struct{ x, y, want *Tensor }
	jobs := make([]job, 8)
	for i := range jobs {
		m, n, k := 100+r.IntN(200), 100+r.IntN(200), 100+r.IntN(200)
		x := FromSlice(randFloats[float32](r, m*k), m, k)
		y := FromSlice(randFloats[float32](r, k*n), k, n)
		jobs[i] = job{x, y, Dot(x, y)}
	}
	var wg sync.WaitGroup
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				if got := Dot(j.x, j.y); !AllClose(got, j.want, 1e-4, 1e-4).Bools()[0] {
					errs[i] = fmt.Errorf("goroutine %d: product differs from the one computed alone", i)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
