package nx

import "runtime"

// Conv returns the N-d convolution of input with kernel, as used in neural
// networks, following Nx.conv. input is [batch][in_channels][spatial...] and
// kernel is [out_channels][in_channels/FeatureGroups][spatial...], of the same
// rank (3 or more); the result is [batch/BatchGroups][out_channels][spatial...].
// Like Nx (and every deep-learning library), Conv does not reverse the kernel: it
// computes a cross-correlation, and it does not conjugate complex kernels.
//
// The result is a float tensor: the operands' types merge as in Add and
// integers become f32. Options:
//
//   - Strides: the step of the window along each spatial axis (one value for
//     all axes; default 1).
//   - Padded: Valid (the default), Same (pad with zeros so that each spatial
//     size becomes the input size divided by the stride, rounded up — the
//     padding is the dilated kernel size minus one, split as in Nx with the
//     smaller half low), or Pads with a (low, high) pair per spatial axis;
//     explicit pads may be negative, which crops.
//   - InputDilation: spread the input's elements this far apart, filling with
//     zeros (a transposed convolution; default 1).
//   - KernelDilation: spread the kernel's elements apart (an atrous
//     convolution; default 1).
//   - FeatureGroups: split the input channels into this many groups, each
//     convolved with its share of the output channels (default 1;
//     depthwise when it equals in_channels).
//   - BatchGroups: split the batch into this many groups of consecutive items;
//     group g is convolved with the g-th share of the output channels, and the
//     results are stacked along the channel axis (default 1; used for the
//     gradient of grouped convolutions). FeatureGroups and BatchGroups cannot
//     both exceed 1.
func Conv(input, kernel *Tensor, opts ...Option) *Tensor {
	shape, dt, attr := convPrepare(input, kernel, opts)
	return convOp.apply1(shape, dt, attr, AsType(input, dt), AsType(kernel, dt))
}

// convPrepare checks Conv's operands and options and returns the result's
// shape and type and the primitive's attribute.
func convPrepare(input, kernel *Tensor, opts []Option) (Shape, DType, convAttr) {
	const name = "nx.Conv"
	o := parseOptions(name, input, opts, "Strides", "Pad", "InputDilation", "KernelDilation", "FeatureGroups", "BatchGroups")
	ops := []*Tensor{input, kernel}
	if input.Rank() < 3 {
		panicf(name, ops, "input must have rank 3 or more ([batch][channels][spatial...]), got rank %d", input.Rank())
	}
	if kernel.Rank() != input.Rank() {
		panicf(name, ops, "kernel must have the input's rank %d ([out_channels][in_channels][spatial...]), got rank %d", input.Rank(), kernel.Rank())
	}
	ns := input.Rank() - 2
	strides := axisInts(name, ops, "Strides", o.strides, o.given["Strides"], ns)
	idil := axisInts(name, ops, "InputDilation", o.inDil, o.given["InputDilation"], ns)
	kdil := axisInts(name, ops, "KernelDilation", o.kernelDil, o.given["KernelDilation"], ns)
	fg, bg := o.featGroups, o.batchGroup
	batch, inCh := input.shape[0], input.shape[1]
	outCh, kCh := kernel.shape[0], kernel.shape[1]
	switch {
	case fg < 1 || bg < 1:
		panicf(name, ops, "FeatureGroups (%d) and BatchGroups (%d) must be at least 1", fg, bg)
	case fg > 1 && bg > 1:
		panicf(name, ops, "FeatureGroups (%d) and BatchGroups (%d) cannot both exceed 1", fg, bg)
	case batch%bg != 0:
		panicf(name, ops, "BatchGroups (%d) must divide the batch size %d", bg, batch)
	case outCh%fg != 0:
		panicf(name, ops, "FeatureGroups (%d) must divide the kernel's %d output channels", fg, outCh)
	case outCh%bg != 0:
		panicf(name, ops, "BatchGroups (%d) must divide the kernel's %d output channels", bg, outCh)
	case inCh != kCh*fg:
		panicf(name, ops, "the input's %d channels must equal the kernel's %d input channels times FeatureGroups (%d)", inCh, kCh, fg)
	}
	inSp := make([]int, ns)
	kSp := make([]int, ns)
	for d := range ns {
		inSp[d] = dilateSize(input.shape[d+2], idil[d])
		kSp[d] = dilateSize(kernel.shape[d+2], kdil[d])
	}
	lo, hi := resolvePadding(name, ops, o.padding, kSp, true)
	outSp := slideSizes(name, ops, "kernel", 2, inSp, kSp, strides, lo, hi)

	dt := FloatOf(mergeTypes(input, kernel))
	shape := append(Shape{batch / bg, outCh}, outSp...)
	attr := convAttr{strides: strides, lo: lo, inDil: idil, kDil: kdil, featGroups: fg, batchGroups: bg, out: outSp}
	return shape, dt, attr
}

// axisInts resolves a per-axis option such as Strides: all 1s when absent, one
// value repeated for every axis, or exactly n values; each must be at least 1.
func axisInts(name string, ops []*Tensor, opt string, vals []int, given bool, n int) []int {
	out := make([]int, n)
	switch {
	case !given:
		for i := range out {
			out[i] = 1
		}
		return out
	case len(vals) == 1:
		for i := range out {
			out[i] = vals[0]
		}
	case len(vals) == n:
		copy(out, vals)
	default:
		panicf(name, ops, "%s has %d values %v: want 1 or %d", opt, len(vals), vals, n)
	}
	for _, v := range out {
		if v < 1 {
			panicf(name, ops, "%s %v: each value must be at least 1", opt, vals)
		}
	}
	return out
}

// dilateSize returns the size of an axis of size n with dil-1 holes between
// its elements.
func dilateSize(n, dil int) int {
	if n == 0 {
		return 0
	}
	return (n-1)*dil + 1
}

// resolvePadding returns the low and high padding of each axis for windows of
// the given (dilated) sizes. Same pads by the window size minus one, the
// smaller half low, as Nx does. Explicit negative pads need allowNegative.
func resolvePadding(name string, ops []*Tensor, p Padding, window []int, allowNegative bool) (lo, hi []int) {
	n := len(window)
	lo, hi = make([]int, n), make([]int, n)
	switch p.kind {
	case 1:
		for d, w := range window {
			total := max(w-1, 0)
			lo[d], hi[d] = total/2, total-total/2
		}
	case 2:
		if len(p.pairs) != n {
			panicf(name, ops, "padding has %d (low, high) pairs %v: want one per spatial axis (%d)", len(p.pairs), p.pairs, n)
		}
		for d, pair := range p.pairs {
			if !allowNegative && (pair[0] < 0 || pair[1] < 0) {
				panicf(name, ops, "padding %v: pads must not be negative", p.pairs)
			}
			lo[d], hi[d] = pair[0], pair[1]
		}
	}
	return lo, hi
}

// slideSizes returns the number of positions of a window of size window[d]
// sliding by strides[d] over each padded axis (axis d + first of the input),
// panicking when the window does not fit (Nx does not produce empty results
// here).
func slideSizes(name string, ops []*Tensor, what string, first int, in, window, strides, lo, hi []int) []int {
	out := make([]int, len(in))
	for d := range in {
		padded := in[d] + lo[d] + hi[d]
		if padded < window[d] {
			panicf(name, ops, "the %s (size %d along axis %d, dilated) does not fit in the padded input (size %d): the result would be empty", what, window[d], d+first, padded)
		}
		out[d] = (padded-window[d])/strides[d] + 1
	}
	return out
}

// convAttr holds a convolution's geometry; sizes are per spatial axis.
type convAttr struct {
	strides, lo, inDil, kDil []int
	featGroups, batchGroups  int
	out                      []int // output spatial sizes
}

// convColLimit bounds the elements of one im2col buffer (rows × columns); a
// variable so that tests can exercise the column chunks.
var convColLimit = 1 << 20

// convOp is the convolution primitive: operands of the result's (float) type.
var convOp = &opDef{name: "conv", cpu: func(c *call) {
	attr := c.attr.(convAttr)
	in, k := c.args[0], c.args[1]
	st := convStateOf(c, in.shape, k.shape, attr)
	clear(dataBytes(c.outOverwrite(0))) // the products add to it
	switch x := in.data.(type) {
	case []float32:
		convRun(c.out(0).([]float32), x, k.data.([]float32), st, gemmFloat[float32])
	case []float64:
		convRun(c.out(0).([]float64), x, k.data.([]float64), st, gemmFloat[float64])
	case []Float16, []BFloat16:
		out := make([]float32, c.outs[0].shape.Size())
		convRun(out, in.Float32s(), k.Float32s(), st, gemmFloat[float32])
		convertInto(c.out(0), out)
	case []complex64:
		convRun(c.out(0).([]complex64), x, k.data.([]complex64), st, gemmPlain[complex64])
	case []complex128:
		convRun(c.out(0).([]complex128), x, k.data.([]complex128), st, gemmPlain[complex128])
	default:
		panic(&Error{Op: "nx.Conv", Msg: "conv: unsupported data"})
	}
}}

// convGeom is a convolution's geometry, ready for im2col.
type convGeom struct {
	batch, inCh, outCh, kCh int
	fg, bg                  int
	inSp, kSp               Shape
	outSp                   []int
	inStr                   []int   // strides of the input's spatial axes
	plane, kSize, outSize   int     // elements per input channel, kernel channel, output channel
	tab                     [][]int // tab[d][k·out[d] + o]: input index along axis d, or -1
	// Along the last axis, without input dilation, the valid outputs of
	// kernel element k are the range [vlo[k], vhi[k]), whose inputs are
	// lastStride apart.
	lastDense  bool
	lastStride int
	vlo, vhi   []int
}

func newConvGeom(in, k Shape, a convAttr) *convGeom {
	ns := len(in) - 2
	g := &convGeom{
		batch: in[0], inCh: in[1], outCh: k[0], kCh: k[1], fg: a.featGroups, bg: a.batchGroups,
		inSp: in[2:], kSp: k[2:], outSp: a.out,
	}
	g.inStr = g.inSp.Strides()
	g.plane, g.kSize, g.outSize = g.inSp.Size(), g.kSp.Size(), Shape(g.outSp).Size()
	g.tab = make([][]int, ns)
	for d := range ns {
		din := dilateSize(g.inSp[d], a.inDil[d])
		t := make([]int, g.kSp[d]*g.outSp[d])
		for kk := 0; kk < g.kSp[d]; kk++ {
			for o := 0; o < g.outSp[d]; o++ {
				q := o*a.strides[d] + kk*a.kDil[d] - a.lo[d]
				v := -1
				if q >= 0 && q < din && q%a.inDil[d] == 0 {
					v = q / a.inDil[d]
				}
				t[kk*g.outSp[d]+o] = v
			}
		}
		g.tab[d] = t
	}
	last := ns - 1
	g.lastDense, g.lastStride = a.inDil[last] == 1, a.strides[last]
	g.vlo, g.vhi = make([]int, g.kSp[last]), make([]int, g.kSp[last])
	for kk := range g.vlo {
		row := g.tab[last][kk*g.outSp[last] : (kk+1)*g.outSp[last]]
		lo, hi := 0, 0
		for o, v := range row {
			if v >= 0 {
				if hi == 0 {
					lo = o
				}
				hi = o + 1
			}
		}
		g.vlo[kk], g.vhi[kk] = lo, hi
	}
	return g
}

// convRun computes the convolution as one matrix product per output batch item
// and group: kernel rows [Og][Cg·K] times the im2col matrix [Cg·K][positions].
func convRun[T any](out, in, ker []T, st *convState, mm gemmFunc[T]) {
	g := st.g
	groups := g.fg * g.bg
	og := g.outCh / groups
	rows := g.kCh * g.kSize
	outN := g.batch / g.bg
	tasks := outN * groups
	if tasks == 0 || og == 0 || g.outSize == 0 {
		return
	}
	chunk := g.outSize
	if rows*chunk > convColLimit {
		chunk = max(gemmNR, convColLimit/max(rows, 1))
	}
	j := stateOf[convFwdJob[T]](&st.job)
	*j = convFwdJob[T]{out: out, in: in, ker: ker, st: st, mm: mm, rows: rows, chunk: chunk, groups: groups, og: og, outN: outN}
	defer func() { *j = convFwdJob[T]{} }() // keep no operand alive
	if tasks >= runtime.GOMAXPROCS(0) && tasks > 1 {
		work := og * rows * g.outSize
		parallelRanges(tasks, max(1, gemmSerial/max(work, 1)), j)
		return
	}
	j.run(0, tasks, true)
}

// convFwdJob is one convolution's work: tasks (batch item, group) of a
// product of the kernel by an im2col matrix.
type convFwdJob[T any] struct {
	out, in, ker                  []T
	st                            *convState
	mm                            gemmFunc[T]
	rows, chunk, groups, og, outN int
}

func (j *convFwdJob[T]) runRange(lo, hi int) { j.run(lo, hi, false) }

// run computes tasks [lo, hi); inner lets the product and the im2col split
// their own work.
func (j *convFwdJob[T]) run(lo, hi int, inner bool) {
	out, in, ker, g, mm := j.out, j.in, j.ker, j.st.g, j.mm
	rows, chunk, groups, og, outN := j.rows, j.chunk, j.groups, j.og, j.outN
	{
		sc, col := convCol[T](j.st, rows*min(chunk, g.outSize))
		defer j.st.scratch.Put(sc)
		for t := lo; t < hi; t++ {
			i, grp := t/groups, t%groups
			n, c0 := i, 0
			if g.bg > 1 {
				n = i + grp*outN
			}
			if g.fg > 1 {
				c0 = grp * g.kCh
			}
			src := in[(n*g.inCh+c0)*g.plane : (n*g.inCh+c0+g.kCh)*g.plane]
			w := ker[grp*og*rows : (grp+1)*og*rows]
			dst := out[(i*g.outCh+grp*og)*g.outSize : (i*g.outCh+(grp+1)*og)*g.outSize]
			for p0 := 0; p0 < g.outSize; p0 += chunk {
				p1 := min(g.outSize, p0+chunk)
				cols := col[:rows*(p1-p0)]
				convIm2col(cols, src, g, p0, p1, inner)
				mm(dst[p0:], g.outSize, w, rows, 1, cols, p1-p0, 1, og, p1-p0, rows, inner)
			}
		}
	}
}

// rowStart sets kidx to the kernel position of im2col row r and oidx to output
// position p0, one index per spatial axis, and returns row r's input channel.
func (g *convGeom) rowStart(r, p0 int, kidx, oidx []int) int {
	ch, kp := r/g.kSize, r%g.kSize
	for d := len(kidx) - 1; d >= 0; d-- {
		kidx[d] = kp % g.kSp[d]
		kp /= g.kSp[d]
	}
	for d := len(oidx) - 1; d >= 0; d-- {
		oidx[d] = p0 % g.outSp[d]
		p0 /= g.outSp[d]
	}
	return ch
}

// rowBase returns the offset in an input plane, along every spatial axis but the
// last, of kernel position kidx at output position oidx; ok is false when that
// tap falls in the padding or between dilated elements.
func (g *convGeom) rowBase(kidx, oidx []int) (base int, ok bool) {
	for d := range len(kidx) - 1 {
		v := g.tab[d][kidx[d]*g.outSp[d]+oidx[d]]
		if v < 0 {
			return 0, false
		}
		base += v * g.inStr[d]
	}
	return base, true
}

// convIm2col fills col, [rows][p1-p0], with the input values under each
// kernel element (rows: channel, then kernel position) at each output position
// in [p0, p1); positions in the padding or between dilated elements are zero.
func convIm2col[T any](col, src []T, g *convGeom, p0, p1 int, parallel bool) {
	width := p1 - p0
	rows := len(col) / max(width, 1)
	if parallel && len(col) >= parallelGrain && !serial(rows, max(1, parallelGrain/max(width, 1))) {
		parallelFor(rows, max(1, parallelGrain/max(width, 1)), func(rlo, rhi int) { im2colRows(col, src, g, p0, width, rlo, rhi) })
		return
	}
	im2colRows(col, src, g, p0, width, 0, rows)
}

// im2colRows fills rows [rlo, rhi) of convIm2col's col.
func im2colRows[T any](col, src []T, g *convGeom, p0, width, rlo, rhi int) {
	ns := len(g.outSp)
	last := ns - 1
	{
		var kb, ob [maxFastRank]int
		kidx, oidx := axisIndex(kb[:], ns), axisIndex(ob[:], ns)
		for r := rlo; r < rhi; r++ {
			ch := g.rowStart(r, p0, kidx, oidx)
			plane := src[ch*g.plane : (ch+1)*g.plane]
			dst := col[r*width : (r+1)*width]
			tl := g.tab[last][kidx[last]*g.outSp[last] : (kidx[last]+1)*g.outSp[last]]
			for q := 0; q < width; {
				base, ok := g.rowBase(kidx, oidx)
				run := min(width-q, g.outSp[last]-oidx[last])
				seg := dst[q : q+run]
				switch {
				case !ok:
					clear(seg)
				case g.lastDense:
					// Zeros, then a run of inputs lastStride apart, then zeros.
					s := oidx[last]
					a, b := max(g.vlo[kidx[last]], s), min(g.vhi[kidx[last]], s+run)
					if a >= b {
						clear(seg)
						break
					}
					clear(seg[:a-s])
					clear(seg[b-s:])
					in := plane[base+tl[a]:]
					if g.lastStride == 1 {
						copy(seg[a-s:b-s], in)
						break
					}
					for j := range seg[a-s : b-s] {
						seg[a-s+j] = in[j*g.lastStride]
					}
				default:
					var zero T
					for j, v := range tl[oidx[last] : oidx[last]+run] {
						if v < 0 {
							seg[j] = zero
						} else {
							seg[j] = plane[base+v]
						}
					}
				}
				q += run
				oidx[last] += run
				for d := last; d > 0 && oidx[d] == g.outSp[d]; d-- {
					oidx[d] = 0
					oidx[d-1]++
				}
			}
		}
	}
}
