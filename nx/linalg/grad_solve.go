package linalg

import (
	"github.com/gonx-dev/gonx/nx"
)

// Gradients (VJP rules) of the solvers, inverses and products, for real
// operands.

// triangularGrad: for op(a)·x = b, b̄ = op(a)⁻ᵀ·x̄ and op(a)̄ = -b̄·xᵀ; for
// x·op(a) = b, b̄ = x̄·op(a)⁻ᵀ and op(a)̄ = -xᵀ·b̄. ā is op(a)̄ taken back
// through op and restricted to the triangle that is read.
func triangularGrad(kind rhsKind, o options) vjpFunc {
	return func(args, results, grads []*nx.Tensor) []*nx.Tensor {
		realGrad("linalg.TriangularSolve", args, results)
		a, x, g := args[0], results[0], grads[0]
		if kind == rhsVector {
			if o.leftSide {
				x, g = col(x), col(g)
			} else {
				x, g = row(x), row(g)
			}
		}
		flip := Transposed
		if o.transform == Transposed {
			flip = NoTransform
		}
		gb := TriangularSolve(a, g, Lower(o.lower), LeftSide(o.leftSide), TransformA(flip))
		var gop *nx.Tensor
		if o.leftSide {
			gop = nx.Negate(mm(gb, mT(x)))
		} else {
			gop = nx.Negate(mm(mT(x), gb))
		}
		if o.transform == Transposed {
			gop = mT(gop)
		}
		if o.lower {
			gop = nx.Tril(gop, 0)
		} else {
			gop = nx.Triu(gop, 0)
		}
		return []*nx.Tensor{gop, nx.Reshape(gb, args[1].Shape()...)}
	}
}

// solveGrad: for a·x = b, b̄ = a⁻ᵀ·x̄ and ā = -b̄·xᵀ.
func solveGrad(kind rhsKind) vjpFunc {
	return func(args, results, grads []*nx.Tensor) []*nx.Tensor {
		realGrad("linalg.Solve", args, results)
		a, x, g := args[0], results[0], grads[0]
		if kind == rhsVector {
			x, g = col(x), col(g)
		}
		gb := Solve(mT(a), g)
		return []*nx.Tensor{nx.Negate(mm(gb, mT(x))), nx.Reshape(gb, args[1].Shape()...)}
	}
}

// invertGrad: for y = a⁻¹, ā = -yᵀ·ȳ·yᵀ.
func invertGrad(args, results, grads []*nx.Tensor) []*nx.Tensor {
	realGrad("linalg.Invert", args, results)
	yt := mT(results[0])
	return []*nx.Tensor{nx.Negate(mm(yt, mm(grads[0], yt)))}
}

// determinantGrad: ā = ḡ·det(a)·a⁻ᵀ.
func determinantGrad(args, results, grads []*nx.Tensor) []*nx.Tensor {
	realGrad("linalg.Determinant", args, results)
	d := results[0]
	scale := col(col(nx.Multiply(grads[0], d)))
	return []*nx.Tensor{nx.Multiply(scale, mT(Invert(nx.AsType(args[0], d.DType()))))}
}

// pinvGrad returns the gradient of p = Pinv(a) (Golub and Pereyra, exact where
// the rank of a does not change):
//
//	ā = -pᵀ·p̄·pᵀ + (I - a·p)·p̄ᵀ·p·pᵀ + pᵀ·p·p̄ᵀ·(I - p·a)
//
// A scalar counts as a 1×1 matrix and a vector as a row (its pseudo-inverse a
// column).
func pinvGrad(a, p, g *nx.Tensor) *nx.Tensor {
	shape := a.Shape()
	a = nx.AsType(a, p.DType())
	if a.Rank() < 2 {
		a = nx.Reshape(a, 1, a.Size())
		p, g = nx.Reshape(p, p.Size(), 1), nx.Reshape(g, g.Size(), 1)
	}
	m, n := a.Axis(-2), a.Axis(-1)
	pt := mT(p)
	t1 := mm(pt, mm(g, pt))
	t2 := mm(nx.Subtract(eyeLike(p, m), mm(a, p)), mm(mT(g), mm(p, pt)))
	t3 := mm(mm(pt, p), mm(mT(g), nx.Subtract(eyeLike(p, n), mm(p, a))))
	return nx.Reshape(nx.Add(nx.Subtract(t2, t1), t3), shape...)
}

// powerGrad returns the gradient of a^n (n >= 1) given the gradient g of the
// result, by reverse-mode differentiation of the products by squaring that
// compute it (recomputed here with nx operations).
func powerGrad(a, g *nx.Tensor, n int) *nx.Tensor {
	a = nx.AsType(a, g.DType())
	type product struct{ out, x, y int } // vals[out] = vals[x]·vals[y]
	vals := []*nx.Tensor{a}
	var tape []product
	mul := func(x, y int) int {
		vals = append(vals, mm(vals[x], vals[y]))
		tape = append(tape, product{len(vals) - 1, x, y})
		return len(vals) - 1
	}
	base, acc := 0, -1
	for e := n; e > 0; e >>= 1 {
		if e&1 == 1 {
			if acc < 0 {
				acc = base
			} else {
				acc = mul(acc, base)
			}
		}
		if e > 1 {
			base = mul(base, base)
		}
	}
	gs := make([]*nx.Tensor, len(vals))
	gs[acc] = g
	add := func(i int, t *nx.Tensor) {
		if gs[i] == nil {
			gs[i] = t
		} else {
			gs[i] = nx.Add(gs[i], t)
		}
	}
	for i := len(tape) - 1; i >= 0; i-- {
		p := tape[i]
		if gs[p.out] == nil {
			continue
		}
		add(p.x, mm(gs[p.out], mT(vals[p.y])))
		add(p.y, mm(mT(vals[p.x]), gs[p.out]))
	}
	return gs[0]
}
