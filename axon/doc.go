// Package axon builds and trains neural networks on nx tensors, after Elixir's
// Axon.
//
// A model is a graph of layers; building it gives pure init and predict
// functions over nx tensors, and training loops run each step as one compiled nx
// call. This package starts with the activation functions every layer uses.
package axon
