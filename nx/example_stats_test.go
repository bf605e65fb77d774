package nx_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

func ExampleMedian() {
	fmt.Println(nx.Median(nx.FromSlice([]int32{3, 1, 2})))
	// An even count averages the two middle values, as a float.
	m := nx.FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	fmt.Println(nx.Median(m, nx.Axis(0)))
	fmt.Println(nx.Median(m, nx.Axis(1), nx.KeepAxes()))
	// Output:
	// nx.Tensor<
	//   s32
	//   2
	// >
	// nx.Tensor<
	//   f32[3]
	//   [2.5, 3.5, 4.5]
	// >
	// nx.Tensor<
	//   s32[2][1]
	//   [
	//     [2],
	//     [5]
	//   ]
	// >
}

func ExampleMode() {
	fmt.Println(nx.Mode(nx.FromSlice([]int32{1, 2, 2, 3, 3, 5})))
	// Output:
	// nx.Tensor<
	//   s32
	//   2
	// >
}
