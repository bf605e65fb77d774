package axon

import (
	"fmt"
	"math"
	"reflect"

	"github.com/gonx-dev/gonx/nx"
)

// KeepAxes makes a global pooling keep the pooled axes with size 1.
func KeepAxes() Option { return opt("KeepAxes", func(c *config) { c.keepAxes = true }) }

// padPairs returns the (low, high) pairs of an explicit nx.Padding.
func padPairs(p nx.Padding) [][2]int {
	v := reflect.ValueOf(p).FieldByName("pairs")
	out := make([][2]int, v.Len())
	for i := range out {
		out[i] = [2]int{int(v.Index(i).Index(0).Int()), int(v.Index(i).Index(1).Int())}
	}
	return out
}

// windowOptions returns the nx window options of a pooling over the spatial
// axes of a tensor of the given rank, with window sizes window.
func windowOptions(op string, c *config, rank int, window []int) []nx.Option {
	r := rank - 2
	strides := append([]int{1, 1}, spatial(op, c.strides, r, 0)...)
	for i := 2; i < rank; i++ {
		if strides[i] == 0 {
			strides[i] = window[i-2] // the window's size, as Axon
		}
	}
	o := []nx.Option{nx.Strides(strides...), nx.WindowDilations(append([]int{1, 1}, spatial(op, c.kernelDil, r, 1)...)...)}
	switch c.padKind {
	case padSame:
		o = append(o, nx.Padded(nx.Same))
	case padExplicit:
		pairs := padPairs(c.padding)
		if len(pairs) != r {
			panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("%d padding pairs for %d spatial axes", len(pairs), r)})
		}
		o = append(o, nx.Padded(nx.Pads(append([][2]int{{0, 0}, {0, 0}}, pairs...)...)))
	}
	return o
}

var poolAccepts = []string{"Strides", "Padding", "KernelDilation", "KernelSize"}

// pool returns a pooling layer applying fn over windows of size kernel.
func pool(n *Node, op string, kernel int, opts []Option, fn func(x *nx.Tensor, dims []int, o []nx.Option, c *config) *nx.Tensor, extra ...string) *Node {
	c := configure(op, opts, append(poolAccepts, extra...)...)
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := call.Input(0)
		r := spatialRank(op, x.Shape())
		win := kernelSizes(op, c, kernel, r)
		dims := append([]int{1, 1}, win...)
		return fn(x, dims, windowOptions(op, c, x.Rank(), win), c)
	}, []*Node{n})
}

// MaxPool returns a max pooling of n ([batch][channels][spatial...]) over
// windows of size kernel (KernelSize for different sizes per axis), moving by
// Strides (default the window size). Options: Name, Strides, a padding,
// KernelDilation (window dilation), KernelSize.
func (n *Node) MaxPool(kernel int, opts ...Option) *Node {
	return pool(n, "max_pool", kernel, opts, func(x *nx.Tensor, dims []int, o []nx.Option, _ *config) *nx.Tensor {
		return nx.WindowMax(x, dims, o...)
	})
}

// AvgPool returns an average pooling of n (see MaxPool for the options);
// windows that overlap padding count it as zeros, as Axon and Nx do.
func (n *Node) AvgPool(kernel int, opts ...Option) *Node {
	return pool(n, "avg_pool", kernel, opts, func(x *nx.Tensor, dims []int, o []nx.Option, _ *config) *nx.Tensor {
		return nx.WindowMean(x, dims, o...)
	})
}

// LPPool returns a power-average pooling of n: (Σ |x|^p)^(1/p), the p-norm of each window,
// p set by Norm (default 2). Options as MaxPool, plus Norm.
func (n *Node) LPPool(kernel int, opts ...Option) *Node {
	return pool(n, "lp_pool", kernel, opts, func(x *nx.Tensor, dims []int, o []nx.Option, c *config) *nx.Tensor {
		x = floating(x)
		s := nx.WindowSum(nx.Pow(nx.Abs(x), nx.Number(c.power)), dims, o...)
		return nx.Pow(s, nx.Number(1/c.power))
	}, "Norm")
}

// adaptive returns a pooling to a fixed output size: along each spatial axis
// the stride is floor(in/out) and the window in - (out-1)·stride, as Axon.
func adaptive(n *Node, op string, outputSize []int, opts []Option, fn func(x *nx.Tensor, dims []int, o []nx.Option, c *config) *nx.Tensor, extra ...string) *Node {
	c := configure(op, opts, extra...)
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := call.Input(0)
		r := spatialRank(op, x.Shape())
		out := spatial(op, outputSize, r, 1)
		dims, strides := []int{1, 1}, []int{1, 1}
		for i := 0; i < r; i++ {
			in := x.Axis(i + 2)
			if out[i] < 1 || out[i] > in {
				panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("output size %v: want sizes between 1 and the input's spatial sizes %v", out, []int(x.Shape()[2:]))})
			}
			s := in / out[i]
			strides = append(strides, s)
			dims = append(dims, in-(out[i]-1)*s)
		}
		return fn(x, dims, []nx.Option{nx.Strides(strides...)}, c)
	}, []*Node{n})
}

// AdaptiveAvgPool returns an average pooling of n to the given spatial output
// size (one value for every axis, or one per axis). Options: Name.
func (n *Node) AdaptiveAvgPool(outputSize ...int) *Node {
	return n.AdaptiveAvgPoolWith(outputSize)
}

// AdaptiveAvgPoolWith is AdaptiveAvgPool with options.
func (n *Node) AdaptiveAvgPoolWith(outputSize []int, opts ...Option) *Node {
	return adaptive(n, "adaptive_avg_pool", outputSize, opts, func(x *nx.Tensor, dims []int, o []nx.Option, _ *config) *nx.Tensor {
		return nx.WindowMean(x, dims, o...)
	})
}

// AdaptiveMaxPool returns a max pooling of n to the given spatial output size.
func (n *Node) AdaptiveMaxPool(outputSize ...int) *Node {
	return n.AdaptiveMaxPoolWith(outputSize)
}

// AdaptiveMaxPoolWith is AdaptiveMaxPool with options.
func (n *Node) AdaptiveMaxPoolWith(outputSize []int, opts ...Option) *Node {
	return adaptive(n, "adaptive_max_pool", outputSize, opts, func(x *nx.Tensor, dims []int, o []nx.Option, _ *config) *nx.Tensor {
		return nx.WindowMax(x, dims, o...)
	})
}

// AdaptiveLPPool returns a power-average pooling of n to the given spatial
// output size. Options: Name, Norm.
func (n *Node) AdaptiveLPPool(outputSize []int, opts ...Option) *Node {
	return adaptive(n, "adaptive_lp_pool", outputSize, opts, func(x *nx.Tensor, dims []int, o []nx.Option, c *config) *nx.Tensor {
		x = floating(x)
		return nx.Pow(nx.WindowSum(nx.Pow(nx.Abs(x), nx.Number(c.power)), dims, o...), nx.Number(1/c.power))
	}, "Norm")
}

// global returns a pooling over every spatial axis.
func global(n *Node, op string, opts []Option, fn func(x *nx.Tensor, o []nx.Option, c *config) *nx.Tensor, extra ...string) *Node {
	c := configure(op, opts, append(extra, "KeepAxes")...)
	return layer(op, c, func(call *Call) *nx.Tensor {
		x := call.Input(0)
		r := spatialRank(op, x.Shape())
		axes := make([]int, r)
		for i := range axes {
			axes[i] = i + 2
		}
		o := []nx.Option{nx.Axes(axes...)}
		if c.keepAxes {
			o = append(o, nx.KeepAxes())
		}
		return fn(x, o, c)
	}, []*Node{n})
}

// GlobalAvgPool returns the mean of n over its spatial axes: [batch][channels]
// (with KeepAxes, [batch][channels][1...]). Options: Name, KeepAxes.
func (n *Node) GlobalAvgPool(opts ...Option) *Node {
	return global(n, "global_avg_pool", opts, func(x *nx.Tensor, o []nx.Option, _ *config) *nx.Tensor {
		return nx.Mean(x, o...)
	})
}

// GlobalMaxPool returns the maximum of n over its spatial axes. Options: Name,
// KeepAxes.
func (n *Node) GlobalMaxPool(opts ...Option) *Node {
	return global(n, "global_max_pool", opts, func(x *nx.Tensor, o []nx.Option, _ *config) *nx.Tensor {
		return nx.ReduceMax(x, o...)
	})
}

// GlobalLPPool returns the p-norm (Σ |x|^p)^(1/p) of n over its spatial axes. Options: Name,
// KeepAxes, Norm.
func (n *Node) GlobalLPPool(opts ...Option) *Node {
	return global(n, "global_lp_pool", opts, func(x *nx.Tensor, o []nx.Option, c *config) *nx.Tensor {
		x = floating(x)
		p := c.power
		if math.IsInf(p, 1) {
			return nx.ReduceMax(nx.Abs(x), o...)
		}
		return nx.Pow(nx.Sum(nx.Pow(nx.Abs(x), nx.Number(p)), o...), nx.Number(1/p))
	}, "Norm")
}
