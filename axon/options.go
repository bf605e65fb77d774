package axon

import (
	"fmt"
	"reflect"

	"github.com/gonx-dev/gonx/axon/initializers"
	"github.com/gonx-dev/gonx/nx"
)

// Option configures a layer. The layer functions and methods take a list of
// options, each one of:
//
//   - an activation to apply to the layer's output: an [Activation], any
//     func(*nx.Tensor) *nx.Tensor such as axon.ReLU, or the name of a built-in
//     activation ("relu", "softmax", ...);
//   - a padding, nx.Valid, nx.Same or nx.Pads(...), for convolutions and
//     pooling;
//   - an [Unroll], Static or Dynamic, for recurrent layers;
//   - a value from this package's option functions: [Name], [KernelInit],
//     [BiasInit], [NoBias], [KernelRegularizer], [Strides], [Epsilon] ...
//
// A layer given an option it does not use panics with an *nx.Error naming the
// layer, when the model is put together rather than when it is trained.
type Option any

// layerOption is an option made by one of the option functions; name is what
// the option is called in messages.
type layerOption struct {
	name string
	set  func(*config)
}

// config collects every setting a layer may read.
type config struct {
	given map[string]bool

	name          string
	activation    Activation
	kernelInit    initializers.Initializer
	biasInit      initializers.Initializer
	recurrentInit initializers.Initializer
	noBias        bool
	kernelReg     Regularizer
	biasReg       Regularizer
	strides       []int
	padding       nx.Padding
	padKind       int
	kernelDil     []int
	inputDil      []int
	epsilon       float64
	momentum      float64
	axis          int
	groups        int
	unroll        Unroll
	gate          Activation
	multiplier    int
	power         float64
	dtype         nx.DType
	frozen        bool
	mask          *Node
	kernelSize    []int
	keepAxes      bool
}

// The kinds of padding.
const (
	padValid = iota
	padSame
	padExplicit
)

func opt(name string, set func(*config)) layerOption { return layerOption{name, set} }

// Name sets a layer's name, the key of its parameters in a ModelState. Without
// it a layer is named after its operation and its position among layers of the
// same operation, as Axon does: "dense_0", "dense_1", "conv_0" ...
func Name(name string) Option { return opt("Name", func(c *config) { c.name = name }) }

// KernelInit sets the initializer of a layer's kernel (default
// initializers.GlorotUniform).
func KernelInit(i initializers.Initializer) Option {
	return opt("KernelInit", func(c *config) { c.kernelInit = i })
}

// BiasInit sets the initializer of a layer's bias (default initializers.Zeros).
func BiasInit(i initializers.Initializer) Option {
	return opt("BiasInit", func(c *config) { c.biasInit = i })
}

// RecurrentInit sets the initializer of a recurrent layer's hidden kernel
// (default initializers.Orthogonal).
func RecurrentInit(i initializers.Initializer) Option {
	return opt("RecurrentInit", func(c *config) { c.recurrentInit = i })
}

// NoBias leaves out a layer's bias.
func NoBias() Option { return opt("NoBias", func(c *config) { c.noBias = true }) }

// KernelRegularizer adds reg's penalty on the layer's kernel to the training
// loss.
func KernelRegularizer(reg Regularizer) Option {
	return opt("KernelRegularizer", func(c *config) { c.kernelReg = reg })
}

// BiasRegularizer adds reg's penalty on the layer's bias to the training loss.
func BiasRegularizer(reg Regularizer) Option {
	return opt("BiasRegularizer", func(c *config) { c.biasReg = reg })
}

// Strides sets the step of a convolution or pooling window along each spatial
// axis (one value for all axes).
func Strides(s ...int) Option { return opt("Strides", func(c *config) { c.strides = s }) }

// KernelDilation spreads a convolution kernel's elements (or a pooling
// window's) this far apart along each spatial axis (one value for all axes).
func KernelDilation(d ...int) Option {
	return opt("KernelDilation", func(c *config) { c.kernelDil = d })
}

// InputDilation spreads a convolution's input elements this far apart.
func InputDilation(d ...int) Option {
	return opt("InputDilation", func(c *config) { c.inputDil = d })
}

// Epsilon sets the small number a normalization adds to the variance (default
// 1e-5) or an LP pooling's norm.
func Epsilon(e float64) Option { return opt("Epsilon", func(c *config) { c.epsilon = e }) }

// Momentum sets how much of the running statistics of a batch normalization a
// training step keeps (default 0.1 of the new batch, as Axon: running =
// momentum·batch + (1-momentum)·running).
func Momentum(m float64) Option { return opt("Momentum", func(c *config) { c.momentum = m }) }

// Axis sets the axis a layer works along: the feature axis of a normalization
// (default 1, the channels, for batch and instance normalization, -1 for layer
// and RMS normalization) or the axis of a join (default -1).
func Axis(a int) Option { return opt("Axis", func(c *config) { c.axis = a }) }

// Groups sets the number of groups of a group normalization or of a grouped
// convolution.
func Groups(n int) Option { return opt("Groups", func(c *config) { c.groups = n }) }

// ChannelMultiplier sets how many output channels a depthwise convolution makes
// per input channel (default 1).
func ChannelMultiplier(n int) Option {
	return opt("ChannelMultiplier", func(c *config) { c.multiplier = n })
}

// Norm sets the power p of an LP pooling (default 2).
func Norm(p float64) Option { return opt("Norm", func(c *config) { c.power = p }) }

// ParamType sets the type of a layer's parameters (default f32).
func ParamType(dt nx.DType) Option { return opt("ParamType", func(c *config) { c.dtype = dt }) }

// Frozen makes the layer's parameters frozen from the start: training leaves
// them unchanged (see ModelState.Unfreeze).
func Frozen() Option { return opt("Frozen", func(c *config) { c.frozen = true }) }

// GateActivation sets the activation of a recurrent layer's gates (default
// Sigmoid); the plain activation option sets the candidate's (default Tanh).
func GateActivation(a Activation) Option {
	return opt("GateActivation", func(c *config) { c.gate = a })
}

// Mask gives a recurrent layer a mask of shape [batch][time]: at steps where it
// is 0 the layer keeps its previous state and outputs zeros (see
// [Node.Mask] to make one from padded token ids).
func Mask(mask *Node) Option { return opt("Mask", func(c *config) { c.mask = mask }) }

// configure applies opts for the layer op, which accepts the options named in
// accepts (activations and Name are accepted everywhere).
func configure(op string, opts []Option, accepts ...string) *config {
	c := &config{given: map[string]bool{}, padding: nx.Valid, epsilon: 1e-5, momentum: 0.1,
		axis: -1, groups: 1, multiplier: 1, power: 2, dtype: nx.F32}
	allowed := map[string]bool{"Name": true, "Activation": true, "Frozen": true, "ParamType": true}
	for _, a := range accepts {
		allowed[a] = true
	}
	for _, o := range opts {
		name, apply := optionOf(op, o)
		if name == "" {
			continue
		}
		if !allowed[name] {
			panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("the option %s does not apply to this layer", name)})
		}
		c.given[name] = true
		apply(c)
	}
	return c
}

// optionOf classifies one option value.
func optionOf(op string, o Option) (string, func(*config)) {
	switch v := o.(type) {
	case nil:
		return "", nil
	case layerOption:
		return v.name, v.set
	case Activation:
		return "Activation", func(c *config) { c.activation = v }
	case func(*nx.Tensor) *nx.Tensor:
		return "Activation", func(c *config) { c.activation = v }
	case string:
		a, ok := ActivationByName(v)
		if !ok {
			panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("no activation named %q (see ActivationNames)", v)})
		}
		return "Activation", func(c *config) { c.activation = a }
	case nx.Padding:
		kind := padExplicit
		switch {
		case reflect.DeepEqual(v, nx.Valid):
			kind = padValid
		case reflect.DeepEqual(v, nx.Same):
			kind = padSame
		}
		return "Padding", func(c *config) { c.padding, c.padKind = v, kind }
	case Unroll:
		return "Unroll", func(c *config) { c.unroll = v }
	}
	panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("an option of type %s: want an activation, a padding or a value of an axon option function", reflect.TypeOf(o))})
}

// spatial expands a per-axis setting given as one value (or none) to n values.
func spatial(op string, vals []int, n, def int) []int {
	switch len(vals) {
	case 0:
		out := make([]int, n)
		for i := range out {
			out[i] = def
		}
		return out
	case 1:
		out := make([]int, n)
		for i := range out {
			out[i] = vals[0]
		}
		return out
	case n:
		return vals
	}
	panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("%v: want one value or one per spatial axis (%d)", vals, n)})
}
