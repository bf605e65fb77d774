package gorgonia_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/gorgonia"
	"gorgonia.org/tensor"
)

func ExampleFromDense() {
	d := tensor.New(tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}), tensor.WithShape(2, 3))
	x := gorgonia.FromDense(d) // shares d's backing slice
	fmt.Println(nx.Sum(x, nx.Axes(1)))
	// Output:
	// nx.Tensor<
	//   f32[2]
	//   [6.0, 15.0]
	// >
}

func ExampleToDense() {
	x := nx.Multiply(nx.Iota(nx.Shape{2, 2}, nx.Type(nx.F64)), nx.Number(0.5))
	d := gorgonia.ToDense(x) // backed by x's data: do not modify it
	fmt.Println(d.Shape(), d.Dtype(), d.Data())
	// Output:
	// (2, 2) float64 [0 0.5 1 1.5]
}
