package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expInputs returns float32 values over exp's whole range: random ones of every
// magnitude, the overflow and underflow thresholds and their neighbours,
// subnormal results, specials.
func expInputs(r *rand.Rand, n int) []float32 {
	s := make([]float32, 0, n+64)
	edges := []float32{0, float32(math.Copysign(0, -1)), 1, -1, 88.72283, 88.722839, 88.72284, 89, -87.33655,
		-103.27893, -103.97208, -104, -110, -150, 1e-8, -1e-8, 1e-30, math.MaxFloat32, -math.MaxFloat32,
		math.SmallestNonzeroFloat32, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	for _, e := range edges {
		s = append(s, e, math.Nextafter32(e, 200), math.Nextafter32(e, -200))
	}
	for len(s) < n {
		switch r.IntN(3) {
		case 0:
			s = append(s, float32(r.Float64()*210-115)) // the whole useful range
		case 1:
			s = append(s, float32(r.NormFloat64()*3))
		default:
			s = append(s, math.Float32frombits(r.Uint32())) // any bit pattern
		}
	}
	return s
}

// ulpDiff32 is the distance between two float32 values in units in the last
// place (0 for two NaNs, a large number for a NaN and a number).
func ulpDiff32(a, b float32) int64 {
	if a != a || b != b {
		if a != a && b != b {
			return 0
		}
		return math.MaxInt64
	}
	ord := func(f float32) int64 {
		i := int64(int32(math.Float32bits(f)))
		if i < 0 {
			i = math.MinInt32 - i
		}
		return i
	}
	d := ord(a) - ord(b)
	if d < 0 {
		d = -d
	}
	return d
}

// TestExpF32Accuracy compares ExpF32 at every level with float32(math.Exp):
// within one ulp everywhere, and equal almost everywhere.
func TestExpF32Accuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	x := expInputs(r, 200000)
	for _, l := range levels() {
		prev := SetLevel(l)
		got := make([]float32, len(x))
		ExpF32(got, x)
		SetLevel(prev)
		off := 0
		for i, v := range x {
			want := float32(math.Exp(float64(v)))
			d := ulpDiff32(got[i], want)
			if d > 1 {
				t.Fatalf("%s: exp(%v) = %v, want %v (%d ulps)", l, v, got[i], want, d)
			}
			if d == 1 {
				off++
			}
		}
		t.Logf("%s: %d of %d results one ulp off float32(math.Exp)", l, off, len(x))
		if off > len(x)/10000 {
			t.Errorf("%s: %d of %d results one ulp off float32(math.Exp)", l, off, len(x))
		}
	}
}

// TestExpF32Specials checks overflow, underflow and the special values exactly.
func TestExpF32Specials(t *testing.T) {
	inf := float32(math.Inf(1))
	cases := []struct{ x, want float32 }{
		{0, 1}, {float32(math.Copysign(0, -1)), 1}, {inf, inf}, {float32(math.Inf(-1)), 0},
		{89, inf}, {1000, inf}, {math.MaxFloat32, inf}, {-104, 0}, {-1000, 0}, {-math.MaxFloat32, 0},
		{1, float32(math.E)}, {-103.5, float32(math.Exp(-103.5))}, // subnormal
	}
	for _, l := range levels() {
		prev := SetLevel(l)
		for _, c := range cases {
			got := make([]float32, 17) // through the vector loop and the tail
			src := make([]float32, 17)
			for i := range src {
				src[i] = c.x
			}
			ExpF32(got, src)
			for i, g := range got {
				if math.Float32bits(g) != math.Float32bits(c.want) {
					t.Errorf("%s: exp(%v) element %d = %v, want %v", l, c.x, i, g, c.want)
				}
			}
		}
		nan := []float32{float32(math.NaN())}
		ExpF32(nan, nan)
		if nan[0] == nan[0] {
			t.Errorf("%s: exp(NaN) = %v, want NaN", l, nan[0])
		}
		SetLevel(prev)
	}
}

// TestExpF32AsmMatchesGo requires the assembly and the Go version to agree bit
// for bit (NaN payloads and signs included) at every length, in place too.
func TestExpF32AsmMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	x := expInputs(r, 5000)
	for _, b := range []uint32{0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fc12345, 0xffd54321, 0x7fbfffff} {
		x = append(x, math.Float32frombits(b))
	}
	want := make([]float32, len(x))
	expF32Go(want, x)
	for _, l := range levels() {
		prev := SetLevel(l)
		for _, n := range []int{0, 1, 15, 16, 17, 31, 33, 100, len(x)} {
			got := make([]float32, n+1)
			got[n] = 7
			ExpF32(got[:n], x)
			for i := range n {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%s n=%d: exp(%v) = %v, Go gives %v", l, n, x[i], got[i], want[i])
				}
			}
			if got[n] != 7 {
				t.Fatalf("%s n=%d: wrote past the end", l, n)
			}
		}
		in := append([]float32(nil), x...)
		ExpF32(in, in)
		for i := range in {
			if math.Float32bits(in[i]) != math.Float32bits(want[i]) {
				t.Fatalf("%s in place: exp(%v) = %v, Go gives %v", l, x[i], in[i], want[i])
			}
		}
		SetLevel(prev)
	}
}

func BenchmarkExpF32(b *testing.B) {
	x := expInputs(rand.New(rand.NewPCG(1, 2)), 4096)
	for i := range x {
		x[i] = float32(math.Mod(float64(x[i]), 80))
	}
	d := make([]float32, len(x))
	for _, l := range levels() {
		b.Run(l.String(), func(b *testing.B) {
			prev := SetLevel(l)
			defer SetLevel(prev)
			b.SetBytes(int64(4 * len(x)))
			for b.Loop() {
				ExpF32(d, x)
			}
		})
	}
	b.Run("math.Exp", func(b *testing.B) {
		b.SetBytes(int64(4 * len(x)))
		for b.Loop() {
			for i, v := range x {
				d[i] = float32(math.Exp(float64(v)))
			}
		}
	})
}
