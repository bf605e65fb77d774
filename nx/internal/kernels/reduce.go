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
