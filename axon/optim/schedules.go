package optim

import (
	"math"

	"github.com/gonx-dev/gonx/nx"
)

// Schedule returns the learning rate (an f32 scalar) for a step, an integer
// scalar counting the optimizer's updates from 0. Schedules are nx code, so
// they run inside compiled training steps.
type Schedule func(step *nx.Tensor) *nx.Tensor

// stepF32 returns step as an f32 scalar.
func stepF32(step *nx.Tensor) *nx.Tensor { return nx.AsType(step, nx.F32) }

// Constant returns the schedule that is always v.
func Constant(v float64) Schedule {
	return func(*nx.Tensor) *nx.Tensor { return nx.Scalar(float32(v)) }
}

// ExponentialDecay returns init·rate^((step - begin) / transitionSteps), and
// init before begin. Staircase rounds the exponent down.
func ExponentialDecay(init, rate float64, transitionSteps int, begin int, staircase bool) Schedule {
	return func(step *nx.Tensor) *nx.Tensor {
		t := nx.Subtract(stepF32(step), num(float64(begin)))
		p := nx.Divide(t, num(float64(max(transitionSteps, 1))))
		if staircase {
			p = nx.Floor(p)
		}
		decayed := nx.Multiply(nx.Pow(nx.Scalar(float32(rate)), p), num(init))
		return nx.Select(nx.LessEqual(t, num(0)), nx.Scalar(float32(init)), decayed)
	}
}

// CosineDecay returns init·((1-alpha)·(1 + cos(π·min(step, decaySteps) /
// decaySteps))/2 + alpha): from init down to alpha·init over decaySteps.
func CosineDecay(init float64, decaySteps int, alpha float64) Schedule {
	return func(step *nx.Tensor) *nx.Tensor {
		k := float64(max(decaySteps, 1))
		theta := nx.Multiply(nx.Divide(nx.Min(stepF32(step), num(k)), num(k)), num(math.Pi))
		c := nx.Multiply(nx.Divide(nx.Add(nx.Cos(theta), num(1)), num(2)), num(1-alpha))
		return nx.Multiply(nx.Add(c, num(alpha)), num(init))
	}
}

// PolynomialDecay returns (init - end)·(1 - t/transitionSteps)^power + end,
// with t = step - begin clipped to [0, transitionSteps].
func PolynomialDecay(init, end, power float64, transitionSteps, begin int) Schedule {
	return func(step *nx.Tensor) *nx.Tensor {
		k := float64(max(transitionSteps, 1))
		t := nx.Clip(nx.Subtract(stepF32(step), num(float64(begin))), num(0), num(k))
		frac := nx.Subtract(num(1), nx.Divide(t, num(k)))
		return nx.Add(nx.Multiply(nx.Pow(frac, num(power)), num(init-end)), num(end))
	}
}

// LinearDecay returns a schedule that rises linearly from 0 to init over
// warmup steps, then falls linearly to 0 at step steps.
func LinearDecay(init float64, warmup, steps int) Schedule {
	return func(step *nx.Tensor) *nx.Tensor {
		s := stepF32(step)
		up := nx.Divide(s, num(float64(max(1, warmup))))
		down := nx.Max(num(0), nx.Divide(nx.Subtract(num(float64(steps)), s), num(float64(max(1, steps-warmup)))))
		return nx.Multiply(nx.Select(nx.Less(s, num(float64(warmup))), up, down), num(init))
	}
}
