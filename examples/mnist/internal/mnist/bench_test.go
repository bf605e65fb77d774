package mnist

import (
	"context"
	"iter"
	"testing"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/axon/losses"
	"github.com/gonx-dev/gonx/axon/optim"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// BenchmarkTrainStep measures the training throughput of each model with the
// recipe's settings — batches of 128, softmax cross-entropy, Adam 1e-3,
// dropout active — on random images, in samples per second: one compiled
// step (forward, gradient, update, metrics) per batch. The training table of
// bench/cmd/gonxbench times the same steps beside PyTorch (bench/peers/train.py).
//
//	go test -run XXX -bench TrainStep ./examples/mnist/internal/mnist
func BenchmarkTrainStep(b *testing.B) {
	const batch = 128
	x, k := random.Uniform(random.Key(0), 0, 1, nx.Shape{batch, 1, 28, 28}, nx.F32)
	y, _ := random.RandInt(k, 0, 10, nx.Shape{batch}, nx.U8)
	for _, name := range ModelNames() {
		b.Run(name, func(b *testing.B) {
			model, _ := Model(name)
			loop := axon.Trainer(model, losses.SoftmaxCrossEntropy, optim.Adam(1e-3), axon.Progress(nil))
			steps := func(n int) axon.Dataset {
				return axon.DatasetFunc(func(int) iter.Seq[axon.Batch] {
					return func(yield func(axon.Batch) bool) {
						for range n {
							if !yield(axon.Batch{X: x, Y: y}) {
								return
							}
						}
					}
				})
			}
			init, _ := model.Build()
			state := init(random.Key(1), x)
			// Two steps outside the timed region: the trace and compile, and a
			// warm one.
			state, err := loop.Run(context.Background(), steps(2), state)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			if _, err := loop.Run(context.Background(), steps(b.N), state); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}
