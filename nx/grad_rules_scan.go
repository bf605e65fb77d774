package nx

// Gradient rules of the running (cumulative) products, maxima and minima.

func init() {
	cumProductOp.vjp = func(g *gradCall) []*Tensor {
		// y_i = Π_{j≤i} x_j, so ∂L/∂x_k = Σ_{i≥k} g_i·y_i / x_k: a running sum in
		// the other direction. Like JAX's simple rule, it needs x_k ≠ 0.
		a := g.attr.(cumAttr)
		x, y := g.args[0], g.outs[0]
		opts := []Option{Axis(a.axis)}
		if !a.reverse {
			opts = append(opts, Reversed())
		}
		return []*Tensor{Divide(CumulativeSum(Multiply(g.g(), y), opts...), x)}
	}
	cumMaxOp.vjp = func(g *gradCall) []*Tensor { return cumExtremeGrad(g, CumulativeMax) }
	cumMinOp.vjp = func(g *gradCall) []*Tensor { return cumExtremeGrad(g, CumulativeMin) }
}

// cumExtremeGrad routes each running extreme's gradient to the element that
// holds it: the latest position (in scan order) where the running value was
// reached. It compares every pair of positions of a lane, so its cost grows
// with the square of the axis length.
func cumExtremeGrad(g *gradCall, scan func(*Tensor, ...Option) *Tensor) []*Tensor {
	a := g.attr.(cumAttr)
	x, y := g.args[0], g.outs[0]
	r := x.Rank()
	n := x.shape[a.axis]
	// Move the scanned axis last.
	perm := append(append(seq(0, a.axis), seq(a.axis+1, r)...), a.axis)
	inv := make([]int, r)
	for i, p := range perm {
		inv[p] = i
	}
	xt, yt, gt := Transpose(x, Axes(perm...)), Transpose(y, Axes(perm...)), Transpose(g.g(), Axes(perm...))
	pos := Iota(xt.shape, Axis(-1))
	order := pos
	if a.reverse {
		order = Subtract(Scalar(int64(n-1)), pos)
	}
	// Where x reaches the running extreme, remember its scan order; a running
	// maximum of those orders says which element holds each result.
	marked := Select(Equal(xt, yt), order, Scalar(int64(-1)))
	scanOpts := []Option{Axis(-1)}
	if a.reverse {
		scanOpts = append(scanOpts, Reversed())
	}
	holder := CumulativeMax(marked, scanOpts...)
	if a.reverse {
		holder = Subtract(Scalar(int64(n-1)), holder)
	}
	// grad[k] = Σ_i g_i·[holder_i = k]
	hit := Equal(NewAxis(holder, -1), NewAxis(pos, -2)) // [..., i, k]
	routed := Sum(Multiply(AsType(hit, gt.dtype), NewAxis(gt, -1)), Axes(-2))
	return []*Tensor{Transpose(routed, Axes(inv...))}
}
