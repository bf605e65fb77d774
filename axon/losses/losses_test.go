package losses

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

func m(rows ...[]float64) *nx.Tensor {
	var flat []float64
	for _, r := range rows {
		flat = append(flat, r...)
	}
	return nx.FromSlice(flat, len(rows), len(rows[0]))
}

func v(xs ...float64) *nx.Tensor { return nx.FromSlice(xs) }

// Expected values computed with NumPy (they agree with Axon.Losses' documented
// examples where those use the same inputs).
var lossCases = []struct {
	name       string
	fn         Func
	yTrue, yPr *nx.Tensor
	want       []float64
}{
	{"binary_cross_entropy", BinaryCrossEntropy,
		m([]float64{0, 1}, []float64{1, 0}, []float64{1, 0}),
		m([]float64{0.6811, 0.5565}, []float64{0.6551, 0.4551}, []float64{0.5422, 0.2648}),
		[]float64{0.8644826599801423, 0.5150600172345285, 0.4598663647035297}},
	{"binary_cross_entropy_logits", BinaryCrossEntropyWith(FromLogits()),
		m([]float64{0, 1}, []float64{1, 0}, []float64{1, 0}),
		m([]float64{0.5, -1}, []float64{2, 0.3}, []float64{-0.7, 0.1}),
		[]float64{1.1436693358491647, 0.4906416277557498, 0.9237913544795144}},
	{"categorical_cross_entropy", CategoricalCrossEntropy,
		m([]float64{0, 1, 0}, []float64{0, 0, 1}), m([]float64{0.05, 0.95, 0}, []float64{0.1, 0.8, 0.1}),
		[]float64{0.05129329438755058, 2.3025850929940455}},
	{"categorical_cross_entropy_sparse", CategoricalCrossEntropyWith(Sparse()),
		nx.FromSlice([]int64{1, 2}), m([]float64{0.05, 0.95, 0}, []float64{0.1, 0.8, 0.1}),
		[]float64{0.05129329438755058, 2.3025850929940455}},
	{"softmax_cross_entropy", SoftmaxCrossEntropy,
		nx.FromSlice([]uint8{1, 2}), m([]float64{1, 2, 0.5}, []float64{0.3, -1, 2}),
		[]float64{0.4643687841079447, 0.20902076654506052}},
	{"categorical_cross_entropy_logits_onehot", CategoricalCrossEntropyWith(FromLogits()),
		m([]float64{0, 1, 0}, []float64{0, 0, 1}), m([]float64{1, 2, 0.5}, []float64{0.3, -1, 2}),
		[]float64{0.4643687841079447, 0.20902076654506052}},
	{"class_weights_mean", CategoricalCrossEntropyWith(FromLogits(), Sparse(), ClassWeights(0.2, 1, 3), WithReduction(ReduceMean)),
		nx.FromSlice([]int64{1, 2}), m([]float64{1, 2, 0.5}, []float64{0.3, -1, 2}),
		[]float64{0.27285777093578156}},
	{"categorical_hinge", CategoricalHinge,
		m([]float64{1, 0, 0}, []float64{0, 0, 1}),
		m([]float64{0.05300799, 0.21617081, 0.68642382}, []float64{0.3754382, 0.08494169, 0.13442067}),
		[]float64{1.6334158300000001, 1.24101753}},
	{"hinge", Hinge,
		m([]float64{1, 1, -1}, []float64{1, 1, -1}),
		m([]float64{0.45440044, 0.31470688, 0.67920924}, []float64{0.24311459, 0.93466766, 0.10914676}),
		[]float64{0.9700339733333333, 0.64378817}},
	{"kl_divergence", KLDivergence,
		m([]float64{0, 1}, []float64{0, 0}), m([]float64{0.6, 0.4}, []float64{0.4, 0.6}),
		[]float64{0.9162891711471524, -3.080907494627649e-06}},
	{"log_cosh", LogCosh, m([]float64{0, 1}, []float64{0, 0}), m([]float64{1, 1}, []float64{0, 0}),
		[]float64{0.21689041524151356, 0}},
	{"soft_margin", SoftMargin, m([]float64{-1, 1, 1}), m([]float64{0.2953, -0.1709, 0.9486}),
		[]float64{0.8516580653090372, 0.7822435975367373, 0.3273470427283033}},
	{"mean_absolute_error", MeanAbsoluteError, m([]float64{0, 1}, []float64{0, 0}), m([]float64{1, 1}, []float64{1, 0}),
		[]float64{0.5, 0.5}},
	{"mean_squared_error", MeanSquaredError, m([]float64{0, 1}, []float64{0, 0}), m([]float64{1, 1}, []float64{1, 0}),
		[]float64{0.5, 0.5}},
	{"mean_squared_error_sum", Sum(MeanSquaredError), m([]float64{0, 1}, []float64{0, 0}), m([]float64{1, 1}, []float64{1, 0}),
		[]float64{1}},
	{"cosine_similarity", CosineSimilarity, m([]float64{0, 1}, []float64{1, 1}), m([]float64{1, 0}, []float64{1, 1}),
		[]float64{0, 1}},
	{"poisson", Poisson, m([]float64{0, 1}, []float64{0, 0}), m([]float64{1, 1}, []float64{0, 0}),
		[]float64{0.9999999500000025, 0}},
	{"huber", Huber, m([]float64{1}, []float64{1.5}, []float64{2}), m([]float64{0.8}, []float64{1.8}, []float64{2.1}),
		[]float64{0.02, 0.045, 0.005}},
	{"huber_delta", HuberWith(Delta(2)), m([]float64{0}, []float64{0}), m([]float64{0.3}, []float64{2.5}),
		[]float64{0.045, 3}},
	{"huber_mean", Mean(Huber), m([]float64{1}, []float64{1.5}, []float64{2}), m([]float64{0.8}, []float64{1.8}, []float64{2.1}),
		[]float64{0.07 / 3}},
}

func TestLosses(t *testing.T) {
	for _, c := range lossCases {
		t.Run(c.name, func(t *testing.T) {
			got := c.fn(c.yTrue, c.yPr).Float64s()
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if math.Abs(got[i]-c.want[i]) > 1e-9 {
					t.Errorf("got %v, want %v", got, c.want)
					break
				}
			}
		})
	}
}

func TestMarginRanking(t *testing.T) {
	got := MarginRanking(v(1, 1, 1), v(0.6934, -0.7239, 1.1954), v(-0.4691, 0.2670, -1.7452)).Float64s()
	want := []float64{0, 0.9909, 0}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if got := MarginRanking(v(1), v(0), v(0), Margin(0.5), WithReduction(ReduceSum)).Float64(); got != 0.5 {
		t.Errorf("with margin 0.5: %v", got)
	}
}

func TestLabelSmoothing(t *testing.T) {
	// Smoothing 0.3 over 2 classes turns [0 1] into [0.15 0.85].
	got := LabelSmoothing(MeanSquaredError, 0.3)(m([]float64{0, 1}), m([]float64{0.15, 0.85})).Float64()
	if math.Abs(got) > 1e-12 {
		t.Errorf("got %v, want 0", got)
	}
}

// TestLossGradients checks that the cross-entropies differentiate to the
// textbook results: softmax(logits) - onehot for the softmax cross-entropy.
func TestLossGradients(t *testing.T) {
	logits := m([]float64{1, 2, 0.5})
	g := nx.Grad(func(x *nx.Tensor) *nx.Tensor { return nx.Sum(SoftmaxCrossEntropy(nx.FromSlice([]int64{1}), x)) })(logits).Float64s()
	e := []float64{math.Exp(1), math.Exp(2), math.Exp(0.5)}
	s := e[0] + e[1] + e[2]
	want := []float64{e[0] / s, e[1]/s - 1, e[2] / s}
	for i := range want {
		if math.Abs(g[i]-want[i]) > 1e-12 {
			t.Fatalf("gradient %v, want %v", g, want)
		}
	}
}

func TestLossShapeErrors(t *testing.T) {
	for name, fn := range map[string]Func{"mse": MeanSquaredError, "bce": BinaryCrossEntropy, "hinge": Hinge} {
		if err := nx.Try(func() { fn(v(1, 2), v(1, 2, 3)) }); err == nil {
			t.Errorf("%s: mismatched shapes: no error", name)
		}
	}
}
