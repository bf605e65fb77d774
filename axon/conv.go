package axon

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

// Convolutions work on channels-first tensors, [batch][channels][spatial...],
// as nx.Conv and scidata's images are laid out; kernels are
// [out_channels][in_channels/groups][spatial...].

// KernelSize sets a convolution's (or pooling window's) size per spatial axis
// when it is not the same on every axis.
func KernelSize(sizes ...int) Option {
	return opt("KernelSize", func(c *config) { c.kernelSize = sizes })
}

// spatialRank returns the number of spatial axes of a channels-first shape,
// panicking unless there is at least one.
func spatialRank(op string, s nx.Shape) int {
	if len(s) < 3 {
		panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("input shape %v: want [batch][channels][spatial...] (rank 3 or more)", []int(s))})
	}
	return len(s) - 2
}

// convOptions returns the nx options of a convolution from the layer's
// configuration, for n spatial axes.
func convOptions(op string, c *config, n int) []nx.Option {
	o := []nx.Option{nx.Strides(spatial(op, c.strides, n, 1)...), nx.Padded(c.padding),
		nx.KernelDilation(spatial(op, c.kernelDil, n, 1)...)}
	if c.inputDil != nil {
		o = append(o, nx.InputDilation(spatial(op, c.inputDil, n, 1)...))
	}
	return o
}

var convAccepts = []string{"KernelInit", "BiasInit", "NoBias", "KernelRegularizer", "BiasRegularizer",
	"Strides", "Padding", "KernelDilation", "InputDilation", "KernelSize", "Groups"}

// Conv returns a convolution of n with filters output channels and a kernel of
// size kernel along each spatial axis (KernelSize for different sizes), plus
// a bias per filter. Options: an activation, Name, Strides, a padding (nx.Valid,
// the default, nx.Same or nx.Pads), KernelDilation, InputDilation, Groups
// (grouped convolution), KernelInit, BiasInit, NoBias, KernelRegularizer,
// BiasRegularizer.
func (n *Node) Conv(filters, kernel int, opts ...Option) *Node {
	const op = "conv"
	c := configure(op, opts, convAccepts...)
	groups := c.groups
	kshape := func(in ...nx.Shape) nx.Shape {
		r := spatialRank(op, in[0])
		if in[0][1]%groups != 0 || filters%groups != 0 {
			panic(&nx.Error{Op: "axon.Conv", Msg: fmt.Sprintf("%d input channels and %d filters do not split into %d groups", in[0][1], filters, groups)})
		}
		return append(nx.Shape{filters, in[0][1] / groups}, kernelSizes(op, c, kernel, r)...)
	}
	params := withBias(c, []*Parameter{kernelParam(c, kshape)}, FixedShape(filters))
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := call.Input(0)
		o := append(convOptions(op, c, x.Rank()-2), nx.FeatureGroups(groups))
		return bias(call, nx.Conv(floating(x), call.Param("kernel"), o...), 1)
	}, []*Node{n}, params...)
}

// kernelSizes returns the kernel's spatial sizes: KernelSize's, or kernel on
// every axis.
func kernelSizes(op string, c *config, kernel, rank int) []int {
	if c.kernelSize != nil {
		return spatial(op, c.kernelSize, rank, kernel)
	}
	return spatial(op, []int{kernel}, rank, kernel)
}

// ConvTranspose returns a transposed convolution (sometimes called a
// deconvolution) of n, as Axon's conv_transpose: a convolution of n spread out
// by the strides (input dilation), so that the output grows by the strides.
// With nx.Valid each spatial size becomes in·stride + max(kernel - stride, 0);
// with nx.Same, in·stride. The kernel is [filters][in_channels][spatial...].
// Options as Conv but InputDilation and Groups.
func (n *Node) ConvTranspose(filters, kernel int, opts ...Option) *Node {
	const op = "conv_transpose"
	c := configure(op, opts, "KernelInit", "BiasInit", "NoBias", "KernelRegularizer", "BiasRegularizer",
		"Strides", "Padding", "KernelDilation", "KernelSize")
	kshape := func(in ...nx.Shape) nx.Shape {
		r := spatialRank(op, in[0])
		return append(nx.Shape{filters, in[0][1]}, kernelSizes(op, c, kernel, r)...)
	}
	params := withBias(c, []*Parameter{kernelParam(c, kshape)}, FixedShape(filters))
	return layer(op, c, func(call *Call) *nx.Tensor {
		x, k := floating(call.Input(0)), call.Param("kernel")
		r := x.Rank() - 2
		strides := spatial(op, c.strides, r, 1)
		dil := spatial(op, c.kernelDil, r, 1)
		pads := c.padding
		if c.padKind != padExplicit {
			pairs := make([][2]int, r)
			for i := range pairs {
				eff := (k.Axis(i+2)-1)*dil[i] + 1
				s := strides[i]
				if c.padKind == padValid {
					total := eff + s - 2 + max(eff-s, 0)
					pairs[i] = [2]int{eff - 1, total - (eff - 1)}
				} else {
					total := eff + s - 2
					lo := (total + 1) / 2
					if s > eff-1 {
						lo = eff - 1
					}
					pairs[i] = [2]int{lo, total - lo}
				}
			}
			pads = nx.Pads(pairs...)
		}
		out := nx.Conv(x, k, nx.Padded(pads), nx.InputDilation(strides...), nx.KernelDilation(dil...))
		return bias(call, out, 1)
	}, []*Node{n}, params...)
}

// DepthwiseConv returns a depthwise convolution of n: each input channel is
// convolved with its own ChannelMultiplier filters (default 1), giving
// in_channels·multiplier outputs. The kernel is [in·multiplier][1][spatial...].
// Options as Conv but Groups, plus ChannelMultiplier.
func (n *Node) DepthwiseConv(kernel int, opts ...Option) *Node {
	const op = "depthwise_conv"
	c := configure(op, opts, "KernelInit", "BiasInit", "NoBias", "KernelRegularizer", "BiasRegularizer",
		"Strides", "Padding", "KernelDilation", "InputDilation", "KernelSize", "ChannelMultiplier")
	m := c.multiplier
	kshape := func(in ...nx.Shape) nx.Shape {
		r := spatialRank(op, in[0])
		return append(nx.Shape{in[0][1] * m, 1}, kernelSizes(op, c, kernel, r)...)
	}
	params := withBias(c, []*Parameter{kernelParam(c, kshape)}, func(in ...nx.Shape) nx.Shape { return nx.Shape{in[0][1] * m} })
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := floating(call.Input(0))
		o := append(convOptions(op, c, x.Rank()-2), nx.FeatureGroups(x.Axis(1)))
		return bias(call, nx.Conv(x, call.Param("kernel"), o...), 1)
	}, []*Node{n}, params...)
}

// SeparableConv2D returns Axon's spatially separable depthwise convolution of
// a 2-d input: a depthwise convolution with a kernel×1 window (and
// ChannelMultiplier) followed by one with a 1×kernel window, parameters
// kernel_1, bias_1, kernel_2, bias_2. Options as DepthwiseConv.
func (n *Node) SeparableConv2D(kernel int, opts ...Option) *Node {
	return separable(n, "separable_conv2d", 2, kernel, opts)
}

// SeparableConv3D is SeparableConv2D for 3-d inputs: three depthwise
// convolutions along each spatial axis in turn.
func (n *Node) SeparableConv3D(kernel int, opts ...Option) *Node {
	return separable(n, "separable_conv3d", 3, kernel, opts)
}

func separable(n *Node, op string, rank, kernel int, opts []Option) *Node {
	c := configure(op, opts, "KernelInit", "BiasInit", "NoBias", "KernelRegularizer", "BiasRegularizer",
		"Strides", "Padding", "KernelDilation", "InputDilation", "KernelSize", "ChannelMultiplier")
	m := c.multiplier
	sizes := kernelSizes(op, c, kernel, rank)
	var params []*Parameter
	for i := 1; i <= rank; i++ {
		axis := i - 1
		k := kernelParam(c, func(in ...nx.Shape) nx.Shape {
			if spatialRank(op, in[0]) != rank {
				panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("input shape %v: want %d spatial axes", []int(in[0]), rank)})
			}
			s := nx.Shape{in[0][1] * m, 1}
			for a := 0; a < rank; a++ {
				if a == axis {
					s = append(s, sizes[a])
				} else {
					s = append(s, 1)
				}
			}
			return s
		})
		k.name = fmt.Sprintf("kernel_%d", i)
		params = append(params, k)
		if !c.noBias {
			b := biasParam(c, func(in ...nx.Shape) nx.Shape { return nx.Shape{in[0][1] * m} })
			b.name = fmt.Sprintf("bias_%d", i)
			params = append(params, b)
		}
	}
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := floating(call.Input(0))
		for i := 1; i <= rank; i++ {
			o := append(convOptions(op, c, rank), nx.FeatureGroups(x.Axis(1)))
			x = nx.Conv(x, call.Param(fmt.Sprintf("kernel_%d", i)), o...)
			if b, ok := call.params[fmt.Sprintf("bias_%d", i)]; ok {
				x = nx.Add(x, nx.Reshape(b, append([]int{b.Size()}, ones(rank)...)...))
			}
		}
		return x
	}, []*Node{n}, params...)
}

func ones(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = 1
	}
	return out
}
