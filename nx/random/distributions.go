package random

import (
	"github.com/gonx-dev/gonx/nx"
)

// splitKey checks key for op and splits it as Nx's sampling functions do: the
// second new key is used for sampling and the first is returned as the next key.
func splitKey(op string, key *nx.Tensor) (use, next *nx.Tensor) {
	checkKey(op, key)
	keys := threefryBits(key, nx.Shape{2, 2})
	return nx.Reshape(nx.Slice(keys, []int{1, 0}, []int{1, 2}), 2), nx.Reshape(nx.Slice(keys, []int{0, 0}, []int{1, 2}), 2)
}

// checkShape panics when shape has a negative dimension.
func checkShape(op string, key *nx.Tensor, shape nx.Shape) {
	for _, d := range shape {
		if d < 0 {
			fail(op, []*nx.Tensor{key}, "shape %v has a negative dimension", []int(shape))
		}
	}
}

// checkFloat panics unless dt is a floating-point type, or also a complex one
// when complexOK.
func checkFloat(op string, key *nx.Tensor, dt nx.DType, complexOK bool) {
	if !dt.IsFloat() && !(complexOK && dt.IsComplex()) {
		want := "a floating-point type (f16, bf16, f32, f64)"
		if complexOK {
			want = "a floating-point or complex type"
		}
		fail(op, []*nx.Tensor{key}, "type %s: want %s", dt, want)
	}
}

// Uniform returns values drawn uniformly from [lo, hi), of type dt (a float or
// complex type; complex values have uniform real and imaginary parts) and the
// given shape (nil for a scalar), and the key to use next. As Nx.Random.uniform
// it splits key in two, samples with the second half (see UniformSplit) and
// returns the first.
func Uniform(key *nx.Tensor, lo, hi float64, shape nx.Shape, dt nx.DType) (values, next *nx.Tensor) {
	use, next := splitKey("random.Uniform", key)
	return uniformChecked("random.Uniform", use, lo, hi, shape, dt), next
}

// UniformSplit is Uniform sampling with key itself, for a key that has been
// split beforehand: it returns only the values.
//
// It builds floats in [1, 2) from the high bits of random words and maps them
// onto [lo, hi), bit for bit as Nx and JAX do.
func UniformSplit(key *nx.Tensor, lo, hi float64, shape nx.Shape, dt nx.DType) *nx.Tensor {
	checkKey("random.UniformSplit", key)
	return uniformChecked("random.UniformSplit", key, lo, hi, shape, dt)
}

func uniformChecked(op string, key *nx.Tensor, lo, hi float64, shape nx.Shape, dt nx.DType) *nx.Tensor {
	checkShape(op, key, shape)
	checkFloat(op, key, dt, true)
	return floatOrComplex(key, shape, dt, func(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
		return uniform(key, lo, hi, shape, dt)
	})
}

// uniform samples [lo, hi) for a real float type dt.
func uniform(key *nx.Tensor, lo, hi float64, shape nx.Shape, dt nx.DType) *nx.Tensor {
	nbits := dt.Bits()
	ut := unsignedOf(nbits)
	mantissa := map[nx.DType]int{nx.F16: 10, nx.BF16: 7, nx.F32: 23, nx.F64: 52}[dt]
	var f *nx.Tensor
	if dt == nx.F32 { // the same values, made by one kernel
		f = nx.Subtract(unitF32(key, shape), nx.Scalar(1.0, dt))
	} else {
		one := nx.Bitcast(nx.Scalar(1.0, dt), ut)
		bits := nx.RightShift(randomBits(key, shape, nbits), nx.Scalar(uint64(nbits-mantissa), ut))
		f = nx.Subtract(nx.Bitcast(nx.BitwiseOr(bits, one), dt), nx.Scalar(1.0, dt))
	}
	l, h := nx.Scalar(lo, dt), nx.Scalar(hi, dt)
	return nx.Max(nx.Add(nx.Multiply(f, nx.Subtract(h, l)), l), l)
}

// unsignedOf returns the unsigned type of the given width.
func unsignedOf(bits int) nx.DType {
	switch bits {
	case 8:
		return nx.U8
	case 16:
		return nx.U16
	case 32:
		return nx.U32
	}
	return nx.U64
}

// floatOrComplex samples with fn for a real type; for a complex type it samples
// the real type with a trailing axis of 2 and joins the pairs into re + im·i.
func floatOrComplex(key *nx.Tensor, shape nx.Shape, dt nx.DType, fn func(*nx.Tensor, nx.Shape, nx.DType) *nx.Tensor) *nx.Tensor {
	if !dt.IsComplex() {
		return fn(key, shape.Clone(), dt)
	}
	pairs := fn(key, append(shape.Clone(), 2), nx.RealOf(dt))
	re := nx.Reshape(nx.SliceAlongAxis(pairs, 0, 1, nx.Axis(-1)), shape...)
	im := nx.Reshape(nx.SliceAlongAxis(pairs, 1, 1, nx.Axis(-1)), shape...)
	return nx.Add(nx.AsType(re, dt), nx.Multiply(nx.AsType(im, dt), nx.Scalar(complex(0, 1), dt)))
}

// Normal returns values drawn from the normal distribution with the given mean
// and standard deviation, of type dt (a float or complex type; complex values
// have normal real and imaginary parts, each with that mean and deviation) and
// the given shape, and the key to use next. As Nx.Random.normal it splits key
// in two, samples with the second half (see NormalSplit) and returns the first.
func Normal(key *nx.Tensor, mean, std float64, shape nx.Shape, dt nx.DType) (values, next *nx.Tensor) {
	use, next := splitKey("random.Normal", key)
	return normalChecked("random.Normal", use, mean, std, shape, dt), next
}

// NormalSplit is Normal sampling with key itself, for a key that has been split
// beforehand: it returns only the values. It maps uniform values u in (-1, 1)
// to mean + std·√2·erfinv(u), as Nx and JAX do.
func NormalSplit(key *nx.Tensor, mean, std float64, shape nx.Shape, dt nx.DType) *nx.Tensor {
	checkKey("random.NormalSplit", key)
	return normalChecked("random.NormalSplit", key, mean, std, shape, dt)
}

func normalChecked(op string, key *nx.Tensor, mean, std float64, shape nx.Shape, dt nx.DType) *nx.Tensor {
	checkShape(op, key, shape)
	checkFloat(op, key, dt, true)
	return floatOrComplex(key, shape, dt, func(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
		u := uniform(key, nextAfterMinusOne(dt), 1, shape, dt)
		n := nx.Multiply(nx.Sqrt(nx.Scalar(2.0, dt)), nx.ErfInv(u))
		return nx.Add(nx.Multiply(nx.Scalar(std, dt), n), nx.Scalar(mean, dt))
	})
}

// nextAfterMinusOne returns the number of type dt just above -1.
func nextAfterMinusOne(dt nx.DType) float64 {
	switch dt {
	case nx.F16:
		return -1 + 0x1p-11
	case nx.BF16:
		return -1 + 0x1p-8
	case nx.F64:
		return -1 + 0x1p-53
	}
	return -1 + 0x1p-24
}

// RandInt returns integers drawn uniformly from [lo, hi), of the integer type
// dt and the given shape, and the key to use next. As Nx.Random.randint it
// splits key in two, samples with the second half (see RandIntSplit) and
// returns the first. lo < hi, and both lo and hi-1 must fit in dt.
func RandInt(key *nx.Tensor, lo, hi int64, shape nx.Shape, dt nx.DType) (values, next *nx.Tensor) {
	use, next := splitKey("random.RandInt", key)
	return randIntChecked("random.RandInt", use, lo, hi, shape, dt), next
}

// RandIntSplit is RandInt sampling with key itself, for a key that has been
// split beforehand: it returns only the values. Like Nx and JAX, it combines
// two random words of dt's width so that the bias of the remainder is
// negligible.
func RandIntSplit(key *nx.Tensor, lo, hi int64, shape nx.Shape, dt nx.DType) *nx.Tensor {
	checkKey("random.RandIntSplit", key)
	return randIntChecked("random.RandIntSplit", key, lo, hi, shape, dt)
}

func randIntChecked(op string, key *nx.Tensor, lo, hi int64, shape nx.Shape, dt nx.DType) *nx.Tensor {
	checkShape(op, key, shape)
	if !dt.IsInteger() {
		fail(op, []*nx.Tensor{key}, "type %s: want an integer type", dt)
	}
	if lo >= hi {
		fail(op, []*nx.Tensor{key}, "empty range [%d, %d): want lo < hi", lo, hi)
	}
	if !fits(lo, dt) || !fits(hi-1, dt) {
		fail(op, []*nx.Tensor{key}, "range [%d, %d) does not fit in %s", lo, hi, dt)
	}
	nbits := dt.Bits()
	span := uint64(hi) - uint64(lo)
	mult := (uint64(1) << (nbits / 2)) % span
	mult = mult * mult % span
	bits := nx.AsType(randomBits(key, append(nx.Shape{2}, shape...), nbits), nx.U64)
	higher := nx.Reshape(nx.SliceAlongAxis(bits, 0, 1), shape...)
	lower := nx.Reshape(nx.SliceAlongAxis(bits, 1, 1), shape...)
	s := nx.Scalar(span)
	off := nx.Add(nx.Multiply(nx.Remainder(higher, s), nx.Scalar(mult)), nx.Remainder(lower, s))
	off = nx.Remainder(off, s)
	return nx.AsType(nx.Add(nx.Bitcast(off, nx.S64), nx.Scalar(lo)), dt)
}

// fits reports whether v is within the range of the integer type dt.
func fits(v int64, dt nx.DType) bool {
	bits := uint(dt.Bits())
	if dt.IsUnsigned() {
		return v >= 0 && (bits == 64 || uint64(v) < 1<<bits)
	}
	return bits == 64 || (v >= -1<<(bits-1) && v < 1<<(bits-1))
}

// Gumbel returns values drawn from the standard Gumbel distribution, of the
// float type dt and the given shape, and the key to use next. As
// Nx.Random.gumbel it splits key in two, samples with the second half (see
// GumbelSplit) and returns the first.
func Gumbel(key *nx.Tensor, shape nx.Shape, dt nx.DType) (values, next *nx.Tensor) {
	use, next := splitKey("random.Gumbel", key)
	return gumbelChecked("random.Gumbel", use, shape, dt), next
}

// GumbelSplit is Gumbel sampling with key itself, for a key that has been split
// beforehand: -log(-log(u)) for u uniform in [tiny, 1), tiny the smallest
// normal number of dt.
func GumbelSplit(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
	checkKey("random.GumbelSplit", key)
	return gumbelChecked("random.GumbelSplit", key, shape, dt)
}

func gumbelChecked(op string, key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
	checkShape(op, key, shape)
	checkFloat(op, key, dt, false)
	u := uniform(key, smallestNormal(dt), 1, shape.Clone(), dt)
	return nx.Negate(nx.Log(nx.Negate(nx.Log(u))))
}

// smallestNormal returns the smallest positive normal number of dt.
func smallestNormal(dt nx.DType) float64 {
	switch dt {
	case nx.F16:
		return 0x1p-14
	case nx.F64:
		return 0x1p-1022
	}
	return 0x1p-126 // f32 and bf16
}
