package axon

import (
	"context"
	"iter"
	"testing"

	"github.com/gonx-dev/gonx/axon/losses"
	"github.com/gonx-dev/gonx/axon/optim"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// BenchmarkTrainStepMLP measures one compiled training step of the MNIST MLP
// (784-128-10, batch 128, Adam) on random data, reporting examples per second.
func BenchmarkTrainStepMLP(b *testing.B) {
	x, k := random.Uniform(random.Key(0), 0, 1, nx.Shape{128, 784}, nx.F32)
	y, _ := random.RandInt(k, 0, 10, nx.Shape{128}, nx.S64)
	model := Input("x", -1, 784).Dense(128, ReLU).Dense(10)
	loop := Trainer(model, losses.SoftmaxCrossEntropy, optim.Adam(1e-3), Progress(nil))
	one := DatasetFunc(func(int) iter.Seq[Batch] {
		return func(yield func(Batch) bool) {
			for i := 0; i < b.N; i++ {
				if !yield(Batch{X: x, Y: y}) {
					return
				}
			}
		}
	})
	// Compile outside the timed region.
	init, _ := model.Build()
	state := init(random.Key(1), nil)
	if _, err := loop.Run(context.Background(), DatasetFunc(func(int) iter.Seq[Batch] {
		return func(yield func(Batch) bool) { yield(Batch{X: x, Y: y}) }
	}), state); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if _, err := loop.Run(context.Background(), one, state); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(128*b.N)/b.Elapsed().Seconds(), "examples/s")
}
