package nx_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

func ExampleSlice() {
	x := nx.Iota(nx.Shape{3, 4})
	fmt.Println(nx.Slice(x, []int{1, 1}, []int{2, 3}))
	// Every second column, and a start moved back so that 2 rows fit:
	fmt.Println(nx.Slice(x, []int{2, 0}, []int{2, 4}, nx.Strides(1, 2)).Value())
	// Output:
	// nx.Tensor<
	//   s64[2][3]
	//   [
	//     [5, 6, 7],
	//     [9, 10, 11]
	//   ]
	// >
	// [[4 6] [8 10]]
}

func ExampleSliceDynamic() {
	x := nx.Iota(nx.Shape{5})
	start := nx.Scalar(int64(3)) // a computed index
	fmt.Println(nx.SliceDynamic(x, []*nx.Tensor{start}, []int{2}).Value())
	// Output:
	// [3 4]
}

func ExamplePutSlice() {
	x := nx.FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	patch := nx.FromSlice([]int32{7, 8, 9, 10}, 2, 2)
	fmt.Println(nx.PutSlice(x, []int{0, 1}, patch))
	// Output:
	// nx.Tensor<
	//   s32[2][3]
	//   [
	//     [1, 7, 8],
	//     [4, 9, 10]
	//   ]
	// >
}

func ExampleGather() {
	x := nx.FromSlice([]int32{1, 2, 3, 4}, 2, 2)
	// Each row of indices addresses one element: (1, 1), (0, 1), (1, 0).
	idx := nx.FromSlice([]int{1, 1, 0, 1, 1, 0}, 3, 2)
	fmt.Println(nx.Gather(x, idx).Value())
	// With Axes, indices address columns and keep the rows whole.
	cols := nx.FromSlice([]int{1, 0, 1}, 3, 1)
	fmt.Println(nx.Gather(x, cols, nx.Axes(1)).Value())
	// Output:
	// [4 2 3]
	// [[2 4] [1 3] [2 4]]
}

func ExampleTake() {
	x := nx.FromSlice([]int32{1, 2, 3, 4}, 2, 2)
	fmt.Println(nx.Take(x, nx.FromSlice([]int{1, 0, 1})).Value())
	fmt.Println(nx.Take(x, nx.FromSlice([]int{1, 0, 1}), nx.Axis(1)).Value())
	// Output:
	// [[3 4] [1 2] [3 4]]
	// [[2 1 2] [4 3 4]]
}

func ExampleTakeAlongAxis() {
	x := nx.FromSlice([]float32{3, 1, 2, 9, 7, 8}, 2, 3)
	order := nx.FromSlice([]int{1, 2, 0, 1, 2, 0}, 2, 3) // argsort of each row
	fmt.Println(nx.TakeAlongAxis(x, order, nx.Axis(1)).Value())
	// Output:
	// [[1 2 3] [7 8 9]]
}

func ExampleIndexedAdd() {
	counts := nx.Zeros(nx.S64, 4)
	idx := nx.FromSlice([]int{2, 0, 2, 3}, 4, 1)
	fmt.Println(nx.IndexedAdd(counts, idx, nx.Ones(nx.S64, 4)).Value())
	// Output:
	// [1 0 2 1]
}

func ExampleConcatenate() {
	a := nx.FromSlice([]int32{1, 2, 3, 4}, 2, 2)
	b := nx.FromSlice([]float32{5, 6}, 2, 1)
	fmt.Println(nx.Concatenate([]*nx.Tensor{a, b}, nx.Axis(1)))
	// Output:
	// nx.Tensor<
	//   f32[2][3]
	//   [
	//     [1.0, 2.0, 5.0],
	//     [3.0, 4.0, 6.0]
	//   ]
	// >
}

func ExampleStack() {
	a := nx.FromSlice([]int32{1, 2, 3})
	b := nx.FromSlice([]int32{4, 5, 6})
	fmt.Println(nx.Stack([]*nx.Tensor{a, b}).Value())
	fmt.Println(nx.Stack([]*nx.Tensor{a, b}, nx.Axis(-1)).Value())
	// Output:
	// [[1 2 3] [4 5 6]]
	// [[1 4] [2 5] [3 6]]
}

func ExampleSplit() {
	x := nx.Iota(nx.Shape{5})
	for _, part := range nx.Split(x, []int{2, -1}) {
		fmt.Println(part.Value())
	}
	// Output:
	// [0 1]
	// [2 3 4]
}

func ExamplePad() {
	x := nx.FromSlice([]int32{1, 2, 3, 4, 5, 6}, 2, 3)
	// One row above, and a zero between neighbouring columns.
	fmt.Println(nx.Pad(x, nx.Number(0), [3]int{1, 0, 0}, [3]int{0, 0, 1}))
	// Negative padding crops.
	fmt.Println(nx.Pad(x, nx.Number(0), [3]int{0, -1, 0}, [3]int{-1, 1, 0}).Value())
	// Output:
	// nx.Tensor<
	//   s32[3][5]
	//   [
	//     [0, 0, 0, 0, 0],
	//     [1, 0, 2, 0, 3],
	//     [4, 0, 5, 0, 6]
	//   ]
	// >
	// [[2 3 0]]
}

func ExampleReverse() {
	x := nx.Iota(nx.Shape{2, 3})
	fmt.Println(nx.Reverse(x).Value())
	fmt.Println(nx.Reverse(x, nx.Axes(1)).Value())
	// Output:
	// [[5 4 3] [2 1 0]]
	// [[2 1 0] [5 4 3]]
}

func ExampleTile() {
	x := nx.FromSlice([]int32{1, 2})
	fmt.Println(nx.Tile(x, []int{2, 3}).Value())
	// Output:
	// [[1 2 1 2 1 2] [1 2 1 2 1 2]]
}

func ExampleTakeDiagonal() {
	x := nx.Iota(nx.Shape{2, 3, 3}) // a batch of two matrices
	fmt.Println(nx.TakeDiagonal(x, 0).Value())
	fmt.Println(nx.TakeDiagonal(x, 1).Value())
	// Output:
	// [[0 4 8] [9 13 17]]
	// [[1 5] [10 14]]
}

func ExampleMakeDiagonal() {
	fmt.Println(nx.MakeDiagonal(nx.FromSlice([]int32{1, 2}), 1).Value())
	// Output:
	// [[0 1 0] [0 0 2] [0 0 0]]
}
