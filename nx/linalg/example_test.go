package linalg_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/linalg"
)

func ExampleCholesky() {
	a := nx.FromSlice([]float32{4, 2, 2, 5}, 2, 2)
	fmt.Println(linalg.Cholesky(a))
	// Output:
	// nx.Tensor<
	//   f32[2][2]
	//   [
	//     [2.0, 0.0],
	//     [1.0, 2.0]
	//   ]
	// >
}

func ExampleQR() {
	a := nx.FromSlice([]float32{12, -51, 4, 6, 167, -68, -4, 24, -41}, 3, 3)
	q, r := linalg.QR(a)
	fmt.Println(nx.Round(nx.Multiply(q, nx.Scalar(float32(175)))))
	fmt.Println(r)
	// Output:
	// nx.Tensor<
	//   f32[3][3]
	//   [
	//     [150.0, -69.0, 58.0],
	//     [75.0, 158.0, -6.0],
	//     [-50.0, 30.0, 165.0]
	//   ]
	// >
	// nx.Tensor<
	//   f32[3][3]
	//   [
	//     [14.0, 21.0, -14.0],
	//     [0.0, 175.0, -70.0],
	//     [0.0, 0.0, -35.0]
	//   ]
	// >
}

func ExampleQR_complete() {
	a := nx.FromSlice([]float32{3, 2, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0}, 4, 3)
	q, r := linalg.QR(a, linalg.Mode(linalg.Complete))
	fmt.Println(q.Shape(), r.Shape())
	// Output:
	// [4][4] [4][3]
}

func ExampleLU() {
	a := nx.FromSlice([]int32{1, 2, 3, 4, 5, 6, 7, 8, 10}, 3, 3)
	p, l, u := linalg.LU(a)
	fmt.Println(p)
	fmt.Println(l)
	fmt.Println(u)
	// Output:
	// nx.Tensor<
	//   s32[3][3]
	//   [
	//     [0, 1, 0],
	//     [0, 0, 1],
	//     [1, 0, 0]
	//   ]
	// >
	// nx.Tensor<
	//   f32[3][3]
	//   [
	//     [1.0, 0.0, 0.0],
	//     [0.14285715, 1.0, 0.0],
	//     [0.5714286, 0.5, 1.0]
	//   ]
	// >
	// nx.Tensor<
	//   f32[3][3]
	//   [
	//     [7.0, 8.0, 10.0],
	//     [0.0, 0.85714287, 1.5714285],
	//     [0.0, 0.0, -0.5]
	//   ]
	// >
}

func ExampleSolve() {
	a := nx.FromSlice([]int64{1, 3, 2, 1, 2, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1}, 4, 4)
	b := nx.FromSlice([]int64{-3, 0, 4, -2})
	fmt.Println(linalg.Solve(a, b))
	// Output:
	// nx.Tensor<
	//   f32[4]
	//   [1.0, -2.0, 3.0, -4.0]
	// >
}

func ExampleTriangularSolve() {
	a := nx.FromSlice([]float64{1, 1, 1, 0, 1, 1, 0, 0, 1}, 3, 3)
	b := nx.FromSlice([]float64{1, 2, 1})
	fmt.Println(linalg.TriangularSolve(a, b, linalg.Lower(false)))
	fmt.Println(linalg.TriangularSolve(a, b, linalg.Lower(false), linalg.TransformA(linalg.Transposed)))
	// Output:
	// nx.Tensor<
	//   f64[3]
	//   [-1.0, 1.0, 1.0]
	// >
	// nx.Tensor<
	//   f64[3]
	//   [1.0, 1.0, -1.0]
	// >
}

func ExampleInvert() {
	a := nx.FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	fmt.Println(linalg.Invert(a))
	// Output:
	// nx.Tensor<
	//   f32[2][2]
	//   [
	//     [-2.0, 1.0],
	//     [1.5, -0.5]
	//   ]
	// >
}

func ExampleDeterminant() {
	a := nx.FromSlice([]int64{1, 2, 3, 4, 2, 0, 0, 3}, 2, 2, 2)
	fmt.Println(linalg.Determinant(a))
	// Output:
	// nx.Tensor<
	//   f32[2]
	//   [-2.0, 6.0]
	// >
}

func ExampleSVD() {
	a := nx.FromSlice([]float32{2, 0, 0, 0, 3, 0, 0, 0, -1, 0, 0, 0}, 4, 3)
	u, s, vt := linalg.SVD(a, linalg.FullMatrices(false))
	fmt.Println(u)
	fmt.Println(s)
	fmt.Println(vt)
	// Output:
	// nx.Tensor<
	//   f32[4][3]
	//   [
	//     [0.0, 1.0, 0.0],
	//     [1.0, 0.0, 0.0],
	//     [0.0, 0.0, -1.0],
	//     [0.0, 0.0, 0.0]
	//   ]
	// >
	// nx.Tensor<
	//   f32[3]
	//   [3.0, 2.0, 1.0]
	// >
	// nx.Tensor<
	//   f32[3][3]
	//   [
	//     [0.0, 1.0, 0.0],
	//     [1.0, 0.0, 0.0],
	//     [0.0, 0.0, 1.0]
	//   ]
	// >
}

func ExampleEigh() {
	a := nx.FromSlice([]float32{2, 5, 5, 6}, 2, 2)
	w, v := linalg.Eigh(a)
	fmt.Println(w)
	fmt.Println(v)
	// Output:
	// nx.Tensor<
	//   f32[2]
	//   [9.385165, -1.3851649]
	// >
	// nx.Tensor<
	//   f32[2][2]
	//   [
	//     [0.56062883, 0.82806724],
	//     [0.82806724, -0.56062883]
	//   ]
	// >
}

func ExampleNorm() {
	v := nx.FromSlice([]int64{3, -4})
	fmt.Println(linalg.Norm(v))
	fmt.Println(linalg.Norm(v, linalg.Ord(1)))
	fmt.Println(linalg.Norm(v, linalg.Ord(linalg.Inf)))
	m := nx.FromSlice([]int64{1, 0, 0, 0, -4, 0, 0, 0, 9}, 3, 3)
	fmt.Println(linalg.Norm(m, linalg.Ord(linalg.Nuclear)))
	fmt.Println(linalg.Norm(m, linalg.Axes(1)))
	// Output:
	// nx.Tensor<
	//   f32
	//   5.0
	// >
	// nx.Tensor<
	//   f32
	//   7.0
	// >
	// nx.Tensor<
	//   f32
	//   4.0
	// >
	// nx.Tensor<
	//   f32
	//   14.0
	// >
	// nx.Tensor<
	//   f32[3]
	//   [1.0, 4.0, 9.0]
	// >
}

func ExamplePinv() {
	a := nx.FromSlice([]float32{0.5, 0, 0, 1, 0.5, 0}, 3, 2)
	fmt.Println(linalg.Pinv(a))
	// Output:
	// nx.Tensor<
	//   f32[2][3]
	//   [
	//     [1.0, 0.0, 1.0],
	//     [0.0, 1.0, 0.0]
	//   ]
	// >
}

func ExampleMatrixPower() {
	a := nx.FromSlice([]int64{1, 2, 3, 4}, 2, 2)
	fmt.Println(linalg.MatrixPower(a, 6))
	fmt.Println(linalg.MatrixPower(a, -1))
	// Output:
	// nx.Tensor<
	//   s64[2][2]
	//   [
	//     [5743, 8370],
	//     [12555, 18298]
	//   ]
	// >
	// nx.Tensor<
	//   f32[2][2]
	//   [
	//     [-2.0, 1.0],
	//     [1.5, -0.5]
	//   ]
	// >
}

func ExampleMatrixRank() {
	a := nx.FromSlice([]int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4}, 3, 4)
	fmt.Println(linalg.MatrixRank(a))
	// Output:
	// nx.Tensor<
	//   u32
	//   2
	// >
}

func ExampleLeastSquares() {
	// Fit y = m·x + c through four points.
	a := nx.FromSlice([]float64{0, 1, 1, 1, 2, 1, 3, 1}, 4, 2)
	y := nx.FromSlice([]float64{-1, 0.2, 0.9, 2.1})
	fmt.Println(nx.Round(nx.Multiply(linalg.LeastSquares(a, y), nx.Scalar(100.0))))
	// Output:
	// nx.Tensor<
	//   f64[2]
	//   [100.0, -95.0]
	// >
}

func ExampleAdjoint() {
	a := nx.FromSlice([]complex64{1 + 1i, 2 - 1i, 3 + 2i, -4i}, 2, 2)
	fmt.Println(linalg.Adjoint(a))
	// Output:
	// nx.Tensor<
	//   c64[2][2]
	//   [
	//     [1.0-1.0i, 3.0-2.0i],
	//     [2.0+1.0i, 0.0+4.0i]
	//   ]
	// >
}
