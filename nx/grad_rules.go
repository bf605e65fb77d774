package nx

import "math"

// Gradient (vjp) rules of the core primitives. Each rule receives the operands,
// results and result gradients of one application and returns the operands'
// gradients, written with public functions so that gradients trace, compile and
// differentiate again. Broadcast operands are reduced back by backprop.

// num returns v as a weak scalar of like's type.
func num(v float64) *Tensor { return Number(v) }

func unaryRule(op *opDef, d func(x, out *Tensor) *Tensor) {
	op.vjp = func(g *gradCall) []*Tensor {
		return []*Tensor{Multiply(g.g(), d(g.args[0], g.outs[0]))}
	}
}

func zeroRule(op *opDef) {
	op.vjp = func(g *gradCall) []*Tensor { return []*Tensor{Zeros(g.args[0].dtype, g.args[0].shape...)} }
}

func init() {
	unaryRule(expOp, func(_, out *Tensor) *Tensor { return out })
	unaryRule(expm1Op, func(_, out *Tensor) *Tensor { return Add(out, num(1)) })
	unaryRule(logOp, func(x, _ *Tensor) *Tensor { return Divide(num(1), x) })
	unaryRule(log1pOp, func(x, _ *Tensor) *Tensor { return Divide(num(1), Add(x, num(1))) })
	unaryRule(log2Op, func(x, _ *Tensor) *Tensor { return Divide(num(1/math.Ln2), x) })
	unaryRule(log10Op, func(x, _ *Tensor) *Tensor { return Divide(num(1/math.Ln10), x) })
	unaryRule(sqrtOp, func(_, out *Tensor) *Tensor { return Divide(num(0.5), out) })
	unaryRule(rsqrtOp, func(_, out *Tensor) *Tensor { return Multiply(num(-0.5), Multiply(out, Square(out))) })
	unaryRule(cbrtOp, func(_, out *Tensor) *Tensor { return Divide(num(1.0/3), Square(out)) })
	unaryRule(sigmoidOp, func(_, out *Tensor) *Tensor { return Multiply(out, Subtract(num(1), out)) })
	unaryRule(sinOp, func(x, _ *Tensor) *Tensor { return Cos(x) })
	unaryRule(cosOp, func(x, _ *Tensor) *Tensor { return Negate(Sin(x)) })
	unaryRule(tanOp, func(_, out *Tensor) *Tensor { return Add(num(1), Square(out)) })
	unaryRule(asinOp, func(x, _ *Tensor) *Tensor { return Rsqrt(Subtract(num(1), Square(x))) })
	unaryRule(acosOp, func(x, _ *Tensor) *Tensor { return Negate(Rsqrt(Subtract(num(1), Square(x)))) })
	unaryRule(atanOp, func(x, _ *Tensor) *Tensor { return Divide(num(1), Add(num(1), Square(x))) })
	unaryRule(sinhOp, func(x, _ *Tensor) *Tensor { return Cosh(x) })
	unaryRule(coshOp, func(x, _ *Tensor) *Tensor { return Sinh(x) })
	unaryRule(tanhOp, func(_, out *Tensor) *Tensor { return Subtract(num(1), Square(out)) })
	unaryRule(asinhOp, func(x, _ *Tensor) *Tensor { return Rsqrt(Add(Square(x), num(1))) })
	unaryRule(acoshOp, func(x, _ *Tensor) *Tensor { return Rsqrt(Subtract(Square(x), num(1))) })
	unaryRule(atanhOp, func(x, _ *Tensor) *Tensor { return Divide(num(1), Subtract(num(1), Square(x))) })
	unaryRule(erfOp, func(x, _ *Tensor) *Tensor {
		return Multiply(num(2/math.SqrtPi), Exp(Negate(Square(x))))
	})
	unaryRule(erfcOp, func(x, _ *Tensor) *Tensor {
		return Multiply(num(-2/math.SqrtPi), Exp(Negate(Square(x))))
	})
	unaryRule(erfInvOp, func(_, out *Tensor) *Tensor {
		return Multiply(num(math.SqrtPi/2), Exp(Square(out)))
	})
	unaryRule(absOp, func(x, _ *Tensor) *Tensor { return Sign(x) })
	negateOp.vjp = func(g *gradCall) []*Tensor { return []*Tensor{Negate(g.g())} }
	for _, op := range []*opDef{signOp, floorOp, ceilOp, roundOp} {
		zeroRule(op)
	}
	stopGradOp.vjp = func(*gradCall) []*Tensor { return nil }

	addOp.vjp = func(g *gradCall) []*Tensor { return []*Tensor{g.g(), g.g()} }
	subOp.vjp = func(g *gradCall) []*Tensor { return []*Tensor{g.g(), Negate(g.g())} }
	mulOp.vjp = func(g *gradCall) []*Tensor {
		return []*Tensor{Multiply(g.g(), g.args[1]), Multiply(g.g(), g.args[0])}
	}
	divOp.vjp = func(g *gradCall) []*Tensor {
		da := Divide(g.g(), g.args[1])
		return []*Tensor{da, Negate(Multiply(da, g.outs[0]))}
	}
	powOp.vjp = func(g *gradCall) []*Tensor {
		a, b, out := g.args[0], g.args[1], g.outs[0]
		da := Multiply(g.g(), Multiply(b, Pow(a, Subtract(b, num(1)))))
		logA := Select(Equal(a, num(0)), num(0), Log(a))
		return []*Tensor{da, Multiply(g.g(), Multiply(out, logA))}
	}
	atan2Op.vjp = func(g *gradCall) []*Tensor {
		a, b := g.args[0], g.args[1]
		den := Add(Square(a), Square(b))
		return []*Tensor{Divide(Multiply(g.g(), b), den), Negate(Divide(Multiply(g.g(), a), den))}
	}
	remOp.vjp = func(g *gradCall) []*Tensor {
		a, b := g.args[0], g.args[1]
		q := Divide(a, b)
		trunc := Select(Less(q, num(0)), Ceil(q), Floor(q))
		return []*Tensor{g.g(), Negate(Multiply(g.g(), trunc))}
	}
	maxOp.vjp = func(g *gradCall) []*Tensor { return minMaxGrad(g, Greater) }
	minOp.vjp = func(g *gradCall) []*Tensor { return minMaxGrad(g, Less) }
	selectOp.vjp = func(g *gradCall) []*Tensor {
		pred := g.args[0]
		zero := Zeros(g.g().dtype)
		return []*Tensor{nil, Select(pred, g.g(), zero), Select(pred, zero, g.g())}
	}

	asTypeOp.vjp = func(g *gradCall) []*Tensor { return []*Tensor{g.g()} }
	reshapeOp.vjp = func(g *gradCall) []*Tensor { return []*Tensor{Reshape(g.g(), g.args[0].shape...)} }
	transposeOp.vjp = func(g *gradCall) []*Tensor {
		perm := g.attr.(transposeAttr).perm
		inv := make([]int, len(perm))
		for i, p := range perm {
			inv[p] = i
		}
		return []*Tensor{Transpose(g.g(), Axes(inv...))}
	}
	broadcastOp.vjp = func(g *gradCall) []*Tensor {
		in := g.args[0]
		axes := g.attr.(broadcastAttr).axes
		mapped := make([]bool, g.g().Rank())
		var sum []int
		for i, a := range axes {
			mapped[a] = true
			if in.shape[i] == 1 && g.g().shape[a] != 1 {
				sum = append(sum, a)
			}
		}
		for a := range mapped {
			if !mapped[a] {
				sum = append(sum, a)
			}
		}
		r := g.g()
		if len(sum) > 0 {
			r = Sum(r, Axes(sum...))
		}
		return []*Tensor{Reshape(r, in.shape...)}
	}
	reduceOp.vjp = func(g *gradCall) []*Tensor {
		attr := g.attr.(reduceAttr)
		x, out := g.args[0], g.outs[0]
		keep := keptShape(x, attr.axes, true)
		gx := Broadcast(Reshape(g.g(), keep...), x.shape)
		ox := Broadcast(Reshape(out, keep...), x.shape)
		switch attr.kind {
		case reduceSum:
			return []*Tensor{gx}
		case reduceProduct:
			return []*Tensor{Multiply(gx, Divide(ox, x))}
		}
		// Max and min: the gradient is shared equally among the elements that
		// reach the extreme value.
		hit := AsType(Equal(x, ox), gx.dtype)
		count := Broadcast(Reshape(Sum(hit, Axes(attr.axes...)), keep...), x.shape)
		return []*Tensor{Divide(Multiply(gx, hit), count)}
	}
}

// minMaxGrad routes the gradient of Max or Min to the winning operand, half
// to each on ties.
func minMaxGrad(g *gradCall, wins func(a, b *Tensor) *Tensor) []*Tensor {
	a, b := g.args[0], g.args[1]
	dt := g.g().dtype
	wa := AsType(wins(a, b), dt)
	tie := Multiply(AsType(Equal(a, b), dt), num(0.5))
	ga := Multiply(g.g(), Add(wa, tie))
	gb := Multiply(g.g(), Add(AsType(wins(b, a), dt), tie))
	return []*Tensor{ga, gb}
}
