package nx

import (
	"encoding/json"
	"math"
	"os"
	"sort"
	"testing"
)

// Golden gradients from PyTorch: testdata/torch/gen.py computes, with
// torch.autograd in float64, the value and gradients of a few functions; the
// same functions built from nx operations must agree to about 1e-10.

type torchTensor struct {
	Shape []int     `json:"shape"`
	Data  []float64 `json:"data"`
}

func (t torchTensor) tensor() *Tensor { return FromSlice(t.Data, t.Shape...) }

type torchCase struct {
	Name   string                 `json:"name"`
	Params map[string]torchTensor `json:"params"`
	Consts map[string]torchTensor `json:"consts"`
	Value  float64                `json:"value"`
	Grads  map[string]torchTensor `json:"grads"`
}

// torchFuncs are the nx versions of gen.py's functions: p holds the
// differentiated tensors, c the fixed ones.
var torchFuncs = map[string]func(p, c map[string]*Tensor) *Tensor{
	"mlp": func(p, c map[string]*Tensor) *Tensor {
		h := Tanh(Add(Dot(p["x"], p["w"]), p["b"]))
		return Negate(Mean(Sum(Multiply(c["labels"], torchLogSoftmax(h)), Axes(1))))
	},
	"conv_relu_pool": func(p, _ map[string]*Tensor) *Tensor {
		y := Conv(p["x"], p["k"], Padded(Pads([2]int{1, 1}, [2]int{1, 1})))
		y = Max(y, Number(0))
		return Mean(WindowMax(y, []int{1, 1, 2, 2}, Strides(1, 1, 2, 2)))
	},
	"conv1d_grouped_avg": func(p, c map[string]*Tensor) *Tensor {
		y := Conv(p["x"], p["k"], Strides(2), Padded(Pads([2]int{2, 2})), KernelDilation(2), FeatureGroups(2))
		y = WindowMean(Sin(y), []int{1, 1, 3}, Padded(Pads([2]int{}, [2]int{}, [2]int{1, 1})))
		return Sum(Multiply(y, c["w"]))
	},
	"conv3d_strided": func(p, c map[string]*Tensor) *Tensor {
		y := Conv(p["x"], p["k"], Strides(1, 2, 1), Padded(Pads([2]int{1, 1}, [2]int{}, [2]int{1, 1})))
		return Sum(Multiply(Tanh(y), c["w"]))
	},
	"log_softmax": func(p, c map[string]*Tensor) *Tensor {
		return Sum(Multiply(torchLogSoftmax(p["x"]), c["w"]))
	},
	"cumprod": func(p, c map[string]*Tensor) *Tensor {
		return Sum(Multiply(CumulativeProduct(p["x"], Axis(1)), c["w"]))
	},
	"sort": func(p, c map[string]*Tensor) *Tensor {
		return Sum(Multiply(Sort(p["x"], Axis(1)), c["w"]))
	},
	"top_k": func(p, c map[string]*Tensor) *Tensor {
		v, _ := TopK(p["x"], 3)
		return Sum(Multiply(Square(v), c["w"]))
	},
}

// torchLogSoftmax is log-softmax over axis 1.
func torchLogSoftmax(x *Tensor) *Tensor {
	return Subtract(x, LogSumExp(x, Axes(1), KeepAxes()))
}

func loadTorchCases(t *testing.T) []torchCase {
	t.Helper()
	raw, err := os.ReadFile("testdata/torch/grads.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Cases []torchCase `json:"cases"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	return file.Cases
}

// torchClose reports whether got is within 1e-10 of want, relative to the
// larger of |want| and a tenth of the largest magnitude in the tensor
// (scale), so that tiny elements of a large gradient are not held to more
// digits than the float64 sums producing them carry.
func torchClose(got, want, scale float64) bool {
	return math.Abs(got-want) <= 1e-10*max(math.Abs(want), scale/10, 1e-300)
}

func TestGradAgainstTorch(t *testing.T) {
	cases := loadTorchCases(t)
	if len(cases) < len(torchFuncs) {
		t.Fatalf("grads.json has %d cases, want %d", len(cases), len(torchFuncs))
	}
	for _, tc := range cases {
		fn := torchFuncs[tc.Name]
		if fn == nil {
			t.Errorf("no nx function for the case %q", tc.Name)
			continue
		}
		params, consts := map[string]*Tensor{}, map[string]*Tensor{}
		for k, v := range tc.Params {
			params[k] = v.tensor()
		}
		for k, v := range tc.Consts {
			consts[k] = v.tensor()
		}
		vg := ValueAndGrad(func(p map[string]*Tensor) *Tensor { return fn(p, consts) })
		for _, mode := range []string{"eager", "jit"} {
			f := vg
			if mode == "jit" {
				f = Jit(vg)
			}
			value, grads := f(params)
			if !torchClose(value.Float64(), tc.Value, 0) {
				t.Errorf("%s (%s): value %v, torch gives %v", tc.Name, mode, value.Float64(), tc.Value)
			}
			names := make([]string, 0, len(tc.Grads))
			for k := range tc.Grads {
				names = append(names, k)
			}
			sort.Strings(names)
			for _, k := range names {
				want := tc.Grads[k]
				g := grads[k]
				if !g.Shape().Equal(Shape(want.Shape)) {
					t.Errorf("%s (%s): ∂/∂%s has shape %v, torch gives %v", tc.Name, mode, k, g.Shape(), want.Shape)
					continue
				}
				scale := 0.0
				for _, w := range want.Data {
					scale = max(scale, math.Abs(w))
				}
				for i, v := range g.Float64s() {
					if !torchClose(v, want.Data[i], scale) {
						t.Errorf("%s (%s): ∂/∂%s[%d] = %v, torch gives %v", tc.Name, mode, k, i, v, want.Data[i])
						break
					}
				}
			}
		}
	}
}
