package losses_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/axon/losses"
	"github.com/gonx-dev/gonx/nx"
)

func ExampleSoftmaxCrossEntropy() {
	labels := nx.FromSlice([]int64{0, 1})
	logits := nx.FromSlice([]float64{2, 0, 0, 0}, 2, 2)
	fmt.Printf("%.4f\n", losses.SoftmaxCrossEntropy(labels, logits).Float64s())
	// Output: [0.1269 0.6931]
}

func ExampleCategoricalCrossEntropyWith() {
	loss := losses.CategoricalCrossEntropyWith(losses.Sparse(), losses.WithReduction(losses.ReduceMean))
	probs := nx.FromSlice([]float64{0.5, 0.5, 0.9, 0.1}, 2, 2)
	fmt.Printf("%.4f\n", loss(nx.FromSlice([]int64{0, 0}), probs).Float64())
	// Output: 0.3993
}

func ExampleMeanSquaredError() {
	y := nx.FromSlice([]float32{0, 1, 0, 0}, 2, 2)
	p := nx.FromSlice([]float32{1, 1, 1, 0}, 2, 2)
	fmt.Println(losses.MeanSquaredError(y, p).Value())
	// Output: [0.5 0.5]
}
