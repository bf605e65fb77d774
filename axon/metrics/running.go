package metrics

import (
	"math"

	"github.com/gonx-dev/gonx/nx"
)

// Accumulator folds one more batch into a metric's value over the batches
// before it, as Axon's running_average and running_sum do: acc is the value
// over the first i batches (anything when i is 0), obs the metric on batch
// i+1, and the result the value over i+1 batches. acc and obs are scalars of
// the same floating type; i is a scalar of any type.
//
// Accumulators are nx code, so axon's loops run them inside their compiled
// step, keeping the running values on the backend between batches.
type Accumulator func(acc, obs, i *nx.Tensor) *nx.Tensor

// RunningAverage is the Accumulator of the mean over batches:
// acc + (obs - acc)/(i + 1), which is obs for the first batch and the
// arithmetic mean of the observations after any number of them. Every batch
// weighs the same, as in Axon's running_average. axon.WithMetric uses it.
func RunningAverage(acc, obs, i *nx.Tensor) *nx.Tensor {
	n := nx.Add(nx.AsType(i, acc.DType()), nx.Number(1))
	return nx.Add(acc, nx.Divide(nx.Subtract(obs, acc), n))
}

// RunningSum is the Accumulator of the sum over batches, acc + obs (obs for
// the first batch whatever acc holds): for counts such as TruePositives, as
// Axon's running_sum. axon.WithMetricSum uses it.
func RunningSum(acc, obs, i *nx.Tensor) *nx.Tensor {
	first := nx.Equal(i, nx.Number(0))
	return nx.Select(first, obs, nx.Add(acc, obs))
}

// Running folds a sequence of observations with an Accumulator outside a
// compiled step, one Add at a time: the host-side counterpart of what the
// loops do, for code that collects metrics itself. The zero value is not
// usable; make one with NewRunning.
type Running struct {
	acc Accumulator
	val *nx.Tensor
	n   int
}

// NewRunning returns a Running that folds with acc (RunningAverage,
// RunningSum or another Accumulator).
func NewRunning(acc Accumulator) *Running { return &Running{acc: acc} }

// Add folds obs, a scalar (a tensor of several elements is averaged first),
// into the running value.
func (r *Running) Add(obs *nx.Tensor) {
	if obs.Rank() > 0 {
		obs = nx.Mean(obs)
	}
	obs = nx.AsType(obs, nx.FloatOf(obs.DType()))
	if r.val == nil {
		r.val = nx.Zeros(obs.DType())
	}
	r.val = r.acc(r.val, nx.AsType(obs, r.val.DType()), nx.Scalar(int64(r.n)))
	r.n++
}

// Count returns the number of observations folded so far.
func (r *Running) Count() int { return r.n }

// Value returns the running value, NaN before the first observation.
func (r *Running) Value() float64 {
	if r.val == nil {
		return math.NaN()
	}
	return r.val.Float64()
}

// Reset forgets every observation.
func (r *Running) Reset() { r.val, r.n = nil, 0 }
