package nx

import (
	"math"
	"math/bits"
	"math/cmplx"
	"strings"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// unaryFns is one elementwise function per kind of element; a nil entry means the
// kind is not accepted. Integers are computed in 64 bits and wrap to the element
// width; f16, bf16 and f32 are computed in float64 and rounded back.
type unaryFns struct {
	s func(int64) int64
	u func(uint64) uint64
	f func(float64) float64
	c func(complex128) complex128
	// v32, if set, computes f32 elements in place of f: a vectorized kernel
	// (within an ulp of float32(f(float64(x)))). Fused code uses it too, so
	// eager and compiled results stay identical.
	v32 func(dst, src []float32)
}

// defUnary defines an elementwise primitive whose result has its operand's type.
func defUnary(name string, fns unaryFns) *opDef {
	return &opDef{name: name, elementwise: true, cpu: func(c *call) {
		src := c.args[0].data
		dst := c.outOverwrite(0)
		switch x := src.(type) {
		case []uint8:
			mapInto(c, dst.([]uint8), x, uMap[uint8]{fns.u}, parallelGrain)
		case []uint16:
			mapInto(c, dst.([]uint16), x, uMap[uint16]{fns.u}, parallelGrain)
		case []uint32:
			mapInto(c, dst.([]uint32), x, uMap[uint32]{fns.u}, parallelGrain)
		case []uint64:
			mapInto(c, dst.([]uint64), x, uMap[uint64]{fns.u}, parallelGrain)
		case []int8:
			mapInto(c, dst.([]int8), x, sMap[int8]{fns.s}, parallelGrain)
		case []int16:
			mapInto(c, dst.([]int16), x, sMap[int16]{fns.s}, parallelGrain)
		case []int32:
			mapInto(c, dst.([]int32), x, sMap[int32]{fns.s}, parallelGrain)
		case []int64:
			mapInto(c, dst.([]int64), x, sMap[int64]{fns.s}, parallelGrain)
		case []float32:
			if fns.v32 != nil {
				d := dst.([]float32)
				if serial(len(x), parallelGrain) {
					fns.v32(d, x)
				} else {
					splitSlices(c, len(x), nil, fns.v32, d, x, nil)
				}
			} else {
				mapInto(c, dst.([]float32), x, fMap[float32]{fns.f}, parallelGrain/4)
			}
		case []float64:
			mapInto(c, dst.([]float64), x, fMap[float64]{fns.f}, parallelGrain/4)
		case []Float16:
			mapInto(c, dst.([]Float16), x, f16Map{fns.f}, parallelGrain)
		case []BFloat16:
			mapInto(c, dst.([]BFloat16), x, bf16Map{fns.f}, parallelGrain)
		case []complex64:
			mapInto(c, dst.([]complex64), x, cMap[complex64]{fns.c}, parallelGrain/4)
		case []complex128:
			mapInto(c, dst.([]complex128), x, cMap[complex128]{fns.c}, parallelGrain/4)
		}
	}}
}

// mapper computes one element of a unary result; the kernels are
// instantiated with small mapper values (a primitive's function and the
// conversions around it) rather than closures.
type mapper[T any] interface{ at(T) T }

type (
	uMap[T unsignedInt]              struct{ f func(uint64) uint64 }
	sMap[T signedInt]                struct{ f func(int64) int64 }
	fMap[T ~float32 | ~float64]      struct{ f func(float64) float64 }
	cMap[T ~complex64 | ~complex128] struct{ f func(complex128) complex128 }
	f16Map                           struct{ f func(float64) float64 }
	bf16Map                          struct{ f func(float64) float64 }
)

func (m uMap[T]) at(v T) T { return T(m.f(uint64(v))) }
func (m sMap[T]) at(v T) T { return T(m.f(int64(v))) }
func (m fMap[T]) at(v T) T { return T(m.f(float64(v))) }
func (m cMap[T]) at(v T) T { return T(m.f(complex128(v))) }
func (m f16Map) at(v Float16) Float16 {
	return NewFloat16(float32(m.f(v.Float64())))
}
func (m bf16Map) at(v BFloat16) BFloat16 {
	return NewBFloat16(float32(m.f(v.Float64())))
}

// mapInto sets dst[i] = m.at(src[i]), split between threads through a job
// kept in c's state (c nil: a closure), so that a compiled step allocates
// nothing.
func mapInto[T any, M mapper[T]](c *call, dst, src []T, m M, grain int) {
	if serial(len(src), grain) {
		mapRange(dst, src, m, 0, len(src))
		return
	}
	if c != nil {
		j := stateOf[mapJob[T, M]](&c.state)
		*j = mapJob[T, M]{dst: dst, src: src, m: m}
		parallelRanges(len(src), grain, j)
		*j = mapJob[T, M]{} // keep no operand alive
		return
	}
	parallelFor(len(src), grain, func(lo, hi int) { mapRange(dst, src, m, lo, hi) })
}

func mapRange[T any, M mapper[T]](dst, src []T, m M, lo, hi int) {
	for i := lo; i < hi; i++ {
		dst[i] = m.at(src[i])
	}
}

// mapJob is a unary map split between threads.
type mapJob[T any, M mapper[T]] struct {
	dst, src []T
	m        M
}

func (j *mapJob[T, M]) runRange(lo, hi int) { mapRange(j.dst, j.src, j.m, lo, hi) }

// unary applies op to t, checking that t's kind has an implementation.
func unary(name string, op *opDef, fns unaryFns, t *Tensor) *Tensor {
	var ok bool
	switch t.dtype.Kind() {
	case KindUnsigned:
		ok = fns.u != nil
	case KindSigned:
		ok = fns.s != nil
	case KindFloat, KindBFloat:
		ok = fns.f != nil
	case KindComplex:
		ok = fns.c != nil
	}
	if !ok {
		panicf(name, []*Tensor{t}, "not defined for %s tensors", t.dtype)
	}
	return op.apply1(t.shape, t.dtype, nil, t)
}

// floatUnary defines a function of real or complex numbers: integer operands are
// converted to f32 first, as in Nx. It returns the primitive and the public function.
func floatUnary(name string, f func(float64) float64, c func(complex128) complex128) (*opDef, func(*Tensor) *Tensor) {
	return floatUnaryV(name, f, c, nil)
}

// floatUnaryV is floatUnary with a vectorized f32 kernel v32 (see unaryFns).
func floatUnaryV(name string, f func(float64) float64, c func(complex128) complex128, v32 func(dst, src []float32)) (*opDef, func(*Tensor) *Tensor) {
	fns := unaryFns{f: f, c: c, v32: v32}
	op := defUnary(strings.ToLower(name), fns)
	public := "nx." + name
	return op, func(t *Tensor) *Tensor {
		return unary(public, op, fns, AsType(t, FloatOf(t.dtype)))
	}
}

func isqrt(x float64) float64 { return 1 / math.Sqrt(x) }
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
func csigmoid(x complex128) complex128 { return 1 / (1 + cmplx.Exp(-x)) }
func cexpm1(x complex128) complex128   { return cmplx.Exp(x) - 1 }
func clog1p(x complex128) complex128   { return cmplx.Log(1 + x) }
func crsqrt(x complex128) complex128   { return 1 / cmplx.Sqrt(x) }

var (
	expOp, expF         = floatUnaryV("Exp", math.Exp, cmplx.Exp, kernels.ExpF32)
	expm1Op, expm1F     = floatUnary("Expm1", math.Expm1, cexpm1)
	logOp, logF         = floatUnary("Log", math.Log, cmplx.Log)
	log1pOp, log1pF     = floatUnary("Log1p", math.Log1p, clog1p)
	log2Op, log2F       = floatUnary("Log2", math.Log2, func(x complex128) complex128 { return cmplx.Log(x) / math.Ln2 })
	log10Op, log10F     = floatUnary("Log10", math.Log10, cmplx.Log10)
	sqrtOp, sqrtF       = floatUnary("Sqrt", math.Sqrt, cmplx.Sqrt)
	rsqrtOp, rsqrtF     = floatUnary("Rsqrt", isqrt, crsqrt)
	cbrtOp, cbrtF       = floatUnary("Cbrt", math.Cbrt, nil)
	sigmoidOp, sigmoidF = floatUnary("Sigmoid", sigmoid, csigmoid)
	sinOp, sinF         = floatUnary("Sin", math.Sin, cmplx.Sin)
	cosOp, cosF         = floatUnary("Cos", math.Cos, cmplx.Cos)
	tanOp, tanF         = floatUnary("Tan", math.Tan, cmplx.Tan)
	asinOp, asinF       = floatUnary("Asin", math.Asin, cmplx.Asin)
	acosOp, acosF       = floatUnary("Acos", math.Acos, cmplx.Acos)
	atanOp, atanF       = floatUnary("Atan", math.Atan, cmplx.Atan)
	sinhOp, sinhF       = floatUnary("Sinh", sinh, cmplx.Sinh)
	coshOp, coshF       = floatUnary("Cosh", cosh, cmplx.Cosh)
	tanhOp, tanhF       = floatUnary("Tanh", math.Tanh, cmplx.Tanh)
	asinhOp, asinhF     = floatUnary("Asinh", math.Asinh, cmplx.Asinh)
	acoshOp, acoshF     = floatUnary("Acosh", math.Acosh, cmplx.Acosh)
	atanhOp, atanhF     = floatUnary("Atanh", math.Atanh, cmplx.Atanh)
	erfOp, erfF         = floatUnary("Erf", math.Erf, nil)
	erfcOp, erfcF       = floatUnary("Erfc", math.Erfc, nil)
	erfInvOp, erfInvF   = floatUnary("ErfInv", math.Erfinv, nil)
	isNaNFns            = unaryFns{f: func(x float64) float64 { return b2f(math.IsNaN(x)) }}
	isNaNOp             = defUnary("is_nan", isNaNFns)
	isInfFns            = unaryFns{f: func(x float64) float64 { return b2f(math.IsInf(x, 0)) }}
	isInfOp             = defUnary("is_infinity", isInfFns)
	negateFns           = unaryFns{
		s: func(x int64) int64 { return -x },
		u: func(x uint64) uint64 { return -x },
		f: func(x float64) float64 { return -x },
		c: func(x complex128) complex128 { return -x },
	}
	negateOp = defUnary("negate", negateFns)
	signFns  = unaryFns{
		s: func(x int64) int64 { return int64(sign(float64(x))) },
		u: func(x uint64) uint64 { return min(x, 1) },
		f: sign,
		c: func(x complex128) complex128 {
			if x == 0 {
				return 0
			}
			return x / complex(cmplx.Abs(x), 0)
		},
	}
	signOp     = defUnary("sign", signFns)
	absRealFns = unaryFns{
		s: func(x int64) int64 { return max(x, -x) },
		u: func(x uint64) uint64 { return x },
		f: math.Abs,
	}
	absOp     = defUnary("abs", absRealFns)
	floorFns  = unaryFns{f: math.Floor}
	floorOp   = defUnary("floor", floorFns)
	ceilFns   = unaryFns{f: math.Ceil}
	ceilOp    = defUnary("ceil", ceilFns)
	roundFns  = unaryFns{f: math.Round}
	roundOp   = defUnary("round", roundFns)
	bitNotFns = unaryFns{s: func(x int64) int64 { return ^x }, u: func(x uint64) uint64 { return ^x }}
	bitNotOp  = defUnary("bitwise_not", bitNotFns)
	conjFns   = unaryFns{c: cmplx.Conj}
	conjOp    = defUnary("conjugate", conjFns)
)

// sinh is math.Sinh without its early overflow: for |x| > 20, e^-|x| is
// negligible and sinh(x) = ±e^|x|/2, computed as (e^(|x|/2)/2)·e^(|x|/2) so
// that it stays finite up to |x| ≈ 710.47.
func sinh(x float64) float64 {
	if a := math.Abs(x); a > 20 {
		h := math.Exp(a / 2)
		return math.Copysign(0.5*h*h, x)
	}
	return math.Sinh(x)
}

// cosh is math.Cosh without its early overflow (see sinh).
func cosh(x float64) float64 {
	if a := math.Abs(x); a > 20 {
		h := math.Exp(a / 2)
		return 0.5 * h * h
	}
	return math.Cosh(x)
}

// complexAbsOp is the modulus of complex numbers, computed with hypot so that
// it neither overflows nor underflows where the result is representable.
var complexAbsOp = &opDef{name: "complex_abs", elementwise: true, cpu: func(c *call) {
	switch x := c.args[0].data.(type) {
	case []complex64:
		out := c.out(0).([]float32)
		for i, v := range x {
			out[i] = float32(math.Hypot(float64(real(v)), float64(imag(v))))
		}
	case []complex128:
		out := c.out(0).([]float64)
		for i, v := range x {
			out[i] = math.Hypot(real(v), imag(v))
		}
	}
}}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // 0, -0 and NaN
}

// Exp returns e raised to each element of t. Integer tensors give f32.
func Exp(t *Tensor) *Tensor { return expF(t) }

// Expm1 returns e^x - 1 for each element x of t, accurate near zero.
func Expm1(t *Tensor) *Tensor { return expm1F(t) }

// Log returns the natural logarithm of each element of t.
func Log(t *Tensor) *Tensor { return logF(t) }

// Log1p returns log(1 + x) for each element x of t, accurate near zero.
func Log1p(t *Tensor) *Tensor { return log1pF(t) }

// Log2 returns the base-2 logarithm of each element of t.
func Log2(t *Tensor) *Tensor { return log2F(t) }

// Log10 returns the base-10 logarithm of each element of t.
func Log10(t *Tensor) *Tensor { return log10F(t) }

// Sqrt returns the square root of each element of t.
func Sqrt(t *Tensor) *Tensor { return sqrtF(t) }

// Rsqrt returns the reciprocal square root, 1/sqrt(x), of each element of t.
func Rsqrt(t *Tensor) *Tensor { return rsqrtF(t) }

// Cbrt returns the cube root of each element of t.
func Cbrt(t *Tensor) *Tensor { return cbrtF(t) }

// Sigmoid returns the logistic function 1/(1+e^-x) of each element of t.
func Sigmoid(t *Tensor) *Tensor { return sigmoidF(t) }

// Sin returns the sine of each element of t (radians).
func Sin(t *Tensor) *Tensor { return sinF(t) }

// Cos returns the cosine of each element of t (radians).
func Cos(t *Tensor) *Tensor { return cosF(t) }

// Tan returns the tangent of each element of t (radians).
func Tan(t *Tensor) *Tensor { return tanF(t) }

// Asin returns the arcsine of each element of t.
func Asin(t *Tensor) *Tensor { return asinF(t) }

// Acos returns the arccosine of each element of t.
func Acos(t *Tensor) *Tensor { return acosF(t) }

// Atan returns the arctangent of each element of t.
func Atan(t *Tensor) *Tensor { return atanF(t) }

// Sinh returns the hyperbolic sine of each element of t.
func Sinh(t *Tensor) *Tensor { return sinhF(t) }

// Cosh returns the hyperbolic cosine of each element of t.
func Cosh(t *Tensor) *Tensor { return coshF(t) }

// Tanh returns the hyperbolic tangent of each element of t.
func Tanh(t *Tensor) *Tensor { return tanhF(t) }

// Asinh returns the inverse hyperbolic sine of each element of t.
func Asinh(t *Tensor) *Tensor { return asinhF(t) }

// Acosh returns the inverse hyperbolic cosine of each element of t.
func Acosh(t *Tensor) *Tensor { return acoshF(t) }

// Atanh returns the inverse hyperbolic tangent of each element of t.
func Atanh(t *Tensor) *Tensor { return atanhF(t) }

// Erf returns the error function of each element of t.
func Erf(t *Tensor) *Tensor { return erfF(t) }

// Erfc returns the complementary error function, 1 - erf(x), of each element of t.
func Erfc(t *Tensor) *Tensor { return erfcF(t) }

// ErfInv returns the inverse error function of each element of t.
func ErfInv(t *Tensor) *Tensor { return erfInvF(t) }

// Negate returns -x for each element of t; unsigned integers wrap around.
func Negate(t *Tensor) *Tensor { return unary("nx.Negate", negateOp, negateFns, t) }

// Sign returns -1, 0 or 1 by the sign of each element of t (x/|x| for complex).
func Sign(t *Tensor) *Tensor { return unary("nx.Sign", signOp, signFns, t) }

// Abs returns the absolute value of each element of t; complex tensors give
// their modulus as a real tensor (c64 gives f32).
func Abs(t *Tensor) *Tensor {
	if t.dtype.IsComplex() {
		return complexAbsOp.apply1(t.shape, RealOf(t.dtype), nil, t)
	}
	return unary("nx.Abs", absOp, absRealFns, t)
}

// Square returns x*x for each element of t.
func Square(t *Tensor) *Tensor { return Multiply(t, t) }

// Floor rounds each element of t down; integers are returned as they are.
func Floor(t *Tensor) *Tensor { return roundLike("nx.Floor", floorOp, floorFns, t) }

// Ceil rounds each element of t up; integers are returned as they are.
func Ceil(t *Tensor) *Tensor { return roundLike("nx.Ceil", ceilOp, ceilFns, t) }

// Round rounds each element of t to the nearest integer, halves away from zero.
func Round(t *Tensor) *Tensor { return roundLike("nx.Round", roundOp, roundFns, t) }

func roundLike(name string, op *opDef, fns unaryFns, t *Tensor) *Tensor {
	if t.dtype.IsInteger() {
		return t
	}
	return unary(name, op, fns, t)
}

// IsNaN returns a u8 tensor with 1 where t is NaN (either part, for complex).
func IsNaN(t *Tensor) *Tensor {
	switch {
	case t.dtype.IsInteger():
		return Zeros(U8, t.shape...)
	case t.dtype.IsComplex():
		return LogicalOr(IsNaN(Real(t)), IsNaN(Imag(t)))
	}
	return AsType(unary("nx.IsNaN", isNaNOp, isNaNFns, t), U8)
}

// IsInfinity returns a u8 tensor with 1 where t is +Inf or -Inf (either part, for
// complex).
func IsInfinity(t *Tensor) *Tensor {
	switch {
	case t.dtype.IsInteger():
		return Zeros(U8, t.shape...)
	case t.dtype.IsComplex():
		return LogicalOr(IsInfinity(Real(t)), IsInfinity(Imag(t)))
	}
	return AsType(unary("nx.IsInfinity", isInfOp, isInfFns, t), U8)
}

// BitwiseNot returns the bitwise complement of each element of an integer tensor.
func BitwiseNot(t *Tensor) *Tensor { return unary("nx.BitwiseNot", bitNotOp, bitNotFns, t) }

// Conjugate returns the complex conjugate of each element of t; real tensors are
// converted to complex.
func Conjugate(t *Tensor) *Tensor {
	return unary("nx.Conjugate", conjOp, conjFns, AsType(t, ComplexOf(t.dtype)))
}

var popCountFns = unaryFns{
	u: func(x uint64) uint64 { return uint64(bits.OnesCount64(x)) },
}

var clzOp = &opDef{name: "count_leading_zeros", cpu: func(c *call) {
	width := c.args[0].dtype.Bits()
	u := c.args[0].Uint64s()
	out := make([]uint64, len(u))
	for i, x := range u {
		x &= 1<<width - 1
		if width == 64 {
			x = u[i]
		}
		out[i] = uint64(bits.LeadingZeros64(x) - (64 - width))
	}
	c.outs[0].data = makeData(c.outs[0].dtype, len(out))
	convertInto(c.outs[0].data, out)
}}

var popCountOp = &opDef{name: "population_count", cpu: func(c *call) {
	width := c.args[0].dtype.Bits()
	u := c.args[0].Uint64s()
	out := make([]uint64, len(u))
	for i, x := range u {
		if width < 64 {
			x &= 1<<width - 1
		}
		out[i] = popCountFns.u(x)
	}
	c.outs[0].data = makeData(c.outs[0].dtype, len(out))
	convertInto(c.outs[0].data, out)
}}

// PopulationCount returns the number of set bits of each element of an integer
// tensor, in the same type.
func PopulationCount(t *Tensor) *Tensor {
	if !t.dtype.IsInteger() {
		panicf("nx.PopulationCount", []*Tensor{t}, "want an integer tensor")
	}
	return popCountOp.apply1(t.shape, t.dtype, nil, t)
}

// CountLeadingZeros returns the number of leading zero bits of each element of an
// integer tensor, in the same type.
func CountLeadingZeros(t *Tensor) *Tensor {
	if !t.dtype.IsInteger() {
		panicf("nx.CountLeadingZeros", []*Tensor{t}, "want an integer tensor")
	}
	return clzOp.apply1(t.shape, t.dtype, nil, t)
}
