// Package axon builds and trains neural networks on nx tensors, after Elixir's
// Axon.
//
// # Models
//
// A model is a graph of [Node]s. [Input] starts one; methods add the common
// layers in a chain and functions join several nodes:
//
//	model := axon.Input("image", -1, 1, 28, 28). // -1: the batch size
//		Flatten().
//		Dense(128, axon.ReLU).
//		Dropout(0.2).
//		Dense(10)
//
// Layers take options after their required arguments: an activation
// (axon.ReLU, any func(*nx.Tensor) *nx.Tensor, or a name such as "relu"), a
// padding (nx.Same), an [Unroll], or the values of option functions such as
// [Name], [KernelInit], [Strides], [KernelRegularizer].
//
// The layers are Axon's: Dense, Bilinear, Embedding, Bias; Conv,
// ConvTranspose, DepthwiseConv, SeparableConv2D/3D; MaxPool, AvgPool, LPPool,
// their Adaptive and Global forms; BatchNorm, LayerNorm, GroupNorm,
// InstanceNorm, RMSNorm; Dropout, AlphaDropout, FeatureAlphaDropout,
// SpatialDropout; LSTM, GRU and ConvLSTM (Static or Dynamic unrolling, Mask),
// Bidirectional; and Flatten, Reshape, Transpose, Pad, Add, Subtract,
// Multiply, Concatenate, Stack, Split, Cond, Container. Tensors with spatial
// axes are channels-first, [batch][channels][spatial...], as nx.Conv and
// scidata lay them out. [Layer] makes custom layers whose parameters
// ([Param]) are created with the model; [Node.Nx] wraps a function without
// parameters.
//
// # Build, init, predict
//
// [Node.Build] turns a model into two pure functions over nx tensors: init
// makes a [ModelState] (the parameters, keyed by layer and parameter name, and
// the layers' state such as batch normalization statistics), predict runs the
// model in inference mode. [Node.BuildTrain] runs it in training mode (dropout
// active, batch statistics). Both are ordinary nx code, so they run eagerly,
// under nx.Jit and under nx.Grad. A model with several inputs is fed a
// map[string]*nx.Tensor keyed by input name; a [Container] model returns a map
// of outputs ([Node.BuildContainer]). [Node.Summary] describes a model as
// Axon.Display does, a table of its layers with their output shapes and
// parameters: fmt.Println(model.Summary()).
//
// # Training
//
// [Trainer] returns a loop that minimizes a loss (package losses) with an
// optimizer (package optim); each iteration — forward pass, gradient,
// optimizer update, metrics (package metrics, folded over the epoch by
// metrics.RunningAverage or another Accumulator) — is one call of a function
// compiled with nx.Jit. Loops report running metrics, run handlers at events
// ([OnEvent]), validate ([Validation]), save checkpoints ([Checkpoint]), stop
// early ([EarlyStopping]), lower the learning rate on plateaus
// ([ReduceLROnPlateau]), start from a given state, stop cleanly when their
// context is cancelled, and draw a progress bar on a terminal. [Evaluator]
// measures a model on a dataset.
//
// # Saving
//
// [Save] and [SaveFile] write a ModelState as safetensors, the format PyTorch
// and Hugging Face tools read (tensors named "layer.param"); [Load] and
// [LoadFile] read it back.
//
// Misuse — a shape that does not fit a layer, an option a layer does not take —
// panics with an *nx.Error naming the layer, as nx does; the loops recover such
// panics into errors.
package axon
