package nx

import (
	"fmt"
	"strings"
)

// Graph is a read-only view of a compiled function's optimized graph, the
// input of a backend's Driver.Compile.
//
// It is the graph after the device-independent passes (simplification,
// constant folding, common-subexpression elimination and dead-code
// elimination; see the package documentation) and before the CPU's own
// fusion and buffer planning: its nodes are primitives in dependency order,
// each reading the graph's inputs, constants or earlier nodes' results.
// Fusion is a backend's decision (which chains pay off depends on the
// device), made from Node.Elementwise and the shapes; package nx/cuda/codegen
// groups elementwise chains and their reductions into GPU kernels this way.
//
// Every node can run on the CPU with Node.Eval, so a backend may leave the
// primitives it has no kernel for to the CPU.
type Graph struct {
	inputs  []TensorSpec
	nodes   []*Node
	outputs []Value
}

// TensorSpec is the shape and element type of a value of a Graph.
type TensorSpec struct {
	Shape Shape
	DType DType
}

// String formats s as "f32[2][3]".
func (s TensorSpec) String() string {
	var b strings.Builder
	b.WriteString(s.DType.String())
	for _, d := range s.Shape {
		fmt.Fprintf(&b, "[%d]", d)
	}
	return b.String()
}

// Source says where a Value comes from.
type Source uint8

// The sources of values.
const (
	FromInput Source = iota // an input of the graph
	FromNode                // a result of a node
	FromConst               // a constant tensor
)

// Value is an operand of a node or an output of a graph: input Index, result
// Result of node Index, or the constant Const.
type Value struct {
	Source Source
	Index  int
	Result int
	Const  *Tensor
}

// String formats v as "in0", "n3" (result 0 of node 3), "n3.1" or "const".
func (v Value) String() string {
	switch v.Source {
	case FromInput:
		return fmt.Sprintf("in%d", v.Index)
	case FromNode:
		if v.Result == 0 {
			return fmt.Sprintf("n%d", v.Index)
		}
		return fmt.Sprintf("n%d.%d", v.Index, v.Result)
	}
	return "const " + TensorSpec{v.Const.shape, v.Const.dtype}.String()
}

// Node is one application of a primitive in a Graph.
type Node struct {
	index int
	st    step
	attr  any
	ops   []Value
	in    []TensorSpec // the operands' shapes and types
	outs  []TensorSpec
}

// newGraph returns the view of plan p: its steps after the device-independent
// passes, or as traced when p was not optimized.
func newGraph(p *plan) *Graph {
	steps, outs := p.steps, p.outs
	if p.opt != nil {
		steps, outs = rewrite(p.inSpecs, p.steps, p.outs)
		steps, outs = deadCode(steps, outs)
	}
	g := &Graph{}
	for _, s := range p.inSpecs {
		g.inputs = append(g.inputs, TensorSpec{s.shape.Clone(), s.dtype})
	}
	for i, s := range steps {
		n := &Node{index: i, st: s, attr: exportAttr(s.op, s.attr)}
		for _, r := range s.args {
			v := valueOf(r)
			n.ops = append(n.ops, v)
			n.in = append(n.in, g.Spec(v))
		}
		for _, o := range s.specs {
			n.outs = append(n.outs, TensorSpec{o.shape.Clone(), o.dtype})
		}
		g.nodes = append(g.nodes, n)
	}
	for _, r := range outs {
		g.outputs = append(g.outputs, valueOf(r))
	}
	return g
}

func valueOf(r ref) Value {
	switch r.kind {
	case refInput:
		return Value{Source: FromInput, Index: r.i}
	case refStep:
		return Value{Source: FromNode, Index: r.i, Result: r.j}
	}
	return Value{Source: FromConst, Const: r.value}
}

// Inputs returns the shapes and types of the graph's inputs, in order.
func (g *Graph) Inputs() []TensorSpec { return append([]TensorSpec(nil), g.inputs...) }

// Nodes returns the nodes in dependency order: a node's operands come from
// inputs, constants and nodes before it. Node i is Nodes()[i].
func (g *Graph) Nodes() []*Node { return append([]*Node(nil), g.nodes...) }

// Outputs returns the values the graph computes, in order.
func (g *Graph) Outputs() []Value { return append([]Value(nil), g.outputs...) }

// Spec returns the shape and type of v.
func (g *Graph) Spec(v Value) TensorSpec {
	switch v.Source {
	case FromInput:
		return g.inputs[v.Index]
	case FromNode:
		return g.nodes[v.Index].outs[v.Result]
	}
	return TensorSpec{v.Const.shape, v.Const.dtype}
}

// String lists the graph one node a line, as "n2 = add(in0, n1) f32[3]".
func (g *Graph) String() string {
	var b strings.Builder
	for i, s := range g.inputs {
		fmt.Fprintf(&b, "in%d: %s\n", i, s)
	}
	for _, n := range g.nodes {
		ops := make([]string, len(n.ops))
		for k, v := range n.ops {
			ops[k] = v.String()
		}
		res := make([]string, len(n.outs))
		for k, o := range n.outs {
			res[k] = o.String()
		}
		attr := ""
		if n.attr != nil {
			attr = fmt.Sprintf(" %+v", n.attr)
		}
		fmt.Fprintf(&b, "n%d = %s(%s)%s %s\n", n.index, n.st.op.name, strings.Join(ops, ", "), attr, strings.Join(res, ", "))
	}
	outs := make([]string, len(g.outputs))
	for k, v := range g.outputs {
		outs[k] = v.String()
	}
	fmt.Fprintf(&b, "return %s\n", strings.Join(outs, ", "))
	return b.String()
}

// Index returns the node's position in Graph.Nodes.
func (n *Node) Index() int { return n.index }

// Op returns the primitive's name: "add", "exp", "as_type", "reduce",
// "argreduce", "broadcast", "reshape", "transpose", "dot", "while", ...
func (n *Node) Op() string { return n.st.op.name }

// Operands returns the values the node reads.
func (n *Node) Operands() []Value { return append([]Value(nil), n.ops...) }

// Results returns the shapes and types of the node's results.
func (n *Node) Results() []TensorSpec { return append([]TensorSpec(nil), n.outs...) }

// Elementwise reports whether the primitive computes each element of its
// single result from the elements at the same index of its operands, which
// all have the result's shape or a single element (read for every index).
func (n *Node) Elementwise() bool { return n.st.op.elementwise && len(n.outs) == 1 }

// Attr returns the primitive's static parameters for the primitives a
// backend compiles itself: ReduceAttr, ArgReduceAttr, BroadcastAttr,
// TransposeAttr, DotAttr and WhileAttr. Other primitives return nil; their parameters
// stay inside nx and Eval applies them.
func (n *Node) Attr() any { return n.attr }

// Eval runs the node's primitive on the CPU with concrete operands of the
// node's operand shapes and types, and returns its results. Backends use it
// for the primitives they have no kernel for. It panics with an *Error when
// the operands do not match.
func (n *Node) Eval(args ...*Tensor) []*Tensor {
	if len(args) != len(n.ops) {
		panic(&Error{Op: "nx.Node.Eval", Msg: fmt.Sprintf("%s takes %d operands, got %d", n.st.op.name, len(n.ops), len(args))})
	}
	for k, a := range args {
		sp := n.in[k]
		if a == nil || a.expr != nil || a.dtype != sp.DType || !a.shape.Equal(sp.Shape) {
			panic(&Error{Op: "nx.Node.Eval", Msg: fmt.Sprintf("%s operand %d must be a concrete %s", n.st.op.name, k, sp)})
		}
	}
	return n.st.op.apply(n.st.specs, n.st.attr, args...)
}

// ReduceAttr is the parameter of a "reduce" node: Kind ("sum", "product",
// "max" or "min") over Axes (sorted), which the result drops.
type ReduceAttr struct {
	Kind string
	Axes []int
}

// ArgReduceAttr is the parameter of an "argreduce" node: the index (s64) of
// the largest (Max) or smallest element along Axis, -1 for the flattened
// operand; ties go to the lowest index, or the highest with TieHigh. A NaN
// wins for both (the first one, or the last with TieHigh). The result's type
// is the node's result type.
type ArgReduceAttr struct {
	Axis    int
	Max     bool
	TieHigh bool
}

// BroadcastAttr is the parameter of a "broadcast" node: axis i of the
// operand becomes axis Axes[i] of the result; operand axes of size 1 repeat.
type BroadcastAttr struct{ Axes []int }

// TransposeAttr is the parameter of a "transpose" node: axis i of the result
// is axis Perm[i] of the operand.
type TransposeAttr struct{ Perm []int }

// DotAttr is the parameter of a "dot" node, a batched matrix product
// [B][M][K]·[B][K][N] → [B][M][N] of operands of the result's type; with
// TransA the first operand is stored [B][K][M], with TransB the second
// [B][N][K].
type DotAttr struct{ TransA, TransB bool }

// WhileAttr is the parameter of a "while" node: the loop runs Body on the
// state for as long as Cond returns a non-zero scalar, and the node's results
// are the final state. The node's operands are the State initial values,
// then the CondCaptures values the condition reads, then the BodyCaptures
// values the body reads. Cond's inputs are the state and its captures, its
// output the predicate; Body's inputs are the state and its captures, its
// outputs the next state.
type WhileAttr struct {
	State, CondCaptures, BodyCaptures int
	Cond, Body                        *Graph
}

var reduceKindNames = [...]string{reduceSum: "sum", reduceProduct: "product", reduceMax: "max", reduceMin: "min"}

// exportAttr returns the exported form of the parameters of the primitives
// that Node.Attr describes.
func exportAttr(op *opDef, attr any) any {
	switch a := attr.(type) {
	case reduceAttr:
		return ReduceAttr{Kind: reduceKindNames[a.kind], Axes: append([]int{}, a.axes...)}
	case argAttr:
		return ArgReduceAttr{Axis: a.axis, Max: a.max, TieHigh: a.tie == TieHigh}
	case broadcastAttr:
		return BroadcastAttr{Axes: append([]int{}, a.axes...)}
	case transposeAttr:
		return TransposeAttr{Perm: append([]int{}, a.perm...)}
	case matmulAttr:
		return DotAttr{TransA: a.transA, TransB: a.transB}
	case *whileAttr:
		if op == whileOp {
			return WhileAttr{State: a.n, CondCaptures: a.condCaps, BodyCaptures: a.bodyCaps,
				Cond: newGraph(a.cond), Body: newGraph(a.body)}
		}
	}
	return nil
}
