package nx

import (
	"cmp"
	"slices"
)

// laneSet describes the 1-D lanes of a tensor along one axis: outer·inner lanes
// of n elements each. Element j of lane r lies at start(r, n) + j·inner.
type laneSet struct{ outer, n, inner int }

// lanesOf returns the lanes of shape along axis.
func lanesOf(shape Shape, axis int) laneSet {
	return laneSet{outer: shape[:axis].Size(), n: shape[axis], inner: shape[axis+1:].Size()}
}

// count returns the number of lanes.
func (l laneSet) count() int { return l.outer * l.inner }

// start returns the offset of lane r's first element in a tensor of the same
// outer and inner sizes whose axis has n elements.
func (l laneSet) start(r, n int) int { return (r/l.inner)*n*l.inner + r%l.inner }

// laneGrain returns the least number of lanes worth a goroutine when each lane
// costs about work element operations.
func laneGrain(work int) int { return max(1, parallelGrain/max(work, 1)) }

// cmpFloat orders floats with NaN above everything, as Nx sorts them; -0 and +0
// compare equal.
func cmpFloat[T ~float32 | ~float64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	case a == b:
		return 0
	case a != a && b != b:
		return 0
	case a != a:
		return 1
	}
	return -1
}

// keyed is an element with its position in its lane.
type keyed[T any] struct {
	v T
	i int
}

// sortLanes sorts every lane of src stably, ascending or descending by compare.
// It writes the sorted values to vals and the original positions to idx; either
// may be nil. A lane buffer kept in *scratch (a compiled step's state), when
// scratch is not nil, serves the lanes sorted on the calling goroutine.
func sortLanes[T any](src, vals []T, idx []int64, l laneSet, desc bool, compare func(a, b T) int, scratch *any) {
	grain := laneGrain(4 * l.n)
	if serial(l.count(), grain) {
		var buf []keyed[T]
		if scratch != nil {
			buf, _ = (*scratch).([]keyed[T])
		}
		if cap(buf) < l.n {
			buf = make([]keyed[T], l.n)
			if scratch != nil {
				*scratch = buf
			}
		}
		sortLaneRange(src, vals, idx, l, desc, compare, buf[:l.n], 0, l.count())
		return
	}
	parallelFor(l.count(), grain, func(lo, hi int) {
		sortLaneRange(src, vals, idx, l, desc, compare, make([]keyed[T], l.n), lo, hi)
	})
}

// sortLaneRange sorts lanes [lo, hi) with buf, of one lane's length.
func sortLaneRange[T any](src, vals []T, idx []int64, l laneSet, desc bool, compare func(a, b T) int, buf []keyed[T], lo, hi int) {
	for r := lo; r < hi; r++ {
		s := l.start(r, l.n)
		for j := range buf {
			buf[j] = keyed[T]{src[s+j*l.inner], j}
		}
		slices.SortFunc(buf, func(a, b keyed[T]) int {
			c := compare(a.v, b.v)
			if desc {
				c = -c
			}
			if c == 0 {
				return a.i - b.i
			}
			return c
		})
		for j, e := range buf {
			p := s + j*l.inner
			if vals != nil {
				vals[p] = e.v
			}
			if idx != nil {
				idx[p] = int64(e.i)
			}
		}
	}
}

// gatherLanes sets dst's lane elements to src's at the positions in idx.
func gatherLanes[T any](dst, src []T, idx []int64, l laneSet) {
	for r := 0; r < l.count(); r++ {
		s := l.start(r, l.n)
		for j := 0; j < l.n; j++ {
			p := s + j*l.inner
			dst[p] = src[s+int(idx[p])*l.inner]
		}
	}
}

// asSlice returns v as a []T, or nil when v is not one.
func asSlice[T any](v any) []T {
	s, _ := v.([]T)
	return s
}

// sortData sorts the lanes of src (a real data slice), writing the sorted values
// to vals (a slice of src's type, or nil) and the original positions to idx (or
// nil). Integers compare as integers and floats with NaN above +Inf.
// sortData sorts src's lanes into vals and idx (see sortLanes); scratch, when
// not nil, keeps the lane buffer between calls.
func sortData(src, vals any, idx []int64, l laneSet, desc bool, scratch *any) {
	switch x := src.(type) {
	case []uint8:
		sortLanes(x, asSlice[uint8](vals), idx, l, desc, cmp.Compare[uint8], scratch)
	case []uint16:
		sortLanes(x, asSlice[uint16](vals), idx, l, desc, cmp.Compare[uint16], scratch)
	case []uint32:
		sortLanes(x, asSlice[uint32](vals), idx, l, desc, cmp.Compare[uint32], scratch)
	case []uint64:
		sortLanes(x, asSlice[uint64](vals), idx, l, desc, cmp.Compare[uint64], scratch)
	case []int8:
		sortLanes(x, asSlice[int8](vals), idx, l, desc, cmp.Compare[int8], scratch)
	case []int16:
		sortLanes(x, asSlice[int16](vals), idx, l, desc, cmp.Compare[int16], scratch)
	case []int32:
		sortLanes(x, asSlice[int32](vals), idx, l, desc, cmp.Compare[int32], scratch)
	case []int64:
		sortLanes(x, asSlice[int64](vals), idx, l, desc, cmp.Compare[int64], scratch)
	case []float32:
		sortLanes(x, asSlice[float32](vals), idx, l, desc, cmpFloat[float32], scratch)
	case []float64:
		sortLanes(x, asSlice[float64](vals), idx, l, desc, cmpFloat[float64], scratch)
	case []Float16, []BFloat16:
		// Sort float32 keys (exact for both types), then gather the originals.
		keys := convertData(src, F32).([]float32)
		if idx == nil {
			idx = make([]int64, len(keys))
		}
		sortLanes(keys, nil, idx, l, desc, cmpFloat[float32], scratch)
		switch v := vals.(type) {
		case []Float16:
			gatherLanes(v, x.([]Float16), idx, l)
		case []BFloat16:
			gatherLanes(v, x.([]BFloat16), idx, l)
		}
	default:
		panic(&Error{Op: "nx", Msg: "sortData: unsupported data"})
	}
}

// sortAttr is the attribute of the sort and argsort primitives.
type sortAttr struct {
	axis int
	desc bool
}

var sortOp = &opDef{name: "sort", writesAll: true, cpu: func(c *call) {
	a := c.attr.(sortAttr)
	in := c.args[0]
	sortData(in.data, c.out(0), nil, lanesOf(in.shape, a.axis), a.desc, &c.state)
}}

var argsortOp = &opDef{name: "argsort", writesAll: true, cpu: func(c *call) {
	a := c.attr.(sortAttr)
	in := c.args[0]
	if idx, ok := c.outOverwrite(0).([]int64); ok {
		sortData(in.data, nil, idx, lanesOf(in.shape, a.axis), a.desc, &c.state)
		return
	}
	idx := make([]int64, in.Size())
	sortData(in.data, nil, idx, lanesOf(in.shape, a.axis), a.desc, &c.state)
	convertInto(c.out(0), idx)
}}

// sortArgs checks the operand and options shared by Sort and Argsort.
func sortArgs(name string, t *Tensor, opts []Option, allowed ...string) (sortAttr, options) {
	o := parseOptions(name, t, opts, allowed...)
	if t.dtype.IsComplex() {
		panicf(name, []*Tensor{t}, "complex numbers are not ordered")
	}
	if o.direction != Asc && o.direction != Desc {
		panicf(name, []*Tensor{t}, "unknown direction %d: want nx.Asc or nx.Desc", o.direction)
	}
	return sortAttr{axis: normAxis(name, t, o.axis, t.Rank()), desc: o.direction == Desc}, o
}

// indexType returns the Type option of an operation that returns indices (s64
// by default), panicking unless it is an integer type.
func indexType(name string, t *Tensor, o options) DType {
	if !o.given["Type"] {
		return S64
	}
	if !o.dtype.IsInteger() {
		panicf(name, []*Tensor{t}, "index type %s is not an integer type", o.dtype)
	}
	return o.dtype
}

// Sort returns t sorted along the Axis option (axis 0 by default), in the
// direction of the Order option (Asc by default). Integers compare as integers;
// among floats NaN sorts above +Inf, and -0 equals +0. The sort is always
// stable, so the Stable option is accepted but changes nothing; in descending
// order equal elements also keep their original order. Complex tensors and
// scalars cannot be sorted.
//
//	t := nx.FromSlice([]float64{3, math.NaN(), 1})
//	nx.Sort(t)                     // [1.0, 3.0, NaN]
//	nx.Sort(t, nx.Order(nx.Desc)) // [NaN, 3.0, 1.0]
func Sort(t *Tensor, opts ...Option) *Tensor {
	a, _ := sortArgs("nx.Sort", t, opts, "Axis", "Order", "Stable")
	return sortOp.apply1(t.shape, t.dtype, a, t)
}

// Argsort returns the indices that sort t along the Axis option (axis 0 by
// default), in the direction of the Order option, with Sort's ordering: the
// element at position i of each lane of Sort(t) is at position Argsort(t)[i] of
// the same lane of t. Equal elements keep their original order (the sort is
// always stable, in both directions). The result is s64 unless the Type option
// names another integer type.
func Argsort(t *Tensor, opts ...Option) *Tensor {
	a, o := sortArgs("nx.Argsort", t, opts, "Axis", "Order", "Stable", "Type")
	return argsortOp.apply1(t.shape, indexType("nx.Argsort", t, o), a, t)
}

var topKOp = &opDef{name: "top_k", cpu: func(c *call) {
	k := c.attr.(int)
	in := c.args[0]
	l := lanesOf(in.shape, in.Rank()-1)
	vals := makeData(in.dtype, in.Size())
	idx := make([]int64, in.Size())
	sortData(in.data, vals, idx, l, true, nil)
	// Keep the first k elements of each (contiguous) lane.
	shape, strides := Shape{l.outer, k}, []int{l.n, 1}
	stridedCopy(c, c.out(0), vals, shape, strides, 0)
	top := make([]int64, l.outer*k)
	stridedCopy(c, top, idx, shape, strides, 0)
	convertInto(c.out(1), top)
}}

// TopK returns the k largest elements along t's last axis, largest first, and
// their indices there (s64, or the integer type of the Type option). NaN counts
// as the largest value; among equal elements the first comes first. k must be
// between 1 and the size of the last axis.
//
//	values, indices := nx.TopK(nx.FromSlice([]int{1, 5, 3}), 2) // [5, 3], [1, 2]
func TopK(t *Tensor, k int, opts ...Option) (values, indices *Tensor) {
	const name = "nx.TopK"
	o := parseOptions(name, t, opts, "Type")
	switch {
	case t.Rank() == 0:
		panicf(name, []*Tensor{t}, "want a tensor of rank 1 or more")
	case t.dtype.IsComplex():
		panicf(name, []*Tensor{t}, "complex numbers are not ordered")
	case k < 1 || k > t.shape[t.Rank()-1]:
		panicf(name, []*Tensor{t}, "k is %d: want 1 <= k <= %d, the size of the last axis", k, t.shape[t.Rank()-1])
	}
	shape := t.shape.Clone()
	shape[len(shape)-1] = k
	outs := topKOp.apply([]spec{{shape: shape, dtype: t.dtype}, {shape: shape.Clone(), dtype: indexType(name, t, o)}}, k, t)
	return outs[0], outs[1]
}

// Gradients, as in Nx: a sort moves each gradient back to the position its
// element came from; argsort has none; top_k is the first k of a descending sort.
func init() {
	sortOp.vjp = func(g *gradCall) []*Tensor {
		a := g.attr.(sortAttr)
		return []*Tensor{unsortGrad(g.g(), g.args[0], a.axis, a.desc)}
	}
	argsortOp.vjp = func(*gradCall) []*Tensor { return nil }
	topKOp.vjp = func(g *gradCall) []*Tensor {
		x := g.args[0]
		last := x.Rank() - 1
		pads := make([][3]int, x.Rank())
		pads[last] = [3]int{0, x.shape[last] - g.attr.(int), 0}
		full := Pad(g.grads[0], Zeros(g.grads[0].dtype), pads...)
		return []*Tensor{unsortGrad(full, x, last, true)}
	}
}

// unsortGrad returns the gradient of x given g, the gradient of x sorted along
// axis: g's elements moved back through the inverse of the sorting permutation.
func unsortGrad(g, x *Tensor, axis int, desc bool) *Tensor {
	dir := Asc
	if desc {
		dir = Desc
	}
	inverse := Argsort(Argsort(x, Axis(axis), Order(dir)), Axis(axis))
	return TakeAlongAxis(g, inverse, Axis(axis))
}
