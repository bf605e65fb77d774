package kernels

import "math"

// The exponential of float32 values, computed in float64 with one rounding
// to float32 at the end, so results are the correctly rounded exp(x) except
// in rare near-ties, where they are within one unit in the last place.
//
// Method (the same in the assembly and in expF32Go, operation for operation,
// with fused multiply-adds at the same places, so the two agree bit for bit):
//
//	x = clamp(x, -110, 90)            NaN passes through; exp(-110) and exp(90) round to 0 and +Inf in float32
//	kd = x·log2(e) + 1.5·2⁵²           (fused) rounds x·log2(e) to the integer k in kd's low bits
//	k = kd - 1.5·2⁵²
//	r = (x - k·ln2hi) - k·ln2lo       (two fused steps), |r| ≤ 0.35
//	p = Σ rⁿ/n!, n ≤ 10               (Horner, fused), relative error below 1e-11
//	exp(x) = float32(p · 2ᵏ)          2ᵏ built from k's bits
const (
	expLo    = -110.0
	expHi    = 90.0
	expLog2e = 1.4426950408889634
	expMagic = 0x1.8p52
	expLn2Hi = 6.93147180369123816490e-01
	expLn2Lo = 1.90821492927058770002e-10
)

// expCoef are the Taylor coefficients 1/n!, n = 0 … 10.
var expCoef = [11]float64{1, 1, 1.0 / 2, 1.0 / 6, 1.0 / 24, 1.0 / 120, 1.0 / 720, 1.0 / 5040,
	1.0 / 40320, 1.0 / 362880, 1.0 / 3628800}

// ExpF32 sets dst[i] = exp(src[i]) for every i < len(dst). src must hold at
// least len(dst) elements; dst may be src itself, but not overlap it
// otherwise. Overflow gives +Inf, underflow 0 (or a subnormal), and a NaN
// gives itself, quieted (as float32(math.Exp(float64(x))) does).
func ExpF32(dst, src []float32) {
	src = src[:len(dst)]
	done := 0
	if Active() >= AVX2 {
		expF32AVX2(dst, src)
		done = len(dst) &^ 15
	}
	expF32Go(dst[done:], src[done:])
}

// expF32Go is the portable ExpF32.
func expF32Go(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] = exp32(v)
	}
}

// exp32 is the exponential of one element (see the method above).
func exp32(v float32) float32 {
	x := float64(v)
	if x != x {
		return float32(x) // the quieted NaN, as the assembly's arithmetic passes it on
	}
	if x < expLo {
		x = expLo
	} else if x > expHi {
		x = expHi
	}
	kd := math.FMA(x, expLog2e, expMagic)
	k := kd - expMagic
	r := math.FMA(-k, expLn2Hi, x)
	r = math.FMA(-k, expLn2Lo, r)
	p := expCoef[10]
	for n := 9; n >= 0; n-- {
		p = math.FMA(p, r, expCoef[n])
	}
	scale := math.Float64frombits(math.Float64bits(kd)<<52 + math.Float64bits(1))
	return float32(p * scale)
}
