package axon

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

func TestValueAndGradAux(t *testing.T) {
	fn := func(p map[string]*nx.Tensor) (*nx.Tensor, []*nx.Tensor) {
		y := nx.Multiply(p["w"], p["w"]) // w²
		return nx.Sum(y), []*nx.Tensor{y, nx.Argmax(y)}
	}
	w := nx.FromSlice([]float64{1, -3, 2})
	check := func(t *testing.T, value *nx.Tensor, g map[string]*nx.Tensor, aux []*nx.Tensor) {
		if v := value.Float64(); v != 14 {
			t.Errorf("value %v, want 14", v)
		}
		for i, want := range []float64{2, -6, 4} {
			if got := g["w"].Float64s()[i]; math.Abs(got-want) > 1e-12 {
				t.Errorf("grad[%d] = %v, want %v", i, got, want)
			}
		}
		if got := aux[0].Float64s(); got[1] != 9 {
			t.Errorf("aux[0] = %v, want [1 9 4]", got)
		}
		if aux[1].DType() != nx.S64 || aux[1].Int64() != 1 {
			t.Errorf("aux[1] = %v, want s64 1", aux[1])
		}
	}
	t.Run("eager", func(t *testing.T) {
		v, g, aux := valueAndGradAux(fn)(map[string]*nx.Tensor{"w": w})
		check(t, v, g, aux)
	})
	t.Run("jit", func(t *testing.T) {
		f := nx.Jit(func(p map[string]*nx.Tensor) (*nx.Tensor, map[string]*nx.Tensor, []*nx.Tensor) {
			return valueAndGradAux(fn)(p)
		})
		v, g, aux := f(map[string]*nx.Tensor{"w": w})
		check(t, v, g, aux)
	})
}
