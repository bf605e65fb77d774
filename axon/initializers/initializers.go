// Package initializers makes the starting values of a model's parameters, after
// Axon.Initializers.
//
// An [Initializer] is a function of a random key, a shape and a type. Those that
// draw random numbers use the key with the random package's *Split functions,
// so the same key always gives the same values. Variance-scaling initializers
// (Glorot, He, LeCun) size their distribution from the parameter's fans:
//
//   - a scalar has fans (1, 1), a vector of n elements (n, n);
//   - a matrix [in][out] — a dense kernel — has fan-in in and fan-out out;
//   - a tensor of rank 3 or more is a convolution kernel in nx.Conv's layout
//     [out][in][spatial...]: fan-in is in times the receptive field (the
//     product of the spatial sizes) and fan-out is out times it.
//
// (Axon keeps convolution kernels channels-last, {spatial..., in, out}; gonx
// follows nx.Conv and PyTorch, so the fans are the same numbers read from other
// axes.)
package initializers

import (
	"fmt"
	"math"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/linalg"
	"github.com/gonx-dev/gonx/nx/random"
)

// Initializer returns a new tensor of the given shape and type, drawing any
// random numbers it needs with key.
type Initializer func(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor

// Zeros returns the initializer that fills with 0.
func Zeros() Initializer { return Full(0) }

// Ones returns the initializer that fills with 1.
func Ones() Initializer { return Full(1) }

// Full returns the initializer that fills with v (Axon's full: a constant).
func Full(v float64) Initializer {
	return func(_ *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
		return nx.Full(v, dt, shape...)
	}
}

// Identity returns the initializer that makes an identity matrix (ones on the
// main diagonal); the shape must have rank 2.
func Identity() Initializer {
	return func(_ *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
		if len(shape) != 2 {
			panic(&nx.Error{Op: "initializers.Identity", Msg: fmt.Sprintf("shape %v: want a matrix (rank 2)", []int(shape))})
		}
		return nx.Eye(dt, shape...)
	}
}

// Uniform returns the initializer that draws uniformly from [-scale, scale)
// (Axon's default scale is 0.01).
func Uniform(scale float64) Initializer {
	return func(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
		return random.UniformSplit(key, -scale, scale, shape, dt)
	}
}

// Normal returns the initializer that draws from a normal distribution with
// the given mean and standard deviation (Axon's defaults are 0 and 0.01).
func Normal(mean, scale float64) Initializer {
	return func(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
		return random.NormalSplit(key, mean, scale, shape, dt)
	}
}

// TruncatedNormal returns the initializer that draws from a normal distribution
// with mean 0 and standard deviation scale, truncated to two standard
// deviations.
func TruncatedNormal(scale float64) Initializer {
	return func(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
		return nx.Multiply(truncated(key, shape, dt), nx.Number(scale))
	}
}

// Mode is the fan a variance-scaling initializer divides its scale by.
type Mode int

// The modes.
const (
	FanIn  Mode = iota // the number of inputs
	FanOut             // the number of outputs
	FanAvg             // the mean of the two
)

// Distribution is the distribution a variance-scaling initializer draws from.
type Distribution int

// The distributions.
const (
	NormalDist          Distribution = iota // normal, standard deviation √variance
	TruncatedNormalDist                     // normal truncated to ±2σ, rescaled to keep the variance
	UniformDist                             // uniform on ±√(3·variance)
)

// VarianceScaling returns the initializer whose values have variance
// scale / fan, with the fan chosen by mode (see the package documentation for
// how fans are counted), drawn from dist.
func VarianceScaling(scale float64, mode Mode, dist Distribution) Initializer {
	return func(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
		in, out := Fans(shape)
		var fan float64
		switch mode {
		case FanIn:
			fan = in
		case FanOut:
			fan = out
		default:
			fan = (in + out) / 2
		}
		variance := scale / math.Max(fan, 1)
		switch dist {
		case UniformDist:
			limit := math.Sqrt(3 * variance)
			return random.UniformSplit(key, -limit, limit, shape, dt)
		case TruncatedNormalDist:
			// 0.8796... is the standard deviation of a standard normal
			// truncated to [-2, 2].
			sigma := math.Sqrt(variance) / 0.87962566103423978
			return nx.Multiply(truncated(key, shape, dt), nx.Number(sigma))
		default:
			return random.NormalSplit(key, 0, math.Sqrt(variance), shape, dt)
		}
	}
}

// truncated draws standard normal values truncated to [-2, 2] by inverting the
// distribution function of uniform values, as Axon does.
func truncated(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
	a, b := math.Erf(-2/math.Sqrt2), math.Erf(2/math.Sqrt2)
	u := random.UniformSplit(key, a, b, shape, dt)
	out := nx.Multiply(nx.ErfInv(u), nx.Number(math.Sqrt2))
	return nx.Clip(out, nx.Number(-2.0), nx.Number(2.0))
}

// Fans returns the fan-in and fan-out of a parameter of the given shape (see
// the package documentation).
func Fans(shape nx.Shape) (in, out float64) {
	switch len(shape) {
	case 0:
		return 1, 1
	case 1:
		return float64(shape[0]), float64(shape[0])
	case 2:
		return float64(shape[0]), float64(shape[1])
	}
	field := 1
	for _, d := range shape[2:] {
		field *= d
	}
	return float64(shape[1] * field), float64(shape[0] * field)
}

// LecunUniform returns VarianceScaling(1, FanIn, UniformDist).
func LecunUniform() Initializer { return VarianceScaling(1, FanIn, UniformDist) }

// LecunNormal returns VarianceScaling(1, FanIn, TruncatedNormalDist).
func LecunNormal() Initializer { return VarianceScaling(1, FanIn, TruncatedNormalDist) }

// GlorotUniform returns VarianceScaling(1, FanAvg, UniformDist), Axon's default
// for kernels: uniform on ±√(6 / (fan_in + fan_out)).
func GlorotUniform() Initializer { return VarianceScaling(1, FanAvg, UniformDist) }

// GlorotNormal returns VarianceScaling(1, FanAvg, TruncatedNormalDist).
func GlorotNormal() Initializer { return VarianceScaling(1, FanAvg, TruncatedNormalDist) }

// HeUniform returns VarianceScaling(2, FanIn, UniformDist).
func HeUniform() Initializer { return VarianceScaling(2, FanIn, UniformDist) }

// HeNormal returns VarianceScaling(2, FanIn, TruncatedNormalDist).
func HeNormal() Initializer { return VarianceScaling(2, FanIn, TruncatedNormalDist) }

// Orthogonal returns the initializer that makes (semi-)orthogonal matrices: the
// Q factor of the QR decomposition of a square matrix of standard normal
// values, cut to the shape. A shape of rank above 2 is treated as the matrix
// [product of all but the last axis][last axis] and reshaped back.
func Orthogonal() Initializer {
	return func(key *nx.Tensor, shape nx.Shape, dt nx.DType) *nx.Tensor {
		if len(shape) < 2 {
			panic(&nx.Error{Op: "initializers.Orthogonal", Msg: fmt.Sprintf("shape %v: want rank 2 or more", []int(shape))})
		}
		n := shape[len(shape)-1]
		m := shape.Size() / max(n, 1)
		k := max(m, n)
		seed := random.NormalSplit(key, 0, 1, nx.Shape{k, k}, nx.F64)
		q, _ := linalg.QR(seed)
		return nx.AsType(nx.Reshape(nx.Slice(q, []int{0, 0}, []int{m, n}), shape...), dt)
	}
}

// names maps Axon's initializer names to constructors with Axon's defaults.
var names = map[string]func() Initializer{
	"zeros": Zeros, "ones": Ones, "identity": Identity,
	"uniform":       func() Initializer { return Uniform(0.01) },
	"normal":        func() Initializer { return Normal(0, 0.01) },
	"lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
	"glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
	"he_uniform": HeUniform, "he_normal": HeNormal, "orthogonal": Orthogonal,
}

// ByName returns the initializer Axon calls name ("glorot_uniform", "zeros",
// ...) with Axon's default options, and whether there is one.
func ByName(name string) (Initializer, bool) {
	f, ok := names[name]
	if !ok {
		return nil, false
	}
	return f(), true
}
