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

// scanner lifts elements into an accumulator type, combines accumulators and
// brings them back: the kernels are instantiated with small values of these
// (not closures), so that a scan on the calling goroutine allocates nothing.
type scanner[T, A any] interface {
	in(T) A
	f(a, b A) A
	out(A) T
}

// scanLanes writes to dst the running combination, by s, of each lane of src,
// from the lane's start or (reverse) from its end.
func scanLanes[T, A any, S scanner[T, A]](dst, src []T, l laneSet, reverse bool, s S) {
	grain := laneGrain(l.n)
	if serial(l.count(), grain) {
		scanRange(dst, src, l, reverse, s, 0, l.count())
		return
	}
	parallelFor(l.count(), grain, func(lo, hi int) { scanRange(dst, src, l, reverse, s, lo, hi) })
}

// scanRange scans lanes [lo, hi).
func scanRange[T, A any, S scanner[T, A]](dst, src []T, l laneSet, reverse bool, sc S, lo, hi int) {
	if l.n == 0 {
		return
	}
	for r := lo; r < hi; r++ {
		s, step := l.start(r, l.n), l.inner
		if reverse {
			s, step = s+(l.n-1)*l.inner, -l.inner
		}
		acc := sc.in(src[s])
		dst[s] = sc.out(acc)
		for j, p := 1, s+step; j < l.n; j, p = j+1, p+step {
			acc = sc.f(acc, sc.in(src[p]))
			dst[p] = sc.out(acc)
		}
	}
}

// nativeScan combines integers in their own type, so sums and products wrap
// at its width.
type nativeScan[T integer] struct{ kind cumKind }

func (nativeScan[T]) in(v T) T  { return v }
func (nativeScan[T]) out(v T) T { return v }
func (s nativeScan[T]) f(a, b T) T {
	switch s.kind {
	case cumSum:
		return a + b
	case cumProduct:
		return a * b
	case cumMax:
		return max(a, b)
	}
	return min(a, b)
}

// floatScan accumulates floats in float64; NaN propagates through running
// maxima and minima.
type floatScan[T ~float32 | ~float64] struct{ kind cumKind }

func (floatScan[T]) in(v T) float64  { return float64(v) }
func (floatScan[T]) out(a float64) T { return T(a) }
func (s floatScan[T]) f(a, b float64) float64 {
	switch s.kind {
	case cumSum:
		return a + b
	case cumProduct:
		return a * b
	case cumMax:
		return fmaxNaN(a, b)
	}
	return fminNaN(a, b)
}

// complexScan accumulates complex numbers in complex128 (sums and products
// only).
type complexScan[T ~complex64 | ~complex128] struct{ kind cumKind }

func (complexScan[T]) in(v T) complex128  { return complex128(v) }
func (complexScan[T]) out(a complex128) T { return T(a) }
func (s complexScan[T]) f(a, b complex128) complex128 {
	if s.kind == cumProduct {
		return a * b
	}
	return a + b
}

// scanNative scans an integer lane set.
func scanNative[T integer](dst, src []T, l laneSet, rev bool, kind cumKind) {
	scanLanes(dst, src, l, rev, nativeScan[T]{kind})
}

// scanFloat scans a float lane set.
func scanFloat[T ~float32 | ~float64](dst, src []T, l laneSet, rev bool, kind cumKind) {
	scanLanes(dst, src, l, rev, floatScan[T]{kind})
}

// scanComplex scans a complex lane set.
func scanComplex[T ~complex64 | ~complex128](dst, src []T, l laneSet, rev bool, kind cumKind) {
	scanLanes(dst, src, l, rev, complexScan[T]{kind})
}

func defCumulative(name string, kind cumKind) *opDef {
	return &opDef{name: name, writesAll: true, cpu: func(c *call) {
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
