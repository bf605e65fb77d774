package nx

import "math"

// Float16 is an IEEE 754 half-precision number, the element of f16 tensors.
type Float16 uint16

// BFloat16 is a brain floating-point number (the top 16 bits of a float32), the
// element of bf16 tensors.
type BFloat16 uint16

// NewFloat16 rounds f to the nearest half-precision value (ties to even).
func NewFloat16(f float32) Float16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	mant := b & 0x7fffff
	switch {
	case exp == 0xff: // Inf or NaN
		if mant != 0 {
			return Float16(sign | 0x7e00)
		}
		return Float16(sign | 0x7c00)
	case exp-127+15 >= 0x1f: // overflow
		return Float16(sign | 0x7c00)
	}
	e := exp - 127 + 15
	if e <= 0 {
		// Subnormal half (or zero): shift the mantissa with its implicit bit.
		if e < -10 {
			return Float16(sign)
		}
		m := mant | 0x800000
		shift := uint32(14 - e)
		half := uint32(1) << (shift - 1)
		r := m >> shift
		rem := m & (1<<shift - 1)
		if rem > half || (rem == half && r&1 == 1) {
			r++
		}
		return Float16(sign | uint16(r))
	}
	r := uint32(e)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && r&1 == 1) {
		r++ // may carry into the exponent, which is the correct rounding
	}
	return Float16(sign | uint16(r))
}

// Float32 returns h as a float32 (exactly).
func (h Float16) Float32() float32 {
	sign := uint32(h&0x8000) << 16
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h & 0x3ff)
	switch {
	case exp == 0x1f:
		return math.Float32frombits(sign | 0x7f800000 | mant<<13)
	case exp == 0:
		if mant == 0 {
			return math.Float32frombits(sign)
		}
		// Subnormal: normalise.
		e := uint32(127 - 15 + 1)
		for mant&0x400 == 0 {
			mant <<= 1
			e--
		}
		return math.Float32frombits(sign | e<<23 | (mant&0x3ff)<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
}

// Float64 returns h as a float64.
func (h Float16) Float64() float64 { return float64(h.Float32()) }

// String formats h like a float32.
func (h Float16) String() string { return formatFloat(float64(h.Float32()), 32) }

// NewBFloat16 rounds f to the nearest bfloat16 value (ties to even).
func NewBFloat16(f float32) BFloat16 {
	b := math.Float32bits(f)
	if b&0x7fffffff > 0x7f800000 { // NaN: keep it quiet
		return BFloat16(b>>16 | 0x40)
	}
	b += 0x7fff + (b>>16)&1
	return BFloat16(b >> 16)
}

// Float32 returns b as a float32 (exactly).
func (b BFloat16) Float32() float32 { return math.Float32frombits(uint32(b) << 16) }

// Float64 returns b as a float64.
func (b BFloat16) Float64() float64 { return float64(b.Float32()) }

// String formats b like a float32.
func (b BFloat16) String() string { return formatFloat(float64(b.Float32()), 32) }
