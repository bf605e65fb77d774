package nx_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

func ExampleFFT() {
	x := nx.FromSlice([]float32{1, 1, 0, 0})
	X := nx.FFT(x)
	fmt.Println(X)
	fmt.Println(nx.IFFT(X))
	// Length pads with zeros (or cuts) before the transform.
	fmt.Println(nx.FFT(nx.FromSlice([]float64{1, 1}), nx.Length(4)))
	// Output:
	// nx.Tensor<
	//   c64[4]
	//   [2.0+0.0i, 1.0-1.0i, 0.0+0.0i, 1.0+1.0i]
	// >
	// nx.Tensor<
	//   c64[4]
	//   [1.0+0.0i, 1.0+0.0i, 0.0+0.0i, 0.0+0.0i]
	// >
	// nx.Tensor<
	//   c128[4]
	//   [2.0+0.0i, 1.0-1.0i, 0.0+0.0i, 1.0+1.0i]
	// >
}

func ExampleFFT2() {
	m := nx.FromSlice([]int32{1, 0, 1, 0, 1, 1, 1, 1}, 2, 4)
	fmt.Println(nx.FFT2(m))
	// Output:
	// nx.Tensor<
	//   c64[2][4]
	//   [
	//     [6.0+0.0i, 0.0+0.0i, 2.0+0.0i, 0.0+0.0i],
	//     [-2.0+0.0i, 0.0+0.0i, 2.0+0.0i, 0.0+0.0i]
	//   ]
	// >
}
