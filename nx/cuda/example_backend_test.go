package cuda_test

import (
	"errors"
	"fmt"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda"
)

// A compiled function on the GPU, with the backend's counters; without a
// GPU the first call reports why.
func ExampleBackendStats() {
	before := cuda.BackendStats()
	softmax := nx.Jit(func(x *nx.Tensor) *nx.Tensor {
		e := nx.Exp(nx.Subtract(x, nx.ReduceMax(x, nx.Axes(1), nx.KeepAxes())))
		return nx.Divide(e, nx.Sum(e, nx.Axes(1), nx.KeepAxes()))
	}, nx.OnBackend("cuda"))
	var y *nx.Tensor
	if err := nx.Try(func() { y = softmax(nx.FromSlice([]float32{1, 2, 3, 4}, 2, 2)) }); err != nil {
		fmt.Println("no GPU:", errors.Is(err, cuda.ErrNoDriver) || errors.Is(err, cuda.ErrNoDevice), err)
		return
	}
	after := cuda.BackendStats()
	fmt.Println(y.Float32s())
	fmt.Println("kernel launches:", after.Kernels-before.Kernels, "nodes on the CPU:", after.HostSteps-before.HostSteps)
}
