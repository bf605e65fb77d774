package nx

// Gradient rules of the window reductions and of the select-and-scatter
// primitive behind WindowScatterMax and WindowScatterMin, written with public
// functions so that they trace, compile and differentiate again.
//
//   - WindowSum (and so WindowMean): the transposition used by XLA, JAX and
//     Nx: the output gradient, dilated by the strides and padded, summed over
//     the same (dilated) windows.
//   - WindowProduct: each element gets the gradient of every window that
//     holds it times the product of the window's other elements, computed
//     from running products over the window's positions, so zeros are safe.
//   - WindowMax and WindowMin: each window's gradient goes to its selected
//     element — the last of the ties, never padding — through
//     WindowScatterMax and WindowScatterMin, as Nx and JAX do. With window
//     dilations (which WindowScatterMax does not take; JAX does not
//     differentiate them) the same selection is made tap by tap with strided
//     slices, a slower but equivalent formulation.
//   - WindowScatterMax and WindowScatterMin: the source's gradient is the
//     output gradient at each window's selected element, the initial value's
//     is the sum of the output gradient; the operand only selects, so it gets
//     none.

func init() {
	windowReduceOp.vjp = func(g *gradCall) []*Tensor {
		a := g.attr.(windowAttr)
		x, grad := g.args[0], g.g()
		if x.Size() == 0 {
			return []*Tensor{Zeros(grad.dtype, x.shape...)}
		}
		switch a.kind {
		case windowSum:
			return []*Tensor{windowSumTranspose(grad, x.shape, a)}
		case windowProduct:
			return []*Tensor{windowProductGrad(x, grad, a)}
		}
		isMax := a.kind == windowMax
		dilated := false
		pads := make([][2]int, len(a.lo))
		for d := range pads {
			pads[d] = [2]int{a.lo[d], a.hi[d]}
			dilated = dilated || a.dil[d] > 1
		}
		if !dilated {
			opts := []Option{Strides(a.strides...), Padded(Pads(pads...))}
			if isMax {
				return []*Tensor{WindowScatterMax(x, grad, Number(0), a.window, opts...)}
			}
			return []*Tensor{WindowScatterMin(x, grad, Number(0), a.window, opts...)}
		}
		w := newWindowTaps(x.shape, grad.shape, a.window, a.strides, a.dil, a.lo)
		var acc *Tensor
		for i, m := range w.choose(x, isMax, grad.dtype) {
			acc = sumTensors(acc, w.put(Multiply(grad, m), i))
		}
		return []*Tensor{w.unpad(acc)}
	}

	windowScatterOp.vjp = func(g *gradCall) []*Tensor {
		a := g.attr.(windowScatterAttr)
		t, src, grad := g.args[0], g.args[1], g.g()
		if t.Size() == 0 {
			return []*Tensor{nil, Zeros(grad.dtype, src.shape...), Sum(grad)}
		}
		dil := make([]int, t.Rank())
		for d := range dil {
			dil[d] = 1
		}
		w := newWindowTaps(t.shape, src.shape, a.window, a.strides, dil, a.lo)
		gp := w.pad(grad, Zeros(grad.dtype))
		var ds *Tensor
		for i, m := range w.choose(t, a.max, grad.dtype) {
			ds = sumTensors(ds, Multiply(m, w.take(gp, i)))
		}
		return []*Tensor{nil, ds, Sum(grad)}
	}
}

// sumTensors returns acc + t, or t when acc is nil.
func sumTensors(acc, t *Tensor) *Tensor {
	if acc == nil {
		return t
	}
	return Add(acc, t)
}

// windowSumTranspose returns the gradient of a window sum over an operand of
// shape, given the gradient grad of its result.
func windowSumTranspose(grad *Tensor, shape Shape, a windowAttr) *Tensor {
	cfg := make([][3]int, len(shape))
	for d := range cfg {
		kd := dilateSize(a.window[d], a.dil[d])
		out := dilateSize(grad.shape[d], a.strides[d])
		before := kd - a.lo[d] - 1
		cfg[d] = [3]int{before, shape[d] + kd - 1 - out - before, a.strides[d] - 1}
	}
	p := Pad(grad, Zeros(grad.dtype), cfg...)
	return WindowSum(p, a.window, WindowDilations(a.dil...))
}

// windowProductGrad returns the gradient of a window product of x: for each
// window position i, the output gradient times the products of the window's
// elements before and after i, sent back to the elements at position i.
func windowProductGrad(x, grad *Tensor, a windowAttr) *Tensor {
	w := newWindowTaps(x.shape, grad.shape, a.window, a.strides, a.dil, a.lo)
	xp := w.pad(x, Ones(x.dtype))
	n := len(w.starts)
	taps := make([]*Tensor, n)
	for i := range taps {
		taps[i] = w.take(xp, i)
	}
	after := make([]*Tensor, n)
	var p *Tensor
	for i := n - 1; i >= 0; i-- {
		after[i] = p
		p = multiplyTensors(p, taps[i])
	}
	var before, acc *Tensor
	for i := range taps {
		y := multiplyTensors(multiplyTensors(grad, before), after[i])
		acc = sumTensors(acc, w.put(y, i))
		before = multiplyTensors(before, taps[i])
	}
	return w.unpad(acc)
}

// multiplyTensors returns a·b, treating nil as 1.
func multiplyTensors(a, b *Tensor) *Tensor {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return Multiply(a, b)
}

// windowTaps views a window operation tap by tap: tap i (a position in the
// window, in row-major order) sees, for every window, one element of the
// operand padded to the extent the windows cover; take gathers those elements
// with a strided slice and put is its transpose.
type windowTaps struct {
	out     Shape    // shape of the windows
	strides []int    // window strides
	starts  [][]int  // starts[i]: where tap i reads in the padded operand
	config  [][3]int // padding of the operand to the covered extent
	padded  Shape    // the covered extent
}

func newWindowTaps(shape, out Shape, window, strides, dil, lo []int) *windowTaps {
	r := len(shape)
	w := &windowTaps{out: out, strides: strides, config: make([][3]int, r), padded: make(Shape, r)}
	for d := range r {
		extent := (out[d]-1)*strides[d] + dilateSize(window[d], dil[d])
		w.padded[d] = extent
		// The high side may crop elements that no window reaches.
		w.config[d] = [3]int{lo[d], extent - shape[d] - lo[d], 0}
	}
	w.starts = [][]int{{}}
	for d := range r {
		var next [][]int
		for _, s := range w.starts {
			for k := range window[d] {
				next = append(next, append(append([]int{}, s...), k*dil[d]))
			}
		}
		w.starts = next
	}
	return w
}

// pad returns t, of the operand's shape, padded with fill to the covered extent.
func (w *windowTaps) pad(t, fill *Tensor) *Tensor { return Pad(t, fill, w.config...) }

// unpad is the transpose of pad: p cut (or extended with zeros) back to the
// operand's shape.
func (w *windowTaps) unpad(p *Tensor) *Tensor {
	cfg := make([][3]int, len(w.config))
	for d, c := range w.config {
		cfg[d] = [3]int{-c[0], -c[1], 0}
	}
	return Pad(p, Zeros(p.dtype), cfg...)
}

// take returns the element of each window at tap i of p, a padded operand.
func (w *windowTaps) take(p *Tensor, i int) *Tensor {
	lengths := make([]int, len(w.out))
	for d, n := range w.out {
		lengths[d] = dilateSize(n, w.strides[d])
	}
	return Slice(p, w.starts[i], lengths, Strides(w.strides...))
}

// put is the transpose of take: y, of the windows' shape, laid out over the
// padded operand at tap i's elements, zeros elsewhere.
func (w *windowTaps) put(y *Tensor, i int) *Tensor {
	cfg := make([][3]int, len(w.out))
	for d, n := range w.out {
		s := w.starts[i][d]
		cfg[d] = [3]int{s, w.padded[d] - s - dilateSize(n, w.strides[d]), w.strides[d] - 1}
	}
	return Pad(y, Zeros(y.dtype), cfg...)
}

// choose returns, for each tap, a mask of type dt with 1 at the windows whose
// selected element is at that tap: the largest (or smallest) element of the
// window, the last one on ties, never padding — the choice windowSelect makes
// for WindowScatterMax and WindowScatterMin.
func (w *windowTaps) choose(x *Tensor, isMax bool, dt DType) []*Tensor {
	xp := w.pad(x, Zeros(x.dtype))
	valid := w.pad(Ones(U8, x.shape...), Zeros(U8))
	sel := Full(-1, S64, w.out...)
	var best, has *Tensor
	for i := range w.starts {
		xi, vi := w.take(xp, i), w.take(valid, i)
		if i == 0 {
			best, has = xi, vi
			sel = Select(vi, Scalar(int64(0)), sel)
			continue
		}
		// The current choice stays only while it is strictly better.
		var stays *Tensor
		if isMax {
			stays = Greater(best, xi)
		} else {
			stays = Less(best, xi)
		}
		take := LogicalAnd(vi, LogicalOr(LogicalNot(has), LogicalNot(stays)))
		best = Select(take, xi, best)
		has = LogicalOr(has, vi)
		sel = Select(take, Scalar(int64(i)), sel)
	}
	masks := make([]*Tensor, len(w.starts))
	for i := range masks {
		masks[i] = AsType(Equal(sel, Scalar(int64(i))), dt)
	}
	return masks
}
