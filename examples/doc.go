// Package examples holds end-to-end programs and notebooks that use gonx: a tour
// of nx and axon (cmd/tour, what `make tour` runs), MNIST training with axon
// and scidata (the command examples/mnist: `go run ./examples/mnist` trains the
// MLP, `go run ./examples/mnist -model cnn` the convolutional network; its
// recipe lives in examples/mnist/internal/mnist), and .livemd notebooks
// (notebooks/: nx_tour.livemd, and mnist.livemd, which trains the MLP with a live
// loss curve; livebook's tests run both with livebook run).
package examples
