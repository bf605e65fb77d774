package nx_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

func ExampleDot() {
	a := nx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	b := nx.FromSlice([]float32{7, 8, 9, 10, 11, 12}, 3, 2)
	fmt.Println(nx.Dot(a, b))

	// A vector times a matrix contracts the matrix's second-to-last axis;
	// integers stay integers.
	v := nx.FromSlice([]int32{5, 10})
	m := nx.FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	fmt.Println(nx.Dot(v, m))
	// Output:
	// nx.Tensor<
	//   f32[2][2]
	//   [
	//     [58.0, 64.0],
	//     [139.0, 154.0]
	//   ]
	// >
	// nx.Tensor<
	//   s32[3]
	//   [45, 60, 75]
	// >
}

func ExampleDotGeneral() {
	// A batch of two matrix products: axis 0 is the batch, axis 2 of x is
	// contracted with axis 1 of y.
	x := nx.Iota(nx.Shape{2, 2, 3}, nx.Type(nx.F32))
	y := nx.Ones(nx.F32, 2, 3, 1)
	fmt.Println(nx.DotGeneral(x, []int{2}, []int{0}, y, []int{1}, []int{0}))

	// Contracting axis 0 with axis 0 computes xᵀ·y without copying x.
	a := nx.FromSlice([]int64{1, 2, 3, 4}, 2, 2)
	b := nx.FromSlice([]int64{10, 20, 30, 40}, 2, 2)
	fmt.Println(nx.DotGeneral(a, []int{0}, nil, b, []int{0}, nil))
	// Output:
	// nx.Tensor<
	//   f32[2][2][1]
	//   [
	//     [
	//       [3.0],
	//       [12.0]
	//     ],
	//     [
	//       [21.0],
	//       [30.0]
	//     ]
	//   ]
	// >
	// nx.Tensor<
	//   s64[2][2]
	//   [
	//     [100, 140],
	//     [140, 200]
	//   ]
	// >
}

func ExampleOuter() {
	fmt.Println(nx.Outer(nx.FromSlice([]int64{1, 2, 3}), nx.FromSlice([]int64{10, 20})))
	// Output:
	// nx.Tensor<
	//   s64[3][2]
	//   [
	//     [10, 20],
	//     [20, 40],
	//     [30, 60]
	//   ]
	// >
}

func ExampleConv() {
	// One 3×3 image, one channel; a 2×2 kernel that sums each window.
	img := nx.Iota(nx.Shape{1, 1, 3, 3}, nx.Type(nx.F32))
	kernel := nx.Ones(nx.F32, 1, 1, 2, 2)
	fmt.Println(nx.Conv(img, kernel))

	// Same padding keeps the spatial size; strides of 2 halve it, rounded up.
	fmt.Println(nx.Conv(img, kernel, nx.Padded(nx.Same), nx.Strides(2)).Shape())
	// Output:
	// nx.Tensor<
	//   f32[1][1][2][2]
	//   [
	//     [
	//       [
	//         [8.0, 12.0],
	//         [20.0, 24.0]
	//       ]
	//     ]
	//   ]
	// >
	// [1][1][2][2]
}

func ExampleWindowMax() {
	t := nx.FromSlice([]int32{1, 5, 2, 8, 3, 4, 9, 0, 6, 7, 2, 3}, 3, 4)
	// 2×2 max pooling with strides of 2.
	fmt.Println(nx.WindowMax(t, []int{2, 2}, nx.Strides(2), nx.Padded(nx.Same)))
	// Output:
	// nx.Tensor<
	//   s32[2][2]
	//   [
	//     [5, 9],
	//     [7, 3]
	//   ]
	// >
}

func ExampleWindowSum() {
	t := nx.FromSlice([]float64{1, 2, 3, 4, 5})
	fmt.Println(nx.WindowSum(t, []int{3}, nx.Padded(nx.Same)))
	fmt.Println(nx.WindowMean(t, []int{2}, nx.Strides(2)))
	// Output:
	// nx.Tensor<
	//   f64[5]
	//   [3.0, 6.0, 9.0, 12.0, 9.0]
	// >
	// nx.Tensor<
	//   f64[2]
	//   [1.5, 3.5]
	// >
}

func ExampleWindowScatterMax() {
	// The gradient of 2×1 max pooling routes each source value to its
	// window's largest element.
	t := nx.FromSlice([]float32{1, 7, 3, 2}, 4)
	src := nx.FromSlice([]float32{10, 20}, 2)
	fmt.Println(nx.WindowScatterMax(t, src, nx.Number(0), []int{2}, nx.Strides(2)))
	// Output:
	// nx.Tensor<
	//   f32[4]
	//   [0.0, 10.0, 20.0, 0.0]
	// >
}
