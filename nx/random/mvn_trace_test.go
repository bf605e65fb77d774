package random

import (
	"reflect"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

func TestMultivariateNormalTraces(t *testing.T) {
	mean := nx.FromSlice([]float64{1, -1})
	cov := nx.FromSlice([]float64{2, 0.5, 0.5, 1}, 2, 2)
	sample := func(key *nx.Tensor) *nx.Tensor {
		return MultivariateNormalSplit(key, mean, cov, nx.Shape{3}, nx.F64)
	}
	key := Key(7)
	if eager, compiled := sample(key), nx.Jit(sample)(key); !reflect.DeepEqual(eager.Value(), compiled.Value()) {
		t.Errorf("Jit %v, eager %v", compiled, eager)
	}
}
