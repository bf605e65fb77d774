package axon

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// layerCases build one layer (or a short chain) on an input and list the shape
// of the output and of every parameter.
var layerCases = []struct {
	name   string
	input  []int
	build  func(x *Node) *Node
	output []int
	params map[string][]int // "layer.param" → shape
}{
	{"dense", []int{2, 3}, func(x *Node) *Node { return x.Dense(4) }, []int{2, 4},
		map[string][]int{"dense_0.kernel": {3, 4}, "dense_0.bias": {4}}},
	{"dense_nobias_act", []int{2, 3}, func(x *Node) *Node { return x.Dense(4, NoBias(), ReLU) }, []int{2, 4},
		map[string][]int{"dense_0.kernel": {3, 4}}},
	{"dense_rank3", []int{2, 5, 3}, func(x *Node) *Node { return x.Dense(4) }, []int{2, 5, 4},
		map[string][]int{"dense_0.kernel": {3, 4}, "dense_0.bias": {4}}},
	{"bias", []int{2, 3}, func(x *Node) *Node { return x.Bias() }, []int{2, 3}, map[string][]int{"bias_0.bias": {3}}},
	{"bilinear", []int{2, 3}, func(x *Node) *Node { return Bilinear(x, x.Dense(5, NoBias()), 4) }, []int{2, 4},
		map[string][]int{"dense_0.kernel": {3, 5}, "bilinear_0.kernel": {4, 3, 5}, "bilinear_0.bias": {4}}},
	{"embedding", []int{2, 6}, func(x *Node) *Node { return x.Embedding(10, 4) }, []int{2, 6, 4},
		map[string][]int{"embedding_0.kernel": {10, 4}}},
	{"flatten", []int{2, 3, 4}, func(x *Node) *Node { return x.Flatten() }, []int{2, 12}, nil},
	{"reshape", []int{2, 12}, func(x *Node) *Node { return x.Reshape([]int{3, -1}) }, []int{2, 3, 4}, nil},
	{"transpose", []int{2, 3, 4}, func(x *Node) *Node { return x.Transpose([]int{2, 1}) }, []int{2, 4, 3}, nil},
	{"pad", []int{2, 1, 3, 3}, func(x *Node) *Node { return x.Pad([][2]int{{1, 0}, {2, 2}}, 0) }, []int{2, 1, 4, 7}, nil},
	{"concatenate", []int{2, 3}, func(x *Node) *Node { return Concatenate([]*Node{x, x.Dense(2)}) }, []int{2, 5},
		map[string][]int{"dense_0.kernel": {3, 2}, "dense_0.bias": {2}}},
	{"add", []int{2, 3}, func(x *Node) *Node { return Add([]*Node{x, x.Dense(3)}) }, []int{2, 3},
		map[string][]int{"dense_0.kernel": {3, 3}, "dense_0.bias": {3}}},
	{"stack", []int{2, 3}, func(x *Node) *Node { return Stack([]*Node{x, x}, Axis(1)) }, []int{2, 2, 3}, nil},
	{"split", []int{2, 6}, func(x *Node) *Node { return x.Split(3)[1] }, []int{2, 2}, nil},
	{"conv", []int{2, 3, 8, 8}, func(x *Node) *Node { return x.Conv(4, 3) }, []int{2, 4, 6, 6},
		map[string][]int{"conv_0.kernel": {4, 3, 3, 3}, "conv_0.bias": {4}}},
	{"conv_same_strided", []int{2, 3, 8, 8}, func(x *Node) *Node { return x.Conv(4, 3, nx.Same, Strides(2)) }, []int{2, 4, 4, 4},
		map[string][]int{"conv_0.kernel": {4, 3, 3, 3}, "conv_0.bias": {4}}},
	{"conv1d_grouped", []int{2, 4, 10}, func(x *Node) *Node { return x.Conv(6, 3, Groups(2)) }, []int{2, 6, 8},
		map[string][]int{"conv_0.kernel": {6, 2, 3}, "conv_0.bias": {6}}},
	{"conv3d", []int{1, 2, 5, 5, 5}, func(x *Node) *Node { return x.Conv(3, 2, KernelSize(2, 3, 1)) }, []int{1, 3, 4, 3, 5},
		map[string][]int{"conv_0.kernel": {3, 2, 2, 3, 1}, "conv_0.bias": {3}}},
	{"conv_transpose_valid", []int{2, 3, 4, 4}, func(x *Node) *Node { return x.ConvTranspose(5, 3, Strides(2)) }, []int{2, 5, 9, 9},
		map[string][]int{"conv_transpose_0.kernel": {5, 3, 3, 3}, "conv_transpose_0.bias": {5}}},
	{"conv_transpose_same", []int{2, 3, 4, 4}, func(x *Node) *Node { return x.ConvTranspose(5, 3, Strides(2), nx.Same) }, []int{2, 5, 8, 8},
		map[string][]int{"conv_transpose_0.kernel": {5, 3, 3, 3}, "conv_transpose_0.bias": {5}}},
	{"depthwise_conv", []int{2, 3, 6, 6}, func(x *Node) *Node { return x.DepthwiseConv(3, ChannelMultiplier(2)) }, []int{2, 6, 4, 4},
		map[string][]int{"depthwise_conv_0.kernel": {6, 1, 3, 3}, "depthwise_conv_0.bias": {6}}},
	{"separable_conv2d", []int{2, 3, 6, 6}, func(x *Node) *Node { return x.SeparableConv2D(3, ChannelMultiplier(2)) }, []int{2, 6, 4, 4},
		map[string][]int{"separable_conv2d_0.kernel_1": {6, 1, 3, 1}, "separable_conv2d_0.bias_1": {6},
			"separable_conv2d_0.kernel_2": {6, 1, 1, 3}, "separable_conv2d_0.bias_2": {6}}},
	{"separable_conv3d", []int{1, 2, 4, 4, 4}, func(x *Node) *Node { return x.SeparableConv3D(2, NoBias()) }, []int{1, 2, 3, 3, 3},
		map[string][]int{"separable_conv3d_0.kernel_1": {2, 1, 2, 1, 1}, "separable_conv3d_0.kernel_2": {2, 1, 1, 2, 1},
			"separable_conv3d_0.kernel_3": {2, 1, 1, 1, 2}}},
	{"max_pool", []int{2, 3, 8, 8}, func(x *Node) *Node { return x.MaxPool(2) }, []int{2, 3, 4, 4}, nil},
	{"avg_pool_same", []int{2, 3, 7, 7}, func(x *Node) *Node { return x.AvgPool(3, Strides(2), nx.Same) }, []int{2, 3, 4, 4}, nil},
	{"lp_pool", []int{2, 3, 6, 6}, func(x *Node) *Node { return x.LPPool(3) }, []int{2, 3, 2, 2}, nil},
	{"adaptive_avg_pool", []int{2, 3, 9, 7}, func(x *Node) *Node { return x.AdaptiveAvgPool(3, 2) }, []int{2, 3, 3, 2}, nil},
	{"adaptive_max_pool", []int{2, 3, 9, 7}, func(x *Node) *Node { return x.AdaptiveMaxPool(4) }, []int{2, 3, 4, 4}, nil},
	{"adaptive_lp_pool", []int{2, 3, 9, 7}, func(x *Node) *Node { return x.AdaptiveLPPool([]int{1}) }, []int{2, 3, 1, 1}, nil},
	{"global_avg_pool", []int{2, 3, 5, 5}, func(x *Node) *Node { return x.GlobalAvgPool() }, []int{2, 3}, nil},
	{"global_max_pool_keep", []int{2, 3, 5, 5}, func(x *Node) *Node { return x.GlobalMaxPool(KeepAxes()) }, []int{2, 3, 1, 1}, nil},
	{"global_lp_pool", []int{2, 3, 5}, func(x *Node) *Node { return x.GlobalLPPool(Norm(3)) }, []int{2, 3}, nil},
	{"batch_norm", []int{4, 3, 5, 5}, func(x *Node) *Node { return x.BatchNorm() }, []int{4, 3, 5, 5},
		map[string][]int{"batch_norm_0.gamma": {3}, "batch_norm_0.beta": {3}, "batch_norm_0.mean": {3}, "batch_norm_0.var": {3}}},
	{"instance_norm", []int{4, 3, 5}, func(x *Node) *Node { return x.InstanceNorm() }, []int{4, 3, 5},
		map[string][]int{"instance_norm_0.gamma": {3}, "instance_norm_0.beta": {3}, "instance_norm_0.mean": {3}, "instance_norm_0.var": {3}}},
	{"layer_norm", []int{4, 6}, func(x *Node) *Node { return x.LayerNorm() }, []int{4, 6},
		map[string][]int{"layer_norm_0.gamma": {6}, "layer_norm_0.beta": {6}}},
	{"group_norm", []int{4, 6, 3}, func(x *Node) *Node { return x.GroupNorm(3) }, []int{4, 6, 3},
		map[string][]int{"group_norm_0.gamma": {6}, "group_norm_0.beta": {6}}},
	{"rms_norm", []int{4, 6}, func(x *Node) *Node { return x.RMSNorm() }, []int{4, 6}, map[string][]int{"rms_norm_0.gamma": {6}}},
	{"dropout", []int{4, 6}, func(x *Node) *Node { return x.Dropout(0.5) }, []int{4, 6}, nil},
	{"alpha_dropout", []int{4, 6}, func(x *Node) *Node { return x.AlphaDropout(0.5) }, []int{4, 6}, nil},
	{"feature_alpha_dropout", []int{4, 6, 2}, func(x *Node) *Node { return x.FeatureAlphaDropout(0.5) }, []int{4, 6, 2}, nil},
	{"spatial_dropout", []int{4, 6, 2, 2}, func(x *Node) *Node { return x.SpatialDropout(0.5) }, []int{4, 6, 2, 2}, nil},
	{"lstm_dynamic", []int{2, 5, 3}, func(x *Node) *Node { s, _, _ := x.LSTM(4); return s }, []int{2, 5, 4},
		map[string][]int{"lstm_0.kernel": {3, 16}, "lstm_0.recurrent_kernel": {4, 16}, "lstm_0.bias": {16}}},
	{"lstm_static_hidden", []int{2, 5, 3}, func(x *Node) *Node { _, h, _ := x.LSTM(4, Static); return h }, []int{2, 4},
		map[string][]int{"lstm_0.kernel": {3, 16}, "lstm_0.recurrent_kernel": {4, 16}, "lstm_0.bias": {16}}},
	{"gru", []int{2, 5, 3}, func(x *Node) *Node { s, _ := x.GRU(4); return s }, []int{2, 5, 4},
		map[string][]int{"gru_0.kernel": {3, 12}, "gru_0.recurrent_kernel": {4, 12}, "gru_0.bias": {12}, "gru_0.recurrent_bias": {12}}},
	{"conv_lstm", []int{2, 3, 1, 6, 6}, func(x *Node) *Node { s, _, _ := x.ConvLSTM(2, 3); return s }, []int{2, 3, 2, 6, 6},
		map[string][]int{"conv_lstm_0.kernel": {8, 1, 3, 3}, "conv_lstm_0.recurrent_kernel": {8, 2, 3, 3}, "conv_lstm_0.bias": {8}}},
	{"bidirectional", []int{2, 5, 3}, func(x *Node) *Node {
		return Bidirectional(x, func(x *Node) *Node { s, _ := x.GRU(4, NoBias()); return s }, nil)
	}, []int{2, 5, 8},
		map[string][]int{"gru_0.kernel": {3, 12}, "gru_0.recurrent_kernel": {4, 12}, "gru_1.kernel": {3, 12}, "gru_1.recurrent_kernel": {4, 12}}},
	{"cond", []int{2, 3}, func(x *Node) *Node {
		return Cond(x, func(t *nx.Tensor) *nx.Tensor { return nx.Greater(nx.Sum(t), nx.Number(0.0)) }, x.Nx(nx.Negate), x.Activation(ReLU))
	}, []int{2, 3}, nil},
}

// inputFor returns a deterministic input of the given shape: small integers
// for embeddings, normal values otherwise.
func inputFor(name string, shape []int) *nx.Tensor {
	if name == "embedding" {
		return nx.Remainder(nx.Iota(nx.Shape(shape), nx.Type(nx.S64)), nx.Number(10))
	}
	x, _ := random.Normal(random.Key(7), 0, 1, nx.Shape(shape), nx.F32)
	return x
}

func TestLayerShapes(t *testing.T) {
	for _, c := range layerCases {
		t.Run(c.name, func(t *testing.T) {
			in := Input("x", append([]int{-1}, c.input[1:]...)...)
			model := c.build(in)
			init, predict := model.Build()
			x := inputFor(c.name, c.input)
			state := init(random.Key(1), x)
			got := map[string][]int{}
			for name, tensor := range state.Tensors() {
				got[name] = tensor.Shape()
			}
			if len(got) != len(c.params) {
				t.Errorf("parameters %v, want %v", got, c.params)
			}
			for name, shape := range c.params {
				if !slices.Equal(got[name], shape) {
					t.Errorf("parameter %s has shape %v, want %v", name, got[name], shape)
				}
			}
			eager := predict(state, x)
			if !slices.Equal(eager.Shape(), c.output) {
				t.Fatalf("output shape %v, want %v", eager.Shape(), c.output)
			}
			compiled := nx.Jit(predict)(state, x)
			assertClose(t, "compiled vs eager", compiled, eager, 1e-5)
			_, trainFn := model.BuildTrain()
			out, _ := trainFn(state, x, random.Key(3))
			if !slices.Equal(out.Shape(), c.output) {
				t.Errorf("training-mode output shape %v, want %v", out.Shape(), c.output)
			}
		})
	}
}

// assertClose fails unless got and want have the same shape and elements
// within tol (relative to max(1, |want|)).
func assertClose(t *testing.T, what string, got, want *nx.Tensor, tol float64) {
	t.Helper()
	if !got.Shape().Equal(want.Shape()) {
		t.Fatalf("%s: shape %v, want %v", what, got.Shape(), want.Shape())
	}
	g, w := got.Float64s(), want.Float64s()
	for i := range w {
		if math.IsNaN(g[i]) || math.Abs(g[i]-w[i]) > tol*math.Max(1, math.Abs(w[i])) {
			t.Fatalf("%s: element %d is %v, want %v", what, i, g[i], w[i])
		}
	}
}

// assertValues is assertClose against a slice of expected values.
func assertValues(t *testing.T, what string, got *nx.Tensor, want []float64, tol float64) {
	t.Helper()
	g := got.Float64s()
	if len(g) != len(want) {
		t.Fatalf("%s: %d values %v, want %d", what, len(g), g, len(want))
	}
	for i := range want {
		if math.IsNaN(g[i]) || math.Abs(g[i]-want[i]) > tol*math.Max(1, math.Abs(want[i])) {
			t.Fatalf("%s: values %v, want %v (element %d)", what, fmt.Sprint(g), want, i)
		}
	}
}
