// Package examples holds end-to-end programs and notebooks that use gonx: a tour
// of nx and axon (cmd/tour, what `make run` starts today), and, as they land, MNIST
// training and .livemd notebooks.
package examples
