package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// maxRef is the reference maximum: Go's max, one element at a time.
func maxRef(x []float32) float32 {
	m := float32(math.Inf(-1))
	for _, v := range x {
		if v != v {
			return float32(math.NaN())
		}
		m = max(m, v)
	}
	return m
}

func TestMaxF32(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	negZero := float32(math.Copysign(0, -1))
	for _, l := range levels() {
		prev := SetLevel(l)
		for n := 0; n < 300; n++ {
			for trial := range 4 {
				x := make([]float32, n)
				for i := range x {
					x[i] = float32(r.NormFloat64() * 50)
				}
				switch trial {
				case 1: // zeros of both signs at the top
					for i := range x {
						x[i] = -float32(math.Abs(float64(x[i])))
						if r.IntN(5) == 0 {
							x[i] = negZero
						}
					}
					if n > 0 && r.IntN(2) == 0 {
						x[r.IntN(n)] = 0
					}
				case 2: // a NaN somewhere
					if n > 0 {
						x[r.IntN(n)] = float32(math.NaN())
					}
				case 3: // infinities
					for i := range x {
						if r.IntN(3) == 0 {
							x[i] = float32(math.Inf(1 - 2*r.IntN(2)))
						}
					}
				}
				got, want := MaxF32(x), maxRef(x)
				if math.Float32bits(got) != math.Float32bits(want) {
					t.Fatalf("%s n=%d trial %d: MaxF32 = %v (%#x), want %v (%#x)", l, n, trial, got, math.Float32bits(got), want, math.Float32bits(want))
				}
			}
		}
		SetLevel(prev)
	}
}

func BenchmarkMaxF32(b *testing.B) {
	x := expInputs(rand.New(rand.NewPCG(1, 2)), 4096)
	for i := range x {
		if x[i] != x[i] {
			x[i] = 0
		}
	}
	for _, l := range levels() {
		b.Run(l.String(), func(b *testing.B) {
			prev := SetLevel(l)
			defer SetLevel(prev)
			b.SetBytes(int64(4 * len(x)))
			for b.Loop() {
				MaxF32(x)
			}
		})
	}
}

func TestSumF32(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 3))
	for n := 0; n < 100; n++ {
		x := make([]float32, n)
		exact := 0.0
		for i := range x {
			x[i] = float32(r.IntN(2001)-1000) / 8 // exact in float64 whatever the order
			exact += float64(x[i])
		}
		if got := SumF32(x); got != exact {
			t.Fatalf("n=%d: SumF32 = %v, want %v", n, got, exact)
		}
	}
	inf := float32(math.Inf(1))
	if s := SumF32([]float32{1, 2, inf, 3, 4, 5, 6, 7, 8, -inf}); s == s {
		t.Errorf("SumF32 of +Inf and -Inf = %v, want NaN", s)
	}
	if s := SumF32([]float32{1, 2, 3, 4, 5, 6, 7, 8, 9, inf}); !math.IsInf(s, 1) {
		t.Errorf("SumF32 with +Inf = %v, want +Inf", s)
	}
}
