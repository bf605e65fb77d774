package nx

// cmpFns is one predicate of two operands per kind of element.
type cmpFns struct {
	s func(a, b int64) bool
	u func(a, b uint64) bool
	f func(a, b float64) bool
	c func(a, b complex128) bool
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// defCompare defines a comparison primitive: operands of one type, u8 result.
func defCompare(name string, fns cmpFns) *opDef {
	return &opDef{name: name, elementwise: true, cpu: func(c *call) {
		a, b := c.args[0].data, c.args[1].data
		out := c.out(0).([]uint8)
		switch x := a.(type) {
		case []uint8:
			zipC(c, out, x, b.([]uint8), uCmp[uint8]{fns.u})
		case []uint16:
			zipC(c, out, x, b.([]uint16), uCmp[uint16]{fns.u})
		case []uint32:
			zipC(c, out, x, b.([]uint32), uCmp[uint32]{fns.u})
		case []uint64:
			zipC(c, out, x, b.([]uint64), uCmp[uint64]{fns.u})
		case []int8:
			zipC(c, out, x, b.([]int8), sCmp[int8]{fns.s})
		case []int16:
			zipC(c, out, x, b.([]int16), sCmp[int16]{fns.s})
		case []int32:
			zipC(c, out, x, b.([]int32), sCmp[int32]{fns.s})
		case []int64:
			zipC(c, out, x, b.([]int64), sCmp[int64]{fns.s})
		case []float32:
			zipC(c, out, x, b.([]float32), fCmp[float32]{fns.f})
		case []float64:
			zipC(c, out, x, b.([]float64), fCmp[float64]{fns.f})
		case []Float16:
			zipCmp(out, x, b.([]Float16), func(p, q Float16) bool { return fns.f(p.Float64(), q.Float64()) })
		case []BFloat16:
			zipCmp(out, x, b.([]BFloat16), func(p, q BFloat16) bool { return fns.f(p.Float64(), q.Float64()) })
		case []complex64:
			zipCmp(out, x, b.([]complex64), func(p, q complex64) bool { return fns.c(complex128(p), complex128(q)) })
		case []complex128:
			zipCmp(out, x, b.([]complex128), fns.c)
		}
	}}
}

func zipCmp[T any](out []uint8, a, b []T, f func(T, T) bool) {
	zipWith(out, a, b, func(p, q T) uint8 { return b2u(f(p, q)) })
}

// uCmp, sCmp and fCmp are the zippers of comparisons of integers and floats.
type (
	uCmp[T unsignedInt]       struct{ f func(p, q uint64) bool }
	sCmp[T signedInt]         struct{ f func(p, q int64) bool }
	fCmp[T float32 | float64] struct{ f func(p, q float64) bool }
)

func (z uCmp[T]) at(p, q T) uint8 { return b2u(z.f(uint64(p), uint64(q))) }
func (z sCmp[T]) at(p, q T) uint8 { return b2u(z.f(int64(p), int64(q))) }
func (z fCmp[T]) at(p, q T) uint8 { return b2u(z.f(float64(p), float64(q))) }

func compare(name string, op *opDef, fns cmpFns, a, b *Tensor) *Tensor {
	dt := mergeTypes(a, b)
	if dt.IsComplex() && fns.c == nil {
		panicf(name, []*Tensor{a, b}, "complex numbers are not ordered")
	}
	x, y, shape := broadcastPair(name, a, b, dt)
	return op.apply1(shape, U8, nil, x, y)
}

var (
	eqFns = cmpFns{
		s: func(a, b int64) bool { return a == b },
		u: func(a, b uint64) bool { return a == b },
		f: func(a, b float64) bool { return a == b },
		c: func(a, b complex128) bool { return a == b },
	}
	eqOp  = defCompare("equal", eqFns)
	neFns = cmpFns{
		s: func(a, b int64) bool { return a != b },
		u: func(a, b uint64) bool { return a != b },
		f: func(a, b float64) bool { return a != b },
		c: func(a, b complex128) bool { return a != b },
	}
	neOp  = defCompare("not_equal", neFns)
	ltFns = cmpFns{
		s: func(a, b int64) bool { return a < b },
		u: func(a, b uint64) bool { return a < b },
		f: func(a, b float64) bool { return a < b },
	}
	ltOp  = defCompare("less", ltFns)
	leFns = cmpFns{
		s: func(a, b int64) bool { return a <= b },
		u: func(a, b uint64) bool { return a <= b },
		f: func(a, b float64) bool { return a <= b },
	}
	leOp  = defCompare("less_equal", leFns)
	gtFns = cmpFns{
		s: func(a, b int64) bool { return a > b },
		u: func(a, b uint64) bool { return a > b },
		f: func(a, b float64) bool { return a > b },
	}
	gtOp  = defCompare("greater", gtFns)
	geFns = cmpFns{
		s: func(a, b int64) bool { return a >= b },
		u: func(a, b uint64) bool { return a >= b },
		f: func(a, b float64) bool { return a >= b },
	}
	geOp = defCompare("greater_equal", geFns)
)

// Equal returns a u8 tensor with 1 where a == b (broadcasting; NaN equals nothing).
func Equal(a, b *Tensor) *Tensor { return compare("nx.Equal", eqOp, eqFns, a, b) }

// NotEqual returns a u8 tensor with 1 where a != b.
func NotEqual(a, b *Tensor) *Tensor { return compare("nx.NotEqual", neOp, neFns, a, b) }

// Less returns a u8 tensor with 1 where a < b.
func Less(a, b *Tensor) *Tensor { return compare("nx.Less", ltOp, ltFns, a, b) }

// LessEqual returns a u8 tensor with 1 where a <= b.
func LessEqual(a, b *Tensor) *Tensor { return compare("nx.LessEqual", leOp, leFns, a, b) }

// Greater returns a u8 tensor with 1 where a > b.
func Greater(a, b *Tensor) *Tensor { return compare("nx.Greater", gtOp, gtFns, a, b) }

// GreaterEqual returns a u8 tensor with 1 where a >= b.
func GreaterEqual(a, b *Tensor) *Tensor { return compare("nx.GreaterEqual", geOp, geFns, a, b) }

// truth returns t as a u8 tensor of 0s and 1s (non-zero is 1).
func truth(t *Tensor) *Tensor {
	if t.dtype == U8 {
		return NotEqual(t, Zeros(U8))
	}
	return NotEqual(t, Zeros(t.dtype))
}

// LogicalAnd returns a u8 tensor with 1 where both a and b are non-zero.
func LogicalAnd(a, b *Tensor) *Tensor { return Multiply(truth(a), truth(b)) }

// LogicalOr returns a u8 tensor with 1 where a or b is non-zero.
func LogicalOr(a, b *Tensor) *Tensor { return Max(truth(a), truth(b)) }

// LogicalXor returns a u8 tensor with 1 where exactly one of a and b is non-zero.
func LogicalXor(a, b *Tensor) *Tensor { return NotEqual(truth(a), truth(b)) }

// LogicalNot returns a u8 tensor with 1 where t is zero.
func LogicalNot(t *Tensor) *Tensor { return Equal(t, Zeros(t.dtype)) }

var selectOp = &opDef{name: "select", elementwise: true, cpu: func(c *call) {
	pred := c.args[0].Uint8s()
	onTrue, onFalse := c.args[1].data, c.args[2].data
	out := c.out(0)
	selectInto(out, pred, onTrue, onFalse)
}}

func selectInto(out any, pred []uint8, t, f any) {
	switch o := out.(type) {
	case []uint8:
		selectSlices(o, pred, t.([]uint8), f.([]uint8))
	case []uint16:
		selectSlices(o, pred, t.([]uint16), f.([]uint16))
	case []uint32:
		selectSlices(o, pred, t.([]uint32), f.([]uint32))
	case []uint64:
		selectSlices(o, pred, t.([]uint64), f.([]uint64))
	case []int8:
		selectSlices(o, pred, t.([]int8), f.([]int8))
	case []int16:
		selectSlices(o, pred, t.([]int16), f.([]int16))
	case []int32:
		selectSlices(o, pred, t.([]int32), f.([]int32))
	case []int64:
		selectSlices(o, pred, t.([]int64), f.([]int64))
	case []Float16:
		selectSlices(o, pred, t.([]Float16), f.([]Float16))
	case []BFloat16:
		selectSlices(o, pred, t.([]BFloat16), f.([]BFloat16))
	case []float32:
		selectSlices(o, pred, t.([]float32), f.([]float32))
	case []float64:
		selectSlices(o, pred, t.([]float64), f.([]float64))
	case []complex64:
		selectSlices(o, pred, t.([]complex64), f.([]complex64))
	case []complex128:
		selectSlices(o, pred, t.([]complex128), f.([]complex128))
	}
}

func selectSlices[T any](out []T, pred []uint8, t, f []T) {
	at := func(s []T, i int) T {
		if len(s) == 1 {
			return s[0]
		}
		return s[i]
	}
	for i := range out {
		p := pred[0]
		if len(pred) > 1 {
			p = pred[i]
		}
		if p != 0 {
			out[i] = at(t, i)
		} else {
			out[i] = at(f, i)
		}
	}
}

// Select returns onTrue where pred is non-zero and onFalse elsewhere; the three
// broadcast together and the branches' types merge.
func Select(pred, onTrue, onFalse *Tensor) *Tensor {
	shape, ok := BroadcastShapes(pred.shape, onTrue.shape)
	if ok {
		shape, ok = BroadcastShapes(shape, onFalse.shape)
	}
	if !ok {
		panicf("nx.Select", []*Tensor{pred, onTrue, onFalse}, "shapes cannot be broadcast together")
	}
	dt := mergeTypes(onTrue, onFalse)
	fit := func(t *Tensor, dt DType) *Tensor {
		t = AsType(t, dt)
		if t.Size() != 1 && !t.shape.Equal(shape) {
			t = Broadcast(t, shape)
		}
		return t
	}
	p := fit(truth(pred), U8)
	return selectOp.apply1(shape, dt, nil, p, fit(onTrue, dt), fit(onFalse, dt))
}

// Clip returns t with each element limited to [lo, hi].
func Clip(t, lo, hi *Tensor) *Tensor {
	if t.dtype.IsComplex() {
		panicf("nx.Clip", []*Tensor{t, lo, hi}, "complex numbers are not ordered")
	}
	out := Min(Max(t, lo), hi)
	if !out.shape.Equal(t.shape) {
		panicf("nx.Clip", []*Tensor{t, lo, hi}, "the bounds must broadcast to the tensor's shape")
	}
	return out
}
