package nx

import (
	"runtime"
)

// The two backward primitives of a convolution without input dilation or
// groups (the convolutions of neural-network layers, any strides, padding and
// kernel dilation), computed as PyTorch and most CPU libraries do, from the
// forward convolution's own im2col geometry:
//
//   - ∂kernel: for each batch item, the output gradient [O][P] times the
//     transposed im2col matrix of the input [P][C·K], summed over the batch;
//   - ∂input: for each batch item, the transposed kernel [C·K][O] times the
//     output gradient [O][P], whose columns are added back into the input's
//     positions (col2im, the transpose of im2col).
//
// Compared with writing the gradients as convolutions (grad_rules_conv.go),
// this never builds the im2col matrix of a zero-padded or stride-dilated
// output gradient, so no multiply-add is spent on padding or on the zeros
// between strided outputs, and both products have the shapes of the forward
// one. The three operations — the convolution and these two — are the three
// bilinear forms of one pairing ⟨conv(x, w), g⟩, so each one's gradient is
// written with the other two and differentiates again to any order.

// convBackAttr is the attribute of the backward primitives: the forward
// convolution's attribute and the shapes of its input and kernel.
type convBackAttr struct {
	conv        convAttr
	input, kern Shape
}

// convBackEligible reports whether the backward primitives handle the
// convolution of a: real floats, no input dilation, no groups.
func convBackEligible(a convAttr, dt DType) bool {
	if a.featGroups != 1 || a.batchGroups != 1 || (dt != F32 && dt != F64) {
		return false
	}
	for _, d := range a.inDil {
		if d != 1 {
			return false
		}
	}
	return true
}

// convBackInput returns ∂⟨conv(x, k), grad⟩/∂x for x of shape xs.
func convBackInput(grad, k *Tensor, a convAttr, xs Shape) *Tensor {
	return convBackInputOp.apply1(xs.Clone(), grad.dtype, convBackAttr{conv: a, input: xs.Clone(), kern: k.shape.Clone()}, grad, k)
}

// convBackKernel returns ∂⟨conv(x, k), grad⟩/∂k for k of shape ks.
func convBackKernel(x, grad *Tensor, a convAttr, ks Shape) *Tensor {
	return convBackKernelOp.apply1(ks.Clone(), grad.dtype, convBackAttr{conv: a, input: x.shape.Clone(), kern: ks.Clone()}, x, grad)
}

// convForward applies the forward primitive with attribute a.
func convForward(x, k *Tensor, a convAttr) *Tensor {
	shape := append(Shape{x.shape[0], k.shape[0]}, a.out...)
	return convOp.apply1(shape, x.dtype, a, x, k)
}

var convBackInputOp = &opDef{name: "conv_backward_input", cpu: func(c *call) {
	a := c.attr.(convBackAttr)
	grad, k := c.args[0], c.args[1]
	st := convStateOf(c, a.input, a.kern, a.conv)
	switch d := c.out(0).(type) {
	case []float32:
		convBackInputRun(d, grad.data.([]float32), k.data.([]float32), st)
	case []float64:
		convBackInputRun(d, grad.data.([]float64), k.data.([]float64), st)
	default:
		panic(&Error{Op: "nx.Conv", Msg: "conv_backward_input: unsupported data"})
	}
}}

var convBackKernelOp = &opDef{name: "conv_backward_kernel", cpu: func(c *call) {
	a := c.attr.(convBackAttr)
	x, grad := c.args[0], c.args[1]
	st := convStateOf(c, a.input, a.kern, a.conv)
	switch d := c.out(0).(type) {
	case []float32:
		convBackKernelRun(d, x.data.([]float32), grad.data.([]float32), st)
	case []float64:
		convBackKernelRun(d, x.data.([]float64), grad.data.([]float64), st)
	default:
		panic(&Error{Op: "nx.Conv", Msg: "conv_backward_kernel: unsupported data"})
	}
}}

func init() {
	// dx = B(g, w) with ⟨c, B(g, w)⟩ = ⟨conv(c, w), g⟩ for every c.
	convBackInputOp.vjp = func(gc *gradCall) []*Tensor {
		a := gc.attr.(convBackAttr)
		grad, k, c := gc.args[0], gc.args[1], gc.g()
		var gg, gk *Tensor
		if grad.expr != nil {
			gg = convForward(c, k, a.conv)
		}
		if k.expr != nil {
			gk = convBackKernel(c, grad, a.conv, a.kern)
		}
		return []*Tensor{gg, gk}
	}
	// dw = K(x, g) with ⟨c, K(x, g)⟩ = ⟨conv(x, c), g⟩ for every c.
	convBackKernelOp.vjp = func(gc *gradCall) []*Tensor {
		a := gc.attr.(convBackAttr)
		x, grad, c := gc.args[0], gc.args[1], gc.g()
		var gx, gg *Tensor
		if x.expr != nil {
			gx = convBackInput(grad, c, a.conv, a.input)
		}
		if grad.expr != nil {
			gg = convForward(x, c, a.conv)
		}
		return []*Tensor{gx, gg}
	}
}

// convBackChunk returns the number of output positions one im2col buffer of
// the backward primitives holds.
func convBackChunk(g *convGeom) int {
	rows := g.kCh * g.kSize
	chunk := g.outSize
	if rows*chunk > convColLimit {
		chunk = max(gemmNR, convColLimit/max(rows, 1))
	}
	return min(chunk, g.outSize)
}

// convBackKernelRun computes ∂kernel [O][C·K] = Σₙ gradₙ [O][P] · colₙᵀ
// [P][C·K]: the batch is cut into one share per thread, each summed into
// its own buffer, and the shares are added in order, so that the result does
// not depend on which thread finishes first.
func convBackKernelRun[T float32 | float64](dw, x, grad []T, st *convState) {
	g := st.g
	rows := g.kCh * g.kSize
	o, p := g.outCh, g.outSize
	clear(dw)
	if g.batch == 0 || o == 0 || p == 0 || rows == 0 {
		return
	}
	shares := 1
	if workers := runtime.GOMAXPROCS(0); g.batch >= workers && workers > 1 {
		shares = workers
	}
	j := stateOf[convBackKernelJob[T]](&st.job)
	*j = convBackKernelJob[T]{x: x, grad: grad, st: st, rows: rows, chunk: convBackChunk(g), shares: shares, accs: j.accs}
	defer func() { *j = convBackKernelJob[T]{accs: j.accs} }() // keep no operand alive
	for len(j.accs) < shares {
		j.accs = append(j.accs, make([]T, o*rows))
	}
	if shares == 1 {
		j.share(0, true)
	} else {
		parallelRanges(shares, 1, j)
	}
	for _, acc := range j.accs[:shares] {
		for i, v := range acc {
			dw[i] += v
		}
	}
}

// convBackKernelJob is the work of convBackKernelRun: share k of the batch
// summed into accs[k].
type convBackKernelJob[T float32 | float64] struct {
	x, grad     []T
	st          *convState
	rows, chunk int
	shares      int
	accs        [][]T // kept from call to call
}

func (j *convBackKernelJob[T]) runRange(lo, hi int) {
	for k := lo; k < hi; k++ {
		j.share(k, false)
	}
}

// share sums the items of share k into accs[k]; inner lets the products and
// im2col split their own work.
func (j *convBackKernelJob[T]) share(k int, inner bool) {
	g := j.st.g
	o, p, rows, chunk := g.outCh, g.outSize, j.rows, j.chunk
	lo, hi := k*g.batch/j.shares, (k+1)*g.batch/j.shares
	acc := j.accs[k]
	clear(acc)
	sc, col := convCol[T](j.st, rows*chunk)
	defer j.st.scratch.Put(sc)
	for n := lo; n < hi; n++ {
		src := j.x[n*g.inCh*g.plane : (n+1)*g.inCh*g.plane]
		gn := j.grad[n*o*p : (n+1)*o*p]
		for p0 := 0; p0 < p; p0 += chunk {
			p1 := min(p, p0+chunk)
			w := p1 - p0
			cols := col[:rows*w]
			convIm2col(cols, src, g, p0, p1, inner)
			// acc [O][rows] += gₙ[:, p0:p1] [O][w] · colsᵀ [w][rows].
			gemmFloat(acc, rows, gn[p0:], p, 1, cols, 1, w, o, rows, w, inner)
		}
	}
}

// convBackInputRun computes ∂input: for each batch item the columns
// kernelᵀ [C·K][O] · gradₙ [O][P] added back into the item's positions, the
// batch split across goroutines.
func convBackInputRun[T float32 | float64](dx, grad, k []T, st *convState) {
	g := st.g
	rows := g.kCh * g.kSize
	o, p := g.outCh, g.outSize
	clear(dx)
	if g.batch == 0 || o == 0 || p == 0 || rows == 0 {
		return
	}
	j := stateOf[convBackInputJob[T]](&st.job)
	*j = convBackInputJob[T]{dx: dx, grad: grad, k: k, st: st, rows: rows, chunk: convBackChunk(g)}
	defer func() { *j = convBackInputJob[T]{} }() // keep no operand alive
	if g.batch > 1 && runtime.GOMAXPROCS(0) > 1 {
		parallelRanges(g.batch, 1, j)
		return
	}
	j.items(0, g.batch, true)
}

// convBackInputJob is the work of convBackInputRun over batch items.
type convBackInputJob[T float32 | float64] struct {
	dx, grad, k []T
	st          *convState
	rows, chunk int
}

func (j *convBackInputJob[T]) runRange(lo, hi int) { j.items(lo, hi, false) }

func (j *convBackInputJob[T]) items(lo, hi int, inner bool) {
	g := j.st.g
	o, p, rows, chunk := g.outCh, g.outSize, j.rows, j.chunk
	sc, col := convCol[T](j.st, rows*chunk)
	defer j.st.scratch.Put(sc)
	for n := lo; n < hi; n++ {
		dst := j.dx[n*g.inCh*g.plane : (n+1)*g.inCh*g.plane]
		gn := j.grad[n*o*p : (n+1)*o*p]
		for p0 := 0; p0 < p; p0 += chunk {
			p1 := min(p, p0+chunk)
			w := p1 - p0
			cols := col[:rows*w]
			// cols [rows][w] = kernelᵀ [rows][O] · gₙ[:, p0:p1] [O][w].
			clear(cols)
			gemmFloat(cols, w, j.k, 1, rows, gn[p0:], p, 1, rows, w, o, inner)
			convCol2im(dst, cols, g, p0, p1)
		}
	}
}

// convCol2im adds col, [rows][p1-p0] laid out as convIm2col fills it, back
// into the input positions each element came from (dst is one batch item's
// input gradient); taps in the padding are dropped.
func convCol2im[T float32 | float64](dst, col []T, g *convGeom, p0, p1 int) {
	width := p1 - p0
	rows := len(col) / max(width, 1)
	ns := len(g.outSp)
	last := ns - 1
	var kb, ob [maxFastRank]int
	kidx, oidx := axisIndex(kb[:], ns), axisIndex(ob[:], ns)
	for r := range rows {
		ch := g.rowStart(r, p0, kidx, oidx)
		plane := dst[ch*g.plane : (ch+1)*g.plane]
		src := col[r*width : (r+1)*width]
		tl := g.tab[last][kidx[last]*g.outSp[last] : (kidx[last]+1)*g.outSp[last]]
		for q := 0; q < width; {
			base, ok := g.rowBase(kidx, oidx)
			run := min(width-q, g.outSp[last]-oidx[last])
			if ok {
				s := oidx[last]
				a, b := max(g.vlo[kidx[last]], s), min(g.vhi[kidx[last]], s+run)
				if a < b {
					seg := src[q+a-s : q+b-s]
					out := plane[base+tl[a]:]
					if g.lastStride == 1 {
						out = out[:len(seg)]
						for j, v := range seg {
							out[j] += v
						}
					} else {
						for j, v := range seg {
							out[j*g.lastStride] += v
						}
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
