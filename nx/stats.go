package nx

// sortedLanes returns a copy of in's data with every lane of l sorted ascending.
func sortedLanes(in *Tensor, l laneSet) any {
	vals := makeData(in.dtype, in.Size())
	sortData(in.data, vals, nil, l, false, nil)
	return vals
}

// modeLanes returns, for each lane of sorted keys, the value of the longest run
// of equal keys, the first (smallest) one among runs of equal length.
func modeLanes[K comparable](keys []K, l laneSet) []K {
	out := make([]K, l.count())
	parallelFor(l.count(), laneGrain(l.n), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			s := l.start(r, l.n)
			best, bestRun, run, first := keys[s], 0, 0, s
			for j := 0; j < l.n; j++ {
				p := s + j*l.inner
				if j > 0 && keys[p] == keys[p-l.inner] {
					run++
				} else {
					run, first = 1, p
				}
				if run > bestRun {
					best, bestRun = keys[first], run
				}
			}
			out[r] = best
		}
	})
	return out
}

var modeOp = &opDef{name: "mode", cpu: func(c *call) {
	in := c.args[0]
	l := lanesOf(in.shape, c.attr.(int))
	vals := sortedLanes(in, l)
	// Compare in a type that holds every value of in's type exactly.
	switch {
	case in.dtype.IsUnsigned():
		convertInto(c.out(0), modeLanes(convertData(vals, U64).([]uint64), l))
	case in.dtype.IsSigned():
		convertInto(c.out(0), modeLanes(convertData(vals, S64).([]int64), l))
	default:
		convertInto(c.out(0), modeLanes(convertData(vals, F64).([]float64), l))
	}
}}

// statArgs resolves the operand and options of Median and Mode: src is t, or t
// flattened when no Axis is given; the statistic runs along src's axis and has
// shape inner, then is reshaped to final (which keeps the axes for KeepAxes).
func statArgs(name, what string, t *Tensor, opts []Option) (src *Tensor, axis int, inner, final Shape) {
	o := parseOptions(name, t, opts, "Axis", "KeepAxes")
	if t.dtype.IsComplex() {
		panicf(name, []*Tensor{t}, "complex numbers are not ordered")
	}
	src = t
	if o.given["Axis"] {
		axis = normAxis(name, t, o.axis, t.Rank())
	} else {
		src = Flatten(t)
	}
	if src.shape[axis] == 0 {
		panicf(name, []*Tensor{t}, "cannot take the %s of an empty axis", what)
	}
	inner = keptShape(src, []int{axis}, false)
	final = inner
	if o.keepAxes {
		if o.given["Axis"] {
			final = keptShape(t, []int{axis}, true)
		} else {
			final = make(Shape, t.Rank())
			for i := range final {
				final[i] = 1
			}
		}
	}
	return src, axis, inner, final
}

// Median returns the middle value of t along the Axis option, or of all its
// elements when no axis is given; KeepAxes keeps the reduced axis (or every
// axis) with size 1. Values sort as in Sort, so NaN counts as the largest.
// Over an odd number of elements the result has t's type; over an even number
// it is the Mean of the two middle values, a float (integers give f32).
// Complex tensors and empty axes are rejected.
func Median(t *Tensor, opts ...Option) *Tensor {
	src, axis, _, final := statArgs("nx.Median", "median", t, opts)
	n := src.shape[axis]
	sorted := Sort(src, Axis(axis))
	var mid *Tensor
	if n%2 == 1 {
		mid = SliceAlongAxis(sorted, n/2, 1, Axis(axis))
	} else {
		mid = Mean(SliceAlongAxis(sorted, n/2-1, 2, Axis(axis)), Axes(axis), KeepAxes())
	}
	return Reshape(mid, final...)
}

// Mode returns the most frequent value of t along the Axis option, or of all its
// elements when no axis is given, in t's type; among equally frequent values
// the smallest wins. KeepAxes keeps the reduced axis (or every axis) with size
// 1. NaNs are never equal to one another, so each counts once. Complex tensors
// and empty axes are rejected.
func Mode(t *Tensor, opts ...Option) *Tensor {
	src, axis, inner, final := statArgs("nx.Mode", "mode", t, opts)
	return Reshape(modeOp.apply1(inner, t.dtype, axis, src), final...)
}

// The gradient of Mode flows, in each lane, to the first element equal to the
// mode.
func init() {
	modeOp.vjp = func(g *gradCall) []*Tensor {
		x, axis := g.args[0], g.attr.(int)
		first := Argmax(Equal(x, NewAxis(g.outs[0], axis)), Axis(axis), KeepAxes())
		hit := Equal(Iota(x.shape, Axis(axis)), first)
		return []*Tensor{Select(hit, NewAxis(g.g(), axis), Zeros(g.g().dtype))}
	}
}
