package nx_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

func ExampleGrad_conv() {
	// The gradient of a convolution with respect to its kernel correlates the
	// input with the output gradient.
	x := nx.FromSlice([]float64{1, 2, 3, 4}, 1, 1, 4)
	k := nx.FromSlice([]float64{1, -1}, 1, 1, 2)
	dk := nx.Grad(func(k *nx.Tensor) *nx.Tensor { return nx.Sum(nx.Conv(x, k)) })(k)
	fmt.Println(dk.Float64s())
	// Output:
	// [6 9]
}

func ExampleGrad_windowMax() {
	// Max pooling sends each window's gradient to the element it selected.
	x := nx.FromSlice([]float64{1, 4, 2, 3, 5, 0}, 1, 6)
	dx := nx.Grad(func(x *nx.Tensor) *nx.Tensor {
		return nx.Sum(nx.WindowMax(x, []int{1, 2}, nx.Strides(1, 2)))
	})(x)
	fmt.Println(dx.Float64s())
	// Output:
	// [0 1 0 1 1 0]
}
