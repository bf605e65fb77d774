package nx

import (
	"fmt"
	"sync"
)

// CustomOp is an operation defined outside package nx, such as a linear-algebra
// decomposition written in plain Go: Eval computes it on concrete tensors, and
// VJP, when set, gives its gradients as nx code. Applied to symbolic operands
// (inside Jit, Grad, While) it is recorded like any primitive and evaluated when
// the compiled function runs.
type CustomOp struct {
	// Name identifies the operation in graphs and messages, e.g. "linalg.qr".
	Name string
	// Eval returns the results for concrete operands. They must have the
	// shapes and types Apply was given.
	Eval func(args []*Tensor) []*Tensor
	// EvalInto, when set, is used instead of Eval: it writes every element of
	// results, concrete tensors of the shapes and types Apply was given, whose
	// Data it may modify (their previous contents are undefined), and keeps
	// no reference to args or results. A compiled function then gives it
	// buffers reused from call to call, so that the operation allocates
	// nothing for results that are intermediate values.
	EvalInto func(args, results []*Tensor)
	// VJP returns the gradient of each operand (nil where none flows) given the
	// operands, the results and the gradients of the results, using nx
	// functions. Without it the operation is not differentiable.
	VJP func(args, results, grads []*Tensor) []*Tensor

	once sync.Once
	op   *opDef
}

// Result describes one result of a CustomOp: its shape and type.
type Result struct {
	Shape Shape
	DType DType
}

type customAttr struct{ c *CustomOp }

// Apply applies the operation to args, whose results have the given shapes and
// types.
func (c *CustomOp) Apply(results []Result, args ...*Tensor) []*Tensor {
	c.once.Do(func() {
		c.op = &opDef{name: c.Name, cpu: func(call *call) {
			if c.EvalInto != nil {
				for i := range call.outs {
					call.outOverwrite(i)
				}
				c.EvalInto(call.args, call.outs)
				return
			}
			outs := c.Eval(call.args)
			if len(outs) != len(call.outs) {
				panic(&Error{Op: c.Name, Msg: fmt.Sprintf("Eval returned %d results, want %d", len(outs), len(call.outs))})
			}
			for i, o := range outs {
				want := call.outs[i]
				if o.dtype != want.dtype || !o.shape.Equal(want.shape) || o.expr != nil {
					panic(&Error{Op: c.Name, Msg: fmt.Sprintf("Eval result %d is %s, want concrete %s", i, o.describe(), want.describe())})
				}
				call.share(i, o)
			}
		}}
		c.op.writesAll = c.EvalInto != nil
		if c.VJP != nil {
			c.op.vjp = func(g *gradCall) []*Tensor { return c.VJP(g.args, g.outs, g.grads) }
		}
	})
	specs := make([]spec, len(results))
	for i, r := range results {
		specs[i] = spec{shape: r.Shape.Clone(), dtype: r.DType}
	}
	return c.op.apply(specs, customAttr{c}, args...)
}
