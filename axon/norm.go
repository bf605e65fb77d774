package axon

import (
	"fmt"

	"github.com/gonx-dev/gonx/axon/initializers"
	"github.com/gonx-dev/gonx/nx"
)

// normAxis returns the feature axis of a normalization: the Axis option, or
// def when it was not given.
func normAxis(c *config, def int) int {
	if c.given["Axis"] {
		return c.axis
	}
	return def
}

// featureParam returns a parameter of one value per feature along axis.
func featureParam(name string, axis int, init initializers.Initializer, dt nx.DType) *Parameter {
	return Param(name, func(in ...nx.Shape) nx.Shape {
		a := axis
		if a < 0 {
			a += len(in[0])
		}
		if a < 0 || a >= len(in[0]) {
			panic(&nx.Error{Op: "axon.norm", Msg: fmt.Sprintf("feature axis %d out of range for input shape %v", axis, []int(in[0]))})
		}
		return nx.Shape{in[0][a]}
	}, init).WithType(dt)
}

// along reshapes a per-feature vector v to broadcast along axis of x.
func along(v, x *nx.Tensor, axis int) *nx.Tensor {
	if axis < 0 {
		axis += x.Rank()
	}
	shape := ones(x.Rank())
	shape[axis] = v.Size()
	return nx.Reshape(v, shape...)
}

// otherAxes returns the axes of a rank-r tensor except those in skip.
func otherAxes(r int, skip ...int) []int {
	var out []int
	for a := 0; a < r; a++ {
		keep := true
		for _, s := range skip {
			if s < 0 {
				s += r
			}
			keep = keep && a != s
		}
		if keep {
			out = append(out, a)
		}
	}
	return out
}

// normalize returns (x - mean)/√(var + eps)·gamma + beta.
func normalize(x, mean, variance, gamma, beta *nx.Tensor, eps float64) *nx.Tensor {
	y := nx.Multiply(nx.Subtract(x, mean), nx.Rsqrt(nx.Add(variance, nx.Number(eps))))
	if gamma != nil {
		y = nx.Multiply(y, gamma)
	}
	if beta != nil {
		y = nx.Add(y, beta)
	}
	return y
}

// meanVar returns the mean and (biased) variance of x over axes, kept.
func meanVar(x *nx.Tensor, axes []int) (*nx.Tensor, *nx.Tensor) {
	mean := nx.Mean(x, nx.Axes(axes...), nx.KeepAxes())
	variance := nx.Mean(nx.Square(nx.Subtract(x, mean)), nx.Axes(axes...), nx.KeepAxes())
	return mean, variance
}

var normAccepts = []string{"Epsilon", "Axis", "KernelInit", "BiasInit"}

// affine returns the gamma (KernelInit, default ones) and beta (BiasInit,
// default zeros) parameters of a normalization over axis.
func affine(c *config, axis int) []*Parameter {
	gi, bi := c.kernelInit, c.biasInit
	if gi == nil {
		gi = initializers.Ones()
	}
	if bi == nil {
		bi = initializers.Zeros()
	}
	return []*Parameter{featureParam("gamma", axis, gi, c.dtype), featureParam("beta", axis, bi, c.dtype)}
}

// statefulNorm is a normalization with running statistics (batch and
// instance normalization): in training mode it normalizes with the statistics
// of the batch over axes and updates the running ones; in inference mode it
// uses the running ones.
func statefulNorm(n *Node, op string, opts []Option, axes func(rank, feature int) []int) *Node {
	c := configure(op, append([]Option{}, opts...), append(normAccepts, "Momentum")...)
	axis := normAxis(c, 1)
	params := append(affine(c, axis),
		featureParam("mean", axis, initializers.Zeros(), c.dtype).AsState(),
		featureParam("var", axis, initializers.Ones(), c.dtype).AsState())
	eps, momentum := c.epsilon, c.momentum
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := floating(call.Input(0))
		gamma, beta := along(call.Param("gamma"), x, axis), along(call.Param("beta"), x, axis)
		if !call.Training() {
			return normalize(x, along(call.Param("mean"), x, axis), along(call.Param("var"), x, axis), gamma, beta, eps)
		}
		reduce := axes(x.Rank(), axis)
		mean, variance := meanVar(x, reduce)
		// Running statistics average the batch statistics over the other
		// axes (the batch, for instance normalization).
		flat := func(t *nx.Tensor) *nx.Tensor {
			return nx.Mean(t, nx.Axes(otherAxes(t.Rank(), axis)...))
		}
		ema := func(old, obs *nx.Tensor) *nx.Tensor {
			return nx.Add(nx.Multiply(old, nx.Number(1-momentum)), nx.Multiply(nx.StopGrad(obs), nx.Number(momentum)))
		}
		call.Update("mean", ema(call.Param("mean"), flat(mean)))
		call.Update("var", ema(call.Param("var"), flat(variance)))
		return normalize(x, mean, variance, gamma, beta, eps)
	}, []*Node{n}, params...)
}

// BatchNorm returns a batch normalization of n over the feature axis (Axis,
// default 1, the channels): each feature is normalized with the mean and
// variance over the batch (and spatial axes), then scaled by gamma and shifted
// by beta. Training updates running statistics ("mean" and "var", layer state):
// running = (1-momentum)·running + momentum·batch, with Momentum default 0.1
// as PyTorch (Axon's update weighs the two the other way round); inference
// normalizes with them. The batch variance folded into "var" is the biased
// one (the mean of squared deviations), as in Axon, Keras and Flax; PyTorch
// folds in the unbiased one, n/(n-1) times larger for n values per feature,
// so after training the running variances differ by that factor's share
// (outputs do not: both normalize batches with the biased variance). Options: Name, Epsilon (1e-5), Momentum, Axis,
// KernelInit (gamma), BiasInit (beta).
func (n *Node) BatchNorm(opts ...Option) *Node {
	return statefulNorm(n, "batch_norm", opts, func(rank, feature int) []int { return otherAxes(rank, feature) })
}

// InstanceNorm returns an instance normalization of n: as BatchNorm, with the
// statistics of each example and feature taken over the spatial axes only.
// Options as BatchNorm.
func (n *Node) InstanceNorm(opts ...Option) *Node {
	return statefulNorm(n, "instance_norm", opts, func(rank, feature int) []int { return otherAxes(rank, 0, feature) })
}

// LayerNorm returns a layer normalization of n: each example normalized over
// the feature axis (Axis, default -1), scaled by gamma and shifted by beta.
// Options: Name, Epsilon (1e-5), Axis, KernelInit (gamma), BiasInit (beta).
func (n *Node) LayerNorm(opts ...Option) *Node {
	const op = "layer_norm"
	c := configure(op, opts, normAccepts...)
	axis := normAxis(c, -1)
	eps := c.epsilon
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := floating(call.Input(0))
		mean, variance := meanVar(x, []int{axis})
		return normalize(x, mean, variance, along(call.Param("gamma"), x, axis), along(call.Param("beta"), x, axis), eps)
	}, []*Node{n}, affine(c, axis)...)
}

// GroupNorm returns a group normalization of n: the features (Axis, default
// 1) split into groups, each example normalized over each group's features
// and the spatial axes, then scaled by gamma and shifted by beta. Options:
// Name, Epsilon (1e-5), Axis, KernelInit, BiasInit.
func (n *Node) GroupNorm(groups int, opts ...Option) *Node {
	const op = "group_norm"
	c := configure(op, opts, normAccepts...)
	axis := normAxis(c, 1)
	eps := c.epsilon
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := floating(call.Input(0))
		a := axis
		if a < 0 {
			a += x.Rank()
		}
		ch := x.Axis(a)
		if groups < 1 || ch%groups != 0 {
			panic(&nx.Error{Op: "axon.GroupNorm", Msg: fmt.Sprintf("%d features do not split into %d groups", ch, groups)})
		}
		shape := x.Shape()
		grouped := append(append(append([]int{}, shape[:a]...), groups, ch/groups), shape[a+1:]...)
		g := nx.Reshape(x, grouped...)
		mean, variance := meanVar(g, otherAxes(g.Rank(), 0, a))
		y := nx.Reshape(normalize(g, mean, variance, nil, nil, eps), shape...)
		return nx.Add(nx.Multiply(y, along(call.Param("gamma"), x, a)), along(call.Param("beta"), x, a))
	}, []*Node{n}, affine(c, axis)...)
}

// RMSNorm returns a root-mean-square normalization of n: x / √(mean(x²) + eps)
// over the feature axis (Axis, default -1), scaled by gamma (no centering, no
// beta). Options: Name, Epsilon (default 1e-6 here, as Axon), Axis,
// KernelInit (gamma).
func (n *Node) RMSNorm(opts ...Option) *Node {
	const op = "rms_norm"
	c := configure(op, opts, "Epsilon", "Axis", "KernelInit")
	if !c.given["Epsilon"] {
		c.epsilon = 1e-6
	}
	axis := normAxis(c, -1)
	gi := c.kernelInit
	if gi == nil {
		gi = initializers.Ones()
	}
	eps := c.epsilon
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := floating(call.Input(0))
		ms := nx.Mean(nx.Square(x), nx.Axes(axis), nx.KeepAxes())
		return nx.Multiply(nx.Multiply(x, nx.Rsqrt(nx.Add(ms, nx.Number(eps)))), along(call.Param("gamma"), x, axis))
	}, []*Node{n}, featureParam("gamma", axis, gi, c.dtype))
}
