// Package examples holds end-to-end programs and notebooks that use gonx: a tour
// of nx and axon (cmd/tour, what `make run` starts today), MNIST training with
// axon (package mnist and cmd/mnist: `go run ./examples/cmd/mnist`), and, as they
// land, .livemd notebooks.
package examples
