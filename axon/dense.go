package axon

import (
	"fmt"

	"github.com/gonx-dev/gonx/axon/initializers"
	"github.com/gonx-dev/gonx/nx"
)

// kernelParam and biasParam make a layer's usual parameters from its options.
func kernelParam(c *config, shape ShapeFunc) *Parameter {
	init := c.kernelInit
	if init == nil {
		init = initializers.GlorotUniform()
	}
	p := Param("kernel", shape, init).WithType(c.dtype)
	p.reg = c.kernelReg
	return p
}

func biasParam(c *config, shape ShapeFunc) *Parameter {
	init := c.biasInit
	if init == nil {
		init = initializers.Zeros()
	}
	p := Param("bias", shape, init).WithType(c.dtype)
	p.reg = c.biasReg
	return p
}

// withBias appends the bias parameter unless the options say NoBias.
func withBias(c *config, params []*Parameter, shape ShapeFunc) []*Parameter {
	if c.noBias {
		return params
	}
	return append(params, biasParam(c, shape))
}

// bias returns x plus the layer's bias when it has one, broadcast along axis.
func bias(c *Call, x *nx.Tensor, axis int) *nx.Tensor {
	b, ok := c.params["bias"]
	if !ok {
		return x
	}
	if axis < 0 {
		axis += x.Rank()
	}
	if axis != x.Rank()-1 {
		shape := make([]int, x.Rank()-axis)
		for i := range shape {
			shape[i] = 1
		}
		shape[0] = b.Size()
		b = nx.Reshape(b, shape...)
	}
	return nx.Add(x, b)
}

// lastAxis returns the size of the last axis of a shape, for messages and
// parameter shapes.
func lastAxis(op string, s nx.Shape) int {
	if len(s) == 0 {
		panic(&nx.Error{Op: "axon." + op, Msg: "the input is a scalar: want rank 1 or more"})
	}
	return s[len(s)-1]
}

// Dense returns a fully connected layer of units outputs over the last axis of
// n: x·kernel + bias, with kernel [in][units] and bias [units]. Options: an
// activation, Name, KernelInit, BiasInit, NoBias, KernelRegularizer,
// BiasRegularizer.
func (n *Node) Dense(units int, opts ...Option) *Node {
	const op = "dense"
	c := configure(op, opts, "KernelInit", "BiasInit", "NoBias", "KernelRegularizer", "BiasRegularizer")
	if units < 1 {
		panic(&nx.Error{Op: "axon.Dense", Msg: fmt.Sprintf("units %d: want at least 1", units)})
	}
	params := []*Parameter{kernelParam(c, func(in ...nx.Shape) nx.Shape { return nx.Shape{lastAxis(op, in[0]), units} })}
	params = withBias(c, params, FixedShape(units))
	return layer(op, c, func(c *Call) *nx.Tensor {
		return bias(c, nx.Dot(c.Input(0), c.Param("kernel")), -1)
	}, []*Node{n}, params...)
}

// Bias returns a layer that adds a trainable bias over the last axis of n.
// Options: Name, BiasInit, BiasRegularizer.
func (n *Node) Bias(opts ...Option) *Node {
	const op = "bias"
	c := configure(op, opts, "BiasInit", "BiasRegularizer")
	p := biasParam(c, func(in ...nx.Shape) nx.Shape { return nx.Shape{lastAxis(op, in[0])} })
	return layer(op, c, func(c *Call) *nx.Tensor { return nx.Add(c.Input(0), c.Param("bias")) }, []*Node{n}, p)
}

// Bilinear returns the bilinear layer of a and b: out[..., k] = Σ_ij
// a[..., i]·kernel[k][i][j]·b[..., j] + bias[k], with kernel [units][in1][in2].
// Options as Dense.
func Bilinear(a, b *Node, units int, opts ...Option) *Node {
	const op = "bilinear"
	c := configure(op, opts, "KernelInit", "BiasInit", "NoBias", "KernelRegularizer", "BiasRegularizer")
	params := []*Parameter{kernelParam(c, func(in ...nx.Shape) nx.Shape {
		return nx.Shape{units, lastAxis(op, in[0]), lastAxis(op, in[1])}
	})}
	params = withBias(c, params, FixedShape(units))
	return layer(op, c, func(c *Call) *nx.Tensor {
		x, y, k := c.Input(0), c.Input(1), c.Param("kernel")
		// [..., in1]·[units][in1][in2] → [..., units, in2], then contract in2 with y.
		xk := nx.DotGeneral(x, []int{x.Rank() - 1}, nil, k, []int{1}, nil)
		out := nx.Sum(nx.Multiply(xk, nx.NewAxis(y, -2)), nx.Axes(-1))
		return bias(c, out, -1)
	}, []*Node{a, b}, params...)
}

// Embedding returns a lookup table of vocab vectors of size units: each
// integer of n (token ids) becomes its row of the kernel [vocab][units], so the
// result has n's shape followed by units. Options: Name, KernelInit (default
// initializers.Uniform(0.01)), KernelRegularizer.
func (n *Node) Embedding(vocab, units int, opts ...Option) *Node {
	const op = "embedding"
	c := configure(op, opts, "KernelInit", "KernelRegularizer")
	if c.kernelInit == nil {
		c.kernelInit = initializers.Uniform(0.01)
	}
	p := kernelParam(c, FixedShape(vocab, units))
	return layer(op, c, func(c *Call) *nx.Tensor {
		return nx.Take(c.Param("kernel"), nx.AsType(c.Input(0), nx.S64), nx.Axis(0))
	}, []*Node{n}, p)
}
