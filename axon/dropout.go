package axon

import (
	"fmt"
	"math"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// checkRate panics unless 0 <= rate < 1.
func checkRate(op string, rate float64) {
	if rate < 0 || rate >= 1 {
		panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("rate %v: want 0 <= rate < 1", rate)})
	}
}

// keepMask returns a u8 mask of the given shape that is 1 with probability
// keep, drawn with the layer's key.
func keepMask(c *Call, shape nx.Shape, dt nx.DType, keep float64) *nx.Tensor {
	u := random.UniformSplit(c.Key(), 0, 1, shape, dt)
	return nx.Less(u, nx.Number(keep))
}

// featureShape returns the shape of a mask shared by every element of each
// feature map of x ([batch][channels][1...]).
func featureShape(op string, x *nx.Tensor) nx.Shape {
	if x.Rank() < 3 {
		panic(&nx.Error{Op: "axon." + op, Operands: []string{fmt.Sprintf("%s%v", x.DType(), x.Shape())}, Msg: "want an input of rank 3 or more ([batch][channels][spatial...])"})
	}
	s := x.Shape()
	for i := 2; i < len(s); i++ {
		s[i] = 1
	}
	return s
}

// Dropout returns a layer that, in training mode, sets each element of n to 0
// with probability rate and scales the others by 1/(1-rate); in inference mode
// it passes n through. Options: Name.
func (n *Node) Dropout(rate float64, opts ...Option) *Node {
	const op = "dropout"
	checkRate(op, rate)
	c := configure(op, opts)
	return layer(op, c, func(c *Call) *nx.Tensor {
		x := c.Input(0)
		if !c.Training() || rate == 0 {
			return x
		}
		x = floating(x)
		mask := keepMask(c, x.Shape(), x.DType(), 1-rate)
		return nx.Select(mask, nx.Divide(x, nx.Number(1-rate)), nx.Number(0.0))
	}, []*Node{n})
}

// SpatialDropout returns a layer that, in training mode, drops whole feature
// maps of n ([batch][channels][spatial...]) with probability rate, scaling the
// others by 1/(1-rate). Options: Name.
func (n *Node) SpatialDropout(rate float64, opts ...Option) *Node {
	const op = "spatial_dropout"
	checkRate(op, rate)
	c := configure(op, opts)
	return layer(op, c, func(c *Call) *nx.Tensor {
		x := c.Input(0)
		shape := featureShape(op, x)
		if !c.Training() || rate == 0 {
			return x
		}
		x = floating(x)
		mask := nx.Broadcast(keepMask(c, shape, x.DType(), 1-rate), x.Shape())
		return nx.Select(mask, nx.Divide(x, nx.Number(1-rate)), nx.Number(0.0))
	}, []*Node{n})
}

// AlphaDropout returns the dropout of self-normalizing networks (use with
// SELU): in training mode dropped elements are set to SELU's negative
// saturation value -λα and the result is scaled and shifted, by
// a = ((1-rate)(1 + rate·(λα)²))^-½ and b = a·λα·rate, so that it keeps zero
// mean and unit variance (Klambauer et al., 2017, as PyTorch). Options: Name.
func (n *Node) AlphaDropout(rate float64, opts ...Option) *Node {
	const op = "alpha_dropout"
	checkRate(op, rate)
	c := configure(op, opts)
	return layer(op, c, func(c *Call) *nx.Tensor {
		x := c.Input(0)
		if !c.Training() || rate == 0 {
			return x
		}
		x = floating(x)
		return alphaDrop(x, keepMask(c, x.Shape(), x.DType(), 1-rate), rate)
	}, []*Node{n})
}

// FeatureAlphaDropout is AlphaDropout dropping whole feature maps of n
// ([batch][channels][spatial...]), as PyTorch's FeatureAlphaDropout. Options:
// Name.
func (n *Node) FeatureAlphaDropout(rate float64, opts ...Option) *Node {
	const op = "feature_alpha_dropout"
	checkRate(op, rate)
	c := configure(op, opts)
	return layer(op, c, func(c *Call) *nx.Tensor {
		x := c.Input(0)
		shape := featureShape(op, x)
		if !c.Training() || rate == 0 {
			return x
		}
		x = floating(x)
		mask := nx.Broadcast(keepMask(c, shape, x.DType(), 1-rate), x.Shape())
		return alphaDrop(x, mask, rate)
	}, []*Node{n})
}

func alphaDrop(x, mask *nx.Tensor, rate float64) *nx.Tensor {
	alphaP := -seluAlpha * seluScale
	keep := 1 - rate
	a := 1 / math.Sqrt(keep*(1+rate*alphaP*alphaP))
	b := -a * alphaP * rate
	kept := nx.Select(mask, x, nx.Number(alphaP))
	return nx.Add(nx.Multiply(kept, nx.Number(a)), nx.Number(b))
}
