package axon

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

// Flatten returns a layer that reshapes n to [batch][rest]: every axis but the
// first merged into one. Options: Name.
func (n *Node) Flatten(opts ...Option) *Node {
	c := configure("flatten", opts)
	return layer("flatten", c, func(c *Call) *nx.Tensor {
		x := c.Input(0)
		if x.Rank() < 1 {
			panic(&nx.Error{Op: "axon.Flatten", Msg: "the input is a scalar"})
		}
		return nx.Reshape(x, x.Axis(0), x.Size()/max(x.Axis(0), 1))
	}, []*Node{n})
}

// Reshape returns a layer that reshapes each example of n to shape: the batch
// axis stays and shape gives the others (one of them may be -1, inferred).
// Options: Name.
func (n *Node) Reshape(shape []int, opts ...Option) *Node {
	c := configure("reshape", opts)
	shape = append([]int(nil), shape...)
	return layer("reshape", c, func(c *Call) *nx.Tensor {
		x := c.Input(0)
		full := append([]int{x.Axis(0)}, shape...)
		known, free := 1, -1
		for i, d := range full {
			if d == -1 {
				if free >= 0 {
					panic(&nx.Error{Op: "axon.Reshape", Msg: fmt.Sprintf("shape %v has more than one -1", shape)})
				}
				free = i
				continue
			}
			known *= d
		}
		if free >= 0 {
			full[free] = x.Size() / max(known, 1)
		}
		return nx.Reshape(x, full...)
	}, []*Node{n})
}

// Transpose returns a layer that permutes the axes of each example of n:
// perm lists the non-batch axes, numbered from 1. Options: Name.
func (n *Node) Transpose(perm []int, opts ...Option) *Node {
	c := configure("transpose", opts)
	axes := append([]int{0}, perm...)
	return layer("transpose", c, func(c *Call) *nx.Tensor {
		return nx.Transpose(c.Input(0), nx.Axes(axes...))
	}, []*Node{n})
}

// Pad returns a layer that pads the spatial axes of n ([batch][channels]
// [spatial...]) with value, by a (low, high) pair per spatial axis. Options:
// Name.
func (n *Node) Pad(pads [][2]int, value float64, opts ...Option) *Node {
	c := configure("pad", opts)
	return layer("pad", c, func(c *Call) *nx.Tensor {
		x := c.Input(0)
		if len(pads) != x.Rank()-2 {
			panic(&nx.Error{Op: "axon.Pad", Msg: fmt.Sprintf("%d pairs for %d spatial axes", len(pads), x.Rank()-2)})
		}
		config := make([][3]int, x.Rank())
		for i, p := range pads {
			config[i+2] = [3]int{p[0], p[1], 0}
		}
		return nx.Pad(x, nx.Scalar(value, x.DType()), config...)
	}, []*Node{n})
}

// join returns a layer combining nodes elementwise with fn.
func join(op string, nodes []*Node, opts []Option, fn func(a, b *nx.Tensor) *nx.Tensor) *Node {
	c := configure(op, opts)
	if len(nodes) < 2 {
		panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("%d nodes: want 2 or more", len(nodes))})
	}
	return layer(op, c, func(c *Call) *nx.Tensor {
		out := c.Input(0)
		for i := 1; i < c.NumInputs(); i++ {
			out = fn(out, c.Input(i))
		}
		return out
	}, nodes)
}

// Add returns a layer that adds the values of nodes (which broadcast
// together). Options: Name, an activation.
func Add(nodes []*Node, opts ...Option) *Node { return join("add", nodes, opts, nx.Add) }

// Subtract returns a layer that subtracts the values of nodes[1:] from that
// of nodes[0]. Options: Name, an activation.
func Subtract(nodes []*Node, opts ...Option) *Node {
	return join("subtract", nodes, opts, nx.Subtract)
}

// Multiply returns a layer that multiplies the values of nodes elementwise.
// Options: Name, an activation.
func Multiply(nodes []*Node, opts ...Option) *Node {
	return join("multiply", nodes, opts, nx.Multiply)
}

// Concatenate returns a layer that joins the values of nodes along an axis
// (default the last; option Axis). Options: Name, Axis, an activation.
func Concatenate(nodes []*Node, opts ...Option) *Node {
	c := configure("concatenate", opts, "Axis")
	if len(nodes) < 1 {
		panic(&nx.Error{Op: "axon.Concatenate", Msg: "no nodes"})
	}
	axis := c.axis
	return layer("concatenate", c, func(c *Call) *nx.Tensor {
		ts := make([]*nx.Tensor, c.NumInputs())
		for i := range ts {
			ts[i] = c.Input(i)
		}
		return nx.Concatenate(ts, nx.Axis(axis))
	}, nodes)
}

// Stack returns a layer that stacks the values of nodes along a new axis
// (default the last; option Axis). Options: Name, Axis.
func Stack(nodes []*Node, opts ...Option) *Node {
	c := configure("stack", opts, "Axis")
	axis := c.axis
	return layer("stack", c, func(c *Call) *nx.Tensor {
		ts := make([]*nx.Tensor, c.NumInputs())
		for i := range ts {
			ts[i] = c.Input(i)
		}
		return nx.Stack(ts, nx.Axis(axis))
	}, nodes)
}

// Split returns parts layers, each one equal part of n along an axis (default
// the last; option Axis). Options: Name (each part is named name_i), Axis.
func (n *Node) Split(parts int, opts ...Option) []*Node {
	c := configure("split", opts, "Axis")
	if parts < 1 {
		panic(&nx.Error{Op: "axon.Split", Msg: fmt.Sprintf("%d parts: want at least 1", parts)})
	}
	axis := c.axis
	out := make([]*Node, parts)
	for i := range out {
		name := ""
		if c.name != "" {
			name = fmt.Sprintf("%s_%d", c.name, i)
		}
		out[i] = newNode("split", name, func(c *Call) *nx.Tensor {
			x := c.Input(0)
			size := x.Axis(axis)
			if size%parts != 0 {
				panic(&nx.Error{Op: "axon.Split", Msg: fmt.Sprintf("axis %d of size %d does not split into %d equal parts", axis, size, parts)})
			}
			return nx.SliceAlongAxis(x, i*size/parts, size/parts, nx.Axis(axis))
		}, []*Node{n})
	}
	return out
}

// Cond returns a layer whose value is that of onTrue when pred(value of n) — a
// scalar — is true, and that of onFalse otherwise, as Axon.cond. Both branches
// are computed; the selection happens inside compiled code (nx.Cond).
// Options: Name.
func Cond(n *Node, pred func(*nx.Tensor) *nx.Tensor, onTrue, onFalse *Node, opts ...Option) *Node {
	c := configure("cond", opts)
	return layer("cond", c, func(c *Call) *nx.Tensor {
		p := pred(c.Input(0))
		a, b := c.Input(1), c.Input(2)
		return nx.Cond(nx.Case(p, func() *nx.Tensor { return a }), nx.Otherwise(func() *nx.Tensor { return b }))
	}, []*Node{n, onTrue, onFalse})
}
