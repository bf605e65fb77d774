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
	benchTrainStep(b, Input("x", -1, 784).Dense(128, ReLU).Dense(10), nx.Shape{128, 784})
}

// BenchmarkTrainStepCNN measures one compiled training step of the MNIST CNN
// (two 3×3 convolutions of 32 and 64 channels, max pooling, dropout, dense
// 128-10; batch 128, Adam) on random data.
func BenchmarkTrainStepCNN(b *testing.B) {
	model := Input("x", -1, 1, 28, 28).Conv(32, 3, ReLU).Conv(64, 3, ReLU).MaxPool(2).Dropout(0.25).
		Flatten().Dense(128, ReLU).Dropout(0.5).Dense(10)
	benchTrainStep(b, model, nx.Shape{128, 1, 28, 28})
}

// benchTrainStep times loop.Run over b.N batches of shape xs after a
// compiling run, reporting examples per second and allocations per step.
func benchTrainStep(b *testing.B, model *Node, xs nx.Shape) {
	x, k := random.Uniform(random.Key(0), 0, 1, xs, nx.F32)
	y, _ := random.RandInt(k, 0, 10, nx.Shape{xs[0]}, nx.S64)
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
	b.ReportAllocs()
	b.ResetTimer()
	if _, err := loop.Run(context.Background(), one, state); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(xs[0]*b.N)/b.Elapsed().Seconds(), "examples/s")
}
