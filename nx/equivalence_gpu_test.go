package nx_test

import (
	"testing"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda"
)

// TestGPUEquivalence runs the golden suite on the cuda backend, against
// eager execution on the CPU, on a machine with a GPU (scripts/gpu-check);
// it skips elsewhere.
func TestGPUEquivalence(t *testing.T) {
	if err := cuda.Available(); err != nil {
		t.Skipf("no GPU: %v", err)
	}
	nx.CheckEquivalence(t, "cuda", 64, func(fn func([]*nx.Tensor) *nx.Tensor, args []*nx.Tensor) *nx.Tensor {
		return nx.Jit(fn, nx.OnBackend("cuda"))(args)
	})
	t.Logf("%+v", cuda.BackendStats())
}
