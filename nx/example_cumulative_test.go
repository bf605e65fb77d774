package nx_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

func ExampleCumulativeSum() {
	fmt.Println(nx.CumulativeSum(nx.FromSlice([]int32{1, 2, 3, 4})))

	m := nx.Iota(nx.Shape{2, 3})
	fmt.Println(nx.CumulativeSum(m, nx.Axis(1)))
	fmt.Println(nx.CumulativeSum(m, nx.Axis(1), nx.Reversed()))
	// Output:
	// nx.Tensor<
	//   s32[4]
	//   [1, 3, 6, 10]
	// >
	// nx.Tensor<
	//   s64[2][3]
	//   [
	//     [0, 1, 3],
	//     [3, 7, 12]
	//   ]
	// >
	// nx.Tensor<
	//   s64[2][3]
	//   [
	//     [3, 3, 2],
	//     [12, 9, 5]
	//   ]
	// >
}

func ExampleCumulativeMax() {
	fmt.Println(nx.CumulativeMax(nx.FromSlice([]float32{1, 3, 2, 5, 4})))
	// Output:
	// nx.Tensor<
	//   f32[5]
	//   [1.0, 3.0, 3.0, 5.0, 5.0]
	// >
}
