package nx

import "fmt"

// Tracing.
//
// A symbolic tensor has a shape and a type but no elements: it stands for a value
// that a function computes from its parameters. When a primitive is applied to a
// symbolic operand, apply records the application (an exprCall) instead of
// computing it, and returns symbolic results. The recorded applications form a
// graph linked by pointers, from results back to parameters and constants; no
// global state is involved, so traces nest (a gradient inside a compiled
// function) and run concurrently.
//
// Evaluating a graph with its parameters bound to tensors re-applies each
// primitive to the bound operands: concrete operands compute, symbolic ones (of
// an enclosing trace) record again. Jit, Grad and Vectorize are built on that.

// expr is the symbolic part of a tensor.
type expr struct {
	call  *exprCall // the application that produced the tensor; nil for a parameter
	index int       // which result of call
	param int       // parameter number when call is nil
	name  string    // parameter name, for messages
}

// exprCall is one recorded application of a primitive.
type exprCall struct {
	op   *opDef
	attr any
	args []*Tensor
	outs []*Tensor
}

// concrete returns t's elements, panicking with an *Error when t is symbolic.
func (t *Tensor) concrete(method string) any {
	if t.expr != nil {
		panic(&Error{Op: "nx.Tensor." + method, Operands: []string{t.describe()},
			Msg: "the tensor is symbolic (inside nx.Jit, nx.Grad or a traced function): its values exist only when the compiled function runs"})
	}
	return t.data
}

// IsSymbolic reports whether t is a symbolic tensor of a function being traced,
// with no elements to read.
func (t *Tensor) IsSymbolic() bool { return t.expr != nil }

// symbolic reports whether any of ts is symbolic.
func symbolic(ts []*Tensor) bool {
	for _, t := range ts {
		if t.expr != nil {
			return true
		}
	}
	return false
}

// record creates the symbolic results of applying op to args.
func record(op *opDef, outs []spec, attr any, args []*Tensor) []*Tensor {
	c := &exprCall{op: op, attr: attr, args: args, outs: make([]*Tensor, len(outs))}
	for i, s := range outs {
		c.outs[i] = &Tensor{shape: s.shape, dtype: s.dtype, vec: s.vec, expr: &expr{call: c, index: i}}
	}
	return c.outs
}

// newParam returns a symbolic parameter of the given shape and type.
func newParam(i int, name string, shape Shape, dt DType) *Tensor {
	return &Tensor{shape: shape.Clone(), dtype: dt, expr: &expr{param: i, name: name}}
}

// Parameter returns a fresh symbolic tensor of the given type and shape, the
// stand-in for an argument while a function is traced. Most programs never call
// it: Jit, Grad and Vmap make their own.
func Parameter(name string, dt DType, shape ...int) *Tensor {
	return newParam(0, name, Shape(shape), dt)
}

// evaluator re-applies a graph's primitives with some tensors bound to others.
type evaluator struct {
	bind map[*Tensor]*Tensor
	done map[*exprCall][]*Tensor
}

func newEvaluator(bind map[*Tensor]*Tensor) *evaluator {
	return &evaluator{bind: bind, done: map[*exprCall][]*Tensor{}}
}

// value returns what t evaluates to under the bindings. Tensors that depend on no
// bound tensor come back unchanged.
func (e *evaluator) value(t *Tensor) *Tensor {
	if b, ok := e.bind[t]; ok {
		return b
	}
	if t.expr == nil || t.expr.call == nil {
		return t
	}
	return e.eval(t.expr.call)[t.expr.index]
}

// eval evaluates one application (its operands first), iteratively so that deep
// graphs (long unrolled loops) do not exhaust the stack.
func (e *evaluator) eval(root *exprCall) []*Tensor {
	if outs, ok := e.done[root]; ok {
		return outs
	}
	stack := []*exprCall{root}
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		if _, ok := e.done[c]; ok {
			stack = stack[:len(stack)-1]
			continue
		}
		pending := false
		for _, a := range c.args {
			if _, bound := e.bind[a]; bound || a.expr == nil || a.expr.call == nil {
				continue
			}
			if _, ok := e.done[a.expr.call]; !ok {
				stack = append(stack, a.expr.call)
				pending = true
			}
		}
		if pending {
			continue
		}
		stack = stack[:len(stack)-1]
		args := make([]*Tensor, len(c.args))
		same := true
		for i, a := range c.args {
			args[i] = e.value(a)
			same = same && args[i] == a
		}
		if same {
			e.done[c] = c.outs
			continue
		}
		specs := make([]spec, len(c.outs))
		for i, o := range c.outs {
			specs[i] = spec{o.shape, o.dtype, o.vec}
		}
		e.done[c] = c.op.apply(specs, c.attr, args...)
	}
	return e.done[root]
}

// topo returns the applications that outs depend on, operands before users,
// stopping at tensors in stop.
func topo(outs []*Tensor, stop map[*Tensor]bool) []*exprCall {
	var order []*exprCall
	seen := map[*exprCall]bool{}
	type frame struct {
		c    *exprCall
		next int
	}
	var stack []frame
	push := func(t *Tensor) {
		if stop[t] || t.expr == nil || t.expr.call == nil || seen[t.expr.call] {
			return
		}
		seen[t.expr.call] = true
		stack = append(stack, frame{c: t.expr.call})
	}
	for _, o := range outs {
		push(o)
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next < len(f.c.args) {
				a := f.c.args[f.next]
				f.next++
				push(a)
				continue
			}
			order = append(order, f.c)
			stack = stack[:len(stack)-1]
		}
	}
	return order
}

// String describes a symbolic tensor's origin, for debugging.
func (e *expr) String() string {
	if e.call == nil {
		return fmt.Sprintf("parameter %d %q", e.param, e.name)
	}
	return fmt.Sprintf("%s result %d", e.call.op.name, e.index)
}
