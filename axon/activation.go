package axon

import (
	"math"
	"reflect"
	"slices"

	"github.com/gonx-dev/gonx/nx"
)

// Activation is an elementwise (or, for Softmax and LogSoftmax, last-axis)
// function applied to a layer's output. Every function in this file is one.
type Activation func(x *nx.Tensor) *nx.Tensor

// like returns v as a weak scalar that takes x's type in binary operations.
func like(v float64) *nx.Tensor { return nx.Number(v) }

// floating returns x converted to a float type (integers become f32).
func floating(x *nx.Tensor) *nx.Tensor { return nx.AsType(x, nx.FloatOf(x.DType())) }

// Linear returns x unchanged (the identity activation).
func Linear(x *nx.Tensor) *nx.Tensor { return x }

// ReLU returns max(x, 0).
func ReLU(x *nx.Tensor) *nx.Tensor { return nx.Max(x, like(0)) }

// ReLU6 returns min(max(x, 0), 6).
func ReLU6(x *nx.Tensor) *nx.Tensor { return nx.Clip(x, like(0), like(6)) }

// LeakyReLU returns x for x > 0 and 0.01·x otherwise.
func LeakyReLU(x *nx.Tensor) *nx.Tensor { return LeakyReLUWith(0.01)(x) }

// LeakyReLUWith returns the leaky ReLU with the given negative slope.
func LeakyReLUWith(alpha float64) Activation {
	return func(x *nx.Tensor) *nx.Tensor {
		x = floating(x)
		return nx.Select(nx.Greater(x, like(0)), x, nx.Multiply(x, like(alpha)))
	}
}

// Sigmoid returns 1 / (1 + e^-x).
func Sigmoid(x *nx.Tensor) *nx.Tensor { return nx.Sigmoid(x) }

// Tanh returns the hyperbolic tangent of x.
func Tanh(x *nx.Tensor) *nx.Tensor { return nx.Tanh(x) }

// Exp returns e^x.
func Exp(x *nx.Tensor) *nx.Tensor { return nx.Exp(x) }

// Softplus returns log(1 + e^x), computed without overflow.
func Softplus(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	// log(1 + e^x) = max(x, 0) + log1p(e^-|x|)
	return nx.Add(nx.Max(x, like(0)), nx.Log1p(nx.Exp(nx.Negate(nx.Abs(x)))))
}

// Softsign returns x / (1 + |x|).
func Softsign(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	return nx.Divide(x, nx.Add(nx.Abs(x), like(1)))
}

// SiLU returns x·sigmoid(x) (also called swish).
func SiLU(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	return nx.Multiply(x, nx.Sigmoid(x))
}

// HardSigmoid returns max(0, min(1, 0.2·x + 0.5)), Axon's defaults.
func HardSigmoid(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	return nx.Clip(nx.Add(nx.Multiply(x, like(0.2)), like(0.5)), like(0), like(1))
}

// HardSiLU returns x·HardSigmoid(x).
func HardSiLU(x *nx.Tensor) *nx.Tensor { return nx.Multiply(floating(x), HardSigmoid(x)) }

// HardTanh returns x clipped to [-1, 1].
func HardTanh(x *nx.Tensor) *nx.Tensor { return nx.Clip(x, like(-1), like(1)) }

// ELU returns x for x > 0 and e^x - 1 otherwise.
func ELU(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	return nx.Select(nx.Greater(x, like(0)), x, nx.Expm1(x))
}

// CELU returns max(0, x) + min(0, e^x - 1), the continuously differentiable ELU
// with alpha 1.
func CELU(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	return nx.Add(nx.Max(x, like(0)), nx.Min(nx.Expm1(x), like(0)))
}

// SELU constants (Klambauer et al., 2017).
const (
	seluAlpha = 1.6732632423543772848170429916717
	seluScale = 1.0507009873554804934193349852946
)

// SELU returns scale·(x for x > 0, alpha·(e^x - 1) otherwise).
func SELU(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	neg := nx.Multiply(nx.Expm1(x), like(seluAlpha))
	return nx.Multiply(nx.Select(nx.Greater(x, like(0)), x, neg), like(seluScale))
}

// GELU returns x·Φ(x), with Φ the standard normal distribution function.
func GELU(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	phi := nx.Multiply(nx.Add(nx.Erf(nx.Multiply(x, like(1/math.Sqrt2))), like(1)), like(0.5))
	return nx.Multiply(x, phi)
}

// Mish returns x·tanh(softplus(x)).
func Mish(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	return nx.Multiply(x, nx.Tanh(Softplus(x)))
}

// LogSigmoid returns log(sigmoid(x)) = -softplus(-x).
func LogSigmoid(x *nx.Tensor) *nx.Tensor { return nx.Negate(Softplus(nx.Negate(floating(x)))) }

// Softmax returns e^x / Σ e^x over the last axis, computed stably.
func Softmax(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	last := nx.Axes(-1)
	e := nx.Exp(nx.Subtract(x, nx.ReduceMax(x, last, nx.KeepAxes())))
	return nx.Divide(e, nx.Sum(e, last, nx.KeepAxes()))
}

// LogSoftmax returns log(Softmax(x)) over the last axis, computed stably.
func LogSoftmax(x *nx.Tensor) *nx.Tensor {
	x = floating(x)
	return nx.Subtract(x, nx.LogSumExp(x, nx.Axes(-1), nx.KeepAxes()))
}

// LogSumExp returns log(Σ e^x) over the last axis, keeping it as size 1.
func LogSumExp(x *nx.Tensor) *nx.Tensor {
	return nx.LogSumExp(floating(x), nx.Axes(-1), nx.KeepAxes())
}

// activations maps Axon's activation names to their functions.
var activations = map[string]Activation{
	"celu": CELU, "elu": ELU, "exp": Exp, "gelu": GELU, "hard_sigmoid": HardSigmoid,
	"hard_silu": HardSiLU, "hard_tanh": HardTanh, "leaky_relu": LeakyReLU, "linear": Linear,
	"log_sumexp": LogSumExp, "log_sigmoid": LogSigmoid, "log_softmax": LogSoftmax, "mish": Mish,
	"relu": ReLU, "relu6": ReLU6, "selu": SELU, "sigmoid": Sigmoid, "silu": SiLU,
	"softmax": Softmax, "softplus": Softplus, "softsign": Softsign, "tanh": Tanh,
}

// ActivationByName returns the activation Axon calls name ("relu", "gelu",
// "log_softmax", ...) and whether there is one.
func ActivationByName(name string) (Activation, bool) {
	a, ok := activations[name]
	return a, ok
}

// activationName returns the name of a built-in activation, or "" for any
// other function.
func activationName(act Activation) string {
	if act == nil {
		return ""
	}
	pc := reflect.ValueOf(act).Pointer()
	for name, a := range activations {
		if reflect.ValueOf(a).Pointer() == pc {
			return name
		}
	}
	return ""
}

// ActivationNames returns the names of the built-in activations, sorted.
func ActivationNames() []string {
	names := make([]string, 0, len(activations))
	for n := range activations {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
