package optim_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/axon/optim"
	"github.com/gonx-dev/gonx/nx"
)

func ExampleAdam() {
	// Minimize (w - 3)² with Adam.
	opt := optim.Adam(0.1)
	w := []*nx.Tensor{nx.FromSlice([]float64{0})}
	state := opt.Init(w)
	grad := nx.Grad(func(w *nx.Tensor) *nx.Tensor { return nx.Sum(nx.Square(nx.Subtract(w, nx.Number(3.0)))) })
	for range 300 {
		var updates []*nx.Tensor
		updates, state = opt.Update([]*nx.Tensor{grad(w[0])}, state, w)
		w = optim.Apply(w, updates)
	}
	fmt.Printf("%.3f\n", w[0].Float64s()[0])
	// Output: 3.000
}

func ExampleStep() {
	params := map[string]*nx.Tensor{"w": nx.FromSlice([]float64{1, 2})}
	grads := map[string]*nx.Tensor{"w": nx.FromSlice([]float64{0.5, -0.5})}
	params, _ = optim.Step(optim.SGD(0.1), params, grads, nil)
	fmt.Println(params["w"].Value())
	// Output: [0.95 2.05]
}

func ExampleCosineDecay() {
	s := optim.CosineDecay(0.1, 100, 0)
	for _, step := range []int64{0, 50, 100} {
		fmt.Printf("%.3f ", s(nx.Scalar(step)).Float64())
	}
	fmt.Println()
	// Output: 0.100 0.050 0.000
}
