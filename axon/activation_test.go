package axon

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// Expected values computed independently with Python's math module at
// x = -3, -0.5, 0, 0.5, 2.
var activationCases = []struct {
	name string
	want []float64
}{
	{"celu", []float64{-0.950212931632136, -0.3934693402873666, 0, 0.5, 2.0}},
	{"elu", []float64{-0.950212931632136, -0.3934693402873666, 0.0, 0.5, 2.0}},
	{"exp", []float64{0.049787068367863944, 0.6065306597126334, 1.0, 1.6487212707001282, 7.38905609893065}},
	{"gelu", []float64{-0.00404969409489031, -0.15426876936299344, 0.0, 0.34573123063700656, 1.9544997361036416}},
	{"hard_sigmoid", []float64{0, 0.4, 0.5, 0.6, 0.9}},
	{"hard_silu", []float64{0, -0.2, 0, 0.3, 1.8}},
	{"hard_tanh", []float64{-1, -0.5, 0.0, 0.5, 1}},
	{"leaky_relu", []float64{-0.03, -0.005, 0.0, 0.5, 2.0}},
	{"linear", []float64{-3.0, -0.5, 0.0, 0.5, 2.0}},
	{"log_sigmoid", []float64{-3.048587351573742, -0.9740769841801068, -0.6931471805599453, -0.47407698418010663, -0.12692801104297263}},
	{"mish", []float64{-0.1456474612756246, -0.22074377465173, 0.0, 0.3752452113048951, 1.9439589595339946}},
	{"relu", []float64{0, 0, 0, 0.5, 2.0}},
	{"relu6", []float64{0, 0, 0, 0.5, 2.0}},
	{"selu", []float64{-1.6705687287671118, -0.6917581878028713, 0.0, 0.5253504936777402, 2.101401974710961}},
	{"sigmoid", []float64{0.04742587317756678, 0.3775406687981454, 0.5, 0.6224593312018546, 0.8807970779778823}},
	{"silu", []float64{-0.14227761953270035, -0.1887703343990727, 0.0, 0.3112296656009273, 1.7615941559557646}},
	{"softplus", []float64{0.04858735157374206, 0.4740769841801067, 0.6931471805599453, 0.9740769841801067, 2.1269280110429727}},
	{"softsign", []float64{-0.75, -0.3333333333333333, 0.0, 0.3333333333333333, 0.6666666666666666}},
	{"tanh", []float64{-0.9950547536867305, -0.46211715726000974, 0.0, 0.46211715726000974, 0.9640275800758169}},
	{"softmax", []float64{0.004655566264650035, 0.05671640790275389, 0.09350954810697519, 0.15417118097752688, 0.690947296748094}},
	{"log_softmax", []float64{-5.369691729110086, -2.869691729110086, -2.369691729110086, -1.869691729110086, -0.3696917291100861}},
	{"log_sumexp", []float64{2.369691729110086}},
}

func TestActivations(t *testing.T) {
	if got := len(ActivationNames()); got != 22 {
		t.Fatalf("ActivationNames() has %d names, want Axon's 22", got)
	}
	if len(activationCases) != 22 {
		t.Fatalf("%d cases, want one per activation", len(activationCases))
	}
	x := nx.FromSlice([]float64{-3, -0.5, 0, 0.5, 2})
	for _, c := range activationCases {
		t.Run(c.name, func(t *testing.T) {
			fn, ok := ActivationByName(c.name)
			if !ok {
				t.Fatalf("no activation %q", c.name)
			}
			got := fn(x)
			if got.DType() != nx.F64 {
				t.Errorf("dtype %s, want f64", got.DType())
			}
			vals := got.Float64s()
			if len(vals) != len(c.want) {
				t.Fatalf("got %d values, want %d", len(vals), len(c.want))
			}
			for i, w := range c.want {
				if math.Abs(vals[i]-w) > 1e-12*max(1, math.Abs(w)) {
					t.Errorf("x[%d]: got %v, want %v", i, vals[i], w)
				}
			}
		})
	}
}

func TestActivationsKeepType(t *testing.T) {
	x := nx.FromSlice([]float32{-1, 0, 1})
	for _, name := range ActivationNames() {
		fn, _ := ActivationByName(name)
		if got := fn(x).DType(); got != nx.F32 {
			t.Errorf("%s: dtype %s, want f32", name, got)
		}
	}
	// Integer inputs become f32 for the float activations, as in Axon.
	if got := GELU(nx.FromSlice([]int32{1})).DType(); got != nx.F32 {
		t.Errorf("GELU(s32): dtype %s, want f32", got)
	}
}

func TestSoftplusLargeInputs(t *testing.T) {
	got := Softplus(nx.FromSlice([]float64{1000, -1000})).Float64s()
	if got[0] != 1000 || got[1] != 0 {
		t.Errorf("Softplus([1000, -1000]) = %v, want [1000 0] without overflow", got)
	}
}
