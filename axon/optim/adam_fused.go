package optim

import (
	"math"
	"sync"

	"github.com/gonx-dev/gonx/nx"
)

// Adam's scaling of one parameter is one operation (an nx.CustomOp) whose
// kernel reads the update, both moments and the step count once and writes
// the scaled update and both new moments in the same pass: the dozen
// elementwise operations of the formula, done per element in registers
// instead of one array pass each. The moments are exactly what
// adamReference computes with nx operations (every product rounded to the
// element type in the same order); the update differs from it by rounding
// only, as it multiplies by the reciprocals of the bias corrections where
// the formula divides. Its gradient is written with nx operations, so
// optimizers stay differentiable.

// adamScale returns Adam's scaled update of g and its new moments, from the
// moments m and v and count, the s64 step count (from 1).
func adamScale(g, m, v, count *nx.Tensor, b1, b2, eps, epsRoot float64) (u, m1, v1 *nx.Tensor) {
	dt := g.DType()
	if (dt != nx.F32 && dt != nx.F64) || m.DType() != dt || v.DType() != dt {
		return adamReference(g, m, v, count, b1, b2, eps, epsRoot)
	}
	op := adamOp(adamParams{b1, b2, eps, epsRoot})
	res := nx.Result{Shape: g.Shape(), DType: dt}
	out := op.Apply([]nx.Result{res, res, res}, g, m, v, count)
	return out[0], out[1], out[2]
}

// adamReference is Adam's scaling written with nx operations.
func adamReference(g, m, v, count *nx.Tensor, b1, b2, eps, epsRoot float64) (u, m1, v1 *nx.Tensor) {
	m1 = moment(g, m, b1, 1)
	v1 = moment(g, v, b2, 2)
	u = nx.Divide(correct(m1, b1, count), nx.Add(nx.Sqrt(nx.Add(correct(v1, b2, count), num(epsRoot))), num(eps)))
	return u, m1, v1
}

// adamParams are the constants of one Adam operation.
type adamParams struct{ b1, b2, eps, epsRoot float64 }

// adamOps holds one operation per set of constants.
var adamOps sync.Map // adamParams → *nx.CustomOp

func adamOp(p adamParams) *nx.CustomOp {
	if op, ok := adamOps.Load(p); ok {
		return op.(*nx.CustomOp)
	}
	op, _ := adamOps.LoadOrStore(p, &nx.CustomOp{
		Name: "optim.scale_by_adam",
		EvalInto: func(args, results []*nx.Tensor) {
			g, m, v := args[0], args[1], args[2]
			count := float64(args[3].Data().([]int64)[0]) // an s64 scalar
			c1, c2 := 1-math.Pow(p.b1, count), 1-math.Pow(p.b2, count)
			switch gd := g.Data().(type) {
			case []float32:
				adamEval(gd, m.Data().([]float32), v.Data().([]float32), results[0].Data().([]float32),
					results[1].Data().([]float32), results[2].Data().([]float32), p, c1, c2)
			default:
				adamEval(gd.([]float64), m.Data().([]float64), v.Data().([]float64), results[0].Data().([]float64),
					results[1].Data().([]float64), results[2].Data().([]float64), p, c1, c2)
			}
		},
		VJP: func(args, results, grads []*nx.Tensor) []*nx.Tensor {
			return adamVJP(args, results, grads, p)
		},
	})
	return op.(*nx.CustomOp)
}

// adamGrain is the number of elements below which one goroutine does all.
const adamGrain = 1 << 15

// adamEval runs the kernel over g, m and v into u, m1 and v1, split across
// nx's worker goroutines; c1 and c2 are the bias corrections 1 - b1^t and
// 1 - b2^t (their reciprocals are taken in float64, then rounded).
func adamEval[T float32 | float64](g, m, v, u, m1, v1 []T, p adamParams, c1, c2 float64) {
	nx.ParallelFor(len(g), adamGrain, func(lo, hi int) {
		// The bias corrections as reciprocals: two products per element
		// instead of two divisions.
		r1, r2 := T(1/c1), T(1/c2)
		b1, a1 := T(p.b1), T(1-p.b1)
		b2, a2 := T(p.b2), T(1-p.b2)
		eps, epsRoot := T(p.eps), T(p.epsRoot)
		g, m, v := g[lo:hi], m[lo:hi], v[lo:hi]
		u, m1, v1 := u[lo:hi], m1[lo:hi], v1[lo:hi]
		for i, x := range g {
			// Each product is rounded on its own (T(...)), as the separate
			// nx operations round it: no fused multiply-add.
			mi := T(x*a1) + T(m[i]*b1)
			vi := T(T(x*x)*a2) + T(v[i]*b2)
			m1[i], v1[i] = mi, vi
			u[i] = T(mi*r1) / (T(math.Sqrt(float64(T(vi*r2)+epsRoot))) + eps)
		}
	})
}

// adamVJP returns the gradients of Adam's operation (with respect to the
// update and both moments; none for the step count) given those of its
// three results, written with nx operations.
//
// With m' = b1·m + (1-b1)·g, v' = b2·v + (1-b2)·g², s = √(v'/c2 + epsRoot),
// d = s + eps and u = (m'/c1)/d, the cotangents reaching m' and v' are
// Gm = ḡm' + ḡu/(c1·d) and Gv = ḡv' − ḡu·m'/(c1·d²)/(2·c2·s).
func adamVJP(args, results, grads []*nx.Tensor, p adamParams) []*nx.Tensor {
	g, count := args[0], args[3]
	m1, v1 := results[1], results[2]
	gu, gm, gv := grads[0], grads[1], grads[2]
	dt := g.DType()
	factor := func(decay float64) *nx.Tensor {
		return nx.AsType(nx.Subtract(num(1), nx.Pow(nx.Scalar(decay), nx.AsType(count, nx.F64))), dt)
	}
	c1, c2 := factor(p.b1), factor(p.b2)
	s := nx.Sqrt(nx.Add(nx.Divide(v1, c2), num(p.epsRoot)))
	d := nx.Add(s, num(p.eps))
	c1d := nx.Multiply(c1, d)
	gM := nx.Add(gm, nx.Divide(gu, c1d))
	gV := nx.Subtract(gv, nx.Divide(nx.Multiply(gu, m1), nx.Multiply(nx.Multiply(c1d, d), nx.Multiply(num(2), nx.Multiply(c2, s)))))
	dg := nx.Add(nx.Multiply(gM, num(1-p.b1)), nx.Multiply(nx.Multiply(gV, num(1-p.b2)), nx.Multiply(num(2), g)))
	return []*nx.Tensor{dg, nx.Multiply(gM, num(p.b1)), nx.Multiply(gV, num(p.b2)), nil}
}
