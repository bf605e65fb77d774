package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// levels returns the levels this CPU and build can run.
func levels() []Level {
	var ls []Level
	for l := Generic; l <= AVX512; l++ {
		if l.Supported() {
			ls = append(ls, l)
		}
	}
	return ls
}

// gemmImplsFor returns the impls to test for type T: each kernel this CPU can
// run with its real blocking, and, for every kernel (the Go stand-ins of the
// assembly ones included), a copy with tiny blocks so that small products
// cross every block boundary.
func gemmImplsFor[T float32 | float64]() []*gemmImpl[T] {
	var all []*gemmImpl[T]
	var z T
	switch any(z).(type) {
	case float32:
		all = any(sgemmImpls[:]).([]*gemmImpl[T])
	case float64:
		all = any(dgemmImpls[:]).([]*gemmImpl[T])
	}
	var out []*gemmImpl[T]
	for l, g := range all {
		if !Level(l).Supported() {
			// The kernel cannot run here: test the driver with its tile
			// shape over the Go micro-kernel.
			mr, nr := g.mr, g.nr
			g = &gemmImpl[T]{name: g.name + "-go", mr: mr, nr: nr, mc: g.mc, kc: g.kc, nc: g.nc,
				kernel: func(k int, a, b, c []T, ldc int) { kernelGo(mr, nr, k, a, b, c, ldc) }}
		} else {
			out = append(out, g)
		}
		small := *g
		small.name += "-small"
		small.mc, small.kc, small.nc = 2*g.mr, 7, 3*g.nr
		out = append(out, &small)
	}
	return out
}

// randSlice returns n values uniform in [-1, 1).
func randSlice[T float32 | float64](r *rand.Rand, n int) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = T(2*r.Float64() - 1)
	}
	return s
}

// gemmCase is one product to check: sizes, the operands' layouts and C's row
// stride beyond n.
type gemmCase struct {
	m, n, k      int
	transA       bool
	transB       bool
	pad, threads int
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("%dx%dx%d/tA=%v/tB=%v/pad=%d/threads=%d", tc.m, tc.n, tc.k, tc.transA, tc.transB, tc.pad, tc.threads)
}

// checkGemm runs g on a random instance of tc and compares C with a float64
// triple loop, within a bound on the rounding error of the sums.
func checkGemm[T float32 | float64](t *testing.T, g *gemmImpl[T], tc gemmCase, r *rand.Rand) {
	t.Helper()
	m, n, k := tc.m, tc.n, tc.k
	a, b := randSlice[T](r, m*k+1), randSlice[T](r, k*n+1)
	ars, acs, brs, bcs := k, 1, n, 1
	if tc.transA {
		ars, acs = 1, m
	}
	if tc.transB {
		brs, bcs = 1, k
	}
	ldc := n + tc.pad
	c := randSlice[T](r, max(0, (m-1)*ldc+n))
	want := make([]float64, len(c))
	bound := make([]float64, len(c))
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s, sa := float64(c[i*ldc+j]), math.Abs(float64(c[i*ldc+j]))
			for p := 0; p < k; p++ {
				x := float64(a[i*ars+p*acs]) * float64(b[p*brs+j*bcs])
				s += x
				sa += math.Abs(x)
			}
			want[i*ldc+j], bound[i*ldc+j] = s, sa
		}
	}
	eps := 1.0 / (1 << 52)
	if _, ok := any(c).([]float32); ok {
		eps = 1.0 / (1 << 23)
	}
	orig := append([]T(nil), c...)
	g.gemm(c, ldc, a, ars, acs, b, brs, bcs, m, n, k, tc.threads, nil)
	for i := 0; i < m; i++ {
		for j := 0; j < ldc && i*ldc+j < len(c); j++ {
			x := i*ldc + j
			if j >= n {
				if c[x] != orig[x] {
					t.Fatalf("%s %v: C[%d,%d] past the row's end changed", g.name, tc, i, j)
				}
				continue
			}
			tol := 2 * float64(k+2) * eps * bound[x]
			if d := math.Abs(float64(c[x]) - want[x]); !(d <= tol) {
				t.Fatalf("%s %v: C[%d,%d] = %v, want %v (off by %.3g, tolerance %.3g)", g.name, tc, i, j, c[x], want[x], d, tol)
			}
		}
	}
}

// gemmCases returns products over the sizes around g's tile and block
// boundaries, in every layout.
func gemmCases(r *rand.Rand, mr, nr, mc, kc, nc int) []gemmCase {
	ms := []int{1, mr - 1, mr, mr + 1, mc - 1, mc, mc + 1, 2*mc + mr + 1, r.IntN(3*mc) + 1}
	ns := []int{1, nr - 1, nr, nr + 1, nc - 1, nc, nc + 1, r.IntN(2*nc) + 1}
	ks := []int{1, 2, kc - 1, kc, kc + 1, 2*kc + 3, r.IntN(3*kc) + 1}
	var cases []gemmCase
	n := 40
	if raceEnabled {
		n = 8
	}
	for i := 0; i < n; i++ {
		cases = append(cases, gemmCase{
			m: max(1, ms[r.IntN(len(ms))]), n: max(1, ns[r.IntN(len(ns))]), k: max(1, ks[r.IntN(len(ks))]),
			transA: r.IntN(2) == 0, transB: r.IntN(2) == 0, pad: r.IntN(2) * r.IntN(5), threads: r.IntN(3),
		})
	}
	for _, tA := range []bool{false, true} {
		for _, tB := range []bool{false, true} {
			cases = append(cases, gemmCase{m: mc + mr + 1, n: nc + nr + 1, k: kc + 1, transA: tA, transB: tB, pad: 3})
		}
	}
	return cases
}

func testGemmImpls[T float32 | float64](t *testing.T) {
	// Let every product use several goroutines, and more than this
	// machine's CPUs.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	grain := gemmGrain
	gemmGrain = 1
	defer func() { gemmGrain = grain }()
	r := rand.New(rand.NewPCG(1, 2))
	for _, g := range gemmImplsFor[T]() {
		// The real blocks: NC is too large to cross cheaply, so stay
		// below it; the small copies cross it.
		nc := g.nc
		if !strings.HasSuffix(g.name, "-small") {
			nc = 2*g.nr + 5
		}
		for _, tc := range gemmCases(r, g.mr, g.nr, g.mc, g.kc, nc) {
			checkGemm(t, g, tc, r)
		}
	}
}

func TestGemmF32Impls(t *testing.T) { testGemmImpls[float32](t) }
func TestGemmF64Impls(t *testing.T) { testGemmImpls[float64](t) }

// TestGemmNCBoundary crosses the real NC of each kernel once.
func TestGemmNCBoundary(t *testing.T) {
	if testing.Short() {
		t.Skip("large product")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for _, g := range gemmImplsFor[float32]() {
		if !strings.HasSuffix(g.name, "-small") {
			checkGemm(t, g, gemmCase{m: g.mr + 1, n: g.nc + g.nr + 1, k: 9, transB: true}, r)
		}
	}
	for _, g := range gemmImplsFor[float64]() {
		if !strings.HasSuffix(g.name, "-small") {
			checkGemm(t, g, gemmCase{m: g.mr + 1, n: g.nc + 1, k: 5}, r)
		}
	}
}

// TestMicroKernels compares each assembly kernel this CPU can run with the Go
// kernel of the same tile.
func TestMicroKernels(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for l := AVX2; l <= AVX512; l++ {
		if !l.Supported() {
			t.Logf("%s kernels not run: not supported by this CPU/build", l)
			continue
		}
		s, d := sgemmImpls[l], dgemmImpls[l]
		for _, k := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 256, 301} {
			microCheck(t, s, k, r)
			microCheck(t, d, k, r)
		}
	}
}

func microCheck[T float32 | float64](t *testing.T, g *gemmImpl[T], k int, r *rand.Rand) {
	t.Helper()
	ldc := g.nr + 3
	a, b := randSlice[T](r, k*g.mr), randSlice[T](r, k*g.nr)
	c := randSlice[T](r, (g.mr-1)*ldc+g.nr)
	want := append([]T(nil), c...)
	kernelGo(g.mr, g.nr, k, a, b, want, ldc)
	g.kernel(k, a, b, c, ldc)
	eps := 1e-12
	if _, ok := any(c).([]float32); ok {
		eps = 1e-5
	}
	for i := range c {
		if i%ldc >= g.nr {
			if c[i] != want[i] {
				t.Fatalf("%s k=%d: wrote outside the tile at %d", g.name, k, i)
			}
			continue
		}
		if d := math.Abs(float64(c[i] - want[i])); d > eps*float64(k+1) {
			t.Fatalf("%s k=%d: c[%d] = %v, want %v", g.name, k, i, c[i], want[i])
		}
	}
}

// TestGemmConcurrent runs products from 8 goroutines at once, each of which
// may use the shared helpers, and checks every result and that the helper
// budget is returned.
func TestGemmConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for gi := 0; gi < 8; gi++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(gi), 7))
			for it := 0; it < 3; it++ {
				m, n, k := 100+r.IntN(100), 100+r.IntN(150), 60+r.IntN(100)
				a, b := randSlice[float32](r, m*k), randSlice[float32](r, k*n)
				c := make([]float32, m*n)
				GemmF32(c, n, a, k, 1, b, n, 1, m, n, k, 0)
				for x := 0; x < 50; x++ {
					i, j := r.IntN(m), r.IntN(n)
					var s float64
					for p := 0; p < k; p++ {
						s += float64(a[i*k+p]) * float64(b[p*n+j])
					}
					if math.Abs(s-float64(c[i*n+j])) > 1e-4 {
						errs <- fmt.Errorf("goroutine %d: C[%d,%d] = %v, want %v", gi, i, j, c[i*n+j], s)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := helpersBusy.Load(); n != 0 {
		t.Errorf("%d helpers still reserved after the products", n)
	}
}

func TestHelperBudget(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	if got := acquireHelpers(10); got != 3 {
		t.Fatalf("acquireHelpers(10) with GOMAXPROCS 4 = %d, want 3", got)
	}
	if got := acquireHelpers(1); got != 0 {
		t.Fatalf("acquireHelpers(1) with the budget spent = %d, want 0", got)
	}
	releaseHelpers(3)
	if got := acquireHelpers(2); got != 2 {
		t.Fatalf("acquireHelpers(2) after release = %d, want 2", got)
	}
	releaseHelpers(2)
}

func TestGemmExported(t *testing.T) {
	// A 2×3 by 3×2 product, added to C = 1.
	a := []float32{1, 2, 3, 4, 5, 6}
	b := []float32{7, 8, 9, 10, 11, 12}
	c := []float32{1, 1, 1, 1}
	GemmF32(c, 2, a, 3, 1, b, 2, 1, 2, 2, 3, 1)
	if want := []float32{59, 65, 140, 155}; fmt.Sprint(c) != fmt.Sprint(want) {
		t.Errorf("GemmF32: got %v, want %v", c, want)
	}
	cd := []float64{0, 0, 0, 0}
	// Aᵀ·Bᵀ with both stored transposed.
	GemmF64(cd, 2, []float64{1, 4, 2, 5, 3, 6}, 1, 2, []float64{7, 9, 11, 8, 10, 12}, 1, 3, 2, 2, 3, 0)
	if want := []float64{58, 64, 139, 154}; fmt.Sprint(cd) != fmt.Sprint(want) {
		t.Errorf("GemmF64: got %v, want %v", cd, want)
	}
	// Empty products leave C alone.
	GemmF32(c, 2, nil, 0, 1, nil, 2, 1, 2, 2, 0, 0)
	GemmF32(nil, 0, nil, 0, 1, nil, 0, 1, 0, 0, 5, 0)
}

func TestGemmCheck(t *testing.T) {
	tests := []struct {
		name string
		fn   func()
		msg  string
	}{
		{"short C", func() { GemmF32(make([]float32, 3), 2, make([]float32, 4), 2, 1, make([]float32, 4), 2, 1, 2, 2, 2, 1) }, "C of length 3"},
		{"ldc < n", func() { GemmF64(make([]float64, 8), 1, make([]float64, 4), 2, 1, make([]float64, 4), 2, 1, 2, 2, 2, 1) }, "row stride 1"},
		{"short A", func() { GemmF32(make([]float32, 4), 2, make([]float32, 3), 2, 1, make([]float32, 4), 2, 1, 2, 2, 2, 1) }, "A of length 3"},
		{"short B", func() { GemmF32(make([]float32, 4), 2, make([]float32, 4), 2, 1, make([]float32, 3), 1, 2, 2, 2, 2, 1) }, "B of length 3"},
		{"negative", func() { GemmF32(nil, 0, nil, 0, 1, nil, 0, 1, -1, 2, 2, 1) }, "negative GEMM size"},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.Contains(s, tt.msg) {
					t.Errorf("%s: panic %v, want one containing %q", tt.name, r, tt.msg)
				}
			}()
			tt.fn()
		}()
	}
}

func TestLevels(t *testing.T) {
	tests := []struct {
		best Level
		env  string
		want Level
	}{
		{AVX512, "", AVX512},
		{AVX512, "auto", AVX512},
		{AVX512, "avx2", AVX2},
		{AVX512, " Generic ", Generic},
		{AVX2, "avx512", AVX2},
		{AVX2, "avx2", AVX2},
		{Generic, "avx2", Generic},
		{AVX2, "bogus", AVX2},
	}
	for _, tt := range tests {
		if got := chooseLevel(tt.best, tt.env); got != tt.want {
			t.Errorf("chooseLevel(%s, %q) = %s, want %s", tt.best, tt.env, got, tt.want)
		}
	}
	for l, name := range map[Level]string{Generic: "generic", AVX2: "avx2", AVX512: "avx512", 9: "unknown"} {
		if l.String() != name {
			t.Errorf("Level(%d).String() = %q, want %q", l, l.String(), name)
		}
	}
	if !Generic.Supported() || Level(-1).Supported() || Level(9).Supported() {
		t.Error("Supported: generic must be, levels out of range must not be")
	}
	t.Logf("CPU supports %s; active %s", best, Active())
	prev := SetLevel(Generic)
	if Active() != Generic {
		t.Error("SetLevel(Generic) did not take")
	}
	SetLevel(prev)
	if !AVX512.Supported() {
		defer func() {
			if recover() == nil {
				t.Error("SetLevel of an unsupported level did not panic")
			}
		}()
		SetLevel(AVX512)
	}
}
