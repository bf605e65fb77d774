package metrics

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

func ints(v ...int64) *nx.Tensor { return nx.FromSlice(v) }

func m(cols int, v ...float64) *nx.Tensor { return nx.FromSlice(v, len(v)/cols, cols) }

// Expected values from Axon.Metrics' documented examples (and by hand).
var metricCases = []struct {
	name        string
	fn          Func
	yTrue, yPre *nx.Tensor
	want        float64
}{
	{"accuracy_binary", Accuracy, m(1, 1, 0, 0), m(1, 1, 1, 1), 1.0 / 3},
	{"accuracy_onehot", Accuracy, m(2, 0, 1, 1, 0, 1, 0), m(2, 0, 1, 1, 0, 0, 1), 2.0 / 3},
	{"accuracy_onehot3", Accuracy, m(3, 0, 1, 0, 1, 0, 0), m(3, 0, 1, 0, 0, 1, 0), 0.5},
	{"accuracy_sparse", Accuracy, ints(1, 0, 2), m(3, 0.1, 0.8, 0.1, 0.2, 0.7, 0.1, 0, 0, 1), 2.0 / 3},
	{"accuracy_sparse_option", AccuracyWith(Sparse()), m(1, 1, 0, 2), m(3, 0.1, 0.8, 0.1, 0.2, 0.7, 0.1, 0, 0, 1), 2.0 / 3},
	{"accuracy_logits_binary", AccuracyWith(FromLogits()), m(1, 1, 0, 1), m(1, 2, -1, -0.5), 2.0 / 3},
	{"precision", Precision, ints(0, 1, 1, 1), ints(1, 0, 1, 1), 2.0 / 3},
	{"recall", Recall, ints(0, 1, 1, 1), ints(1, 0, 1, 1), 2.0 / 3},
	{"sensitivity", Sensitivity, ints(0, 1, 1, 1), ints(1, 0, 1, 1), 2.0 / 3},
	{"specificity", Specificity, ints(0, 1, 1, 1), ints(1, 0, 1, 1), 0},
	{"f1", F1, ints(0, 1, 1, 1), ints(1, 0, 1, 1), 2.0 / 3},
	{"f1_threshold", F1With(Threshold(0.7)), ints(1, 0, 1, 1), nx.FromSlice([]float64{0.8, 0.6, 0.4, 0.9}), 0.8},
	{"true_positives", TruePositives, ints(1, 0, 1, 1, 0, 1, 0), nx.FromSlice([]float64{0.8, 0.6, 0.4, 0.2, 0.8, 0.2, 0.2}), 1},
	{"false_negatives", FalseNegatives, ints(1, 0, 1, 1, 0, 1, 0), nx.FromSlice([]float64{0.8, 0.6, 0.4, 0.2, 0.8, 0.2, 0.2}), 3},
	{"true_negatives", TrueNegatives, ints(1, 0, 1, 1, 0, 1, 0), nx.FromSlice([]float64{0.8, 0.6, 0.4, 0.2, 0.8, 0.2, 0.2}), 1},
	{"false_positives", FalsePositives, ints(1, 0, 1, 1, 0, 1, 0), nx.FromSlice([]float64{0.8, 0.6, 0.4, 0.2, 0.8, 0.2, 0.2}), 2},
	{"mean_absolute_error", MeanAbsoluteError, m(2, 0, 1, 0, 0), m(2, 1, 1, 1, 0), 0.5},
	{"mean_squared_error", MeanSquaredError, m(2, 0, 1, 0, 0), m(2, 2, 1, 1, 0), 1.25},
	{"top_k_vector", TopKCategoricalAccuracy(2), nx.FromSlice([]float64{0, 1, 0, 0, 0}), nx.FromSlice([]float64{0.1, 0.4, 0.3, 0.7, 0.1}), 1},
	{"top_k_onehot", TopKCategoricalAccuracy(2), m(3, 0, 1, 0, 1, 0, 0), m(3, 0.1, 0.4, 0.7, 0.1, 0.4, 0.7), 0.5},
	{"top_k_sparse", TopKCategoricalAccuracy(2, Sparse()), m(1, 0, 2), m(3, 0.1, 0.4, 0.7, 0.1, 0.4, 0.7), 0.5},
	{"top_k_sparse_vector", TopKCategoricalAccuracy(1), ints(2, 1), m(3, 0.1, 0.4, 0.7, 0.1, 0.4, 0.7), 0.5},
}

func TestMetrics(t *testing.T) {
	for _, c := range metricCases {
		t.Run(c.name, func(t *testing.T) {
			got := c.fn(c.yTrue, c.yPre)
			if got.Rank() != 0 {
				t.Fatalf("result %v is not a scalar", got)
			}
			if g := got.Float64(); math.Abs(g-c.want) > 1e-6 {
				t.Errorf("got %v, want %v", g, c.want)
			}
		})
	}
}

func TestMetricsCompiled(t *testing.T) {
	for _, c := range metricCases {
		fn := nx.Jit(func(y, p *nx.Tensor) *nx.Tensor { return c.fn(y, p) })
		if g := fn(c.yTrue, c.yPre).Float64(); math.Abs(g-c.want) > 1e-6 {
			t.Errorf("%s: compiled %v, want %v", c.name, g, c.want)
		}
	}
}

func TestBinaryShapeMismatch(t *testing.T) {
	if err := nx.Try(func() { Precision(ints(1, 0), ints(1, 0, 1)) }); err == nil {
		t.Error("mismatched shapes: no error")
	}
}
