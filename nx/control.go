package nx

import (
	"fmt"
	"strings"
	"sync"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// Control flow that stays inside compiled functions.

// whileAttr holds a traced loop: its condition and body as plans over the state
// leaves (followed by the tensors each captures from the enclosing code).
type whileAttr struct {
	n        int // state leaves
	predType DType
	cond     *plan
	body     *plan
	condCaps int
	bodyCaps int
	params   []*Tensor // the symbolic state the body was traced on
	bodyOuts []*Tensor // the body's symbolic results
	captures []*Tensor // the body's captures, as traced
	gradOnce sync.Once
	gradPlan *plan // the body's vector-Jacobian product, traced on first use
	gradErr  any
	loops    kernels.FreeList[loopBufs]
}

// loopBufs are the buffers of one running loop, recycled between calls: the
// loop alternates between the step's results and spare as the state that
// the body writes, so that an iteration allocates nothing.
type loopBufs struct {
	spare []*Tensor // a second state
	pred  []*Tensor // the condition's result
	in    []*Tensor // the inputs of the condition or the body
}

func (a *whileAttr) getLoopBufs(c *call) *loopBufs {
	if b := a.loops.Get(); b != nil {
		return b
	}
	b := &loopBufs{spare: make([]*Tensor, a.n), in: make([]*Tensor, 0, len(c.args))}
	for i, o := range c.outs {
		b.spare[i] = &Tensor{shape: o.shape, dtype: o.dtype, data: makeData(o.dtype, o.shape.Size())}
	}
	b.pred = []*Tensor{{dtype: a.predType, data: makeData(a.predType, 1)}}
	return b
}

var whileOp = &opDef{name: "while", cpu: func(c *call) {
	a := c.attr.(*whileAttr)
	state := c.args[:a.n]
	condCaps := c.args[a.n : a.n+a.condCaps]
	bodyCaps := c.args[a.n+a.condCaps:]
	for i := range c.outs {
		c.outOverwrite(i)
	}
	b := a.getLoopBufs(c)
	// The body writes the results (c.outs) and spare in turn, reading the
	// other one (the arguments at first), so no state is read and written
	// by one iteration.
	sets := [2][]*Tensor{c.outs, b.spare}
	next := 0
	for {
		b.in = append(append(b.in[:0], state...), condCaps...)
		a.cond.runInto(b.in, b.pred)
		if !truthy(b.pred[0]) {
			break
		}
		b.in = append(append(b.in[:0], state...), bodyCaps...)
		a.body.runInto(b.in, sets[next])
		state, next = sets[next], 1-next
	}
	if next == 0 { // the final state is the arguments or spare
		for i, s := range state {
			copy(dataBytes(c.outs[i].data), dataBytes(s.data))
		}
	}
	clear(b.in[:cap(b.in)])
	a.loops.Put(b)
}}

// truthy reports whether a concrete scalar predicate is non-zero (NaN is;
// -0 is not).
func truthy(t *Tensor) bool {
	switch d := t.data.(type) {
	case []float32:
		return d[0] != 0
	case []float64:
		return d[0] != 0
	case []Float16, []BFloat16:
		return t.Float64s()[0] != 0
	case []complex64:
		return d[0] != 0
	case []complex128:
		return d[0] != 0
	}
	for _, v := range dataBytes(t.data) { // integers and booleans
		if v != 0 {
			return true
		}
	}
	return false
}

// While runs body on state for as long as cond(state) is non-zero and returns
// the final state, as Nx's while. state is a container (a tensor, a struct, a
// map, a slice ...); body must return a container of the same structure, with
// the same shapes and types. cond returns a scalar predicate.
//
// The loop is a single operation of the traced graph: inside Jit it runs without
// returning to the calling Go code between iterations, and gradients flow
// through it (the forward iterations are stored and replayed backwards).
func While[S any](state S, cond func(S) *Tensor, body func(S) S) S {
	leaves := Leaves(state)
	params := make([]*Tensor, len(leaves))
	for i, l := range leaves {
		params[i] = newParam(i, fmt.Sprintf("loop state %d", i), l.shape, l.dtype)
	}
	sym := Replace(state, params)
	pred := cond(sym)
	if pred == nil || pred.Rank() != 0 {
		panic(&Error{Op: "nx.While", Operands: []string{pred.describe()}, Msg: "the condition must return a scalar predicate", Pos: callerPos()})
	}
	next := Leaves(body(sym))
	if err := sameStructure(leaves, next); err != "" {
		panic(&Error{Op: "nx.While", Msg: "the body must return the state's structure: " + err, Pos: callerPos()})
	}
	condPlan, condCaps := compile(params, []*Tensor{pred})
	bodyPlan, bodyCaps := compile(params, next)
	attr := &whileAttr{n: len(leaves), predType: pred.dtype, cond: condPlan, body: bodyPlan, condCaps: len(condCaps),
		bodyCaps: len(bodyCaps), params: params, bodyOuts: next, captures: bodyCaps}
	specs := make([]spec, len(leaves))
	for i, l := range leaves {
		specs[i] = spec{shape: l.shape, dtype: l.dtype}
	}
	args := append(append(append([]*Tensor{}, leaves...), condCaps...), bodyCaps...)
	return Replace(state, whileOp.apply(specs, attr, args...))
}

// sameStructure describes how b's tensors differ from a's, or returns "".
func sameStructure(a, b []*Tensor) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d tensors instead of %d", len(b), len(a))
	}
	var diffs []string
	for i := range a {
		if a[i].dtype != b[i].dtype || !a[i].shape.Equal(b[i].shape) {
			diffs = append(diffs, fmt.Sprintf("tensor %d is %s, want %s", i, b[i].describe(), a[i].describe()))
		}
	}
	return strings.Join(diffs, "; ")
}

// Clause is one branch of Cond: a predicate and the function to run when it is
// the first true one.
type Clause[T any] struct {
	pred *Tensor
	fn   func() T
}

// Case returns a Cond clause that runs fn when pred (a scalar) is non-zero.
func Case[T any](pred *Tensor, fn func() T) Clause[T] { return Clause[T]{pred: pred, fn: fn} }

// Otherwise returns Cond's final clause, run when no predicate is true.
func Otherwise[T any](fn func() T) Clause[T] { return Clause[T]{fn: fn} }

// Cond returns the result of the first clause whose predicate is true, or of
// the Otherwise clause, as Nx's cond. All clauses must return containers of the
// same structure, shapes and types. With concrete predicates only the chosen
// branch runs; inside a traced function every branch is traced and the results
// are selected by the predicates, so branches must not have side effects that
// matter.
func Cond[T any](clauses ...Clause[T]) T {
	if len(clauses) == 0 || clauses[len(clauses)-1].pred != nil {
		panic(&Error{Op: "nx.Cond", Msg: "the last clause must be nx.Otherwise", Pos: callerPos()})
	}
	for i, c := range clauses[:len(clauses)-1] {
		if c.pred == nil || c.pred.Rank() != 0 {
			panic(&Error{Op: "nx.Cond", Operands: []string{c.pred.describe()},
				Msg: fmt.Sprintf("the predicate of clause %d must be a scalar", i), Pos: callerPos()})
		}
	}
	concrete := true
	for _, c := range clauses[:len(clauses)-1] {
		concrete = concrete && c.pred.expr == nil
	}
	if concrete {
		for _, c := range clauses[:len(clauses)-1] {
			if truthy(c.pred) {
				return c.fn()
			}
		}
		return clauses[len(clauses)-1].fn()
	}
	results := make([]T, len(clauses))
	leaves := make([][]*Tensor, len(clauses))
	for i, c := range clauses {
		results[i] = c.fn()
		leaves[i] = Leaves(results[i])
		if i > 0 {
			if err := sameStructure(leaves[0], leaves[i]); err != "" {
				panic(&Error{Op: "nx.Cond", Msg: fmt.Sprintf("clause %d returns a different structure than clause 0: %s", i, err), Pos: callerPos()})
			}
		}
	}
	out := leaves[len(clauses)-1]
	for i := len(clauses) - 2; i >= 0; i-- {
		next := make([]*Tensor, len(out))
		for j := range out {
			next[j] = Select(clauses[i].pred, leaves[i][j], out[j])
		}
		out = next
	}
	return Replace(results[0], out)
}

// bodyVJP returns the body's vector-Jacobian product, a plan from (state,
// captures, result gradients) to (state gradients, capture gradients), traced
// once per loop.
func (a *whileAttr) bodyVJP() *plan {
	a.gradOnce.Do(func() {
		defer func() { a.gradErr = recover() }()
		a.gradPlan = a.traceBodyVJP()
	})
	if a.gradErr != nil {
		panic(a.gradErr)
	}
	return a.gradPlan
}

func (a *whileAttr) traceBodyVJP() *plan {
	state := make([]*Tensor, a.n)
	bind := map[*Tensor]*Tensor{}
	for i, p := range a.params {
		state[i] = newParam(i, p.expr.name, p.shape, p.dtype)
		bind[p] = state[i]
	}
	caps := make([]*Tensor, len(a.captures))
	for i, c := range a.captures {
		caps[i] = newParam(a.n+i, "loop capture", c.shape, c.dtype)
		bind[c] = caps[i]
	}
	ev := newEvaluator(bind)
	gs := make([]*Tensor, a.n)
	var y *Tensor
	for i, o := range a.bodyOuts {
		gs[i] = newParam(a.n+len(caps)+i, "loop gradient", o.shape, gradType(o.dtype))
		out := ev.value(o)
		if !out.dtype.IsFloat() {
			continue
		}
		term := Sum(Multiply(out, gs[i]))
		if y == nil {
			y = term
		} else {
			y = Add(y, term)
		}
	}
	wrt := append(append([]*Tensor{}, state...), caps...)
	var grads []*Tensor
	if y == nil {
		for _, w := range wrt {
			grads = append(grads, Zeros(gradType(w.dtype), w.shape...))
		}
	} else {
		grads = backprop(y, wrt)
	}
	inputs := append(append(append([]*Tensor{}, state...), caps...), gs...)
	p, extra := compile(inputs, grads)
	if len(extra) > 0 {
		panic(&Error{Op: "nx.While", Msg: "cannot differentiate a loop whose body captures values of an enclosing trace that its gradient needs"})
	}
	return p
}

type whileGradAttr struct{ loop *whileAttr }

// whileGradOp computes the gradients of a loop's initial state and of its body's
// captures: it runs the loop forward storing every state, then walks the states
// backwards applying the body's vector-Jacobian product.
var whileGradOp = &opDef{name: "while_grad", cpu: func(c *call) {
	a := c.attr.(whileGradAttr).loop
	vjp := a.bodyVJP()
	state := c.args[:a.n]
	condCaps := c.args[a.n : a.n+a.condCaps]
	bodyCaps := c.args[a.n+a.condCaps : a.n+a.condCaps+a.bodyCaps]
	g := c.args[a.n+a.condCaps+a.bodyCaps:]
	var states [][]*Tensor
	for truthy(a.cond.run(append(append([]*Tensor{}, state...), condCaps...))[0]) {
		states = append(states, state)
		state = a.body.run(append(append([]*Tensor{}, state...), bodyCaps...))
	}
	capGrads := make([]*Tensor, len(bodyCaps))
	for i, bc := range bodyCaps {
		capGrads[i] = Zeros(gradType(bc.dtype), bc.shape...)
	}
	for i := len(states) - 1; i >= 0; i-- {
		in := append(append(append([]*Tensor{}, states[i]...), bodyCaps...), g...)
		out := vjp.run(in)
		g = out[:a.n]
		for j := range capGrads {
			capGrads[j] = Add(capGrads[j], out[a.n+j])
		}
	}
	for i, t := range append(append([]*Tensor{}, g...), capGrads...) {
		c.share(i, AsType(t, c.outs[i].dtype))
	}
}}

func init() {
	whileOp.vjp = func(g *gradCall) []*Tensor {
		a := g.attr.(*whileAttr)
		specs := make([]spec, 0, a.n+a.bodyCaps)
		for _, s := range g.args[:a.n] {
			specs = append(specs, spec{shape: s.shape, dtype: gradType(s.dtype)})
		}
		for _, s := range g.args[a.n+a.condCaps:] {
			specs = append(specs, spec{shape: s.shape, dtype: gradType(s.dtype)})
		}
		args := append(append([]*Tensor{}, g.args...), g.grads...)
		outs := whileGradOp.apply(specs, whileGradAttr{a}, args...)
		grads := make([]*Tensor, len(g.args))
		copy(grads, outs[:a.n])
		copy(grads[a.n+a.condCaps:], outs[a.n:])
		return grads
	}
}
