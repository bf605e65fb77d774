package axon_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/nx"
)

func ExampleReLU() {
	x := nx.FromSlice([]float32{-2, -0.5, 0, 1.5})
	fmt.Println(axon.ReLU(x).Value())
	// Output: [0 0 0 1.5]
}

func ExampleSoftmax() {
	x := nx.FromSlice([]float64{1, 1, 1, 1}, 1, 4)
	fmt.Println(axon.Softmax(x).Value())
	// Output: [[0.25 0.25 0.25 0.25]]
}

func ExampleActivationByName() {
	act, ok := axon.ActivationByName("hard_tanh")
	fmt.Println(ok, act(nx.FromSlice([]float64{-3, 0.5, 3})).Value())
	// Output: true [-1 0.5 1]
}
