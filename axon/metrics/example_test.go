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

func ExampleRunningAverage() {
	// The loops fold each batch's metric like this, inside their compiled step.
	acc := nx.Scalar(float32(0))
	for i, batch := range []float32{0.5, 0.75, 1} {
		acc = metrics.RunningAverage(acc, nx.Scalar(batch), nx.Scalar(int64(i)))
	}
	fmt.Println(acc.Value())
	// Output: 0.75
}

func ExampleRunning() {
	accuracy := metrics.NewRunning(metrics.RunningAverage)
	labels := nx.FromSlice([]uint8{0, 1, 1, 0})
	for _, logits := range [][]float32{
		{2, 1, 0, 3, 1, 0, 0, 1}, // 2 of 4 right
		{2, 1, 0, 3, 0, 1, 5, 1}, // 4 of 4
	} {
		accuracy.Add(metrics.Accuracy(labels, nx.FromSlice(logits, 4, 2)))
	}
	fmt.Println(accuracy.Value(), "over", accuracy.Count(), "batches")
	// Output: 0.75 over 2 batches
}
