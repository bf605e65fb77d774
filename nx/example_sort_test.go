package nx_test

import (
	"fmt"
	"math"

	"github.com/gonx-dev/gonx/nx"
)

func ExampleSort() {
	t := nx.FromSlice([]float64{3, math.NaN(), -1, math.Inf(1), 0})
	fmt.Println(nx.Sort(t))
	fmt.Println(nx.Sort(t, nx.Order(nx.Desc)))

	m := nx.FromSlice([]int32{4, 5, 2, 2, 5, 3}, 2, 3)
	fmt.Println(nx.Sort(m, nx.Axis(1)))
	// Output:
	// nx.Tensor<
	//   f64[5]
	//   [-1.0, 0.0, 3.0, Inf, NaN]
	// >
	// nx.Tensor<
	//   f64[5]
	//   [NaN, Inf, 3.0, 0.0, -1.0]
	// >
	// nx.Tensor<
	//   s32[2][3]
	//   [
	//     [2, 4, 5],
	//     [2, 3, 5]
	//   ]
	// >
}

func ExampleArgsort() {
	t := nx.FromSlice([]int32{16, 23, 42, 4, 8, 15})
	fmt.Println(nx.Argsort(t))

	// Equal elements keep their order, in both directions.
	ties := nx.FromSlice([]uint8{2, 1, 2, 1})
	fmt.Println(nx.Argsort(ties, nx.Order(nx.Desc), nx.Type(nx.U8)))
	// Output:
	// nx.Tensor<
	//   s64[6]
	//   [3, 4, 5, 0, 1, 2]
	// >
	// nx.Tensor<
	//   u8[4]
	//   [0, 2, 1, 3]
	// >
}

func ExampleTopK() {
	t := nx.FromSlice([]float32{1, 7, 3, 9, 4, 2}, 2, 3)
	values, indices := nx.TopK(t, 2)
	fmt.Println(values)
	fmt.Println(indices)
	// Output:
	// nx.Tensor<
	//   f32[2][2]
	//   [
	//     [7.0, 3.0],
	//     [9.0, 4.0]
	//   ]
	// >
	// nx.Tensor<
	//   s64[2][2]
	//   [
	//     [1, 2],
	//     [0, 1]
	//   ]
	// >
}
