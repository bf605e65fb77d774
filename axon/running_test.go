package axon

import (
	"context"
	"math"
	"testing"

	"github.com/gonx-dev/gonx/axon/metrics"
	"github.com/gonx-dev/gonx/nx"
)

// TestLoopRunningMetrics checks the loops' epoch metrics against the
// accumulators folded by hand over the per-batch values.
func TestLoopRunningMetrics(t *testing.T) {
	// logits = x; batches of 4 with 4, 3, 2 and 1 right answers, then a last
	// batch of 2 with 1 right.
	x := nx.FromSlice([]float32{
		1, 0, 0, 1, 1, 0, 0, 1,
		1, 0, 0, 1, 1, 0, 1, 0,
		1, 0, 0, 1, 0, 1, 1, 0,
		1, 0, 1, 0, 0, 1, 1, 0,
		1, 0, 1, 0}, 18, 2)
	labels := nx.FromSlice([]int64{0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1})
	perBatch := []float64{1, 0.75, 0.5, 0.25, 0.5}
	greatest := func(acc, obs, i *nx.Tensor) *nx.Tensor {
		return nx.Select(nx.Equal(i, nx.Number(0)), obs, nx.Max(acc, obs))
	}
	cases := []struct {
		name string
		opt  LoopOption
		acc  metrics.Accumulator
	}{
		{"average", WithMetric("m", metrics.Accuracy), metrics.RunningAverage},
		{"sum", WithMetricSum("m", metrics.Accuracy), metrics.RunningSum},
		{"custom", WithRunningMetric("m", metrics.Accuracy, greatest), greatest},
		{"nil_is_average", WithRunningMetric("m", metrics.Accuracy, nil), metrics.RunningAverage},
	}
	model := Input("x", -1, 2).Nx(func(x *nx.Tensor) *nx.Tensor { return x })
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := metrics.NewRunning(c.acc)
			for _, v := range perBatch {
				r.Add(nx.Scalar(float32(v)))
			}
			want := r.Value()
			got, err := Evaluator(model, c.opt, Progress(nil)).Run(context.Background(), Batches(x, labels, 4), &ModelState{})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got["m"]-want) > 1e-6 {
				t.Errorf("evaluator: %v, want %v", got["m"], want)
			}
		})
	}
}
