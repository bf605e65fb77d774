package axon

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// toF64 returns the parameters converted to f64, so that finite differences
// are accurate.
func toF64(m map[string]map[string]*nx.Tensor) map[string]map[string]*nx.Tensor {
	out := map[string]map[string]*nx.Tensor{}
	for l, ps := range m {
		out[l] = map[string]*nx.Tensor{}
		for p, t := range ps {
			out[l][p] = nx.AsType(t, nx.F64)
		}
	}
	return out
}

// TestLayerGradients checks the gradient of every layer's parameters, in
// training mode, against central finite differences.
func TestLayerGradients(t *testing.T) {
	for _, c := range layerCases {
		if len(c.params) == 0 {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			model := c.build(Input("x", append([]int{-1}, c.input[1:]...)...))
			init, train := model.BuildTrain()
			x := inputFor(c.name, c.input)
			if x.DType().IsFloat() {
				x = nx.AsType(x, nx.F64)
			}
			state := init(random.Key(1), x)
			state.Params, state.State = toF64(state.Params), toF64(state.State)
			key := random.Key(5)
			out, _ := train(state, x, key)
			w, _ := random.Normal(random.Key(9), 0, 1, out.Shape(), nx.F64)
			loss := func(p map[string]map[string]*nx.Tensor) *nx.Tensor {
				y, _ := train(&ModelState{Params: p, State: state.State}, x, key)
				return nx.Sum(nx.Multiply(y, w))
			}
			grads := nx.Grad(loss)(state.Params)
			const h = 1e-6
			for layer, ps := range state.Params {
				for name, p := range ps {
					vals := p.Float64s()
					g := grads[layer][name].Float64s()
					for _, i := range []int{0, len(vals) / 2, len(vals) - 1} {
						at := func(d float64) float64 {
							v := append([]float64(nil), vals...)
							v[i] += d
							q := cloneNested(state.Params)
							q[layer][name] = nx.FromSlice(v, p.Shape()...)
							return loss(q).Float64()
						}
						fd := (at(h) - at(-h)) / (2 * h)
						if math.Abs(fd-g[i]) > 1e-5*math.Max(1, math.Abs(fd)) {
							t.Errorf("%s.%s[%d]: gradient %v, finite difference %v", layer, name, i, g[i], fd)
						}
					}
				}
			}
		})
	}
}
