package nx

import (
	"math"
)

// Window operations slide a window of windowDims over every axis of a tensor
// and reduce each position to one element. They take these options:
//
//   - Strides: the step of the window along each axis (one value for all
//     axes; default 1).
//   - Padded: Valid (the default), Same (pad so that each axis has its size
//     divided by the stride, rounded up — the padding is the dilated window
//     size minus one, the smaller half low, as in Nx) or Pads with a
//     non-negative (low, high) pair per axis. Padding holds the identity of
//     the reduction (see each operation), so it only shows in windows that
//     hold no element of t, and in WindowMean's count.
//   - WindowDilations: spread the window's elements this far apart (default 1).

type windowKind int

const (
	windowSum windowKind = iota
	windowProduct
	windowMax
	windowMin
)

type windowAttr struct {
	kind                 windowKind
	window, strides, dil []int
	lo, hi               []int
}

// WindowSum returns the sum of each window of t (see the window options
// above); padding counts as 0. The type is t's: integer sums wrap around.
func WindowSum(t *Tensor, windowDims []int, opts ...Option) *Tensor {
	return windowReduce("nx.WindowSum", windowSum, t, windowDims, opts)
}

// WindowProduct returns the product of each window of t; padding counts as 1.
func WindowProduct(t *Tensor, windowDims []int, opts ...Option) *Tensor {
	return windowReduce("nx.WindowProduct", windowProduct, t, windowDims, opts)
}

// WindowMax returns the largest element of each window of t; NaN wins. Padding
// counts as the lowest value of the type (-Inf for floats), so a window that
// holds only padding gives that value. Complex tensors are not accepted.
func WindowMax(t *Tensor, windowDims []int, opts ...Option) *Tensor {
	return windowReduce("nx.WindowMax", windowMax, t, windowDims, opts)
}

// WindowMin returns the smallest element of each window of t; NaN wins.
// Padding counts as the highest value of the type (+Inf for floats).
func WindowMin(t *Tensor, windowDims []int, opts ...Option) *Tensor {
	return windowReduce("nx.WindowMin", windowMin, t, windowDims, opts)
}

// WindowMean returns the mean of each window of t as a float tensor: the sum
// of the window divided by its number of elements, padding included, as in Nx.
// Integer tensors are summed in their own type, which can wrap around, before
// the division, as Nx does.
func WindowMean(t *Tensor, windowDims []int, opts ...Option) *Tensor {
	windowCheck("nx.WindowMean", t, windowDims)
	n := Shape(windowDims).Size()
	// As Nx: the window sum in t's own type (integers wrap), divided.
	return Divide(windowReduce("nx.WindowMean", windowSum, t, windowDims, opts), Number(float64(n)))
}

// windowCheck panics unless windowDims has one positive size per axis of t.
func windowCheck(name string, t *Tensor, windowDims []int) {
	if len(windowDims) != t.Rank() {
		panicf(name, []*Tensor{t}, "window %v has %d dimensions: want one per axis (%d)", windowDims, len(windowDims), t.Rank())
	}
	for _, w := range windowDims {
		if w < 1 {
			panicf(name, []*Tensor{t}, "window %v: each dimension must be at least 1", windowDims)
		}
	}
}

func windowReduce(name string, kind windowKind, t *Tensor, windowDims []int, opts []Option) *Tensor {
	o := parseOptions(name, t, opts, "Strides", "Pad", "WindowDilations")
	ops := []*Tensor{t}
	windowCheck(name, t, windowDims)
	if (kind == windowMax || kind == windowMin) && t.dtype.IsComplex() {
		panicf(name, ops, "complex numbers are not ordered")
	}
	r := t.Rank()
	strides := axisInts(name, ops, "Strides", o.strides, o.given["Strides"], r)
	dil := axisInts(name, ops, "WindowDilations", o.windowDil, o.given["WindowDilations"], r)
	dilated := make([]int, r)
	for d := range dilated {
		dilated[d] = dilateSize(windowDims[d], dil[d])
	}
	lo, hi := resolvePadding(name, ops, o.padding, dilated, false)
	out := slideSizes(name, ops, "window", 0, t.shape, dilated, strides, lo, hi)
	attr := windowAttr{kind: kind, window: append([]int{}, windowDims...), strides: strides, dil: dil, lo: lo, hi: hi}
	return windowReduceOp.apply1(Shape(out), t.dtype, attr, t)
}

// windowReduceOp is the primitive of the window reductions.
var windowReduceOp = &opDef{name: "window_reduce", cpu: func(c *call) {
	attr := c.attr.(windowAttr)
	in, out := c.args[0], c.outs[0]
	p := windowPlanOf(c, in.shape, out.shape, attr)
	switch x := in.data.(type) {
	case []Float16, []BFloat16:
		o := make([]float32, out.shape.Size())
		windowRun(o, in.Float32s(), p, attr, F32)
		convertInto(c.out(0), o)
		return
	case []complex64:
		windowRunComplex(c.out(0).([]complex64), x, p, attr)
		return
	case []complex128:
		windowRunComplex(c.out(0).([]complex128), x, p, attr)
		return
	}
	switch x := in.data.(type) {
	case []uint8:
		windowRun(c.out(0).([]uint8), x, p, attr, in.dtype)
	case []uint16:
		windowRun(c.out(0).([]uint16), x, p, attr, in.dtype)
	case []uint32:
		windowRun(c.out(0).([]uint32), x, p, attr, in.dtype)
	case []uint64:
		windowRun(c.out(0).([]uint64), x, p, attr, in.dtype)
	case []int8:
		windowRun(c.out(0).([]int8), x, p, attr, in.dtype)
	case []int16:
		windowRun(c.out(0).([]int16), x, p, attr, in.dtype)
	case []int32:
		windowRun(c.out(0).([]int32), x, p, attr, in.dtype)
	case []int64:
		windowRun(c.out(0).([]int64), x, p, attr, in.dtype)
	case []float32:
		windowRun(c.out(0).([]float32), x, p, attr, in.dtype)
	case []float64:
		windowRun(c.out(0).([]float64), x, p, attr, in.dtype)
	default:
		panic(&Error{Op: "nx.WindowReduce", Msg: "window: unsupported data"})
	}
}}

// windowPlan lays out a window reduction over a padded copy of the input:
// output row r (all axes but the last) starts at rowBase[r] in the padded
// data, consecutive outputs of a row are step apart, and each window position
// adds offsets[w].
type windowPlan struct {
	in, out Shape // the operand's and the result's shapes
	init    any   // the reduction's initial value, once windowRun has made it
	padded  Shape
	rowBase []int
	step    int
	inner   int // outputs per row
	offsets []int
}

// windowPlanOf returns the plan kept in c's state for operand and result
// shapes in and out, making it on first use (always, for an eager call).
func windowPlanOf(c *call, in, out Shape, a windowAttr) *windowPlan {
	if p, ok := c.state.(*windowPlan); ok && p.in.Equal(in) && p.out.Equal(out) {
		return p
	}
	p := newWindowPlan(in, out, a)
	c.state = &p
	return &p
}

func newWindowPlan(in, out Shape, a windowAttr) windowPlan {
	r := len(in)
	p := windowPlan{in: in.Clone(), out: out.Clone(), padded: make(Shape, r), inner: 1}
	for d := range r {
		p.padded[d] = in[d] + a.lo[d] + a.hi[d]
	}
	pst := p.padded.Strides()
	// Offsets of the window's elements, in row-major window order.
	p.offsets = []int{0}
	for d := range r {
		var next []int
		for _, off := range p.offsets {
			for w := 0; w < a.window[d]; w++ {
				next = append(next, off+w*a.dil[d]*pst[d])
			}
		}
		p.offsets = next
	}
	if r > 0 {
		p.inner = out[r-1]
		p.step = a.strides[r-1] * pst[r-1]
	}
	rows := 1
	if p.inner > 0 {
		rows = out.Size() / p.inner
	}
	p.rowBase = make([]int, rows)
	idx := make([]int, max(r-1, 0))
	for row := range rows {
		base := 0
		for d, i := range idx {
			base += i * a.strides[d] * pst[d]
		}
		p.rowBase[row] = base
		for d := len(idx) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < out[d] {
				break
			}
			idx[d] = 0
		}
	}
	return p
}

// windowPad returns in laid out over the padded shape, the padding filled with
// fill (in itself when there is no padding).
func windowPad[T any](in []T, shape, padded Shape, lo []int, fill T) []T {
	if shape.Equal(padded) {
		return in
	}
	p := make([]T, padded.Size())
	for i := range p {
		p[i] = fill
	}
	if shape.Size() == 0 {
		return p
	}
	pst := padded.Strides()
	r := len(shape)
	inner := shape[r-1]
	idx := make([]int, r-1)
	for row := 0; row < shape.Size()/inner; row++ {
		off := lo[r-1]
		for d, i := range idx {
			off += (i + lo[d]) * pst[d]
		}
		copy(p[off:off+inner], in[row*inner:(row+1)*inner])
		for d := len(idx) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < shape[d] {
				break
			}
			idx[d] = 0
		}
	}
	return p
}

// windowInit returns the identity of kind in dt (Max starts from the lowest
// value, -Inf for floats).
func windowInit[T native](kind windowKind, dt DType) T {
	v := 0.0
	switch kind {
	case windowProduct:
		v = 1
	case windowMax:
		v = math.Inf(-1)
	case windowMin:
		v = math.Inf(1)
	}
	return convertData([]float64{v}, dt).([]T)[0]
}

// windowRun reduces every window of in (of shape) into out (of outShape).
func windowRun[T native](out, in []T, p *windowPlan, a windowAttr, dt DType) {
	if len(out) == 0 {
		return
	}
	init, ok := p.init.(T)
	if !ok {
		init = windowInit[T](a.kind, dt)
		p.init = init // kept with the plan: the step's type and kind do not change
	}
	data := windowPad(in, p.in, p.padded, a.lo, init)
	rows := len(p.rowBase)
	grain := max(1, parallelGrain/max(p.inner*len(p.offsets), 1))
	if serial(rows, grain) {
		windowRows(out, data, p, a, init, 0, rows)
		return
	}
	parallelFor(rows, grain, func(lo, hi int) { windowRows(out, data, p, a, init, lo, hi) })
}

// windowRows computes output rows [lo, hi) of windowRun.
func windowRows[T native](out, data []T, p *windowPlan, a windowAttr, init T, lo, hi int) {
	{
		seg := out[lo*p.inner : hi*p.inner]
		for i := range seg {
			seg[i] = init
		}
		if a.kind == windowMax && len(p.offsets) == 4 {
			windowMax4(out, data, p, lo, hi)
			return
		}
		// Row by row, every window offset in turn, so that each output row
		// stays in cache while its windows are reduced.
		for r := lo; r < hi; r++ {
			o := out[r*p.inner : (r+1)*p.inner]
			for _, off := range p.offsets {
				base := p.rowBase[r] + off
				switch a.kind {
				case windowSum:
					for j := range o {
						o[j] += data[base+j*p.step]
					}
				case windowProduct:
					for j := range o {
						o[j] *= data[base+j*p.step]
					}
				case windowMax:
					for j, acc := range o {
						if x := data[base+j*p.step]; x > acc || x != x {
							o[j] = x
						}
					}
				case windowMin:
					for j, acc := range o {
						if x := data[base+j*p.step]; x < acc || x != x {
							o[j] = x
						}
					}
				}
			}
		}
	}
}

// windowMax4 is windowRun's max over windows of four elements (2×2 pooling)
// for the output rows lo to hi, each element's four in the same order as the
// general loop, which gives the same result, signed zeros and NaNs included.
func windowMax4[T native](out, data []T, p *windowPlan, lo, hi int) {
	o0, o1, o2, o3 := p.offsets[0], p.offsets[1], p.offsets[2], p.offsets[3]
	for r := lo; r < hi; r++ {
		o := out[r*p.inner : (r+1)*p.inner]
		base := p.rowBase[r]
		for j, acc := range o {
			b := base + j*p.step
			if x := data[b+o0]; x > acc || x != x {
				acc = x
			}
			if x := data[b+o1]; x > acc || x != x {
				acc = x
			}
			if x := data[b+o2]; x > acc || x != x {
				acc = x
			}
			if x := data[b+o3]; x > acc || x != x {
				acc = x
			}
			o[j] = acc
		}
	}
}

// windowRunComplex is windowRun for complex sums and products.
func windowRunComplex[T ~complex64 | ~complex128](out, in []T, p *windowPlan, a windowAttr) {
	if len(out) == 0 {
		return
	}
	var init T
	if a.kind == windowProduct {
		init = 1
	}
	data := windowPad(in, p.in, p.padded, a.lo, init)
	for i := range out {
		out[i] = init
	}
	for _, off := range p.offsets {
		for r, rb := range p.rowBase {
			o := out[r*p.inner : (r+1)*p.inner]
			for j := range o {
				if a.kind == windowProduct {
					o[j] *= data[rb+off+j*p.step]
				} else {
					o[j] += data[rb+off+j*p.step]
				}
			}
		}
	}
}

// WindowScatterMax returns a tensor of t's shape filled with initValue, to
// which each element of source is added at the position of the largest element
// of the corresponding window of t (the last one on ties, as Nx). It is the gradient
// of WindowMax: source has the shape of WindowMax(t, windowDims, opts...).
// Options: Strides and Padded; padding positions are never selected (as in
// XLA's select-and-scatter, which EXLA uses). The
// result's type merges source's and initValue's (a scalar); Number(0) keeps
// source's type. Complex types are not accepted.
func WindowScatterMax(t, source, initValue *Tensor, windowDims []int, opts ...Option) *Tensor {
	return windowScatter("nx.WindowScatterMax", true, t, source, initValue, windowDims, opts)
}

// WindowScatterMin is WindowScatterMax selecting the smallest element of each
// window: the gradient of WindowMin.
func WindowScatterMin(t, source, initValue *Tensor, windowDims []int, opts ...Option) *Tensor {
	return windowScatter("nx.WindowScatterMin", false, t, source, initValue, windowDims, opts)
}

type windowScatterAttr struct {
	max                 bool
	window, strides, lo []int
}

func windowScatter(name string, isMax bool, t, source, init *Tensor, windowDims []int, opts []Option) *Tensor {
	o := parseOptions(name, t, opts, "Strides", "Pad")
	ops := []*Tensor{t, source, init}
	if len(windowDims) != t.Rank() {
		panicf(name, ops, "window %v has %d dimensions: want one per axis of the tensor (%d)", windowDims, len(windowDims), t.Rank())
	}
	for _, w := range windowDims {
		if w < 1 {
			panicf(name, ops, "window %v: each dimension must be at least 1", windowDims)
		}
	}
	if init.Rank() != 0 {
		panicf(name, ops, "the initial value must be a scalar")
	}
	dt := mergeTypes(source, init)
	if t.dtype.IsComplex() || dt.IsComplex() {
		panicf(name, ops, "complex numbers are not ordered")
	}
	r := t.Rank()
	strides := axisInts(name, ops, "Strides", o.strides, o.given["Strides"], r)
	lo, hi := resolvePadding(name, ops, o.padding, windowDims, false)
	want := slideSizes(name, ops, "window", 0, t.shape, windowDims, strides, lo, hi)
	if !source.shape.Equal(want) {
		panicf(name, ops, "source has shape %v: want %v, the shape of the windows of the tensor", []int(source.shape), want)
	}
	attr := windowScatterAttr{max: isMax, window: append([]int{}, windowDims...), strides: strides, lo: lo}
	return windowScatterOp.apply1(t.shape, dt, attr, t, AsType(source, dt), AsType(init, dt))
}

// windowScatterOp is the select-and-scatter primitive: args are the operand,
// the source (of the result's type) and the scalar initial value.
var windowScatterOp = &opDef{name: "window_scatter", cpu: func(c *call) {
	attr := c.attr.(windowScatterAttr)
	t, src, init, out := c.args[0], c.args[1], c.args[2], c.outs[0]
	if planeWindows(t.shape, src.shape, attr) && windowScatterPlanes(c, attr) {
		return
	}
	var sel []int
	switch x := t.data.(type) {
	case []uint8:
		sel = windowSelect(x, t.shape, src.shape, attr)
	case []uint16:
		sel = windowSelect(x, t.shape, src.shape, attr)
	case []uint32:
		sel = windowSelect(x, t.shape, src.shape, attr)
	case []uint64:
		sel = windowSelect(x, t.shape, src.shape, attr)
	case []int8:
		sel = windowSelect(x, t.shape, src.shape, attr)
	case []int16:
		sel = windowSelect(x, t.shape, src.shape, attr)
	case []int32:
		sel = windowSelect(x, t.shape, src.shape, attr)
	case []int64:
		sel = windowSelect(x, t.shape, src.shape, attr)
	case []float32:
		sel = windowSelect(x, t.shape, src.shape, attr)
	case []float64:
		sel = windowSelect(x, t.shape, src.shape, attr)
	default: // f16, bf16: exact in f32
		sel = windowSelect(t.Float32s(), t.shape, src.shape, attr)
	}
	data := c.out(0)
	stridedCopy(c, data, init.data, out.shape, make([]int, out.Rank()), 0)
	switch o := data.(type) {
	case []uint8:
		scatterAdd(o, src.data.([]uint8), sel)
	case []uint16:
		scatterAdd(o, src.data.([]uint16), sel)
	case []uint32:
		scatterAdd(o, src.data.([]uint32), sel)
	case []uint64:
		scatterAdd(o, src.data.([]uint64), sel)
	case []int8:
		scatterAdd(o, src.data.([]int8), sel)
	case []int16:
		scatterAdd(o, src.data.([]int16), sel)
	case []int32:
		scatterAdd(o, src.data.([]int32), sel)
	case []int64:
		scatterAdd(o, src.data.([]int64), sel)
	case []float32:
		scatterAdd(o, src.data.([]float32), sel)
	case []float64:
		scatterAdd(o, src.data.([]float64), sel)
	default: // f16, bf16: add in f32, round once
		f := out.Float32s()
		scatterAdd(f, src.Float32s(), sel)
		convertInto(data, f)
	}
}}

// planeWindows reports whether the windows of a select-and-scatter lie in the
// last two axes only and never reach past the edges (no padding taps): the
// case of 2D pooling over [batch, channels, h, w], which windowSelectPlanes
// handles plane by plane.
func planeWindows(shape, windows Shape, a windowScatterAttr) bool {
	r := len(shape)
	if r < 2 {
		return false
	}
	for d := range r {
		if a.lo[d] != 0 || windows[d] < 1 {
			return false
		}
		if d < r-2 {
			if a.window[d] != 1 || a.strides[d] != 1 || windows[d] != shape[d] {
				return false
			}
		} else if (windows[d]-1)*a.strides[d]+a.window[d] > shape[d] {
			return false
		}
	}
	return true
}

// windowScatterPlanes runs the select-and-scatter of c in one pass when the
// operand and the result share a float type: the result starts as the
// initial value and each window's source value is added at its choice as
// soon as it is found. It reports false, doing nothing, for other types.
func windowScatterPlanes(c *call, a windowScatterAttr) bool {
	t, src, init, out := c.args[0], c.args[1], c.args[2], c.outs[0]
	var zb [maxFastRank]int // zero strides: init repeated
	switch x := t.data.(type) {
	case []float32:
		o, ok := c.out(0).([]float32)
		if !ok {
			return false
		}
		stridedCopy(c, o, init.data, out.shape, axisIndex(zb[:], out.Rank()), 0)
		windowChoosePlanes(x, t.shape, src.shape, a, nil, o, src.data.([]float32))
	case []float64:
		o, ok := c.out(0).([]float64)
		if !ok {
			return false
		}
		stridedCopy(c, o, init.data, out.shape, axisIndex(zb[:], out.Rank()), 0)
		windowChoosePlanes(x, t.shape, src.shape, a, nil, o, src.data.([]float64))
	default:
		return false
	}
	return true
}

// windowSelectPlanes is windowSelect for windows that planeWindows accepts:
// the same choices, found with direct loops over each h×w plane.
func windowSelectPlanes[T native](data []T, shape, windows Shape, a windowScatterAttr) []int {
	sel := make([]int, windows.Size())
	windowChoosePlanes(data, shape, windows, a, sel, nil, nil)
	return sel
}

// windowChoosePlanes finds the choice of every window of windowSelectPlanes
// and stores it in sel, or, with sel nil, adds the window's source value
// there in out (each plane of the windows writes only its own plane of out).
func windowChoosePlanes[T native](data []T, shape, windows Shape, a windowScatterAttr, sel []int, out, src []T) {
	r := len(shape)
	h, w := shape[r-2], shape[r-1]
	oh, ow := windows[r-2], windows[r-1]
	kh, kw := a.window[r-2], a.window[r-1]
	sh, sw := a.strides[r-2], a.strides[r-1]
	planes := shape[:r-2].Size()
	parallelFor(planes, max(1, parallelGrain/max(h*w, 1)), func(lo, hi int) {
		if a.max && kh == 2 && kw == 2 {
			choosePlanesMax2x2(data, w, oh, ow, sh, sw, lo, hi, h*w, sel, out, src)
			return
		}
		for p := lo; p < hi; p++ {
			base := p * h * w
			for oy := range oh {
				for ox := range ow {
					start := base + oy*sh*w + ox*sw
					best := start
					bv := data[start]
					// Keep the current choice only while it is > (or <) x.
					for ky := range kh {
						row := data[start+ky*w : start+ky*w+kw]
						for kx, x := range row {
							if ky == 0 && kx == 0 {
								continue
							}
							if a.max {
								if !(bv > x) {
									best, bv = start+ky*w+kx, x
								}
							} else if !(bv < x) {
								best, bv = start+ky*w+kx, x
							}
						}
					}
					if i := p*oh*ow + oy*ow + ox; sel != nil {
						sel[i] = best
					} else {
						out[best] += src[i]
					}
				}
			}
		}
	})
}

// choosePlanesMax2x2 is windowChoosePlanes for max over 2×2 windows of the
// planes lo to hi (each of size elements, rows of w), unrolled: the same
// comparisons in the same order, so the same choice on ties and NaNs.
func choosePlanesMax2x2[T native](data []T, w, oh, ow, sh, sw, lo, hi, size int, sel []int, out, src []T) {
	for p := lo; p < hi; p++ {
		base := p * size
		for oy := range oh {
			i := p*oh*ow + oy*ow
			row := base + oy*sh*w
			for ox := range ow {
				s := row + ox*sw
				best, bv := s, data[s]
				if x := data[s+1]; !(bv > x) {
					best, bv = s+1, x
				}
				if x := data[s+w]; !(bv > x) {
					best, bv = s+w, x
				}
				if x := data[s+w+1]; !(bv > x) {
					best = s + w + 1
				}
				if sel != nil {
					sel[i+ox] = best
				} else {
					out[best] += src[i+ox]
				}
			}
		}
	}
}

// scatterAdd adds src[i] into out[sel[i]] for every selected position.
func scatterAdd[T native](out, src []T, sel []int) {
	for i, s := range sel {
		if s >= 0 {
			out[s] += src[i]
		}
	}
}

// windowSelect returns, for each window (in the row-major order of the
// windows' shape), the flat index in data of its largest (or smallest)
// element — the last one on ties, as Nx's backends pick (XLA's
// select-and-scatter with a strict comparison) — or -1 when the window holds
// only padding.
func windowSelect[T native](data []T, shape, windows Shape, a windowScatterAttr) []int {
	if planeWindows(shape, windows, a) {
		return windowSelectPlanes(data, shape, windows, a)
	}
	return windowSelectAny(data, shape, windows, a)
}

// windowSelectAny is windowSelect for any windows, padding included.
func windowSelectAny[T native](data []T, shape, windows Shape, a windowScatterAttr) []int {
	r := len(shape)
	sel := make([]int, windows.Size())
	st := shape.Strides()
	wsize := Shape(a.window).Size()
	parallelFor(len(sel), max(1, parallelGrain/max(wsize, 1)), func(lo, hi int) {
		oidx := make([]int, r)
		widx := make([]int, r)
		for s := lo; s < hi; s++ {
			rem := s
			for d := r - 1; d >= 0; d-- {
				oidx[d] = rem % windows[d]
				rem /= windows[d]
			}
			clear(widx)
			best := -1
			var bv T
			for range wsize {
				off, ok := 0, true
				for d := range r {
					q := oidx[d]*a.strides[d] + widx[d] - a.lo[d]
					if q < 0 || q >= shape[d] {
						ok = false
						break
					}
					off += q * st[d]
				}
				if ok {
					x := data[off]
					// Keep the current choice only while it is > (or <) x.
					if best < 0 || (a.max && !(bv > x)) || (!a.max && !(bv < x)) {
						best, bv = off, x
					}
				}
				for d := r - 1; d >= 0; d-- {
					widx[d]++
					if widx[d] < a.window[d] {
						break
					}
					widx[d] = 0
				}
			}
			sel[s] = best
		}
	})
	return sel
}
