package linalg_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/linalg"
)

// The functions trace: they run inside nx.Jit and nx.Grad. The gradient of the
// determinant is det(a)·a⁻ᵀ.
func Example_grad() {
	a := nx.FromSlice([]float64{4, 3, 2, 2}, 2, 2)
	grad := nx.Grad(linalg.Determinant)(a)
	fmt.Println(grad)

	solve := nx.Jit(linalg.Solve)
	fmt.Println(solve(a, nx.FromSlice([]float64{10, 6})))
	// Output:
	// nx.Tensor<
	//   f64[2][2]
	//   [
	//     [2.0, -2.0],
	//     [-3.0, 4.0]
	//   ]
	// >
	// nx.Tensor<
	//   f64[2]
	//   [1.0, 2.0]
	// >
}
