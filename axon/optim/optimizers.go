package optim

import "github.com/gonx-dev/gonx/nx"

// Option configures an optimizer. Each optimizer documents the options it
// reads and their defaults (Polaris's).
type Option func(*config)

type config struct {
	schedule    Schedule
	b1, b2      float64
	eps         float64
	epsRoot     float64
	decay       float64
	momentum    float64
	hasMomentum bool
	nesterov    bool
	centered    bool
	initial     float64
	threshold   float64
	minNorm     float64
	eta, gamma  float64
	seed        int64
}

// WithSchedule makes the learning rate follow s instead of the constant given
// to the optimizer.
func WithSchedule(s Schedule) Option { return func(c *config) { c.schedule = s } }

// B1 sets the decay of the first moment.
func B1(b float64) Option { return func(c *config) { c.b1 = b } }

// B2 sets the decay of the second moment.
func B2(b float64) Option { return func(c *config) { c.b2 = b } }

// Eps sets the term added to the denominator for numerical stability.
func Eps(e float64) Option { return func(c *config) { c.eps = e } }

// EpsRoot sets the term added under the square root for numerical stability.
func EpsRoot(e float64) Option { return func(c *config) { c.epsRoot = e } }

// Decay sets the weight decay (AdamW, Lamb, Lion) or the moving-average decay
// (RMSProp).
func Decay(d float64) Option { return func(c *config) { c.decay = d } }

// Momentum adds momentum m to SGD or RMSProp.
func Momentum(m float64) Option { return func(c *config) { c.momentum, c.hasMomentum = m, true } }

// Nesterov makes momentum Nesterov's.
func Nesterov() Option { return func(c *config) { c.nesterov = true } }

// Centered makes RMSProp divide by the centered (variance) estimate.
func Centered() Option { return func(c *config) { c.centered = true } }

// Initial sets the initial value of an accumulator (Adagrad, RMSProp, Yogi).
func Initial(v float64) Option { return func(c *config) { c.initial = v } }

// Threshold sets RAdam's variance tractability threshold (default 5).
func Threshold(t float64) Option { return func(c *config) { c.threshold = t } }

// MinNorm sets Lamb's minimum norm (default 0).
func MinNorm(n float64) Option { return func(c *config) { c.minNorm = n } }

// Noise sets NoisySGD's noise: variance eta / (step+1)^gamma (defaults 0.01
// and 0.55) and the seed of its key.
func Noise(eta, gamma float64, seed int64) Option {
	return func(c *config) { c.eta, c.gamma, c.seed = eta, gamma, seed }
}

func newConfig(c config, opts []Option) *config {
	for _, o := range opts {
		o(&c)
	}
	return &c
}

// byLearningRate returns the final transform: scale by -lr or by -schedule.
func (c *config) byLearningRate(lr float64) Transform {
	if c.schedule != nil {
		s := c.schedule
		return ScaleBySchedule(func(step *nx.Tensor) *nx.Tensor { return nx.Negate(s(step)) })
	}
	return Scale(-lr)
}

// SGD returns stochastic gradient descent with learning rate lr. Options:
// Momentum, Nesterov, WithSchedule.
func SGD(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{}, opts)
	if c.hasMomentum {
		return Chain(Trace(c.momentum, c.nesterov), c.byLearningRate(lr))
	}
	return Chain(c.byLearningRate(lr))
}

// Adam returns Adam (Kingma and Ba, 2014) with learning rate lr. Options: B1
// (0.9), B2 (0.999), Eps (1e-8), EpsRoot (1e-15), WithSchedule.
func Adam(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{b1: 0.9, b2: 0.999, eps: 1e-8, epsRoot: 1e-15}, opts)
	return Chain(ScaleByAdam(c.b1, c.b2, c.eps, c.epsRoot), c.byLearningRate(lr))
}

// AdamW returns Adam with decoupled weight decay. Options: Decay (0), B1, B2,
// Eps, EpsRoot (0), WithSchedule.
func AdamW(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{b1: 0.9, b2: 0.999, eps: 1e-8}, opts)
	return Chain(ScaleByAdam(c.b1, c.b2, c.eps, c.epsRoot), AddDecayedWeights(c.decay), c.byLearningRate(lr))
}

// Adagrad returns Adagrad with learning rate lr. Options: Eps (1e-7), Initial
// (0.1), WithSchedule.
func Adagrad(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{eps: 1e-7, initial: 0.1}, opts)
	return Chain(ScaleByRSS(c.initial, c.eps), c.byLearningRate(lr))
}

// RMSProp returns RMSProp with learning rate lr. Options: Decay (0.9), Eps
// (1e-8), Initial (0), Centered, Momentum, Nesterov, WithSchedule.
func RMSProp(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{decay: 0.9, eps: 1e-8}, opts)
	scale := ScaleByRMS(c.decay, c.eps, c.initial)
	if c.centered {
		scale = ScaleByStddev(c.decay, c.eps, c.initial)
	}
	o := Chain(scale, c.byLearningRate(lr))
	if c.hasMomentum {
		o = o.Then(Trace(c.momentum, c.nesterov))
	}
	return o
}

// AdaBelief returns AdaBelief with learning rate lr. Options: B1 (0.9), B2
// (0.999), Eps (0), EpsRoot (1e-16), WithSchedule.
func AdaBelief(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{b1: 0.9, b2: 0.999, epsRoot: 1e-16}, opts)
	return Chain(ScaleByBelief(c.b1, c.b2, c.eps, c.epsRoot), c.byLearningRate(lr))
}

// Lamb returns LAMB with learning rate lr. Options: B1, B2, Eps (1e-8),
// EpsRoot (0), Decay (0), MinNorm (0), WithSchedule.
func Lamb(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{b1: 0.9, b2: 0.999, eps: 1e-8}, opts)
	return Chain(ScaleByAdam(c.b1, c.b2, c.eps, c.epsRoot), AddDecayedWeights(c.decay),
		ScaleByTrustRatio(c.minNorm, 1, 0), c.byLearningRate(lr))
}

// NoisySGD returns SGD with annealed Gaussian noise added to the steps.
// Options: Noise (eta 0.01, gamma 0.55, seed 0), WithSchedule.
func NoisySGD(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{eta: 0.01, gamma: 0.55}, opts)
	return Chain(c.byLearningRate(lr), AddNoise(c.eta, c.gamma, c.seed))
}

// RAdam returns Rectified Adam with learning rate lr. Options: B1, B2, Eps
// (1e-8), EpsRoot (0), Threshold (5), WithSchedule.
func RAdam(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{b1: 0.9, b2: 0.999, eps: 1e-8, threshold: 5}, opts)
	return Chain(ScaleByRAdam(c.b1, c.b2, c.eps, c.epsRoot, c.threshold), c.byLearningRate(lr))
}

// Yogi returns Yogi with learning rate lr. Options: B1 (0.9), B2 (0.999), Eps
// (1e-3), EpsRoot (0), Initial (1e-6), WithSchedule.
func Yogi(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{b1: 0.9, b2: 0.999, eps: 1e-3, initial: 1e-6}, opts)
	return Chain(ScaleByYogi(c.b1, c.b2, c.eps, c.epsRoot, c.initial), c.byLearningRate(lr))
}

// Lion returns Lion (Chen et al., 2023), the sign of an interpolated momentum,
// with learning rate lr (usually 3-10 times smaller than Adam's). Options: B1
// (0.9), B2 (0.99), Decay (weight decay, 0), WithSchedule.
func Lion(lr float64, opts ...Option) Optimizer {
	c := newConfig(config{b1: 0.9, b2: 0.99}, opts)
	return Chain(ScaleByLion(c.b1, c.b2), AddDecayedWeights(c.decay), c.byLearningRate(lr))
}
