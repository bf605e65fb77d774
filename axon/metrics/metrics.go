// Package metrics holds the metrics of Axon.Metrics: functions of targets yTrue
// and predictions yPred that return one scalar for a batch. axon's training
// loops keep a running average of each metric over the batches of an epoch
// (a running sum for the counts TruePositives ... FalseNegatives): the
// Accumulators RunningAverage and RunningSum, Axon's running_average and
// running_sum. Running applies an Accumulator outside the loops.
//
// Metrics are nx code: they run eagerly and inside the loops' compiled step.
package metrics

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

// Func is a metric.
type Func func(yTrue, yPred *nx.Tensor) *nx.Tensor

// Option configures a metric made by a *With constructor.
type Option func(*config)

type config struct {
	fromLogits bool
	sparse     bool
	threshold  float64
}

// FromLogits says the predictions are logits (for Accuracy: thresholds at 0
// for one output, argmax for several, which gives the same result).
func FromLogits() Option { return func(c *config) { c.fromLogits = true } }

// Sparse says the targets are class indices rather than one-hot vectors (also
// assumed when they have one axis fewer than the predictions).
func Sparse() Option { return func(c *config) { c.sparse = true } }

// Threshold sets the probability above which a binary prediction counts as
// positive (default 0.5).
func Threshold(t float64) Option { return func(c *config) { c.threshold = t } }

func newConfig(opts []Option) *config {
	c := &config{threshold: 0.5}
	for _, o := range opts {
		o(c)
	}
	return c
}

func num(v float64) *nx.Tensor { return nx.Number(v) }

// Accuracy returns the fraction of correct predictions. With predictions of
// shape [batch][1] (or [batch]) they are probabilities thresholded at 0.5 and
// compared with 0/1 targets; with [batch][classes] the argmax of each row is
// compared with the target class (the argmax of one-hot targets, or sparse
// class indices).
func Accuracy(yTrue, yPred *nx.Tensor) *nx.Tensor { return AccuracyWith()(yTrue, yPred) }

// AccuracyWith returns Accuracy with options: FromLogits, Sparse.
func AccuracyWith(opts ...Option) Func {
	c := newConfig(opts)
	return func(yTrue, yPred *nx.Tensor) *nx.Tensor {
		if yPred.Rank() <= 1 || yPred.Axis(-1) == 1 {
			thr := 0.5
			if c.fromLogits {
				thr = 0
			}
			pred := nx.Greater(yPred, num(thr))
			return nx.Mean(nx.Equal(pred, nx.Reshape(nx.AsType(yTrue, nx.U8), pred.Shape()...)))
		}
		labels := yTrue
		if !c.sparse && yTrue.Rank() == yPred.Rank() {
			labels = nx.Argmax(yTrue, nx.Axis(-1))
		} else if labels.Rank() == yPred.Rank() {
			labels = nx.Squeeze(labels, nx.Axes(-1))
		}
		pred := nx.Argmax(yPred, nx.Axis(-1))
		return nx.Mean(nx.Equal(pred, nx.AsType(labels, pred.DType())))
	}
}

// counts returns the thresholded predictions and the targets as u8 0/1.
func binary(c *config, yTrue, yPred *nx.Tensor) (pred, truth *nx.Tensor) {
	if !yTrue.Shape().Equal(yPred.Shape()) {
		panic(&nx.Error{Op: "metrics", Operands: []string{fmt.Sprintf("%s%v", yTrue.DType(), yTrue.Shape()), fmt.Sprintf("%s%v", yPred.DType(), yPred.Shape())},
			Msg: "targets and predictions must have the same shape"})
	}
	return nx.Greater(yPred, num(c.threshold)), nx.NotEqual(yTrue, num(0))
}

func count(t *nx.Tensor) *nx.Tensor { return nx.AsType(nx.Sum(t), nx.F32) }

// TruePositives returns the number of predictions above 0.5 whose target is 1,
// as an f32 scalar.
func TruePositives(yTrue, yPred *nx.Tensor) *nx.Tensor { return confusion(yTrue, yPred, true, true) }

// FalsePositives returns the number of predictions above 0.5 whose target is 0.
func FalsePositives(yTrue, yPred *nx.Tensor) *nx.Tensor { return confusion(yTrue, yPred, true, false) }

// TrueNegatives returns the number of predictions at most 0.5 whose target is 0.
func TrueNegatives(yTrue, yPred *nx.Tensor) *nx.Tensor { return confusion(yTrue, yPred, false, false) }

// FalseNegatives returns the number of predictions at most 0.5 whose target is
// 1.
func FalseNegatives(yTrue, yPred *nx.Tensor) *nx.Tensor { return confusion(yTrue, yPred, false, true) }

func confusion(yTrue, yPred *nx.Tensor, predicted, actual bool) *nx.Tensor {
	p, t := binary(newConfig(nil), yTrue, yPred)
	if !predicted {
		p = nx.LogicalNot(p)
	}
	if !actual {
		t = nx.LogicalNot(t)
	}
	return count(nx.LogicalAnd(p, t))
}

// rates returns the true positive, false positive, true negative and false
// negative counts.
func rates(c *config, yTrue, yPred *nx.Tensor) (tp, fp, tn, fn *nx.Tensor) {
	p, t := binary(c, yTrue, yPred)
	np, nt := nx.LogicalNot(p), nx.LogicalNot(t)
	return count(nx.LogicalAnd(p, t)), count(nx.LogicalAnd(p, nt)), count(nx.LogicalAnd(np, nt)), count(nx.LogicalAnd(np, t))
}

// Precision returns TP / (TP + FP) for binary targets and probabilities.
func Precision(yTrue, yPred *nx.Tensor) *nx.Tensor { return PrecisionWith()(yTrue, yPred) }

// PrecisionWith returns Precision with options: Threshold.
func PrecisionWith(opts ...Option) Func {
	c := newConfig(opts)
	return func(yTrue, yPred *nx.Tensor) *nx.Tensor {
		tp, fp, _, _ := rates(c, yTrue, yPred)
		return nx.Divide(tp, nx.Add(nx.Add(tp, fp), num(1e-16)))
	}
}

// Recall returns TP / (TP + FN) for binary targets and probabilities.
func Recall(yTrue, yPred *nx.Tensor) *nx.Tensor { return RecallWith()(yTrue, yPred) }

// RecallWith returns Recall with options: Threshold.
func RecallWith(opts ...Option) Func {
	c := newConfig(opts)
	return func(yTrue, yPred *nx.Tensor) *nx.Tensor {
		tp, _, _, fn := rates(c, yTrue, yPred)
		return nx.Divide(tp, nx.Add(nx.Add(tp, fn), num(1e-16)))
	}
}

// Sensitivity is Recall.
func Sensitivity(yTrue, yPred *nx.Tensor) *nx.Tensor { return Recall(yTrue, yPred) }

// Specificity returns TN / (TN + FP) for binary targets and probabilities.
func Specificity(yTrue, yPred *nx.Tensor) *nx.Tensor {
	_, fp, tn, _ := rates(newConfig(nil), yTrue, yPred)
	return nx.Divide(tn, nx.Add(nx.Add(tn, fp), num(1e-16)))
}

// F1 returns the harmonic mean of precision and recall, 2·TP / (2·TP + FP +
// FN), for binary targets and probabilities.
func F1(yTrue, yPred *nx.Tensor) *nx.Tensor { return F1With()(yTrue, yPred) }

// F1With returns F1 with options: Threshold.
func F1With(opts ...Option) Func {
	c := newConfig(opts)
	return func(yTrue, yPred *nx.Tensor) *nx.Tensor {
		tp, fp, _, fn := rates(c, yTrue, yPred)
		tp2 := nx.Multiply(tp, num(2))
		return nx.Divide(tp2, nx.Add(nx.Add(nx.Add(tp2, fp), fn), num(1e-16)))
	}
}

// MeanAbsoluteError returns the mean of |y - p| over every element.
func MeanAbsoluteError(yTrue, yPred *nx.Tensor) *nx.Tensor {
	return nx.Mean(nx.Abs(nx.Subtract(floats(yTrue), floats(yPred))))
}

// MeanSquaredError returns the mean of (y - p)² over every element.
func MeanSquaredError(yTrue, yPred *nx.Tensor) *nx.Tensor {
	return nx.Mean(nx.Square(nx.Subtract(floats(yTrue), floats(yPred))))
}

func floats(t *nx.Tensor) *nx.Tensor { return nx.AsType(t, nx.FloatOf(t.DType())) }

// TopKCategoricalAccuracy returns the fraction of examples whose target class
// is among the k highest predictions. Targets are one-hot, or class indices
// when they have one axis fewer than the predictions or with Sparse.
func TopKCategoricalAccuracy(k int, opts ...Option) Func {
	c := newConfig(opts)
	return func(yTrue, yPred *nx.Tensor) *nx.Tensor {
		p := yPred
		if p.Rank() == 1 {
			p = nx.NewAxis(p, 0)
		}
		labels := yTrue
		if !c.sparse && yTrue.Rank() == yPred.Rank() {
			labels = nx.Argmax(yTrue, nx.Axis(-1))
		} else if labels.Rank() == yPred.Rank() {
			labels = nx.Squeeze(labels, nx.Axes(-1))
		}
		labels = nx.Reshape(nx.AsType(labels, nx.S64), p.Axis(0), 1)
		_, top := nx.TopK(p, min(k, p.Axis(-1)))
		hit := nx.Any(nx.Equal(nx.AsType(top, nx.S64), labels), nx.Axes(-1))
		return nx.Mean(hit)
	}
}
