package nx

import "math"

type reduceKind int

const (
	reduceSum reduceKind = iota
	reduceProduct
	reduceMax
	reduceMin
)

type reduceAttr struct {
	kind reduceKind
	axes []int // sorted, normalized
}

// moveAxesLast returns the permutation that puts axes last, keeping the order of
// the others, and the shape of the kept axes.
func moveAxesLast(shape Shape, axes []int) (perm []int, kept Shape, group int) {
	reduced := make([]bool, len(shape))
	for _, a := range axes {
		reduced[a] = true
	}
	group = 1
	for a, d := range shape {
		if !reduced[a] {
			perm = append(perm, a)
			kept = append(kept, d)
		}
	}
	for _, a := range axes {
		perm = append(perm, a)
		group *= shape[a]
	}
	if kept == nil {
		kept = Shape{}
	}
	return perm, kept, group
}

// axesBlock reports whether axes (sorted) are consecutive, and then the
// sizes of the axes before them, of them and after them.
func axesBlock(shape Shape, axes []int) (outer, red, inner int, ok bool) {
	outer, red, inner = 1, 1, 1
	for i, a := range axes {
		if i > 0 && a != axes[i-1]+1 {
			return 0, 0, 0, false
		}
	}
	for a, d := range shape {
		switch {
		case len(axes) > 0 && a < axes[0]:
			outer *= d
		case len(axes) > 0 && a <= axes[len(axes)-1]:
			red *= d
		default:
			inner *= d
		}
	}
	if len(axes) == 0 { // nothing reduced: rows of one element
		outer, inner = inner, 1
	}
	return outer, red, inner, true
}

// colBlock is the number of columns reduceCols accumulates at once, in
// registers of a stack array.
const colBlock = 256

var reduceOp = &opDef{name: "reduce", cpu: func(c *call) {
	attr := c.attr.(reduceAttr)
	in := c.args[0]
	n, group := 0, 0
	outer, red, inner, block := axesBlock(in.shape, attr.axes)
	switch {
	case block && inner == 1: // the rows are in place
		n, group = outer, red
	case block && (in.dtype == F32 || in.dtype == F64):
		// Reduced axes between kept ones (a bias gradient's sum over the
		// batch): accumulate rows of columns, without a transposed copy.
		c.out(0)
		tasks := outer * ((inner + colBlock - 1) / colBlock)
		parallelRanges(tasks, max(1, parallelGrain/max(red*min(inner, colBlock), 1)), (*reduceCols)(c))
		return
	case !block && (in.dtype == F32 || in.dtype == F64) && reduceStrided(c, attr.kind, attr.axes):
		return
	default:
		var perm []int
		var kept Shape
		perm, kept, group = moveAxesLast(in.shape, attr.axes)
		in = Transpose(in, Axes(perm...))
		n = kept.Size()
	}
	out := c.out(0)
	switch x := in.data.(type) {
	case []float32:
		reduceFloat(out.([]float32), x, n, group, attr.kind)
	case []float64:
		reduceFloat(out.([]float64), x, n, group, attr.kind)
	case []Float16, []BFloat16:
		f := make([]float32, n)
		reduceFloat(f, in.Float32s(), n, group, attr.kind)
		convertInto(out, f)
	case []complex64:
		reduceComplex(out.([]complex64), x, n, group, attr.kind)
	case []complex128:
		reduceComplex(out.([]complex128), x, n, group, attr.kind)
	default:
		if in.dtype.IsUnsigned() {
			w := make([]uint64, n)
			reduceInt(w, in.Uint64s(), n, group, attr.kind, 0, math.MaxUint64>>(64-in.dtype.Bits()))
			convertInto(out, w)
		} else {
			w := make([]int64, n)
			bits := in.dtype.Bits()
			reduceInt(w, in.Int64s(), n, group, attr.kind, -1<<(bits-1), 1<<(bits-1)-1)
			convertInto(out, w)
		}
	}
}}

// sumChunk is the length of the pieces an f32 row is summed in (by
// kernels.SumF32, the pieces' sums then added in order); fused reductions
// visit rows in the same pieces (see fusedProg.runRows).
const sumChunk = fuseBlock

// reduceInit is the value a float reduction starts from: its identity
// element.
func reduceInit(kind reduceKind) float64 {
	switch kind {
	case reduceProduct:
		return 1
	case reduceMax:
		return math.Inf(-1)
	case reduceMin:
		return math.Inf(1)
	}
	return 0
}

// reduceCols is a reduction's call as the ranger of reductions of columns:
// task t reduces columns [b*colBlock, (b+1)*colBlock) of block o of the
// operand, seen as [outer, red, inner], where o, b = t / blocks, t % blocks.
type reduceCols call

func (f *reduceCols) runRange(lo, hi int) {
	c := (*call)(f)
	kind := c.attr.(reduceAttr).kind
	_, red, inner, _ := axesBlock(c.args[0].shape, c.attr.(reduceAttr).axes)
	switch x := c.args[0].data.(type) {
	case []float32:
		reduceColumns(c.outs[0].data.([]float32), x, red, inner, kind, lo, hi)
	case []float64:
		reduceColumns(c.outs[0].data.([]float64), x, red, inner, kind, lo, hi)
	}
}

// reduceColumns reduces tasks [lo, hi) of reduceCols, each column
// accumulated in float64 in the order of its elements, as rows are.
func reduceColumns[T float32 | float64](out, in []T, red, inner int, kind reduceKind, lo, hi int) {
	blocks := (inner + colBlock - 1) / colBlock
	var acc [colBlock]float64
	for t := lo; t < hi; t++ {
		o, b := t/blocks, t%blocks
		c0 := b * colBlock
		w := min(colBlock, inner-c0)
		a := acc[:w]
		init := reduceInit(kind)
		for i := range a {
			a[i] = init
		}
		base := o*red*inner + c0
		for r := range red {
			row := in[base+r*inner : base+r*inner+w]
			switch kind {
			case reduceSum:
				for i, v := range row {
					a[i] += float64(v)
				}
			case reduceProduct:
				for i, v := range row {
					a[i] *= float64(v)
				}
			case reduceMax:
				for i, v := range row {
					a[i] = fmaxNaN(a[i], float64(v))
				}
			case reduceMin:
				for i, v := range row {
					a[i] = fminNaN(a[i], float64(v))
				}
			}
		}
		dst := out[o*inner+c0 : o*inner+c0+w]
		for i, v := range a {
			dst[i] = T(v)
		}
	}
}

func reduceFloat[T ~float32 | ~float64](out, in []T, n, group int, kind reduceKind) {
	grain := max(1, parallelGrain/max(group, 1))
	if serial(n, grain) {
		reduceFloatRows(out, in, n, group, kind, 0, n)
		return
	}
	parallelFor(n, grain, func(lo, hi int) { reduceFloatRows(out, in, n, group, kind, lo, hi) })
}

func reduceFloatRows[T ~float32 | ~float64](out, in []T, n, group int, kind reduceKind, lo, hi int) {
	for i := lo; i < hi; i++ {
		out[i] = T(reduceRow(in[i*group:(i+1)*group], kind))
	}
}

func reduceComplex[T ~complex64 | ~complex128](out, in []T, n, group int, kind reduceKind) {
	for i := 0; i < n; i++ {
		row := in[i*group : (i+1)*group]
		acc := complex128(0)
		if kind == reduceProduct {
			acc = 1
		}
		for _, v := range row {
			if kind == reduceProduct {
				acc *= complex128(v)
			} else {
				acc += complex128(v)
			}
		}
		out[i] = T(acc)
	}
}

func reduceInt[T int64 | uint64](out, in []T, n, group int, kind reduceKind, lo, hi T) {
	for i := 0; i < n; i++ {
		row := in[i*group : (i+1)*group]
		var acc T
		switch kind {
		case reduceProduct:
			acc = 1
		case reduceMax:
			acc = lo
		case reduceMin:
			acc = hi
		}
		for _, v := range row {
			switch kind {
			case reduceSum:
				acc += v
			case reduceProduct:
				acc *= v
			case reduceMax:
				acc = max(acc, v)
			case reduceMin:
				acc = min(acc, v)
			}
		}
		out[i] = acc
	}
}

// reduceAxes resolves the Axes option of a reduction (all axes by default).
func reduceAxes(name string, t *Tensor, o options) []int {
	if !o.given["Axes"] {
		all := make([]int, t.Rank())
		for i := range all {
			all[i] = i
		}
		return all
	}
	axes := normAxes(name, t, o.axes)
	// Sort ascending (small slices: insertion sort).
	for i := 1; i < len(axes); i++ {
		for j := i; j > 0 && axes[j] < axes[j-1]; j-- {
			axes[j], axes[j-1] = axes[j-1], axes[j]
		}
	}
	return axes
}

// keptShape returns t's shape without axes, or with them as 1s when keep is set.
func keptShape(t *Tensor, axes []int, keep bool) Shape {
	drop := make([]bool, t.Rank())
	for _, a := range axes {
		drop[a] = true
	}
	s := Shape{}
	for a, d := range t.shape {
		switch {
		case !drop[a]:
			s = append(s, d)
		case keep:
			s = append(s, 1)
		}
	}
	return s
}

func reduce(name string, kind reduceKind, t *Tensor, dt DType, opts []Option) *Tensor {
	o := parseOptions(name, t, opts, "Axes", "KeepAxes")
	axes := reduceAxes(name, t, o)
	if (kind == reduceMax || kind == reduceMin) && t.dtype.IsComplex() {
		panicf(name, []*Tensor{t}, "complex numbers are not ordered")
	}
	t = AsType(t, dt)
	_, kept, _ := moveAxesLast(t.shape, axes)
	out := reduceOp.apply1(kept, dt, reduceAttr{kind, axes}, t)
	if o.keepAxes {
		out = Reshape(out, keptShape(t, axes, true)...)
	}
	return out
}

// accumType is the type Sum and Product accumulate in: integers widen to 64 bits.
func accumType(dt DType) DType {
	switch dt.Kind() {
	case KindUnsigned:
		return U64
	case KindSigned:
		return S64
	}
	return dt
}

// Sum adds t's elements over the Axes option (all axes by default); KeepAxes
// keeps them as size 1. Integer tensors sum into s64 or u64, as in Nx.
func Sum(t *Tensor, opts ...Option) *Tensor {
	return reduce("nx.Sum", reduceSum, t, accumType(t.dtype), opts)
}

// Product multiplies t's elements over the Axes option (all by default).
func Product(t *Tensor, opts ...Option) *Tensor {
	return reduce("nx.Product", reduceProduct, t, accumType(t.dtype), opts)
}

// ReduceMax returns the largest element over the Axes option (all by default);
// NaN wins, and an empty reduction gives the type's lowest value.
func ReduceMax(t *Tensor, opts ...Option) *Tensor {
	return reduce("nx.ReduceMax", reduceMax, t, t.dtype, opts)
}

// ReduceMin returns the smallest element over the Axes option (all by default).
func ReduceMin(t *Tensor, opts ...Option) *Tensor {
	return reduce("nx.ReduceMin", reduceMin, t, t.dtype, opts)
}

// All returns u8 1 where every element over the Axes option is non-zero (1 for
// an empty reduction).
func All(t *Tensor, opts ...Option) *Tensor {
	none := reduce("nx.All", reduceMax, LogicalNot(t), U8, opts)
	return Subtract(Ones(U8), none)
}

// Any returns u8 1 where some element over the Axes option is non-zero.
func Any(t *Tensor, opts ...Option) *Tensor {
	return reduce("nx.Any", reduceMax, truth(t), U8, opts)
}

// Mean returns the arithmetic mean over the Axes option (all by default), as a
// float tensor.
func Mean(t *Tensor, opts ...Option) *Tensor {
	o := parseOptions("nx.Mean", t, opts, "Axes", "KeepAxes")
	axes := reduceAxes("nx.Mean", t, o)
	n := 1
	for _, a := range axes {
		n *= t.shape[a]
	}
	ft := AsType(t, FloatOf(t.dtype))
	return Divide(Sum(ft, opts...), Scalar(float64(n), RealOf(ft.dtype)))
}

// LogSumExp returns log(Σ exp(x)) over the Axes option, computed stably.
func LogSumExp(t *Tensor, opts ...Option) *Tensor {
	o := parseOptions("nx.LogSumExp", t, opts, "Axes", "KeepAxes")
	ft := AsType(t, FloatOf(t.dtype))
	axesOpt := []Option{KeepAxes()}
	if o.given["Axes"] {
		axesOpt = append(axesOpt, Axes(o.axes...))
	}
	m := ReduceMax(ft, axesOpt...)
	// Infinite maxima would give Inf - Inf; shift by 0 there instead.
	m = Select(IsInfinity(m), Zeros(m.dtype), m)
	s := Log(Sum(Exp(Subtract(ft, m)), axesOpt...))
	out := Add(s, m)
	if !o.keepAxes {
		out = Reshape(out, keptShape(ft, reduceAxes("nx.LogSumExp", ft, o), false)...)
	}
	return out
}

// Variance returns the variance over the Axes option; DDOF sets the delta
// degrees of freedom (0 by default, the population variance).
func Variance(t *Tensor, opts ...Option) *Tensor {
	o := parseOptions("nx.Variance", t, opts, "Axes", "KeepAxes", "DDOF")
	axes := reduceAxes("nx.Variance", t, o)
	n := 1
	for _, a := range axes {
		n *= t.shape[a]
	}
	ft := AsType(t, FloatOf(t.dtype))
	mean := Mean(ft, Axes(axes...), KeepAxes())
	d := Subtract(ft, mean)
	if ft.dtype.IsComplex() {
		d = Abs(d)
	}
	sq := Sum(Multiply(d, d), Axes(axes...), KeepAxes())
	out := Divide(sq, Scalar(float64(n)-o.ddof, RealOf(sq.dtype)))
	if !o.keepAxes {
		out = Reshape(out, keptShape(ft, axes, false)...)
	}
	return out
}

// StandardDeviation returns the square root of Variance, with the same options.
func StandardDeviation(t *Tensor, opts ...Option) *Tensor {
	return Sqrt(Variance(t, opts...))
}

type argAttr struct {
	axis int // -1 for the flattened tensor
	tie  TieBreak
	max  bool
}

var argReduceOp = &opDef{name: "argreduce", cpu: func(c *call) {
	outer, red, inner := argGeom(c)
	switch c.args[0].data.(type) {
	case []Float16, []BFloat16, []complex64, []complex128:
		in := c.args[0]
		in = &Tensor{shape: in.shape, dtype: F64, data: in.Float64s()}
		idx := make([]int64, outer*inner)
		argReduceRange(idx, in.data.([]float64), red, inner, c.attr.(argAttr), 0, outer*inner)
		c.out(0)
		convertInto(c.outs[0].data, idx)
		return
	}
	c.out(0)
	parallelRanges(outer*inner, max(1, parallelGrain/max(red, 1)), (*argCols)(c))
}}

// argGeom returns the operand of an argmax or argmin as [outer, red, inner],
// red being the axis reduced.
func argGeom(c *call) (outer, red, inner int) {
	in, axis := c.args[0], c.attr.(argAttr).axis
	if axis < 0 { // the flattened tensor
		return 1, in.shape.Size(), 1
	}
	outer, red, inner = 1, in.shape[axis], 1
	for _, d := range in.shape[:axis] {
		outer *= d
	}
	for _, d := range in.shape[axis+1:] {
		inner *= d
	}
	return outer, red, inner
}

// argCols is an argreduce's call as the ranger of its results.
type argCols call

func (f *argCols) runRange(lo, hi int) {
	c := (*call)(f)
	_, red, inner := argGeom(c)
	a := c.attr.(argAttr)
	switch out := c.outs[0].data.(type) {
	case []int64:
		argReduceAny(out[lo:hi], c.args[0].data, red, inner, a, lo, hi)
	case []int32:
		argReduceAny(out[lo:hi], c.args[0].data, red, inner, a, lo, hi)
	default:
		idx := make([]int64, hi-lo)
		argReduceAny(idx, c.args[0].data, red, inner, a, lo, hi)
		convertInto(sliceData(out, lo, hi), idx)
	}
}

// argReduceAny is argReduceRange on a data slice of a real type.
func argReduceAny[I int32 | int64](idx []I, data any, red, inner int, a argAttr, lo, hi int) {
	switch x := data.(type) {
	case []uint8:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	case []uint16:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	case []uint32:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	case []uint64:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	case []int8:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	case []int16:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	case []int32:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	case []int64:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	case []float32:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	case []float64:
		argReduceRange(idx, x, red, inner, a, lo, hi)
	}
}

// argReduceRange writes to idx[k] the position along the reduced axis of
// the best element of result lo+k (results numbered outer-major), for
// results [lo, hi). The first best wins, or the last with TieHigh; a NaN
// beats every number (the first NaN, or the last with TieHigh).
func argReduceRange[T native, I int32 | int64](idx []I, x []T, red, inner int, a argAttr, lo, hi int) {
	tieHigh := a.tie == TieHigh
	for k := lo; k < hi; k++ {
		o, i := k/inner, k%inner
		base := o*red*inner + i
		best, bv := 0, x[base]
		for r := 1; r < red; r++ {
			v := x[base+r*inner]
			var better bool
			switch {
			case bv != bv: // a NaN already found wins
				better = v != v && tieHigh
			case v != v:
				better = true
			default:
				better = (a.max && v > bv) || (!a.max && v < bv) || (v == bv && tieHigh)
			}
			if better {
				best, bv = r, v
			}
		}
		idx[k-lo] = I(best)
	}
}

func argReduce(name string, t *Tensor, isMax bool, opts []Option) *Tensor {
	o := parseOptions(name, t, opts, "Axis", "Tie", "KeepAxes", "Type")
	if t.dtype.IsComplex() {
		panicf(name, []*Tensor{t}, "complex numbers are not ordered")
	}
	dt := S64
	if o.given["Type"] {
		dt = o.dtype
	}
	axis := -1
	var shape Shape = Shape{}
	if o.given["Axis"] {
		axis = normAxis(name, t, o.axis, t.Rank())
		shape = keptShape(t, []int{axis}, false)
	}
	if t.Size() == 0 {
		panicf(name, []*Tensor{t}, "cannot take the index of an empty tensor")
	}
	out := argReduceOp.apply1(shape, dt, argAttr{axis, o.tieBreak, isMax}, t)
	if o.keepAxes {
		if axis < 0 {
			ones := make([]int, t.Rank())
			for i := range ones {
				ones[i] = 1
			}
			return Reshape(out, ones...)
		}
		return Reshape(out, keptShape(t, []int{axis}, true)...)
	}
	return out
}

// Argmax returns the index of the largest element along the Axis option (of the
// flattened tensor by default). Tie(TieHigh) picks the last of equal maxima;
// NaN counts as the largest. The result is s64 unless Type says otherwise.
func Argmax(t *Tensor, opts ...Option) *Tensor { return argReduce("nx.Argmax", t, true, opts) }

// Argmin returns the index of the smallest element, with the options of Argmax.
func Argmin(t *Tensor, opts ...Option) *Tensor { return argReduce("nx.Argmin", t, false, opts) }
