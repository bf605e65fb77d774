package axon

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// torchTensor is a tensor of testdata/torch_layers.json.
type torchTensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

func (t torchTensor) tensor() *nx.Tensor { return nx.FromSlice(t.Data, t.Shape...) }

// torchCase is one PyTorch module's forward pass, written by
// testdata/torch_layers.py: the weights by their PyTorch names, before the
// pass (Params) and after it (ParamsAfter, training mode only).
type torchCase struct {
	Module      string                 `json:"module"`
	Config      map[string]any         `json:"config"`
	Train       bool                   `json:"train"`
	Input       torchTensor            `json:"input"`
	Params      map[string]torchTensor `json:"params"`
	ParamsAfter map[string]torchTensor `json:"params_after"`
	Outputs     map[string]torchTensor `json:"outputs"`
}

// torchConfig reads a case's configuration.
type torchConfig map[string]any

// ints reads an int or a list of ints.
func (c torchConfig) ints(key string) []int {
	switch v := c[key].(type) {
	case float64:
		return []int{int(v)}
	case []any:
		out := make([]int, len(v))
		for i, x := range v {
			out[i] = int(x.(float64))
		}
		return out
	}
	panic(fmt.Sprintf("config %q: %v", key, c[key]))
}

func (c torchConfig) int(key string) int       { return c.ints(key)[0] }
func (c torchConfig) float(key string) float64 { return c[key].(float64) }

// padding reads "same" or [[lo, hi], ...].
func (c torchConfig) padding() nx.Padding {
	if c["padding"] == "same" {
		return nx.Same
	}
	var pairs [][2]int
	for _, p := range c["padding"].([]any) {
		lh := p.([]any)
		pairs = append(pairs, [2]int{int(lh[0].(float64)), int(lh[1].(float64))})
	}
	return nx.Pads(pairs...)
}

// torchLayers builds, for each kind of case (the prefix of its name), the axon
// layer named "l" that PyTorch's module computes, and maps the module's
// state_dict onto the layer's parameters and state. The mapping is the one
// testdata/torch_layers.py documents:
//
//	Linear     kernel = weight^T; bias = bias
//	Conv2d     kernel = weight (both [out][in/groups][kh][kw]); bias = bias
//	BatchNorm  gamma, beta = weight, bias; state mean, var = running_mean, running_var
//	LayerNorm  gamma, beta = weight, bias
//	LSTM       kernel = weight_ih_l0^T, recurrent_kernel = weight_hh_l0^T,
//	           bias = bias_ih_l0 + bias_hh_l0 (gates i, f, g, o in both)
//	GRU        kernel = weight_ih_l0^T, recurrent_kernel = weight_hh_l0^T,
//	           bias = bias_ih_l0, recurrent_bias = bias_hh_l0 (gates r, z, n in both)
var torchLayers = []struct {
	kind    string
	build   func(x *Node, c torchConfig) *Node
	weights func(w map[string]*nx.Tensor) (params, state map[string]*nx.Tensor)
}{
	{kind: "dense",
		build: func(x *Node, c torchConfig) *Node { return x.Dense(c.int("units"), Name("l")) },
		weights: func(w map[string]*nx.Tensor) (map[string]*nx.Tensor, map[string]*nx.Tensor) {
			return map[string]*nx.Tensor{"kernel": nx.Transpose(w["weight"]), "bias": w["bias"]}, nil
		}},
	{kind: "conv",
		build: func(x *Node, c torchConfig) *Node {
			k := c.ints("kernel")
			return x.Conv(c.int("filters"), k[0], Name("l"), KernelSize(k...), Strides(c.ints("stride")...),
				c.padding(), KernelDilation(c.ints("dilation")...), Groups(c.int("groups")))
		},
		weights: func(w map[string]*nx.Tensor) (map[string]*nx.Tensor, map[string]*nx.Tensor) {
			return map[string]*nx.Tensor{"kernel": w["weight"], "bias": w["bias"]}, nil
		}},
	{kind: "max_pool",
		build: func(x *Node, c torchConfig) *Node {
			return x.MaxPool(c.int("kernel"), Name("l"), Strides(c.int("stride")), c.padding())
		}},
	{kind: "avg_pool",
		build: func(x *Node, c torchConfig) *Node {
			return x.AvgPool(c.int("kernel"), Name("l"), Strides(c.int("stride")), c.padding())
		}},
	{kind: "batch_norm",
		build: func(x *Node, c torchConfig) *Node {
			opts := []Option{Name("l"), Epsilon(c.float("epsilon"))}
			if m, ok := c["momentum"]; ok {
				opts = append(opts, Momentum(m.(float64)))
			}
			return x.BatchNorm(opts...)
		},
		weights: func(w map[string]*nx.Tensor) (map[string]*nx.Tensor, map[string]*nx.Tensor) {
			return map[string]*nx.Tensor{"gamma": w["weight"], "beta": w["bias"]},
				map[string]*nx.Tensor{"mean": w["running_mean"], "var": w["running_var"]}
		}},
	{kind: "layer_norm",
		build: func(x *Node, c torchConfig) *Node { return x.LayerNorm(Name("l"), Epsilon(c.float("epsilon"))) },
		weights: func(w map[string]*nx.Tensor) (map[string]*nx.Tensor, map[string]*nx.Tensor) {
			return map[string]*nx.Tensor{"gamma": w["weight"], "beta": w["bias"]}, nil
		}},
	{kind: "lstm",
		build: func(x *Node, c torchConfig) *Node {
			seq, h, cell := x.LSTM(c.int("units"), Name("l"))
			return Container(map[string]*Node{"seq": seq, "h": h, "c": cell})
		},
		weights: func(w map[string]*nx.Tensor) (map[string]*nx.Tensor, map[string]*nx.Tensor) {
			return map[string]*nx.Tensor{
				"kernel":           nx.Transpose(w["weight_ih_l0"]),
				"recurrent_kernel": nx.Transpose(w["weight_hh_l0"]),
				"bias":             nx.Add(w["bias_ih_l0"], w["bias_hh_l0"]),
			}, nil
		}},
	{kind: "gru",
		build: func(x *Node, c torchConfig) *Node {
			seq, h := x.GRU(c.int("units"), Name("l"))
			return Container(map[string]*Node{"seq": seq, "h": h})
		},
		weights: func(w map[string]*nx.Tensor) (map[string]*nx.Tensor, map[string]*nx.Tensor) {
			return map[string]*nx.Tensor{
				"kernel":           nx.Transpose(w["weight_ih_l0"]),
				"recurrent_kernel": nx.Transpose(w["weight_hh_l0"]),
				"bias":             w["bias_ih_l0"],
				"recurrent_bias":   w["bias_hh_l0"],
			}, nil
		}},
}

// torchTol is the largest difference allowed from PyTorch, in f64.
const torchTol = 1e-10

// TestTorchLayers compares axon's layers with PyTorch's modules: the same
// weights and inputs must give the same outputs within 1e-10 in f64, eagerly
// and compiled, in inference and (batch normalization) training mode.
func TestTorchLayers(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "torch_layers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Torch string               `json:"torch"`
		Cases map[string]torchCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(doc.Cases))
	for name := range doc.Cases {
		names = append(names, name)
	}
	sort.Strings(names)
	covered := map[string]bool{}
	for _, name := range names {
		c := doc.Cases[name]
		t.Run(name, func(t *testing.T) {
			i := -1
			for j, l := range torchLayers {
				if strings.HasPrefix(name, l.kind) {
					i = j
				}
			}
			if i < 0 {
				t.Fatalf("no axon layer for the case (module %s)", c.Module)
			}
			covered[torchLayers[i].kind] = true
			layer := torchLayers[i]
			in := c.Input.tensor()
			model := layer.build(Input("x", append([]int{-1}, c.Input.Shape[1:]...)...), torchConfig(c.Config))
			state := &ModelState{Params: params{}, State: params{}}
			if layer.weights != nil {
				w := map[string]*nx.Tensor{}
				for k, v := range c.Params {
					w[k] = v.tensor()
				}
				p, s := layer.weights(w)
				state.Params["l"] = p
				if s != nil {
					state.State["l"] = s
				}
			}
			// The parameters have the shapes the layer makes for itself.
			initState := func() *ModelState {
				init, _ := model.BuildContainer()
				return init(random.Key(0), in)
			}()
			for k, v := range initState.Tensors() {
				if got := state.Tensors()[k]; got == nil || !got.Shape().Equal(v.Shape()) {
					t.Fatalf("parameter %s: mapped from PyTorch as %v, axon makes %v", k, got, v.Shape())
				}
			}

			if c.Train {
				_, train := model.BuildTrain()
				for _, mode := range []string{"eager", "jit"} {
					fn := train
					if mode == "jit" {
						fn = nx.Jit(train)
					}
					out, next := fn(state, in, random.Key(0))
					compareTorch(t, mode+" output", out, c.Outputs["output"])
					after := c.ParamsAfter
					compareTorch(t, mode+" running mean", next.State["l"]["mean"], after["running_mean"])
					compareTorch(t, mode+" running variance", next.State["l"]["var"], biasedRunningVar(c, after["running_var"]))
				}
				return
			}
			_, predict := model.BuildContainer()
			for _, mode := range []string{"eager", "jit"} {
				fn := predict
				if mode == "jit" {
					fn = nx.Jit(predict)
				}
				outs := fn(state, in)
				for key, want := range c.Outputs {
					compareTorch(t, mode+" "+key, outs[key], want)
				}
			}
		})
	}
	for _, l := range torchLayers {
		if !covered[l.kind] {
			t.Errorf("testdata/torch_layers.json has no case for %s", l.kind)
		}
	}
}

// biasedRunningVar converts PyTorch's running variance after one training
// step to axon's: PyTorch folds in the batch's unbiased variance
// (n/(n-1)·biased), axon, as Axon, the biased one, so
// axon = (1-m)·old + m·(n-1)/n·unbiased with unbiased = (torch - (1-m)·old)/m.
func biasedRunningVar(c torchCase, after torchTensor) torchTensor {
	cfg := torchConfig(c.Config)
	m, n := cfg.float("momentum"), float64(cfg.int("count"))
	old := c.Params["running_var"].Data
	out := torchTensor{Shape: after.Shape, Data: make([]float64, len(after.Data))}
	for i, v := range after.Data {
		unbiased := (v - (1-m)*old[i]) / m
		out.Data[i] = (1-m)*old[i] + m*unbiased*(n-1)/n
	}
	return out
}

// compareTorch checks got against PyTorch's want within torchTol.
func compareTorch(t *testing.T, what string, got *nx.Tensor, want torchTensor) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no output", what)
		return
	}
	if !got.Shape().Equal(nx.Shape(want.Shape)) {
		t.Errorf("%s: shape %v, PyTorch %v", what, got.Shape(), want.Shape)
		return
	}
	if got.DType() != nx.F64 {
		t.Errorf("%s: type %s, want f64", what, got.DType())
	}
	worst, at := 0.0, 0
	for i, v := range got.Float64s() {
		if d := math.Abs(v - want.Data[i]); d > worst || math.IsNaN(d) {
			worst, at = d, i
		}
	}
	if worst > torchTol || math.IsNaN(worst) {
		t.Errorf("%s: element %d is %v, PyTorch %v (difference %.3g > %g)", what, at, got.Float64s()[at], want.Data[at], worst, torchTol)
	}
}
