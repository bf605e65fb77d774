package metrics_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/axon/metrics"
	"github.com/gonx-dev/gonx/nx"
)

func ExampleAccuracy() {
	labels := nx.FromSlice([]uint8{2, 0, 1, 1})
	logits := nx.FromSlice([]float32{0, 1, 5, 3, 0, 0, 0, 2, 1, 9, 0, 0}, 4, 3)
	fmt.Println(metrics.Accuracy(labels, logits).Value())
	// Output: 0.75
}

func ExampleTopKCategoricalAccuracy() {
	top2 := metrics.TopKCategoricalAccuracy(2)
	labels := nx.FromSlice([]int64{0, 2})
	scores := nx.FromSlice([]float64{0.1, 0.4, 0.5, 0.1, 0.4, 0.5}, 2, 3)
	fmt.Println(top2(labels, scores).Value())
	// Output: 0.5
}
