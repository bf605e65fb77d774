package kernels

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"
)

// testGemmThen checks that the epilogue of every impl sees each element of C
// exactly once, after its final value, alone or with a team of goroutines,
// and that the product is the one without an epilogue.
func testGemmThen[T float32 | float64](t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	grain := gemmGrain
	gemmGrain = 1
	defer func() { gemmGrain = grain }()
	r := rand.New(rand.NewPCG(9, 10))
	for _, g := range gemmImplsFor[T]() {
		for _, sz := range [][3]int{{1, 1, 1}, {7, 5, 0}, {13, 37, 9}, {2*g.mc + 3, 3*g.nr + 1, 2*g.kc + 5}, {g.mr, 2*g.nc + 3, g.kc + 1}} {
			for _, threads := range []int{1, 0} {
				m, n, k := sz[0], sz[1], sz[2]
				a, b := randSlice[T](r, m*k+1), randSlice[T](r, k*n+1)
				ldc := n + 2
				want := make([]T, m*ldc)
				g.gemm(want, ldc, a, k, 1, b, n, 1, m, n, k, threads, nil)
				got := make([]T, m*ldc)
				seen := make([]int, m*ldc)
				var mu sync.Mutex
				g.gemm(got, ldc, a, k, 1, b, n, 1, m, n, k, threads, func(i0, i1, j0, j1 int) {
					mu.Lock()
					defer mu.Unlock()
					for i := i0; i < i1; i++ {
						for j := j0; j < j1; j++ {
							if got[i*ldc+j] != want[i*ldc+j] {
								t.Errorf("%s %v threads %d: C(%d,%d) = %v when its block was done, want %v", g.name, sz, threads, i, j, got[i*ldc+j], want[i*ldc+j])
							}
							seen[i*ldc+j]++
							got[i*ldc+j] = 2*got[i*ldc+j] + 1 // the epilogue may rewrite its block
						}
					}
				})
				for i := range m {
					for j := range ldc {
						w, s := 2*want[i*ldc+j]+1, 1
						if j >= n {
							w, s = 0, 0
						}
						if seen[i*ldc+j] != s || got[i*ldc+j] != w {
							t.Fatalf("%s %v threads %d: C(%d,%d) seen %d times, = %v, want %d and %v", g.name, sz, threads, i, j, seen[i*ldc+j], got[i*ldc+j], s, w)
						}
					}
				}
			}
		}
	}
}

func TestGemmThen(t *testing.T) {
	t.Run("f32", testGemmThen[float32])
	t.Run("f64", testGemmThen[float64])
	// The exported entry points.
	a, b := []float32{1, 2, 3, 4}, []float32{5, 6, 7, 8}
	c := make([]float32, 4)
	calls := 0
	GemmF32Then(c, 2, a, 2, 1, b, 2, 1, 2, 2, 2, 1, func(i0, i1, j0, j1 int) { calls++ })
	if fmt.Sprint(c) != "[19 22 43 50]" || calls == 0 {
		t.Errorf("GemmF32Then = %v after %d epilogue calls, want [19 22 43 50]", c, calls)
	}
	d := make([]float64, 4)
	GemmF64Then(d, 2, []float64{1, 2, 3, 4}, 2, 1, []float64{5, 6, 7, 8}, 2, 1, 2, 2, 2, 1, func(i0, i1, j0, j1 int) {
		for i := i0; i < i1; i++ {
			for j := j0; j < j1; j++ {
				d[i*2+j] = -d[i*2+j]
			}
		}
	})
	if fmt.Sprint(d) != "[-19 -22 -43 -50]" {
		t.Errorf("GemmF64Then with a negating epilogue = %v, want [-19 -22 -43 -50]", d)
	}
}

// BenchmarkGemmTeamEpilogue measures a product shared by a team of four
// goroutines, with an epilogue; its allocations per product are those of
// the pools it misses when a goroutine changes processor (none on a quiet
// machine), as its tasks are methods of recycled state.
func BenchmarkGemmTeamEpilogue(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	grain := gemmGrain
	gemmGrain = 1 // share even this product
	defer func() { gemmGrain = grain }()
	const m, n, k = 200, 130, 300
	x, y, c := make([]float32, m*k), make([]float32, k*n), make([]float32, m*n)
	for i := range x {
		x[i] = float32(i%7) - 3
	}
	for i := range y {
		y[i] = float32(i%5) - 2
	}
	rows := 0
	done := func(i0, i1, j0, j1 int) { rows += i1 - i0 }
	b.ReportAllocs()
	for b.Loop() {
		GemmF32Then(c, n, x, k, 1, y, n, 1, m, n, k, 4, done)
	}
	if rows%m != 0 {
		b.Errorf("the epilogue saw %d rows, not a multiple of %d", rows, m)
	}
}
