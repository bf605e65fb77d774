package nx_test

import (
	"fmt"
	"math"

	"github.com/gonx-dev/gonx/nx"
)

func ExampleFromSlice() {
	x := nx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	fmt.Println(x.DType(), x.Shape(), x.Size())
	fmt.Println(x)
	// Output:
	// f32 [2][3] 6
	// nx.Tensor<
	//   f32[2][3]
	//   [
	//     [1.0, 2.0, 3.0],
	//     [4.0, 5.0, 6.0]
	//   ]
	// >
}

func ExampleScalar() {
	fmt.Println(nx.Scalar(2.5))
	fmt.Println(nx.Scalar(300, nx.U8)) // converted: integers wrap
	// Output:
	// nx.Tensor<
	//   f64
	//   2.5
	// >
	// nx.Tensor<
	//   u8
	//   44
	// >
}

func ExampleNumber() {
	bytes := nx.FromSlice([]uint8{255, 1})
	fmt.Println(nx.Add(bytes, nx.Number(1))) // the number takes the tensor's type
	ints := nx.FromSlice([]int32{1, 2})
	fmt.Println(nx.Multiply(ints, nx.Number(0.5))) // a float number with integers gives f32
	// Output:
	// nx.Tensor<
	//   u8[2]
	//   [0, 2]
	// >
	// nx.Tensor<
	//   f32[2]
	//   [0.5, 1.0]
	// >
}

func ExampleIota() {
	fmt.Println(nx.Iota(nx.Shape{2, 3}))
	fmt.Println(nx.Iota(nx.Shape{2, 3}, nx.Axis(1), nx.Type(nx.F32)))
	// Output:
	// nx.Tensor<
	//   s64[2][3]
	//   [
	//     [0, 1, 2],
	//     [3, 4, 5]
	//   ]
	// >
	// nx.Tensor<
	//   f32[2][3]
	//   [
	//     [0.0, 1.0, 2.0],
	//     [0.0, 1.0, 2.0]
	//   ]
	// >
}

func ExampleZeros() {
	fmt.Println(nx.Zeros(nx.S32, 2, 2))
	fmt.Println(nx.Ones(nx.BF16, 3))
	// Output:
	// nx.Tensor<
	//   s32[2][2]
	//   [
	//     [0, 0],
	//     [0, 0]
	//   ]
	// >
	// nx.Tensor<
	//   bf16[3]
	//   [1.0, 1.0, 1.0]
	// >
}

func ExampleFull() {
	fmt.Println(nx.Full(7, nx.U8, 3))
	fmt.Println(nx.Full(-2.5, nx.S16, 2)) // floats truncate toward zero
	// Output:
	// nx.Tensor<
	//   u8[3]
	//   [7, 7, 7]
	// >
	// nx.Tensor<
	//   s16[2]
	//   [-2, -2]
	// >
}

func ExampleEye() {
	fmt.Println(nx.Eye(nx.F32, 3))
	fmt.Println(nx.Eye(nx.S8, 2, 3))
	// Output:
	// nx.Tensor<
	//   f32[3][3]
	//   [
	//     [1.0, 0.0, 0.0],
	//     [0.0, 1.0, 0.0],
	//     [0.0, 0.0, 1.0]
	//   ]
	// >
	// nx.Tensor<
	//   s8[2][3]
	//   [
	//     [1, 0, 0],
	//     [0, 1, 0]
	//   ]
	// >
}

func ExampleLinspace() {
	fmt.Println(nx.Linspace(0, 1, 5))
	fmt.Println(nx.Linspace(0, 10, 10, nx.Type(nx.U8)))
	// Output:
	// nx.Tensor<
	//   f32[5]
	//   [0.0, 0.25, 0.5, 0.75, 1.0]
	// >
	// nx.Tensor<
	//   u8[10]
	//   [0, 1, 2, 3, 4, 5, 6, 7, 8, 10]
	// >
}

func ExampleTri() {
	fmt.Println(nx.Tri(3, 4, 1))
	// Output:
	// nx.Tensor<
	//   u8[3][4]
	//   [
	//     [1, 1, 0, 0],
	//     [1, 1, 1, 0],
	//     [1, 1, 1, 1]
	//   ]
	// >
}

func ExampleTril() {
	m := nx.FromSlice([]int32{1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3)
	fmt.Println(nx.Tril(m, 0))
	fmt.Println(nx.Triu(m, 1))
	// Output:
	// nx.Tensor<
	//   s32[3][3]
	//   [
	//     [1, 0, 0],
	//     [4, 5, 0],
	//     [7, 8, 9]
	//   ]
	// >
	// nx.Tensor<
	//   s32[3][3]
	//   [
	//     [0, 2, 3],
	//     [0, 0, 6],
	//     [0, 0, 0]
	//   ]
	// >
}

func ExampleAdd() {
	col := nx.FromSlice([]int32{1, 2}, 2, 1)
	row := nx.FromSlice([]int32{10, 20, 30})
	fmt.Println(nx.Add(col, row)) // shapes broadcast

	u := nx.FromSlice([]uint8{200, 255})
	s := nx.FromSlice([]int8{-1, 127})
	fmt.Println(nx.Add(u, s)) // u8 with s8 gives s16
	// Output:
	// nx.Tensor<
	//   s32[2][3]
	//   [
	//     [11, 21, 31],
	//     [12, 22, 32]
	//   ]
	// >
	// nx.Tensor<
	//   s16[2]
	//   [199, 382]
	// >
}

func ExampleMultiply() {
	x := nx.FromSlice([]float32{1.5, -2, 4})
	fmt.Println(nx.Multiply(x, nx.Number(2)))
	fmt.Println(nx.Multiply(nx.FromSlice([]int8{100}), nx.FromSlice([]int8{2}))) // integers wrap
	// Output:
	// nx.Tensor<
	//   f32[3]
	//   [3.0, -4.0, 8.0]
	// >
	// nx.Tensor<
	//   s8[1]
	//   [-56]
	// >
}

func ExampleDivide() {
	x := nx.FromSlice([]int32{1, 2, 3, -1})
	y := nx.FromSlice([]int32{2, 2, 2, 0})
	fmt.Println(nx.Divide(x, y)) // integers give f32
	fmt.Println(nx.Quotient(x, nx.Number(2)))
	// Output:
	// nx.Tensor<
	//   f32[4]
	//   [0.5, 1.0, 1.5, -Inf]
	// >
	// nx.Tensor<
	//   s32[4]
	//   [0, 1, 1, 0]
	// >
}

func ExampleExp() {
	fmt.Println(nx.Exp(nx.FromSlice([]float64{0, 1, math.Inf(-1)})))
	fmt.Println(nx.Exp(nx.FromSlice([]int32{0, 1}))) // integers give f32
	// Output:
	// nx.Tensor<
	//   f64[3]
	//   [1.0, 2.718281828459045, 0.0]
	// >
	// nx.Tensor<
	//   f32[2]
	//   [1.0, 2.7182817]
	// >
}

func ExampleSum() {
	x := nx.FromSlice([]uint8{1, 2, 3, 200, 200, 200}, 2, 3)
	fmt.Println(nx.Sum(x)) // integers sum in 64 bits
	fmt.Println(nx.Sum(x, nx.Axes(1), nx.KeepAxes()))
	// Output:
	// nx.Tensor<
	//   u64
	//   606
	// >
	// nx.Tensor<
	//   u64[2][1]
	//   [
	//     [6],
	//     [600]
	//   ]
	// >
}

func ExampleMean() {
	x := nx.FromSlice([]int32{1, 2, 3, 4}, 2, 2)
	fmt.Println(nx.Mean(x))
	fmt.Println(nx.Mean(x, nx.Axes(0)))
	// Output:
	// nx.Tensor<
	//   f32
	//   2.5
	// >
	// nx.Tensor<
	//   f32[2]
	//   [2.0, 3.0]
	// >
}

func ExampleArgmax() {
	x := nx.FromSlice([]float32{3, 7, 7, 1, 9, 0}, 2, 3)
	fmt.Println(nx.Argmax(x))
	fmt.Println(nx.Argmax(x, nx.Axis(1)))
	fmt.Println(nx.Argmax(x, nx.Axis(1), nx.Tie(nx.TieHigh)))
	// Output:
	// nx.Tensor<
	//   s64
	//   4
	// >
	// nx.Tensor<
	//   s64[2]
	//   [1, 1]
	// >
	// nx.Tensor<
	//   s64[2]
	//   [2, 1]
	// >
}

func ExampleReshape() {
	x := nx.Iota(nx.Shape{6})
	fmt.Println(nx.Reshape(x, 3, -1))
	// Output:
	// nx.Tensor<
	//   s64[3][2]
	//   [
	//     [0, 1],
	//     [2, 3],
	//     [4, 5]
	//   ]
	// >
}

func ExampleTranspose() {
	x := nx.Iota(nx.Shape{2, 3})
	fmt.Println(nx.Transpose(x))
	y := nx.Iota(nx.Shape{2, 3, 4})
	fmt.Println(nx.Transpose(y, nx.Axes(2, 0, 1)).Shape())
	// Output:
	// nx.Tensor<
	//   s64[3][2]
	//   [
	//     [0, 3],
	//     [1, 4],
	//     [2, 5]
	//   ]
	// >
	// [4][2][3]
}

func ExampleBroadcast() {
	row := nx.FromSlice([]int8{1, 2, 3})
	fmt.Println(nx.Broadcast(row, nx.Shape{2, 3}))
	col := nx.FromSlice([]int8{1, 2})
	fmt.Println(nx.Broadcast(col, nx.Shape{2, 3}, nx.Axes(0)))
	// Output:
	// nx.Tensor<
	//   s8[2][3]
	//   [
	//     [1, 2, 3],
	//     [1, 2, 3]
	//   ]
	// >
	// nx.Tensor<
	//   s8[2][3]
	//   [
	//     [1, 1, 1],
	//     [2, 2, 2]
	//   ]
	// >
}

func ExampleAsType() {
	x := nx.FromSlice([]float32{-1.5, 2.7, float32(math.NaN()), float32(math.Inf(1))})
	fmt.Println(nx.AsType(x, nx.S8))
	fmt.Println(nx.AsType(nx.FromSlice([]int32{-1, 256}), nx.U8))
	// Output:
	// nx.Tensor<
	//   s8[4]
	//   [-1, 2, 0, 127]
	// >
	// nx.Tensor<
	//   u8[2]
	//   [255, 0]
	// >
}

func ExampleSelect() {
	x := nx.FromSlice([]float32{-2, 0.5, 3})
	positive := nx.Greater(x, nx.Number(0))
	fmt.Println(positive)
	fmt.Println(nx.Select(positive, x, nx.Number(0)))
	// Output:
	// nx.Tensor<
	//   u8[3]
	//   [0, 1, 1]
	// >
	// nx.Tensor<
	//   f32[3]
	//   [0.0, 0.5, 3.0]
	// >
}

func ExampleClip() {
	x := nx.FromSlice([]float64{-5, 0.5, 5, math.NaN()})
	fmt.Println(nx.Clip(x, nx.Number(0), nx.Number(1)))
	// Output:
	// nx.Tensor<
	//   f64[4]
	//   [0.0, 0.5, 1.0, NaN]
	// >
}

func ExampleTensor_String() {
	x := nx.FromSlice([]complex64{1 + 2i, -3i}, 2, 1, 1)
	fmt.Println(x.String())
	fmt.Println(nx.Iota(nx.Shape{100}))
	// Output:
	// nx.Tensor<
	//   c64[2][1][1]
	//   [
	//     [
	//       [1.0+2.0i]
	//     ],
	//     [
	//       [0.0-3.0i]
	//     ]
	//   ]
	// >
	// nx.Tensor<
	//   s64[100]
	//   [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, ...]
	// >
}

func ExampleTensor_Value() {
	x := nx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	rows := x.Value().([][]float32)
	fmt.Println(rows[1], len(rows))
	fmt.Println(nx.Sum(x).Value().(float32))
	// Output:
	// [4 5 6] 2
	// 21
}

// A CustomOp whose kernel writes its results into the buffers it is given
// (EvalInto) and splits its work with ParallelFor.
func ExampleParallelFor() {
	clip := &nx.CustomOp{
		Name: "example.clip01",
		EvalInto: func(args, results []*nx.Tensor) {
			x, out := args[0].Data().([]float64), results[0].Data().([]float64)
			nx.ParallelFor(len(x), 1<<14, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					out[i] = min(max(x[i], 0), 1)
				}
			})
		},
	}
	f := nx.Jit(func(x *nx.Tensor) *nx.Tensor {
		return clip.Apply([]nx.Result{{Shape: x.Shape(), DType: x.DType()}}, x)[0]
	})
	fmt.Println(f(nx.FromSlice([]float64{-0.5, 0.25, 3})))
	// Output:
	// nx.Tensor<
	//   f64[3]
	//   [0.0, 0.25, 1.0]
	// >
}
