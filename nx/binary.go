package nx

import (
	"math"
	"math/cmplx"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// binaryFns is one elementwise function of two operands per kind of element, as
// unaryFns. The operands of the primitive always have the same type and shape
// (or one of them has a single element).
type binaryFns struct {
	s func(a, b int64) int64
	u func(a, b uint64) uint64
	f func(a, b float64) float64
	c func(a, b complex128) complex128
}

// accepts reports whether fns has an implementation for dt.
func (fns binaryFns) accepts(dt DType) bool {
	switch dt.Kind() {
	case KindUnsigned:
		return fns.u != nil
	case KindSigned:
		return fns.s != nil
	case KindFloat, KindBFloat:
		return fns.f != nil
	case KindComplex:
		return fns.c != nil
	}
	return false
}

// defBinary defines an elementwise primitive of two operands. fast, when not
// nil, handles native slices directly and reports whether it did.
func defBinary(name string, fns binaryFns, fast func(c *call, a, b, out any) bool) *opDef {
	return &opDef{name: name, elementwise: true, cpu: func(c *call) {
		a, b, out := c.args[0].data, c.args[1].data, c.outOverwrite(0)
		if fast != nil && fast(c, a, b, out) {
			return
		}
		switch x := a.(type) {
		case []uint8:
			zipU(c, out.([]uint8), x, b.([]uint8), fns.u)
		case []uint16:
			zipU(c, out.([]uint16), x, b.([]uint16), fns.u)
		case []uint32:
			zipU(c, out.([]uint32), x, b.([]uint32), fns.u)
		case []uint64:
			zipU(c, out.([]uint64), x, b.([]uint64), fns.u)
		case []int8:
			zipS(c, out.([]int8), x, b.([]int8), fns.s)
		case []int16:
			zipS(c, out.([]int16), x, b.([]int16), fns.s)
		case []int32:
			zipS(c, out.([]int32), x, b.([]int32), fns.s)
		case []int64:
			zipS(c, out.([]int64), x, b.([]int64), fns.s)
		case []float32:
			zipC(c, out.([]float32), x, b.([]float32), fZipper[float32]{fns.f})
		case []float64:
			zipC(c, out.([]float64), x, b.([]float64), fZipper[float64]{fns.f})
		case []Float16:
			zipC(c, out.([]Float16), x, b.([]Float16), f16Zipper{fns.f})
		case []BFloat16:
			zipC(c, out.([]BFloat16), x, b.([]BFloat16), bf16Zipper{fns.f})
		case []complex64:
			zipC(c, out.([]complex64), x, b.([]complex64), cZipper[complex64]{fns.c})
		case []complex128:
			zipC(c, out.([]complex128), x, b.([]complex128), cZipper[complex128]{fns.c})
		}
	}}
}

// zipWith sets out[i] = f(a[i], b[i]); a or b may have a single element, which is
// then used for every i.
func zipWith[T, R any](out []R, a, b []T, f func(T, T) R) { zip(out, a, b, fnZipper[T, R](f)) }

// zipper computes one element of an elementwise result from two operands.
// The kernels are instantiated with zippers that are small values (a
// function of the primitive's table and the conversions around it) rather
// than closures, so that a kernel run on the calling goroutine allocates
// nothing.
type zipper[T, R any] interface{ at(p, q T) R }

type fnZipper[T, R any] func(T, T) R

func (f fnZipper[T, R]) at(p, q T) R { return f(p, q) }

// uZipper and sZipper apply an unsigned or signed integer function to
// narrower integers.
type (
	uZipper[T unsignedInt] struct{ f func(p, q uint64) uint64 }
	sZipper[T signedInt]   struct{ f func(p, q int64) int64 }
)

func (z uZipper[T]) at(p, q T) T { return T(z.f(uint64(p), uint64(q))) }
func (z sZipper[T]) at(p, q T) T { return T(z.f(int64(p), int64(q))) }

// fZipper, f16Zipper, bf16Zipper and cZipper apply a float64 or complex128
// function to other floats and complex numbers, rounding its result once.
type (
	fZipper[T float32 | float64]      struct{ f func(p, q float64) float64 }
	f16Zipper                         struct{ f func(p, q float64) float64 }
	bf16Zipper                        struct{ f func(p, q float64) float64 }
	cZipper[T complex64 | complex128] struct {
		f func(p, q complex128) complex128
	}
)

func (z fZipper[T]) at(p, q T) T { return T(z.f(float64(p), float64(q))) }
func (z f16Zipper) at(p, q Float16) Float16 {
	return NewFloat16(float32(z.f(p.Float64(), q.Float64())))
}
func (z bf16Zipper) at(p, q BFloat16) BFloat16 {
	return NewBFloat16(float32(z.f(p.Float64(), q.Float64())))
}
func (z cZipper[T]) at(p, q T) T { return T(z.f(complex128(p), complex128(q))) }

// zip sets out[i] = z.at(a[i], b[i]), a or b possibly a single element.
func zip[T, R any, Z zipper[T, R]](out []R, a, b []T, z Z) { zipC(nil, out, a, b, z) }

// zipC is zip for primitive call c (nil: none): a split keeps its job in
// c's state, so that a compiled step splits its work without allocating.
func zipC[T, R any, Z zipper[T, R]](c *call, out []R, a, b []T, z Z) {
	const grain = parallelGrain / 4
	if serial(len(out), grain) {
		zipRange(out, a, b, z, 0, len(out))
		return
	}
	if c != nil {
		j := stateOf[zipJob[T, R, Z]](&c.state)
		*j = zipJob[T, R, Z]{out: out, a: a, b: b, z: z}
		parallelRanges(len(out), grain, j)
		*j = zipJob[T, R, Z]{} // keep no operand alive
		return
	}
	// The closure is made only here: a split is worth far more than it.
	parallelFor(len(out), grain, func(lo, hi int) { zipRange(out, a, b, z, lo, hi) })
}

// zipJob is a zip split between threads.
type zipJob[T, R any, Z zipper[T, R]] struct {
	out  []R
	a, b []T
	z    Z
}

func (j *zipJob[T, R, Z]) runRange(lo, hi int) { zipRange(j.out, j.a, j.b, j.z, lo, hi) }

func zipRange[T, R any, Z zipper[T, R]](out []R, a, b []T, z Z, lo, hi int) {
	switch {
	case len(a) == len(b):
		for i := lo; i < hi; i++ {
			out[i] = z.at(a[i], b[i])
		}
	case len(a) == 1:
		for i := lo; i < hi; i++ {
			out[i] = z.at(a[0], b[i])
		}
	default:
		for i := lo; i < hi; i++ {
			out[i] = z.at(a[i], b[0])
		}
	}
}

func zipU[T unsignedInt](c *call, out, a, b []T, f func(p, q uint64) uint64) {
	zipC(c, out, a, b, uZipper[T]{f})
}

func zipS[T signedInt](c *call, out, a, b []T, f func(p, q int64) int64) {
	zipC(c, out, a, b, sZipper[T]{f})
}

// mergeTypes returns the type of a binary operation on a and b, with Nx's
// promotion rules and weak (Go number) operands adopting the other's type.
func mergeTypes(a, b *Tensor) DType {
	switch {
	case a.weak && !b.weak:
		return weakMerge(b.dtype, a)
	case b.weak && !a.weak:
		return weakMerge(a.dtype, b)
	}
	return Merge(a.dtype, b.dtype)
}

// weakMerge is Nx's merge_number: the type of an operation between a tensor of
// type strong and the number held by the weak scalar w. Integers widen the
// tensor's integer type only as far as the value needs (u8 with 256 gives u16,
// u8 with -1 gives s16); float numbers turn integer tensors into f32.
func weakMerge(strong DType, w *Tensor) DType {
	weak := w.dtype
	switch {
	case weak.IsInteger() && strong.IsInteger():
		if weak.IsUnsigned() {
			v := w.Uint64s()[0]
			if strong.IsUnsigned() {
				return makeDType(KindUnsigned, max(strong.Bits(), unsignedBits(v)))
			}
			if v > math.MaxInt64 {
				return S64
			}
			return makeDType(KindSigned, max(strong.Bits(), signedBits(int64(v))))
		}
		v := w.Int64s()[0]
		if strong.IsUnsigned() {
			if v >= 0 {
				return makeDType(KindUnsigned, max(strong.Bits(), unsignedBits(uint64(v))))
			}
			return makeDType(KindSigned, max(min(2*strong.Bits(), 64), signedBits(v)))
		}
		return makeDType(KindSigned, max(strong.Bits(), signedBits(v)))
	case weak.IsInteger():
		return strong
	case weak.IsFloat():
		if strong.IsInteger() {
			return F32
		}
		return strong
	}
	// A complex number.
	switch {
	case strong.IsComplex():
		return strong
	case strong == F64:
		return C128
	}
	return C64
}

// unsignedBits is the width of the smallest unsigned type that holds v.
func unsignedBits(v uint64) int {
	for _, b := range []int{8, 16, 32} {
		if v < 1<<b {
			return b
		}
	}
	return 64
}

// signedBits is the width of the smallest signed type that holds v.
func signedBits(v int64) int {
	for _, b := range []int{8, 16, 32} {
		if v >= -(1<<(b-1)) && v < 1<<(b-1) {
			return b
		}
	}
	return 64
}

// broadcastPair converts a and b to dt and broadcasts them to their common
// shape, leaving single-element operands unbroadcast for the kernels.
func broadcastPair(name string, a, b *Tensor, dt DType) (*Tensor, *Tensor, Shape) {
	shape, ok := BroadcastShapes(a.shape, b.shape)
	if !ok {
		panicf(name, []*Tensor{a, b}, "shapes cannot be broadcast together")
	}
	a, b = AsType(a, dt), AsType(b, dt)
	if !a.shape.Equal(shape) && a.Size() != 1 {
		a = Broadcast(a, shape)
	}
	if !b.shape.Equal(shape) && b.Size() != 1 {
		b = Broadcast(b, shape)
	}
	if a.Size() == 1 && b.Size() == 1 && shape.Size() != 1 {
		a = Broadcast(a, shape)
	}
	return a, b, shape
}

// arith applies an arithmetic primitive whose result has the merged type.
func arith(name string, op *opDef, fns binaryFns, a, b *Tensor) *Tensor {
	dt := mergeTypes(a, b)
	if !fns.accepts(dt) {
		panicf(name, []*Tensor{a, b}, "not defined for %s operands", dt)
	}
	x, y, shape := broadcastPair(name, a, b, dt)
	out := op.apply1(shape, dt, nil, x, y)
	out.weak = a.weak && b.weak
	return out
}

// fastArith returns a fast path for the native types with op written once.
func fastArith(f32 func(out, a, b []float32), f64 func(out, a, b []float64)) func(c *call, a, b, out any) bool {
	return func(c *call, a, b, out any) bool {
		switch x := a.(type) {
		case []float32:
			y, o := b.([]float32), out.([]float32)
			if len(x) != len(y) {
				return false
			}
			if serial(len(o), parallelGrain) {
				f32(o, x, y)
			} else {
				splitSlices(c, len(o), f32, nil, o, x, y)
			}
			return true
		case []float64:
			y, o := b.([]float64), out.([]float64)
			if len(x) != len(y) {
				return false
			}
			if serial(len(o), parallelGrain) {
				f64(o, x, y)
			} else {
				splitSlices(c, len(o), f64, nil, o, x, y)
			}
			return true
		}
		return false
	}
}

func addSlices[T native](out, a, b []T) {
	switch o := any(out).(type) { // vectorized kernels, same results
	case []float32:
		kernels.AddF32(o, any(a).([]float32), any(b).([]float32))
		return
	case []float64:
		kernels.AddF64(o, any(a).([]float64), any(b).([]float64))
		return
	}
	a, b = a[:len(out)], b[:len(out)]
	for i := range out {
		out[i] = a[i] + b[i]
	}
}

func subSlices[T native](out, a, b []T) {
	switch o := any(out).(type) { // vectorized kernels, same results
	case []float32:
		kernels.SubF32(o, any(a).([]float32), any(b).([]float32))
		return
	case []float64:
		kernels.SubF64(o, any(a).([]float64), any(b).([]float64))
		return
	}
	a, b = a[:len(out)], b[:len(out)]
	for i := range out {
		out[i] = a[i] - b[i]
	}
}

func mulSlices[T native](out, a, b []T) {
	switch o := any(out).(type) { // vectorized kernels, same results
	case []float32:
		kernels.MulF32(o, any(a).([]float32), any(b).([]float32))
		return
	case []float64:
		kernels.MulF64(o, any(a).([]float64), any(b).([]float64))
		return
	}
	a, b = a[:len(out)], b[:len(out)]
	for i := range out {
		out[i] = a[i] * b[i]
	}
}

func divSlices[T native](out, a, b []T) {
	switch o := any(out).(type) { // vectorized kernels, same results
	case []float32:
		kernels.DivF32(o, any(a).([]float32), any(b).([]float32))
		return
	case []float64:
		kernels.DivF64(o, any(a).([]float64), any(b).([]float64))
		return
	}
	a, b = a[:len(out)], b[:len(out)]
	for i := range out {
		out[i] = a[i] / b[i]
	}
}

var (
	addFns = binaryFns{
		s: func(a, b int64) int64 { return a + b },
		u: func(a, b uint64) uint64 { return a + b },
		f: func(a, b float64) float64 { return a + b },
		c: func(a, b complex128) complex128 { return a + b },
	}
	addOp  = defBinary("add", addFns, fastArith(addSlices[float32], addSlices[float64]))
	subFns = binaryFns{
		s: func(a, b int64) int64 { return a - b },
		u: func(a, b uint64) uint64 { return a - b },
		f: func(a, b float64) float64 { return a - b },
		c: func(a, b complex128) complex128 { return a - b },
	}
	subOp  = defBinary("subtract", subFns, fastArith(subSlices[float32], subSlices[float64]))
	mulFns = binaryFns{
		s: func(a, b int64) int64 { return a * b },
		u: func(a, b uint64) uint64 { return a * b },
		f: func(a, b float64) float64 { return a * b },
		c: func(a, b complex128) complex128 { return a * b },
	}
	mulOp  = defBinary("multiply", mulFns, fastArith(mulSlices[float32], mulSlices[float64]))
	divFns = binaryFns{
		f: func(a, b float64) float64 { return a / b },
		c: func(a, b complex128) complex128 { return a / b },
	}
	divOp   = defBinary("divide", divFns, fastArith(divSlices[float32], divSlices[float64]))
	quotFns = binaryFns{
		s: func(a, b int64) int64 {
			if b == 0 {
				return 0
			}
			if b == -1 {
				return -a // wraps for the minimum value instead of trapping
			}
			return a / b
		},
		u: func(a, b uint64) uint64 {
			if b == 0 {
				return 0
			}
			return a / b
		},
	}
	quotOp = defBinary("quotient", quotFns, nil)
	remFns = binaryFns{
		s: func(a, b int64) int64 {
			if b == 0 || b == -1 {
				return 0
			}
			return a % b
		},
		u: func(a, b uint64) uint64 {
			if b == 0 {
				return 0
			}
			return a % b
		},
		f: math.Mod,
	}
	remOp  = defBinary("remainder", remFns, nil)
	powFns = binaryFns{
		s: ipowS,
		u: ipowU,
		f: math.Pow,
		c: cmplx.Pow,
	}
	powOp    = defBinary("pow", powFns, nil)
	atan2Fns = binaryFns{f: math.Atan2}
	atan2Op  = defBinary("atan2", atan2Fns, nil)
	maxFns   = binaryFns{
		s: func(a, b int64) int64 { return max(a, b) },
		u: func(a, b uint64) uint64 { return max(a, b) },
		f: fmaxNaN,
	}
	maxOp  = defBinary("max", maxFns, nil)
	minFns = binaryFns{
		s: func(a, b int64) int64 { return min(a, b) },
		u: func(a, b uint64) uint64 { return min(a, b) },
		f: fminNaN,
	}
	minOp     = defBinary("min", minFns, nil)
	bitAndFns = binaryFns{s: func(a, b int64) int64 { return a & b }, u: func(a, b uint64) uint64 { return a & b }}
	bitAndOp  = defBinary("bitwise_and", bitAndFns, nil)
	bitOrFns  = binaryFns{s: func(a, b int64) int64 { return a | b }, u: func(a, b uint64) uint64 { return a | b }}
	bitOrOp   = defBinary("bitwise_or", bitOrFns, nil)
	bitXorFns = binaryFns{s: func(a, b int64) int64 { return a ^ b }, u: func(a, b uint64) uint64 { return a ^ b }}
	bitXorOp  = defBinary("bitwise_xor", bitXorFns, nil)
	shlFns    = binaryFns{
		s: func(a, b int64) int64 {
			if b < 0 || b >= 64 {
				return 0
			}
			return a << b
		},
		u: func(a, b uint64) uint64 { return a << min(b, 64) },
	}
	shlOp  = defBinary("left_shift", shlFns, nil)
	shrFns = binaryFns{
		s: func(a, b int64) int64 {
			if b < 0 || b >= 64 {
				return a >> 63
			}
			return a >> b
		},
		u: func(a, b uint64) uint64 { return a >> min(b, 64) },
	}
	shrOp = defBinary("right_shift", shrFns, nil)
)

// fmaxNaN is max that propagates NaN, as Nx's max does.
func fmaxNaN(a, b float64) float64 {
	if a != a || b != b {
		return math.NaN()
	}
	return max(a, b)
}

// fminNaN is min that propagates NaN.
func fminNaN(a, b float64) float64 {
	if a != a || b != b {
		return math.NaN()
	}
	return min(a, b)
}

func ipowS(a, b int64) int64 {
	if b < 0 {
		switch a {
		case 1:
			return 1
		case -1:
			if b%2 == 0 {
				return 1
			}
			return -1
		}
		return 0
	}
	r := int64(1)
	for ; b > 0; b >>= 1 {
		if b&1 == 1 {
			r *= a
		}
		a *= a
	}
	return r
}

func ipowU(a, b uint64) uint64 {
	r := uint64(1)
	for ; b > 0; b >>= 1 {
		if b&1 == 1 {
			r *= a
		}
		a *= a
	}
	return r
}

// Add returns a + b elementwise, broadcasting the shapes and merging the types.
func Add(a, b *Tensor) *Tensor { return arith("nx.Add", addOp, addFns, a, b) }

// Subtract returns a - b elementwise.
func Subtract(a, b *Tensor) *Tensor { return arith("nx.Subtract", subOp, subFns, a, b) }

// Multiply returns a * b elementwise.
func Multiply(a, b *Tensor) *Tensor { return arith("nx.Multiply", mulOp, mulFns, a, b) }

// Divide returns a / b elementwise; integer operands give a float result, as in Nx.
func Divide(a, b *Tensor) *Tensor {
	dt := mergeTypes(a, b)
	if dt.IsInteger() {
		a, b = AsType(a, F32), AsType(b, F32)
	}
	return arith("nx.Divide", divOp, divFns, a, b)
}

// Quotient returns the integer division of a by b, truncated toward zero; both
// must be integer tensors. Division by zero gives 0.
func Quotient(a, b *Tensor) *Tensor {
	if !mergeTypes(a, b).IsInteger() {
		panicf("nx.Quotient", []*Tensor{a, b}, "want integer operands")
	}
	return arith("nx.Quotient", quotOp, quotFns, a, b)
}

// Remainder returns the remainder of a divided by b, with the sign of a (like
// Elixir's rem and C's fmod).
func Remainder(a, b *Tensor) *Tensor { return arith("nx.Remainder", remOp, remFns, a, b) }

// Pow returns a raised to b elementwise. Integer powers stay integers (negative
// exponents give 0 unless the base is 1 or -1).
func Pow(a, b *Tensor) *Tensor { return arith("nx.Pow", powOp, powFns, a, b) }

// Atan2 returns the angle of the point (b, a), elementwise, in radians.
func Atan2(a, b *Tensor) *Tensor {
	dt := FloatOf(mergeTypes(a, b))
	return arith("nx.Atan2", atan2Op, atan2Fns, AsType(a, dt), AsType(b, dt))
}

// Max returns the larger of a and b elementwise; NaN wins.
func Max(a, b *Tensor) *Tensor { return arith("nx.Max", maxOp, maxFns, a, b) }

// Min returns the smaller of a and b elementwise; NaN wins.
func Min(a, b *Tensor) *Tensor { return arith("nx.Min", minOp, minFns, a, b) }

// BitwiseAnd returns a & b elementwise for integer tensors.
func BitwiseAnd(a, b *Tensor) *Tensor { return arith("nx.BitwiseAnd", bitAndOp, bitAndFns, a, b) }

// BitwiseOr returns a | b elementwise for integer tensors.
func BitwiseOr(a, b *Tensor) *Tensor { return arith("nx.BitwiseOr", bitOrOp, bitOrFns, a, b) }

// BitwiseXor returns a ^ b elementwise for integer tensors.
func BitwiseXor(a, b *Tensor) *Tensor { return arith("nx.BitwiseXor", bitXorOp, bitXorFns, a, b) }

// LeftShift returns a << b elementwise for integer tensors; shifts of the width
// or more give 0.
func LeftShift(a, b *Tensor) *Tensor { return arith("nx.LeftShift", shlOp, shlFns, a, b) }

// RightShift returns a >> b elementwise for integer tensors (arithmetic for
// signed types).
func RightShift(a, b *Tensor) *Tensor { return arith("nx.RightShift", shrOp, shrFns, a, b) }
