package initializers

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

func TestConstants(t *testing.T) {
	key := random.Key(0)
	cases := []struct {
		name string
		init Initializer
		want []float64
	}{
		{"zeros", Zeros(), []float64{0, 0, 0, 0}},
		{"ones", Ones(), []float64{1, 1, 1, 1}},
		{"full", Full(2.5), []float64{2.5, 2.5, 2.5, 2.5}},
		{"identity", Identity(), []float64{1, 0, 0, 1}},
	}
	for _, c := range cases {
		got := c.init(key, nx.Shape{2, 2}, nx.F32)
		if got.DType() != nx.F32 || !got.Shape().Equal(nx.Shape{2, 2}) {
			t.Errorf("%s: %s%v", c.name, got.DType(), got.Shape())
		}
		for i, v := range got.Float64s() {
			if v != c.want[i] {
				t.Errorf("%s: %v, want %v", c.name, got.Float64s(), c.want)
				break
			}
		}
	}
	if err := nx.Try(func() { Identity()(key, nx.Shape{3}, nx.F32) }); err == nil {
		t.Error("Identity of a vector: no error")
	}
}

func TestFans(t *testing.T) {
	cases := []struct {
		shape   nx.Shape
		in, out float64
	}{
		{nx.Shape{}, 1, 1},
		{nx.Shape{7}, 7, 7},
		{nx.Shape{784, 128}, 784, 128},
		{nx.Shape{32, 16, 3, 3}, 16 * 9, 32 * 9}, // [out][in][kh][kw]
		{nx.Shape{8, 4, 5}, 20, 40},
	}
	for _, c := range cases {
		if in, out := Fans(c.shape); in != c.in || out != c.out {
			t.Errorf("Fans(%v) = %v, %v; want %v, %v", c.shape, in, out, c.in, c.out)
		}
	}
}

// stats returns the mean, variance and largest magnitude of t's elements.
func stats(t *nx.Tensor) (mean, variance, maxAbs float64) {
	v := t.Float64s()
	for _, x := range v {
		mean += x
		maxAbs = math.Max(maxAbs, math.Abs(x))
	}
	mean /= float64(len(v))
	for _, x := range v {
		variance += (x - mean) * (x - mean)
	}
	return mean, variance / float64(len(v)), maxAbs
}

func TestDistributions(t *testing.T) {
	key := random.Key(42)
	shape := nx.Shape{200, 150} // fans 200, 150
	cases := []struct {
		name     string
		init     Initializer
		variance float64
		bound    float64 // largest possible magnitude (0: unbounded)
	}{
		{"uniform", Uniform(0.5), 0.25 / 3, 0.5},
		{"normal", Normal(0, 0.2), 0.04, 0},
		{"truncated_normal", TruncatedNormal(0.1), 0.01 * 0.7737413, 0.2},
		{"glorot_uniform", GlorotUniform(), 2.0 / 350, math.Sqrt(6.0 / 350)},
		{"glorot_normal", GlorotNormal(), 2.0 / 350, 2 * math.Sqrt(2.0/350) / 0.87962566103423978},
		{"he_uniform", HeUniform(), 2.0 / 200, math.Sqrt(6.0 / 200)},
		{"he_normal", HeNormal(), 2.0 / 200, 2 * math.Sqrt(2.0/200) / 0.87962566103423978},
		{"lecun_uniform", LecunUniform(), 1.0 / 200, math.Sqrt(3.0 / 200)},
		{"lecun_normal", LecunNormal(), 1.0 / 200, 2 * math.Sqrt(1.0/200) / 0.87962566103423978},
		{"variance_scaling_fan_out", VarianceScaling(3, FanOut, NormalDist), 3.0 / 150, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := c.init(key, shape, nx.F32)
			if x.DType() != nx.F32 || !x.Shape().Equal(shape) {
				t.Fatalf("%s%v", x.DType(), x.Shape())
			}
			mean, variance, maxAbs := stats(x)
			if math.Abs(mean) > 4*math.Sqrt(c.variance/float64(shape.Size())) {
				t.Errorf("mean %v", mean)
			}
			if math.Abs(variance/c.variance-1) > 0.03 {
				t.Errorf("variance %v, want %v", variance, c.variance)
			}
			if c.bound > 0 && maxAbs > c.bound*(1+1e-6) {
				t.Errorf("largest magnitude %v exceeds %v", maxAbs, c.bound)
			}
			again := c.init(key, shape, nx.F32)
			other := c.init(random.Key(43), shape, nx.F32)
			if a, b := again.Float64s()[:5], x.Float64s()[:5]; a[0] != b[0] || a[4] != b[4] {
				t.Error("the same key gave different values")
			}
			if other.Float64s()[0] == x.Float64s()[0] {
				t.Error("another key gave the same values")
			}
		})
	}
}

func TestOrthogonal(t *testing.T) {
	for _, shape := range []nx.Shape{{5, 3}, {3, 5}, {4, 4}, {2, 3, 4}} {
		w := Orthogonal()(random.Key(1), shape, nx.F64)
		if !w.Shape().Equal(shape) {
			t.Fatalf("shape %v, want %v", w.Shape(), shape)
		}
		n := shape[len(shape)-1]
		m := nx.Reshape(w, shape.Size()/n, n)
		// The columns (or rows, whichever are fewer) are orthonormal.
		var g *nx.Tensor
		if m.Axis(0) >= n {
			g = nx.Dot(nx.Transpose(m), m)
		} else {
			g = nx.Dot(m, nx.Transpose(m))
		}
		eye := nx.Eye(nx.F64, g.Axis(0), g.Axis(0)).Float64s()
		for i, v := range g.Float64s() {
			if math.Abs(v-eye[i]) > 1e-10 {
				t.Fatalf("%v: Gram matrix %v is not the identity", shape, g)
			}
		}
	}
}

func TestByName(t *testing.T) {
	for _, name := range []string{"zeros", "ones", "identity", "uniform", "normal", "lecun_uniform", "lecun_normal",
		"glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "orthogonal"} {
		if _, ok := ByName(name); !ok {
			t.Errorf("ByName(%q) not found", name)
		}
	}
	if _, ok := ByName("nope"); ok {
		t.Error("ByName(nope) found")
	}
}
