package optim

import (
	"math"
	"slices"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// Three steps from p0 with the gradients below; the expected parameters were
// computed with an independent NumPy implementation of each update rule.
var (
	p0    = []float64{1, -2, 0.5}
	steps = [][]float64{{0.1, -0.3, 0.2}, {-0.2, 0.4, 0.1}, {0.3, 0.1, -0.5}}
)

var optimizerCases = []struct {
	name string
	opt  Optimizer
	want []float64
}{
	{"sgd", SGD(0.1), []float64{0.98, -2.0199999999999996, 0.52}},
	{"momentum", SGD(0.1, Momentum(0.9)), []float64{0.9808999999999999, -2.0046999999999997, 0.47679999999999995}},
	{"nesterov", SGD(0.1, Momentum(0.9), Nesterov()), []float64{0.9628099999999999, -2.02423, 0.49911999999999995}},
	{"adam", Adam(0.01), []float64{0.9902286253947749, -1.9946554950011728, 0.4835710840273644}},
	{"adamw", AdamW(0.01, Decay(0.1)), []float64{0.9872479533577364, -1.9886795478964698, 0.482101895322163}},
	{"adagrad", Adagrad(0.1), []float64{0.9602514091716325, -2.015454293021823, 0.4997848219615965}},
	{"rmsprop", RMSProp(0.01), []float64{0.9710424025797745, -2.000782194758755, 0.48292347345701914}},
	{"rmsprop_centered_momentum", RMSProp(0.01, Centered(), Momentum(0.9)), []float64{0.9383300915667259, -1.9655038464264267, 0.4085139246770526}},
	{"lion", Lion(0.01, Decay(0.1)), []float64{0.987012989, -2.004015988, 0.4885314895}},
	{"yogi", Yogi(0.01), []float64{0.9907524452352807, -1.9947181623077295, 0.48388014864505063}},
	{"adabelief", AdaBelief(0.01), []float64{0.9891250761976252, -1.9938392070804012, 0.4812239897728433}},
	{"radam", RAdam(0.01), []float64{0.9988372499514468, -1.998484948533696, 0.4974414449407652}},
	{"lamb", Lamb(0.01, Decay(0.01)), []float64{0.979272494838247, -2.0015841598290853, 0.4784111391300221}},
}

func TestOptimizers(t *testing.T) {
	for _, c := range optimizerCases {
		t.Run(c.name, func(t *testing.T) {
			params := []*nx.Tensor{nx.FromSlice(p0)}
			state := c.opt.Init(params)
			for _, g := range steps {
				var u []*nx.Tensor
				u, state = c.opt.Update([]*nx.Tensor{nx.FromSlice(g)}, state, params)
				params = Apply(params, u)
			}
			if params[0].DType() != nx.F64 {
				t.Errorf("parameters became %s", params[0].DType())
			}
			got := params[0].Float64s()
			for i := range c.want {
				if math.Abs(got[i]-c.want[i]) > 1e-12 {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

// TestOptimizersCompiled runs each optimizer's update under nx.Jit and checks
// it against the eager one.
func TestOptimizersCompiled(t *testing.T) {
	for _, c := range optimizerCases {
		params := []*nx.Tensor{nx.FromSlice(p0), nx.FromSlice([]float32{1, 2}, 2, 1)}
		grads := []*nx.Tensor{nx.FromSlice(steps[0]), nx.FromSlice([]float32{-0.5, 0.5}, 2, 1)}
		state := c.opt.Init(params)
		eager, _ := c.opt.Update(grads, state, params)
		step := nx.Jit(func(g []*nx.Tensor, s State, p []*nx.Tensor) ([]*nx.Tensor, State) { return c.opt.Update(g, s, p) })
		compiled, next := step(grads, state, params)
		if len(next) != len(state) {
			t.Errorf("%s: state has %d parts, want %d", c.name, len(next), len(state))
		}
		for i := range eager {
			e, g := eager[i].Float64s(), compiled[i].Float64s()
			for j := range e {
				if math.Abs(e[j]-g[j]) > 1e-6 {
					t.Errorf("%s: compiled %v, eager %v", c.name, g, e)
				}
			}
		}
	}
}

func TestNoisySGDIsDeterministic(t *testing.T) {
	params := []*nx.Tensor{nx.FromSlice(p0)}
	run := func() []float64 {
		o := NoisySGD(0.1, Noise(0.01, 0.55, 42))
		s := o.Init(params)
		u, _ := o.Update([]*nx.Tensor{nx.FromSlice(steps[0])}, s, params)
		return u[0].Float64s()
	}
	a, b := run(), run()
	for i := range a {
		if a[i] != b[i] || math.Abs(a[i]+0.1*steps[0][i]) > 0.5 {
			t.Fatalf("updates %v and %v", a, b)
		}
	}
}

func TestTransforms(t *testing.T) {
	g := []*nx.Tensor{nx.FromSlice([]float64{3, -4}), nx.FromSlice([]float64{1, 2, 3, 5}, 2, 2)}
	cases := []struct {
		name string
		tr   Transform
		want [][]float64
	}{
		{"clip", Clip(2), [][]float64{{2, -2}, {1, 2, 2, 2}}},
		// global norm √(9+16+1+4+9+25) = 8
		{"clip_by_global_norm", ClipByGlobalNorm(4), [][]float64{{1.5, -2}, {0.5, 1, 1.5, 2.5}}},
		{"centralize", Centralize(), [][]float64{{3, -4}, {-0.5, 0.5, -1, 1}}},
		{"scale", Scale(-0.5), [][]float64{{-1.5, 2}, {-0.5, -1, -1.5, -2.5}}},
		{"add_decayed_weights", AddDecayedWeights(0.1), [][]float64{{3.3, -4.4}, {1.1, 2.2, 3.3, 5.5}}},
	}
	for _, c := range cases {
		u, _ := Chain(c.tr).Update(g, Chain(c.tr).Init(g), g)
		for i := range c.want {
			got := u[i].Float64s()
			for j := range got {
				if math.Abs(got[j]-c.want[i][j]) > 1e-6 {
					t.Errorf("%s: tensor %d is %v, want %v", c.name, i, got, c.want[i])
					break
				}
			}
		}
	}
}

func TestSchedules(t *testing.T) {
	cases := []struct {
		name string
		s    Schedule
		want []float64 // at steps 0, 1, 2, 5, 12
	}{
		{"constant", Constant(0.1), []float64{0.1, 0.1, 0.1, 0.1, 0.1}},
		{"exponential", ExponentialDecay(0.1, 0.5, 4, 0, false), []float64{0.1, 0.08408964152537146, 0.07071067811865477, 0.04204482076268573, 0.0125}},
		{"exponential_staircase", ExponentialDecay(0.1, 0.5, 4, 1, true), []float64{0.1, 0.1, 0.1, 0.05, 0.025}},
		{"cosine", CosineDecay(0.1, 10, 0.1), []float64{0.1, 0.09779754323328192, 0.09140576474687263, 0.05500000000000001, 0.010000000000000002}},
		{"polynomial", PolynomialDecay(0.1, 0.01, 2, 8, 2), []float64{0.1, 0.1, 0.1, 0.04515625000000001, 0.01}},
		{"linear", LinearDecay(0.1, 2, 10), []float64{0, 0.05, 0.1, 0.0625, 0}},
	}
	for _, c := range cases {
		for i, step := range []int64{0, 1, 2, 5, 12} {
			got := c.s(nx.Scalar(step)).Float64()
			if math.Abs(got-c.want[i]) > 1e-7 {
				t.Errorf("%s(%d) = %v, want %v", c.name, step, got, c.want[i])
			}
		}
	}
}

func TestScheduleDrivesTheStep(t *testing.T) {
	// SGD with a learning rate of 0.1·0.5^step: updates -0.1·g, then -0.05·g.
	o := SGD(1, WithSchedule(ExponentialDecay(0.1, 0.5, 1, 0, false)))
	params := []*nx.Tensor{nx.FromSlice([]float64{0})}
	s := o.Init(params)
	for _, want := range []float64{-0.1, -0.05, -0.025} {
		var u []*nx.Tensor
		u, s = o.Update([]*nx.Tensor{nx.FromSlice([]float64{1})}, s, params)
		if got := u[0].Float64s()[0]; math.Abs(got-want) > 1e-7 {
			t.Fatalf("update %v, want %v", got, want)
		}
	}
}

func TestStepOnContainers(t *testing.T) {
	type model struct{ W, B *nx.Tensor }
	p := model{W: nx.FromSlice([]float64{1, 2}), B: nx.FromSlice([]float64{0})}
	g := model{W: nx.FromSlice([]float64{1, -1}), B: nx.FromSlice([]float64{2})}
	p, s := Step(SGD(0.5), p, g, nil)
	p, _ = Step(SGD(0.5), p, g, s)
	if w := p.W.Float64s(); w[0] != 0 || w[1] != 3 || p.B.Float64() != -2 {
		t.Errorf("after two steps: W %v, B %v", w, p.B)
	}
	if err := nx.Try(func() { Adam(1).Update(nx.Leaves(g), State{}, nx.Leaves(p)) }); err == nil {
		t.Error("a state of another optimizer: no error")
	}
}

// TestAdamFusedMatchesFormula checks the fused Adam operation against the
// formula written with nx operations, eager and compiled, over several
// steps: the moments bit for bit, the update to rounding, and the gradients.
func TestAdamFusedMatchesFormula(t *testing.T) {
	for _, dt := range []nx.DType{nx.F32, nx.F64} {
		for _, n := range []int{7, 3*adamGrain + 5} {
			vals := func(seed int) *nx.Tensor {
				v := make([]float64, n)
				for i := range v {
					v[i] = math.Sin(float64(i*seed+1)) * float64(1+i%3)
				}
				return nx.AsType(nx.FromSlice(v, n), dt)
			}
			m, v := nx.Zeros(dt, n), nx.Zeros(dt, n)
			mr, vr := m, v
			step := func(g, m, v, c *nx.Tensor) []*nx.Tensor {
				u, m1, v1 := adamScale(g, m, v, c, 0.9, 0.999, 1e-8, 1e-15)
				return []*nx.Tensor{u, m1, v1}
			}
			jitted := nx.Jit(step)
			for k := int64(1); k <= 3; k++ {
				g, c := vals(int(k)), nx.Scalar(k)
				want := make([]*nx.Tensor, 3)
				want[0], want[1], want[2] = adamReference(g, mr, vr, c, 0.9, 0.999, 1e-8, 1e-15)
				tol := map[nx.DType]float64{nx.F32: 1e-6, nx.F64: 1e-14}[dt]
				for name, got := range map[string][]*nx.Tensor{"eager": step(g, m, v, c), "jit": jitted(g, m, v, c)} {
					for i, w := range want {
						if got[i].DType() != dt {
							t.Fatalf("%s %s: result %d has type %s", dt, name, i, got[i].DType())
						}
						// The moments are the formula's bits; the update is
						// within rounding of it.
						if i > 0 && !slices.Equal(got[i].Float64s(), w.Float64s()) {
							t.Fatalf("%s %s n=%d step %d: moment %d differs from the formula", dt, name, n, k, i)
						}
						a, b := got[i].Float64s(), w.Float64s()
						for j := range b {
							if math.Abs(a[j]-b[j]) > tol*max(1, math.Abs(b[j])) {
								t.Fatalf("%s %s n=%d step %d: update[%d] = %v, formula %v", dt, name, n, k, j, a[j], b[j])
							}
						}
					}
				}
				m, v, mr, vr = want[1], want[2], want[1], want[2]
			}
		}
	}
	// Gradients: of a loss of all three results, with respect to g, m and v.
	g, m, v, c := nx.FromSlice([]float64{0.3, -1.2, 2}), nx.FromSlice([]float64{0.1, 0.2, -0.3}), nx.FromSlice([]float64{0.5, 0.01, 2}), nx.Scalar(int64(4))
	type in struct{ G, M, V *nx.Tensor }
	loss := func(scale func(g, m, v, c *nx.Tensor, b1, b2, eps, epsRoot float64) (u, m1, v1 *nx.Tensor)) func(in) *nx.Tensor {
		return func(x in) *nx.Tensor {
			u, m1, v1 := scale(x.G, x.M, x.V, c, 0.9, 0.999, 1e-3, 1e-15)
			return nx.Add(nx.Sum(nx.Sin(u)), nx.Add(nx.Sum(nx.Square(m1)), nx.Sum(nx.Multiply(v1, nx.FromSlice([]float64{1, -2, 3})))))
		}
	}
	got, want := nx.Grad(loss(adamScale))(in{g, m, v}), nx.Grad(loss(adamReference))(in{g, m, v})
	for name, pair := range map[string][2]*nx.Tensor{"g": {got.G, want.G}, "m": {got.M, want.M}, "v": {got.V, want.V}} {
		a, b := pair[0].Float64s(), pair[1].Float64s()
		for i := range b {
			if math.Abs(a[i]-b[i]) > 1e-9*max(1, math.Abs(b[i])) {
				t.Errorf("∂/∂%s = %v, want %v", name, a, b)
				break
			}
		}
	}
}

// BenchmarkAdamScale compares the fused Adam operation with the formula
// written with nx operations, both compiled, on the MLP's first layer
// (784×128 f32).
func BenchmarkAdamScale(b *testing.B) {
	g := nx.AsType(nx.Iota(nx.Shape{784, 128}, nx.Type(nx.F32)), nx.F32)
	m, v := nx.Zeros(nx.F32, 784, 128), nx.Zeros(nx.F32, 784, 128)
	c := nx.Scalar(int64(3))
	for name, scale := range map[string]func(g, m, v, count *nx.Tensor, b1, b2, eps, epsRoot float64) (u, m1, v1 *nx.Tensor){
		"fused": adamScale, "formula": adamReference,
	} {
		step := nx.Jit(func(g, m, v, c *nx.Tensor) []*nx.Tensor {
			u, m1, v1 := scale(g, m, v, c, 0.9, 0.999, 1e-8, 1e-15)
			return []*nx.Tensor{u, m1, v1}
		})
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				step(g, m, v, c)
			}
		})
	}
}
