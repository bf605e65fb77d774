package nx

import (
	"fmt"
	"reflect"
	"strings"
)

// Automatic differentiation, reverse mode.
//
// Grad traces the function on symbolic parameters, walks the recorded graph from
// the result back to the parameters applying each primitive's vjp rule — rules
// are written with public nx functions, so the gradient is itself a graph of
// primitives — and finally evaluates the value and the gradients with the
// parameters bound to the actual arguments. Because evaluation re-applies
// primitives, the same code runs eagerly, inside Jit, and nested (a gradient of a
// gradient).

// gradCall is what a vjp rule sees: the operands and results of one application
// and the gradients flowing into its results.
type gradCall struct {
	args  []*Tensor
	outs  []*Tensor
	grads []*Tensor // one per result, zeros where no gradient flows
	attr  any
}

// g returns the gradient of the single result.
func (g *gradCall) g() *Tensor { return g.grads[0] }

// Grad returns a function that computes the gradient of fn at x: a container of
// the same structure as x holding ∂fn/∂leaf for each tensor leaf. fn must return
// a scalar of a float type. The result of Grad can be called eagerly, passed to
// Jit, or differentiated again.
//
//	df := nx.Grad(func(x *nx.Tensor) *nx.Tensor { return nx.Sum(nx.Square(x)) })
//	df(nx.FromSlice([]float64{1, 2})) // [2, 4]
func Grad[T any](fn func(T) *Tensor) func(T) T {
	vg := ValueAndGrad(fn)
	return func(x T) T {
		_, g := vg(x)
		return g
	}
}

// ValueAndGrad is Grad returning the value of fn at x as well.
func ValueAndGrad[T any](fn func(T) *Tensor) func(T) (*Tensor, T) {
	vga := ValueAndGradAux(func(x T) (*Tensor, struct{}) { return fn(x), struct{}{} })
	return func(x T) (*Tensor, T) {
		v, _, g := vga(x)
		return v, g
	}
}

// ValueAndGradAux is ValueAndGrad for a function that also returns auxiliary
// values (JAX's has_aux): a container of tensors computed in the same pass — a
// model's predictions, updated batch statistics — that are returned as they are
// and not differentiated.
func ValueAndGradAux[T, A any](fn func(T) (*Tensor, A)) func(T) (*Tensor, A, T) {
	return func(x T) (*Tensor, A, T) {
		leaves := Leaves(x)
		params := make([]*Tensor, len(leaves))
		for i, l := range leaves {
			params[i] = newParam(i, fmt.Sprintf("grad argument %d", i), l.shape, l.dtype)
		}
		y, aux := fn(Replace(x, params))
		if y == nil || y.Rank() != 0 {
			panic(&Error{Op: "nx.Grad", Operands: []string{y.describe()}, Msg: "the function must return a scalar"})
		}
		if !y.dtype.IsFloat() {
			panic(&Error{Op: "nx.Grad", Operands: []string{y.describe()}, Msg: "the function must return a float scalar"})
		}
		grads := backprop(y, params)
		bind := make(map[*Tensor]*Tensor, len(params))
		for i, p := range params {
			bind[p] = leaves[i]
		}
		ev := newEvaluator(bind)
		out := make([]*Tensor, len(grads))
		for i, g := range grads {
			out[i] = ev.value(g)
		}
		auxLeaves := Leaves(aux)
		for i, a := range auxLeaves {
			auxLeaves[i] = ev.value(a)
		}
		return ev.value(y), Replace(aux, auxLeaves), Replace(x, out)
	}
}

// backprop returns the symbolic gradient of the scalar y with respect to each
// of params.
func backprop(y *Tensor, params []*Tensor) []*Tensor {
	grads := map[*Tensor]*Tensor{y: Ones(y.dtype)}
	order := topo([]*Tensor{y}, nil)
	for i := len(order) - 1; i >= 0; i-- {
		c := order[i]
		flows := false
		gs := make([]*Tensor, len(c.outs))
		for j, o := range c.outs {
			gs[j] = grads[o]
			flows = flows || gs[j] != nil
		}
		if !flows {
			continue
		}
		for j, o := range c.outs {
			if gs[j] == nil {
				gs[j] = Zeros(gradType(o.dtype), o.shape...)
			}
		}
		if c.op.vjp == nil {
			panic(&Error{Op: "nx.Grad", Msg: fmt.Sprintf("the operation %s has no gradient", c.op.name)})
		}
		ag := c.op.vjp(&gradCall{args: c.args, outs: c.outs, grads: gs, attr: c.attr})
		for j, a := range c.args {
			if j >= len(ag) || ag[j] == nil || a.expr == nil || !a.dtype.IsFloat() && !a.dtype.IsComplex() {
				continue
			}
			g := unbroadcast(ag[j], a.shape)
			g = AsType(g, a.dtype)
			if prev := grads[a]; prev != nil {
				g = Add(prev, g)
			}
			grads[a] = g
		}
	}
	out := make([]*Tensor, len(params))
	for i, p := range params {
		if g := grads[p]; g != nil {
			out[i] = g
		} else {
			out[i] = Zeros(gradType(p.dtype), p.shape...)
		}
	}
	return out
}

// gradType is the type of the gradient of a value of type dt.
func gradType(dt DType) DType { return FloatOf(dt) }

// unbroadcast sums g over the axes along which a tensor of shape was broadcast
// to g's shape.
func unbroadcast(g *Tensor, shape Shape) *Tensor {
	if g.shape.Equal(shape) {
		return g
	}
	lead := g.Rank() - len(shape)
	var axes []int
	for a := 0; a < g.Rank(); a++ {
		if a < lead || shape[a-lead] == 1 && g.shape[a] != 1 {
			axes = append(axes, a)
		}
	}
	if len(axes) > 0 {
		g = Sum(g, Axes(axes...), KeepAxes())
	}
	return Reshape(g, shape...)
}

var stopGradOp = &opDef{name: "stop_grad", cpu: func(c *call) { c.share(0, c.args[0]) }}

// StopGrad returns t unchanged, but no gradient flows through it.
func StopGrad(t *Tensor) *Tensor {
	if t.expr == nil {
		return t
	}
	return stopGradOp.apply1(t.shape, t.dtype, nil, t)
}

type customGradAttr struct {
	vjp func(g *Tensor) []*Tensor
}

var customGradOp = &opDef{name: "custom_grad", cpu: func(c *call) { c.share(0, c.args[0]) },
	vjp: func(g *gradCall) []*Tensor {
		gs := g.attr.(customGradAttr).vjp(g.g())
		return append([]*Tensor{nil}, gs...)
	}}

// CustomGrad returns value, but makes gradients with respect to inputs come
// from vjp instead of from value's own computation: given the gradient g of the
// result, vjp returns one gradient per input.
func CustomGrad(value *Tensor, inputs []*Tensor, vjp func(g *Tensor) []*Tensor) *Tensor {
	if !symbolic(inputs) {
		return value
	}
	args := append([]*Tensor{value}, inputs...)
	return customGradOp.apply1(value.shape, value.dtype, customGradAttr{vjp}, args...)
}

// signature returns the structure and static values of args, and their leaves.
func signature(args []reflect.Value) (string, []*Tensor) {
	leaves := make([]*Tensor, 0, len(args))
	var sig strings.Builder
	sig.Grow(32 * len(args))
	for _, a := range args {
		flatten(a, &leaves, &sig)
		sig.WriteString("|")
	}
	return sig.String(), leaves
}
