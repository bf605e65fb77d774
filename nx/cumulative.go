package nx

type cumKind int

const (
	cumSum cumKind = iota
	cumProduct
	cumMax
	cumMin
)

// cumAttr is the attribute of the cumulative primitives.
type cumAttr struct {
	axis    int
	reverse bool
}

// scanLanes writes to dst the running combination, by f, of each lane of src,
// from the lane's start or (reverse) from its end. Elements are lifted into the
// accumulator type A by in and brought back by out.
func scanLanes[T, A any](dst, src []T, l laneSet, reverse bool, in func(T) A, f func(a, b A) A, out func(A) T) {
	parallelFor(l.count(), laneGrain(l.n), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			if l.n == 0 {
				return
			}
			s, step := l.start(r, l.n), l.inner
			if reverse {
				s, step = s+(l.n-1)*l.inner, -l.inner
			}
			acc := in(src[s])
			dst[s] = out(acc)
			for j, p := 1, s+step; j < l.n; j, p = j+1, p+step {
				acc = f(acc, in(src[p]))
				dst[p] = out(acc)
			}
		}
	})
}

func same[T any](v T) T { return v }

// scanNative scans an integer lane set, combining values in T itself, so sums
// and products wrap at T's width.
func scanNative[T integer](dst, src []T, l laneSet, rev bool, kind cumKind) {
	f := map[cumKind]func(a, b T) T{
		cumSum:     func(a, b T) T { return a + b },
		cumProduct: func(a, b T) T { return a * b },
		cumMax:     func(a, b T) T { return max(a, b) },
		cumMin:     func(a, b T) T { return min(a, b) },
	}[kind]
	scanLanes(dst, src, l, rev, same[T], f, same[T])
}

// scanFloat scans a float lane set, accumulating in float64; NaN propagates
// through running maxima and minima.
func scanFloat[T ~float32 | ~float64](dst, src []T, l laneSet, rev bool, kind cumKind) {
	f := map[cumKind]func(a, b float64) float64{
		cumSum:     func(a, b float64) float64 { return a + b },
		cumProduct: func(a, b float64) float64 { return a * b },
		cumMax:     fmaxNaN,
		cumMin:     fminNaN,
	}[kind]
	scanLanes(dst, src, l, rev, func(v T) float64 { return float64(v) }, f, func(a float64) T { return T(a) })
}

// scanComplex scans a complex lane set (sums and products only), accumulating
// in complex128.
func scanComplex[T ~complex64 | ~complex128](dst, src []T, l laneSet, rev bool, kind cumKind) {
	f := func(a, b complex128) complex128 { return a + b }
	if kind == cumProduct {
		f = func(a, b complex128) complex128 { return a * b }
	}
	scanLanes(dst, src, l, rev, func(v T) complex128 { return complex128(v) }, f, func(a complex128) T { return T(a) })
}

func defCumulative(name string, kind cumKind) *opDef {
	return &opDef{name: name, cpu: func(c *call) {
		a := c.attr.(cumAttr)
		in := c.args[0]
		l := lanesOf(in.shape, a.axis)
		switch x := in.data.(type) {
		case []uint8:
			scanNative(c.out(0).([]uint8), x, l, a.reverse, kind)
		case []uint16:
			scanNative(c.out(0).([]uint16), x, l, a.reverse, kind)
		case []uint32:
			scanNative(c.out(0).([]uint32), x, l, a.reverse, kind)
		case []uint64:
			scanNative(c.out(0).([]uint64), x, l, a.reverse, kind)
		case []int8:
			scanNative(c.out(0).([]int8), x, l, a.reverse, kind)
		case []int16:
			scanNative(c.out(0).([]int16), x, l, a.reverse, kind)
		case []int32:
			scanNative(c.out(0).([]int32), x, l, a.reverse, kind)
		case []int64:
			scanNative(c.out(0).([]int64), x, l, a.reverse, kind)
		case []float32:
			scanFloat(c.out(0).([]float32), x, l, a.reverse, kind)
		case []float64:
			scanFloat(c.out(0).([]float64), x, l, a.reverse, kind)
		case []Float16, []BFloat16:
			f := in.Float32s()
			scanFloat(f, f, l, a.reverse, kind)
			convertInto(c.out(0), f)
		case []complex64:
			scanComplex(c.out(0).([]complex64), x, l, a.reverse, kind)
		case []complex128:
			scanComplex(c.out(0).([]complex128), x, l, a.reverse, kind)
		}
	}}
}

var (
	cumSumOp     = defCumulative("cumulative_sum", cumSum)
	cumProductOp = defCumulative("cumulative_product", cumProduct)
	cumMaxOp     = defCumulative("cumulative_max", cumMax)
	cumMinOp     = defCumulative("cumulative_min", cumMin)
)

func cumulative(name string, op *opDef, ordered bool, t *Tensor, opts []Option) *Tensor {
	o := parseOptions(name, t, opts, "Axis", "Reverse")
	if ordered && t.dtype.IsComplex() {
		panicf(name, []*Tensor{t}, "complex numbers are not ordered")
	}
	axis := normAxis(name, t, o.axis, t.Rank())
	return op.apply1(t.shape, t.dtype, cumAttr{axis: axis, reverse: o.reverse}, t)
}

// CumulativeSum returns the running sums of t along the Axis option (axis 0 by
// default): element i is the sum of elements 0..i of its lane, or of i..n-1
// with the Reversed option. The result has t's type, as in Nx: integers wrap at
// their width rather than widening as Sum does.
func CumulativeSum(t *Tensor, opts ...Option) *Tensor {
	return cumulative("nx.CumulativeSum", cumSumOp, false, t, opts)
}

// CumulativeProduct returns the running products of t along the Axis option
// (axis 0 by default), from the end with the Reversed option. The result has t's
// type.
func CumulativeProduct(t *Tensor, opts ...Option) *Tensor {
	return cumulative("nx.CumulativeProduct", cumProductOp, false, t, opts)
}

// CumulativeMax returns the running maxima of t along the Axis option (axis 0
// by default), from the end with the Reversed option. A NaN makes every later
// maximum NaN. Complex tensors are rejected.
func CumulativeMax(t *Tensor, opts ...Option) *Tensor {
	return cumulative("nx.CumulativeMax", cumMaxOp, true, t, opts)
}

// CumulativeMin returns the running minima of t along the Axis option (axis 0
// by default), from the end with the Reversed option. A NaN makes every later
// minimum NaN. Complex tensors are rejected.
func CumulativeMin(t *Tensor, opts ...Option) *Tensor {
	return cumulative("nx.CumulativeMin", cumMinOp, true, t, opts)
}

// The gradient of a running sum is the running sum of the gradient in the other
// direction. The other cumulative operations have no gradient rule yet.
func init() {
	cumSumOp.vjp = func(g *gradCall) []*Tensor {
		a := g.attr.(cumAttr)
		opts := []Option{Axis(a.axis)}
		if !a.reverse {
			opts = append(opts, Reversed())
		}
		return []*Tensor{CumulativeSum(g.g(), opts...)}
	}
}
