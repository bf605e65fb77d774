package kernels

import "math"

// MaxF32 returns the largest element of x with Go's max semantics: a NaN if
// any element is one (the NaN float32(math.NaN()) gives), +0 over -0, and -Inf
// for an empty x. The result does not depend on the order of the elements.
func MaxF32(x []float32) float32 {
	m, done := float32(math.Inf(-1)), 0
	if Active() >= AVX2 {
		var nan bool
		if m, nan = maxF32AVX2(x); nan {
			return float32(math.NaN())
		}
		done = len(x) &^ 31
	}
	for _, v := range x[done:] {
		if v != v {
			return float32(math.NaN())
		}
		m = max(m, v)
	}
	if m == 0 { // the vector maximum keeps either zero; +0 wins if there is one
		for _, v := range x {
			if v == 0 && !math.Signbit(float64(v)) {
				return 0
			}
		}
		return float32(math.Copysign(0, -1))
	}
	return m
}

// SumF32 returns the sum of x accumulated in float64 in a fixed order: eight
// partial sums of the elements i ≡ 0 … 7 (mod 8) below len(x) rounded down
// to a multiple of 8, combined pairwise, then the remaining elements one by
// one. Every caller that needs the same bits (eager and fused reductions)
// gets them; the eight independent sums run several times faster than one.
func SumF32(x []float32) float64 {
	var s0, s1, s2, s3, s4, s5, s6, s7 float64
	i := 0
	for ; i+8 <= len(x); i += 8 {
		v := x[i : i+8 : i+8]
		s0 += float64(v[0])
		s1 += float64(v[1])
		s2 += float64(v[2])
		s3 += float64(v[3])
		s4 += float64(v[4])
		s5 += float64(v[5])
		s6 += float64(v[6])
		s7 += float64(v[7])
	}
	s := ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
	for ; i < len(x); i++ {
		s += float64(x[i])
	}
	return s
}
