package axon

import (
	"fmt"

	"github.com/gonx-dev/gonx/axon/initializers"
	"github.com/gonx-dev/gonx/nx"
)

// Recurrent layers run over sequences [batch][time][features...] and return
// the output at every step together with their final state.

// Unroll chooses how a recurrent layer runs over the time axis; pass Static or
// Dynamic as an option.
type Unroll int

// The ways to unroll.
const (
	// Dynamic runs the sequence as one nx.While loop (the default): the graph
	// stays small whatever the sequence length.
	Dynamic Unroll = iota
	// Static writes one step per time step into the graph: larger graphs, no
	// loop.
	Static
)

// Mask returns a node that is 1 where n (token ids, [batch][time]) differs
// from pad and 0 where it equals it: the mask recurrent layers take with the
// Mask option.
func (n *Node) Mask(pad int, opts ...Option) *Node {
	c := configure("mask", opts)
	return layer("mask", c, func(call *Call) *nx.Tensor {
		return nx.NotEqual(call.Input(0), nx.Number(pad))
	}, []*Node{n})
}

// stepFunc computes one time step: the output and the new carry from the
// step's (projected) input and the carry.
type stepFunc func(xt *nx.Tensor, carry []*nx.Tensor) (*nx.Tensor, []*nx.Tensor)

// recurState is the state of a dynamic unroll.
type recurState struct {
	T     *nx.Tensor
	Carry []*nx.Tensor
	Out   *nx.Tensor
}

// recur runs step over the time axis (1) of xs, from carry, with an optional
// mask [batch][time]; outShape is the shape of one step's output. It returns
// the outputs [batch][time][out...] and the final carry.
func recur(xs *nx.Tensor, carry []*nx.Tensor, mask *nx.Tensor, outShape nx.Shape, dt nx.DType, unroll Unroll, step stepFunc) (*nx.Tensor, []*nx.Tensor) {
	steps := xs.Axis(1)
	masked := func(mt *nx.Tensor, y *nx.Tensor, old, next []*nx.Tensor) (*nx.Tensor, []*nx.Tensor) {
		if mt == nil {
			return y, next
		}
		shaped := func(t *nx.Tensor) *nx.Tensor {
			return nx.Reshape(mt, append([]int{mt.Size()}, ones(t.Rank()-1)...)...)
		}
		out := make([]*nx.Tensor, len(next))
		for i := range next {
			out[i] = nx.Select(shaped(next[i]), next[i], old[i])
		}
		return nx.Select(shaped(y), y, nx.Number(0)), out
	}
	at := func(t *nx.Tensor, i int) *nx.Tensor { // static slice of time step i
		return nx.Squeeze(nx.SliceAlongAxis(t, i, 1, nx.Axis(1)), nx.Axes(1))
	}
	if unroll == Static || steps == 0 {
		outs := make([]*nx.Tensor, steps)
		for i := 0; i < steps; i++ {
			y, next := step(at(xs, i), carry)
			var mt *nx.Tensor
			if mask != nil {
				mt = at(mask, i)
			}
			outs[i], carry = masked(mt, y, carry, next)
		}
		if steps == 0 {
			return nx.Zeros(dt, append(nx.Shape{xs.Axis(0), 0}, outShape...)...), carry
		}
		return nx.Stack(outs, nx.Axis(1)), carry
	}
	dyn := func(t, i *nx.Tensor) *nx.Tensor { // dynamic slice of time step i
		starts := make([]*nx.Tensor, t.Rank())
		lengths := t.Shape()
		for a := range starts {
			starts[a] = nx.Scalar(int64(0))
		}
		starts[1], lengths[1] = i, 1
		return nx.Squeeze(nx.SliceDynamic(t, starts, lengths), nx.Axes(1))
	}
	init := recurState{T: nx.Scalar(int64(0)), Carry: carry,
		Out: nx.Zeros(dt, append(nx.Shape{xs.Axis(0), steps}, outShape...)...)}
	final := nx.While(init,
		func(s recurState) *nx.Tensor { return nx.Less(s.T, nx.Scalar(int64(steps))) },
		func(s recurState) recurState {
			y, next := step(dyn(xs, s.T), s.Carry)
			var mt *nx.Tensor
			if mask != nil {
				mt = dyn(mask, s.T)
			}
			y, next = masked(mt, y, s.Carry, next)
			starts := make([]*nx.Tensor, s.Out.Rank())
			for a := range starts {
				starts[a] = nx.Scalar(int64(0))
			}
			starts[1] = s.T
			for i := range next {
				next[i] = nx.AsType(next[i], s.Carry[i].DType())
			}
			out := nx.PutSliceDynamic(s.Out, starts, nx.NewAxis(nx.AsType(y, dt), 1))
			return recurState{T: nx.Add(s.T, nx.Scalar(int64(1))), Carry: next, Out: out}
		})
	return final.Out, final.Carry
}

// recurrent makes a recurrent layer node with outputs "seq" and the carry
// names, and returns its Get nodes.
func recurrent(op string, n *Node, c *config, params []*Parameter, keys []string,
	fn func(call *Call, x, mask *nx.Tensor) map[string]*nx.Tensor) []*Node {
	inputs := []*Node{n}
	if c.mask != nil {
		inputs = append(inputs, c.mask)
	}
	node := newNode(op, c.name, nil, inputs, params...)
	node.frozen = c.frozen
	node.keys = keys
	node.multi = func(call *Call) map[string]*nx.Tensor {
		x := call.Input(0)
		if x.Rank() < 3 {
			panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("input shape %v: want [batch][time][features...]", []int(x.Shape()))})
		}
		var mask *nx.Tensor
		if len(inputs) > 1 {
			mask = call.Input(1)
		}
		return fn(call, floating(x), mask)
	}
	out := make([]*Node, len(keys))
	for i, k := range keys {
		out[i] = node.Get(k)
	}
	return out
}

var recurrentAccepts = []string{"KernelInit", "RecurrentInit", "BiasInit", "NoBias", "KernelRegularizer",
	"BiasRegularizer", "Unroll", "GateActivation", "Mask"}

// gates returns the recurrent layer's gate and candidate activations.
func gates(c *config) (gate, act Activation) {
	gate, act = c.gate, c.activation
	if gate == nil {
		gate = Sigmoid
	}
	if act == nil {
		act = Tanh
	}
	return gate, act
}

// recurrentKernel returns the hidden kernel parameter [units][k·units].
func recurrentKernel(c *config, shape ShapeFunc) *Parameter {
	init := c.recurrentInit
	if init == nil {
		init = initializers.Orthogonal()
	}
	p := Param("recurrent_kernel", shape, init).WithType(c.dtype)
	p.reg = c.kernelReg
	return p
}

// LSTM returns a long short-term memory layer of units units over the
// sequence n ([batch][time][features]): its output at every step
// [batch][time][units] and its final hidden and cell states [batch][units].
// Gates are PyTorch's: input, forget, candidate, output, packed along the last
// axis of kernel [features][4·units], recurrent_kernel [units][4·units] and
// bias [4·units]. Options: Dynamic (default) or Static, Mask, GateActivation
// (default Sigmoid), KernelInit, RecurrentInit (default orthogonal), BiasInit,
// NoBias, KernelRegularizer, BiasRegularizer, Name; an activation replaces
// the candidate's and the cell output's (default Tanh), as in Axon.
//
// A PyTorch nn.LSTM's weights map as kernel = weight_ih_l0ᵀ, recurrent_kernel
// = weight_hh_l0ᵀ and bias = bias_ih_l0 + bias_hh_l0 (the gate blocks keep
// their order); TestTorchLayers checks the outputs agree.
func (n *Node) LSTM(units int, opts ...Option) (seq, hidden, cell *Node) {
	const op = "lstm"
	c := configure(op, opts, recurrentAccepts...)
	gate, act := gates(c)
	params := withBias(c, []*Parameter{
		kernelParam(c, func(in ...nx.Shape) nx.Shape { return nx.Shape{lastAxis(op, in[0]), 4 * units} }),
		recurrentKernel(c, FixedShape(units, 4*units)),
	}, FixedShape(4*units))
	out := recurrent(op, n, c, params, []string{"seq", "h", "c"}, func(call *Call, x, mask *nx.Tensor) map[string]*nx.Tensor {
		xw := bias(call, nx.Dot(x, call.Param("kernel")), -1)
		wh := call.Param("recurrent_kernel")
		zero := nx.Zeros(xw.DType(), x.Axis(0), units)
		seq, carry := recur(xw, []*nx.Tensor{zero, zero}, mask, nx.Shape{units}, xw.DType(), c.unroll,
			func(xt *nx.Tensor, carry []*nx.Tensor) (*nx.Tensor, []*nx.Tensor) {
				h, cc := carry[0], carry[1]
				z := nx.SplitN(nx.Add(xt, nx.Dot(h, wh)), 4, nx.Axis(-1))
				i, f, g, o := gate(z[0]), gate(z[1]), act(z[2]), gate(z[3])
				cc = nx.Add(nx.Multiply(f, cc), nx.Multiply(i, g))
				h = nx.Multiply(o, act(cc))
				return h, []*nx.Tensor{h, cc}
			})
		return map[string]*nx.Tensor{"seq": seq, "h": carry[0], "c": carry[1]}
	})
	return out[0], out[1], out[2]
}

// GRU returns a gated recurrent unit layer of units units over n: its output
// at every step and its final hidden state. Gates are PyTorch's: reset,
// update, candidate n = tanh(x·Wn + b_n + r·(h·Un + rb_n)), h' = (1-z)·n +
// z·h, with kernel [features][3·units], recurrent_kernel [units][3·units],
// bias and recurrent_bias [3·units]. Options as LSTM.
//
// A PyTorch nn.GRU's weights map as kernel = weight_ih_l0ᵀ, recurrent_kernel =
// weight_hh_l0ᵀ, bias = bias_ih_l0 and recurrent_bias = bias_hh_l0.
func (n *Node) GRU(units int, opts ...Option) (seq, hidden *Node) {
	const op = "gru"
	c := configure(op, opts, recurrentAccepts...)
	gate, act := gates(c)
	params := []*Parameter{
		kernelParam(c, func(in ...nx.Shape) nx.Shape { return nx.Shape{lastAxis(op, in[0]), 3 * units} }),
		recurrentKernel(c, FixedShape(units, 3*units)),
	}
	if !c.noBias {
		rb := biasParam(c, FixedShape(3*units))
		rb.name = "recurrent_bias"
		params = append(params, biasParam(c, FixedShape(3*units)), rb)
	}
	out := recurrent(op, n, c, params, []string{"seq", "h"}, func(call *Call, x, mask *nx.Tensor) map[string]*nx.Tensor {
		xw := bias(call, nx.Dot(x, call.Param("kernel")), -1)
		wh := call.Param("recurrent_kernel")
		rb, hasBias := call.params["recurrent_bias"]
		zero := nx.Zeros(xw.DType(), x.Axis(0), units)
		seq, carry := recur(xw, []*nx.Tensor{zero}, mask, nx.Shape{units}, xw.DType(), c.unroll,
			func(xt *nx.Tensor, carry []*nx.Tensor) (*nx.Tensor, []*nx.Tensor) {
				h := carry[0]
				hw := nx.Dot(h, wh)
				if hasBias {
					hw = nx.Add(hw, rb)
				}
				xs, hs := nx.SplitN(xt, 3, nx.Axis(-1)), nx.SplitN(hw, 3, nx.Axis(-1))
				r := gate(nx.Add(xs[0], hs[0]))
				z := gate(nx.Add(xs[1], hs[1]))
				cand := act(nx.Add(xs[2], nx.Multiply(r, hs[2])))
				h = nx.Add(nx.Multiply(nx.Subtract(nx.Number(1.0), z), cand), nx.Multiply(z, h))
				return h, []*nx.Tensor{h}
			})
		return map[string]*nx.Tensor{"seq": seq, "h": carry[0]}
	})
	return out[0], out[1]
}

// ConvLSTM returns a convolutional LSTM of filters filters over n
// ([batch][time][channels][spatial...]): the gates are convolutions of the
// input (kernel [4·filters][channels][k...], with Strides and a padding,
// default nx.Same) and of the hidden state (recurrent_kernel
// [4·filters][filters][k...], same padding, stride 1). It returns the output
// at every step [batch][time][filters][spatial...] and the final hidden and
// cell states. Options as LSTM, plus Strides and a padding.
func (n *Node) ConvLSTM(filters, kernel int, opts ...Option) (seq, hidden, cell *Node) {
	const op = "conv_lstm"
	c := configure(op, opts, append(recurrentAccepts, "Strides", "Padding", "KernelSize")...)
	if !c.given["Padding"] {
		c.padding, c.padKind = nx.Same, padSame
	}
	gate, act := gates(c)
	params := withBias(c, []*Parameter{
		kernelParam(c, func(in ...nx.Shape) nx.Shape {
			if len(in[0]) < 4 {
				panic(&nx.Error{Op: "axon.ConvLSTM", Msg: fmt.Sprintf("input shape %v: want [batch][time][channels][spatial...]", []int(in[0]))})
			}
			return append(nx.Shape{4 * filters, in[0][2]}, kernelSizes(op, c, kernel, len(in[0])-3)...)
		}),
		recurrentKernel(c, func(in ...nx.Shape) nx.Shape {
			return append(nx.Shape{4 * filters, filters}, kernelSizes(op, c, kernel, len(in[0])-3)...)
		}),
	}, FixedShape(4*filters))
	out := recurrent(op, n, c, params, []string{"seq", "h", "c"}, func(call *Call, x, mask *nx.Tensor) map[string]*nx.Tensor {
		b, t := x.Axis(0), x.Axis(1)
		r := x.Rank() - 3
		flat := nx.Reshape(x, append([]int{b * t}, x.Shape()[2:]...)...)
		xw := bias(call, nx.Conv(flat, call.Param("kernel"), convOptions(op, c, r)...), 1)
		xw = nx.Reshape(xw, append([]int{b, t}, xw.Shape()[1:]...)...)
		wh := call.Param("recurrent_kernel")
		state := append(nx.Shape{b, filters}, xw.Shape()[3:]...)
		zero := nx.Zeros(xw.DType(), state...)
		seq, carry := recur(xw, []*nx.Tensor{zero, zero}, mask, state[1:], xw.DType(), c.unroll,
			func(xt *nx.Tensor, carry []*nx.Tensor) (*nx.Tensor, []*nx.Tensor) {
				h, cc := carry[0], carry[1]
				z := nx.SplitN(nx.Add(xt, nx.Conv(h, wh, nx.Padded(nx.Same))), 4, nx.Axis(1))
				i, f, g, o := gate(z[0]), gate(z[1]), act(z[2]), gate(z[3])
				cc = nx.Add(nx.Multiply(f, cc), nx.Multiply(i, g))
				h = nx.Multiply(o, act(cc))
				return h, []*nx.Tensor{h, cc}
			})
		return map[string]*nx.Tensor{"seq": seq, "h": carry[0], "c": carry[1]}
	})
	return out[0], out[1], out[2]
}

// Bidirectional runs layer over the sequence n forwards and over its time
// reversal, reverses the second output back and merges the two with merge
// (nil: Concatenate along the last axis), as Axon.bidirectional. layer is
// called twice and so makes two sets of parameters:
//
//	out := axon.Bidirectional(x, func(x *axon.Node) *axon.Node {
//		seq, _, _ := x.LSTM(32)
//		return seq
//	}, nil)
func Bidirectional(n *Node, layer func(*Node) *Node, merge func(forward, backward *Node) *Node) *Node {
	rev := func(x *Node) *Node {
		return newNode("reverse", "", func(c *Call) *nx.Tensor { return nx.Reverse(c.Input(0), nx.Axes(1)) }, []*Node{x})
	}
	fwd := layer(n)
	bwd := rev(layer(rev(n)))
	if merge == nil {
		return Concatenate([]*Node{fwd, bwd})
	}
	return merge(fwd, bwd)
}
