// Package losses holds the loss functions of Axon.Losses: each compares targets
// yTrue with predictions yPred and returns one loss per example (reduction
// "none", Axon's default); [Mean] and [Sum] reduce them, and axon's Trainer
// takes the mean of whatever a loss returns.
//
// The plain functions take Axon's default options; the *With constructors take
// options ([FromLogits], [Sparse], [Delta], ...) and return a [Func]:
//
//	loss := losses.CategoricalCrossEntropyWith(losses.FromLogits(), losses.Sparse())
//	l := loss(labels, logits) // one value per example
//
// Losses are nx code: they run eagerly, under nx.Jit and under nx.Grad.
package losses

import (
	"fmt"
	"math"

	"github.com/gonx-dev/gonx/nx"
)

// Func is a loss function.
type Func func(yTrue, yPred *nx.Tensor) *nx.Tensor

// Option configures a loss made by a *With constructor.
type Option func(*config)

type config struct {
	fromLogits   bool
	sparse       bool
	delta        float64
	margin       float64
	posWeight    float64
	negWeight    float64
	classWeights []float64
	reduction    Reduction
}

// Reduction is how a loss combines the per-example values.
type Reduction int

// The reductions.
const (
	ReduceNone Reduction = iota // one value per example (the default)
	ReduceMean                  // their mean
	ReduceSum                   // their sum
)

// FromLogits says the predictions are logits (before sigmoid or softmax), which
// cross-entropies then handle in a numerically stable way.
func FromLogits() Option { return func(c *config) { c.fromLogits = true } }

// Sparse says the targets are class indices (integers) rather than one-hot
// vectors.
func Sparse() Option { return func(c *config) { c.sparse = true } }

// Delta sets the Huber loss's threshold between quadratic and linear (default
// 1).
func Delta(d float64) Option { return func(c *config) { c.delta = d } }

// Margin sets the margin of MarginRanking (default 0).
func Margin(m float64) Option { return func(c *config) { c.margin = m } }

// PositiveWeight weights the loss of positive targets in BinaryCrossEntropy.
func PositiveWeight(w float64) Option { return func(c *config) { c.posWeight = w } }

// NegativeWeight weights the loss of negative targets in BinaryCrossEntropy.
func NegativeWeight(w float64) Option { return func(c *config) { c.negWeight = w } }

// ClassWeights weights the loss of each example of CategoricalCrossEntropy by
// the weight of its target class; with ReduceMean the result is divided by the
// sum of the weights.
func ClassWeights(w ...float64) Option { return func(c *config) { c.classWeights = w } }

// WithReduction reduces the per-example losses.
func WithReduction(r Reduction) Option { return func(c *config) { c.reduction = r } }

func newConfig(opts []Option) *config {
	c := &config{delta: 1}
	for _, o := range opts {
		o(c)
	}
	return c
}

// reduce applies r to per-example losses.
func reduce(l *nx.Tensor, r Reduction) *nx.Tensor {
	switch r {
	case ReduceMean:
		return nx.Mean(l)
	case ReduceSum:
		return nx.Sum(l)
	}
	return l
}

// Mean returns the loss whose value is the mean of f's per-example values.
func Mean(f Func) Func { return func(y, p *nx.Tensor) *nx.Tensor { return nx.Mean(f(y, p)) } }

// Sum returns the loss whose value is the sum of f's per-example values.
func Sum(f Func) Func { return func(y, p *nx.Tensor) *nx.Tensor { return nx.Sum(f(y, p)) } }

// sameShape panics unless the targets and predictions have the same shape.
func sameShape(op string, y, p *nx.Tensor) {
	if !y.Shape().Equal(p.Shape()) {
		panic(&nx.Error{Op: "losses." + op, Operands: []string{describe(y), describe(p)},
			Msg: "targets and predictions must have the same shape"})
	}
}

func describe(t *nx.Tensor) string { return fmt.Sprintf("%s%v", t.DType(), t.Shape()) }

// promote converts y and p to their merged float type.
func promote(y, p *nx.Tensor) (*nx.Tensor, *nx.Tensor) {
	dt := nx.FloatOf(nx.Merge(y.DType(), p.DType()))
	return nx.AsType(y, dt), nx.AsType(p, dt)
}

func num(v float64) *nx.Tensor { return nx.Number(v) }

// logSoftmax returns log(softmax(x)) over the last axis.
func logSoftmax(x *nx.Tensor) *nx.Tensor {
	return nx.Subtract(x, nx.LogSumExp(x, nx.Axes(-1), nx.KeepAxes()))
}

// logSigmoid returns log(sigmoid(x)) = -softplus(-x), computed stably.
func logSigmoid(x *nx.Tensor) *nx.Tensor {
	// -softplus(-x) = -(max(-x, 0) + log1p(e^-|x|))
	return nx.Negate(nx.Add(nx.Max(nx.Negate(x), num(0)), nx.Log1p(nx.Exp(nx.Negate(nx.Abs(x))))))
}

// BinaryCrossEntropy returns -(y·log p + (1-y)·log(1-p)) averaged over the last
// axis, with p clipped to [1e-7, 1-1e-7] as Axon does.
func BinaryCrossEntropy(yTrue, yPred *nx.Tensor) *nx.Tensor {
	return BinaryCrossEntropyWith()(yTrue, yPred)
}

// BinaryCrossEntropyWith returns BinaryCrossEntropy with options: FromLogits,
// PositiveWeight, NegativeWeight (with weights, the weighted losses are
// averaged over every element), WithReduction.
func BinaryCrossEntropyWith(opts ...Option) Func {
	c := newConfig(opts)
	return func(yTrue, yPred *nx.Tensor) *nx.Tensor {
		sameShape("BinaryCrossEntropy", yTrue, yPred)
		y, p := promote(yTrue, yPred)
		var l *nx.Tensor
		if c.fromLogits {
			l = nx.Negate(nx.Add(nx.Multiply(y, logSigmoid(p)), nx.Multiply(nx.Subtract(num(1), y), logSigmoid(nx.Negate(p)))))
		} else {
			const eps = 1e-7
			p = nx.Clip(p, num(eps), num(1-eps))
			pos := nx.Multiply(y, nx.Log(nx.Add(p, num(eps))))
			neg := nx.Multiply(nx.Subtract(num(1), y), nx.Log(nx.Add(nx.Subtract(num(1), p), num(eps))))
			l = nx.Negate(nx.Add(pos, neg))
		}
		if c.posWeight != 0 || c.negWeight != 0 {
			pw, nw := c.posWeight, c.negWeight
			if pw == 0 {
				pw = 1
			}
			if nw == 0 {
				nw = 1
			}
			w := nx.Select(nx.Greater(y, num(0.5)), num(pw), num(nw))
			return reduce(nx.Mean(nx.Multiply(w, l)), c.reduction)
		}
		return reduce(nx.Mean(l, nx.Axes(-1)), c.reduction)
	}
}

// CategoricalCrossEntropy returns -Σ y·log p over the last axis: y one-hot
// targets, p probabilities.
func CategoricalCrossEntropy(yTrue, yPred *nx.Tensor) *nx.Tensor {
	return CategoricalCrossEntropyWith()(yTrue, yPred)
}

// CategoricalCrossEntropyWith returns CategoricalCrossEntropy with options:
// FromLogits (predictions are logits: the loss is computed from their log
// softmax), Sparse (targets are class indices, [batch] or [batch][1]),
// ClassWeights, WithReduction.
func CategoricalCrossEntropyWith(opts ...Option) Func {
	c := newConfig(opts)
	return func(yTrue, yPred *nx.Tensor) *nx.Tensor {
		p := yPred
		if !p.DType().IsFloat() {
			p = nx.AsType(p, nx.F32)
		}
		var logp *nx.Tensor
		if c.fromLogits {
			logp = logSoftmax(p)
		}
		var l *nx.Tensor
		var idx *nx.Tensor // the target classes, for class weights
		if c.sparse {
			idx = yTrue
			if idx.Rank() == p.Rank() {
				if idx.Axis(-1) != 1 {
					panic(&nx.Error{Op: "losses.CategoricalCrossEntropy", Operands: []string{describe(yTrue), describe(yPred)},
						Msg: "sparse targets must be class indices, with a last axis of size 1 if any"})
				}
				idx = nx.Squeeze(idx, nx.Axes(-1))
			}
			cols := nx.NewAxis(nx.AsType(idx, nx.S64), -1)
			if logp == nil {
				l = nx.Negate(nx.Log(nx.Squeeze(nx.TakeAlongAxis(p, cols, nx.Axis(-1)), nx.Axes(-1))))
			} else {
				l = nx.Negate(nx.Squeeze(nx.TakeAlongAxis(logp, cols, nx.Axis(-1)), nx.Axes(-1)))
			}
		} else {
			sameShape("CategoricalCrossEntropy", yTrue, yPred)
			y := nx.AsType(yTrue, p.DType())
			if logp == nil {
				// xlogy: 0 where y is 0, even where p is 0.
				logp = nx.Select(nx.Equal(y, num(0)), num(0), nx.Log(p))
			}
			l = nx.Negate(nx.Sum(nx.Multiply(y, logp), nx.Axes(-1)))
			if c.classWeights != nil {
				idx = nx.Argmax(y, nx.Axis(-1))
			}
		}
		if c.classWeights == nil {
			return reduce(l, c.reduction)
		}
		if len(c.classWeights) != p.Axis(-1) {
			panic(&nx.Error{Op: "losses.CategoricalCrossEntropy", Msg: fmt.Sprintf("%d class weights for %d classes", len(c.classWeights), p.Axis(-1))})
		}
		w := nx.Take(nx.AsType(nx.FromSlice(c.classWeights), l.DType()), nx.AsType(idx, nx.S64))
		l = nx.Multiply(w, l)
		if c.reduction == ReduceMean {
			return nx.Divide(nx.Sum(l), nx.Sum(w))
		}
		return reduce(l, c.reduction)
	}
}

// SoftmaxCrossEntropy is CategoricalCrossEntropyWith(FromLogits(), Sparse()):
// the usual classification loss on logits and class indices.
func SoftmaxCrossEntropy(labels, logits *nx.Tensor) *nx.Tensor {
	return CategoricalCrossEntropyWith(FromLogits(), Sparse())(labels, logits)
}

// CategoricalHinge returns max(0, 1 + max((1-y)·p) - Σ y·p) per example.
func CategoricalHinge(yTrue, yPred *nx.Tensor) *nx.Tensor {
	sameShape("CategoricalHinge", yTrue, yPred)
	y, p := promote(yTrue, yPred)
	neg := nx.ReduceMax(nx.Multiply(nx.Subtract(num(1), y), p), nx.Axes(-1))
	pos := nx.Sum(nx.Multiply(y, p), nx.Axes(-1))
	return nx.Max(nx.Add(nx.Subtract(neg, pos), num(1)), num(0))
}

// Hinge returns the mean over the last axis of max(0, 1 - y·p), for targets
// y of -1 and 1.
func Hinge(yTrue, yPred *nx.Tensor) *nx.Tensor {
	sameShape("Hinge", yTrue, yPred)
	y, p := promote(yTrue, yPred)
	return nx.Mean(nx.Max(nx.Subtract(num(1), nx.Multiply(y, p)), num(0)), nx.Axes(-1))
}

// KLDivergence returns Σ y·log(y/p) over the last axis, with y and p clipped
// to [1e-7, 1].
func KLDivergence(yTrue, yPred *nx.Tensor) *nx.Tensor {
	sameShape("KLDivergence", yTrue, yPred)
	y, p := promote(yTrue, yPred)
	y = nx.Clip(y, num(1e-7), num(1))
	p = nx.Clip(p, num(1e-7), num(1))
	return nx.Sum(nx.Multiply(y, nx.Log(nx.Divide(y, p))), nx.Axes(-1))
}

// LogCosh returns the mean over the last axis of log(cosh(p - y)), computed
// as x + log1p(e^-2x) - log 2.
func LogCosh(yTrue, yPred *nx.Tensor) *nx.Tensor {
	sameShape("LogCosh", yTrue, yPred)
	y, p := promote(yTrue, yPred)
	x := nx.Subtract(p, y)
	l := nx.Subtract(nx.Add(x, nx.Log1p(nx.Exp(nx.Multiply(x, num(-2))))), num(math.Ln2))
	return nx.Mean(l, nx.Axes(-1))
}

// MarginRanking returns max(0, -y·(p1 - p2) + margin) elementwise, for
// targets y of -1 and 1 and two predictions.
func MarginRanking(yTrue, yPred1, yPred2 *nx.Tensor, opts ...Option) *nx.Tensor {
	c := newConfig(opts)
	y, p1 := promote(yTrue, yPred1)
	p2 := nx.AsType(yPred2, p1.DType())
	l := nx.Max(nx.Add(nx.Multiply(nx.Subtract(p1, p2), nx.Negate(y)), num(c.margin)), num(0))
	return reduce(l, c.reduction)
}

// SoftMargin returns Σ over the batch axis of log(1 + e^(-y·p)), as Axon.
func SoftMargin(yTrue, yPred *nx.Tensor) *nx.Tensor {
	sameShape("SoftMargin", yTrue, yPred)
	y, p := promote(yTrue, yPred)
	return nx.Sum(nx.Log1p(nx.Exp(nx.Multiply(nx.Negate(y), p))), nx.Axes(0))
}

// MeanAbsoluteError returns the mean over the last axis of |y - p|.
func MeanAbsoluteError(yTrue, yPred *nx.Tensor) *nx.Tensor {
	sameShape("MeanAbsoluteError", yTrue, yPred)
	y, p := promote(yTrue, yPred)
	return nx.Mean(nx.Abs(nx.Subtract(y, p)), nx.Axes(-1))
}

// MeanSquaredError returns the mean over the last axis of (y - p)².
func MeanSquaredError(yTrue, yPred *nx.Tensor) *nx.Tensor {
	sameShape("MeanSquaredError", yTrue, yPred)
	y, p := promote(yTrue, yPred)
	return nx.Mean(nx.Square(nx.Subtract(y, p)), nx.Axes(-1))
}

// CosineSimilarity returns y·p / max(|y|·|p|, 1e-6) over axis 1, as Axon
// (a similarity: larger is closer).
func CosineSimilarity(yTrue, yPred *nx.Tensor) *nx.Tensor {
	sameShape("CosineSimilarity", yTrue, yPred)
	y, p := promote(yTrue, yPred)
	dot := nx.Sum(nx.Multiply(y, p), nx.Axes(1))
	ny := nx.Sqrt(nx.Sum(nx.Square(y), nx.Axes(1)))
	np := nx.Sqrt(nx.Sum(nx.Square(p), nx.Axes(1)))
	return nx.Divide(dot, nx.Max(nx.Multiply(ny, np), num(1e-6)))
}

// Poisson returns the mean over the last axis of p - y·log(p + 1e-7).
func Poisson(yTrue, yPred *nx.Tensor) *nx.Tensor {
	sameShape("Poisson", yTrue, yPred)
	y, p := promote(yTrue, yPred)
	return nx.Mean(nx.Subtract(p, nx.Multiply(y, nx.Log(nx.Add(p, num(1e-7))))), nx.Axes(-1))
}

// Huber returns, elementwise, ½(p-y)² where |p-y| <= 1 and |p-y| - ½
// elsewhere.
func Huber(yTrue, yPred *nx.Tensor) *nx.Tensor { return HuberWith()(yTrue, yPred) }

// HuberWith returns Huber with options: Delta (the threshold d: ½x² below it,
// d·|x| - ½d² above), WithReduction.
func HuberWith(opts ...Option) Func {
	c := newConfig(opts)
	return func(yTrue, yPred *nx.Tensor) *nx.Tensor {
		sameShape("Huber", yTrue, yPred)
		y, p := promote(yTrue, yPred)
		a := nx.Abs(nx.Subtract(p, y))
		quad := nx.Multiply(nx.Square(a), num(0.5))
		lin := nx.Subtract(nx.Multiply(a, num(c.delta)), num(0.5*c.delta*c.delta))
		return reduce(nx.Select(nx.LessEqual(a, num(c.delta)), quad, lin), c.reduction)
	}
}

// LabelSmoothing returns loss applied to targets smoothed towards the uniform
// distribution: y·(1-s) + s/classes, as Axon.Losses.label_smoothing.
func LabelSmoothing(loss Func, smoothing float64) Func {
	return func(yTrue, yPred *nx.Tensor) *nx.Tensor {
		y := nx.AsType(yTrue, nx.FloatOf(yPred.DType()))
		classes := float64(yPred.Axis(-1))
		y = nx.Add(nx.Multiply(y, num(1-smoothing)), num(smoothing/classes))
		return loss(y, yPred)
	}
}
