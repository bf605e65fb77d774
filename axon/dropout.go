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
	return n.dropout("dropout", rate, false, scaleDrop, opts)
}

// SpatialDropout returns a layer that, in training mode, drops whole feature
// maps of n ([batch][channels][spatial...]) with probability rate, scaling the
// others by 1/(1-rate). Options: Name.
func (n *Node) SpatialDropout(rate float64, opts ...Option) *Node {
	return n.dropout("spatial_dropout", rate, true, scaleDrop, opts)
}

// AlphaDropout returns the dropout of self-normalizing networks (use with
// SELU): in training mode dropped elements are set to SELU's negative
// saturation value -λα and the result is scaled and shifted, by
// a = ((1-rate)(1 + rate·(λα)²))^-½ and b = a·λα·rate, so that it keeps zero
// mean and unit variance (Klambauer et al., 2017, as PyTorch). Options: Name.
func (n *Node) AlphaDropout(rate float64, opts ...Option) *Node {
	return n.dropout("alpha_dropout", rate, false, alphaDrop, opts)
}

// FeatureAlphaDropout is AlphaDropout dropping whole feature maps of n
// ([batch][channels][spatial...]), as PyTorch's FeatureAlphaDropout. Options:
// Name.
func (n *Node) FeatureAlphaDropout(rate float64, opts ...Option) *Node {
	return n.dropout("feature_alpha_dropout", rate, true, alphaDrop, opts)
}

// dropout builds the dropout layers: in training mode it draws a keep mask
// (one value per element, or per feature map when perFeature is set) and
// applies drop; in inference mode, or with rate 0, it passes n through.
func (n *Node) dropout(op string, rate float64, perFeature bool, drop func(x, mask *nx.Tensor, rate float64) *nx.Tensor, opts []Option) *Node {
	checkRate(op, rate)
	c := configure(op, opts)
	return layer(op, c, func(c *Call) *nx.Tensor {
		x := c.Input(0)
		shape := x.Shape()
		if perFeature {
			shape = featureShape(op, x)
		}
		if !c.Training() || rate == 0 {
			return x
		}
		x = floating(x)
		mask := keepMask(c, shape, x.DType(), 1-rate)
		if perFeature {
			mask = nx.Broadcast(mask, x.Shape())
		}
		return drop(x, mask, rate)
	}, []*Node{n})
}

// scaleDrop zeroes the dropped elements and scales the kept ones by 1/(1-rate).
func scaleDrop(x, mask *nx.Tensor, rate float64) *nx.Tensor {
	return nx.Select(mask, nx.Divide(x, nx.Number(1-rate)), nx.Number(0.0))
}

// alphaDrop sets dropped elements to SELU's saturation value and rescales, as
// AlphaDropout describes.
func alphaDrop(x, mask *nx.Tensor, rate float64) *nx.Tensor {
	alphaP := -seluAlpha * seluScale
	keep := 1 - rate
	a := 1 / math.Sqrt(keep*(1+rate*alphaP*alphaP))
	b := -a * alphaP * rate
	kept := nx.Select(mask, x, nx.Number(alphaP))
	return nx.Add(nx.Multiply(kept, nx.Number(a)), nx.Number(b))
}
