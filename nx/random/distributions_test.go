package random

import (
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// The expected values below come from Nx.Random's documentation and tests,
// except for bf16: Nx's binary backend truncates f32 results to bf16 where nx
// rounds them to nearest (as JAX and XLA do), so those values are nx's own,
// checked by hand from the same random words (Nx gives 42.75 and -17.625).

func TestUniform(t *testing.T) {
	tests := []struct {
		name   string
		key    *nx.Tensor
		split  bool // sample with the key itself (UniformSplit)
		lo, hi float64
		shape  []int
		dt     nx.DType
		want   []float64
		tol    float64
	}{
		{"scalar", Key(1701), false, 0, 1, nil, nx.F32, []float64{0.9728644}, 1e-7},
		{"moduledoc", Key(12), false, 0, 1, nil, nx.F32, []float64{0.7691127}, 1e-7},
		{"f16", Key(1701), false, 0, 1, []int{3, 2}, nx.F16, []float64{0.754, 0.6484, 0.7295, 0.2148, 0.09766, 0.06934}, 1e-3},
		{"split vector", Key(2299922948), true, 0, 1, []int{5}, nx.F32,
			[]float64{0.40235483, 0.86897706, 0.87899947, 0.98497891, 0.83098864}, 1e-7},
		{"range f32", Key(44), true, 0, 100, nil, nx.F32, []float64{0.9405970573425293}, 1e-7},
		{"range bf16", Key(44), true, 0, 100, nil, nx.BF16, []float64{43}, 0},
		{"range f64", Key(44), true, 0, 100, nil, nx.F64, []float64{49.70372348385783}, 1e-15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var u *nx.Tensor
			if tc.split {
				u = UniformSplit(tc.key, tc.lo, tc.hi, tc.shape, tc.dt)
			} else {
				var next *nx.Tensor
				u, next = Uniform(tc.key, tc.lo, tc.hi, tc.shape, tc.dt)
				checkWords(t, next, []int{2}, Split(tc.key, 2).Uint64s()[:2]...)
			}
			checkValues(t, u, tc.dt, tc.shape, tc.want, tc.tol)
		})
	}
}

func TestUniformComplex(t *testing.T) {
	u, _ := Uniform(Key(1701), 0, 1, nx.Shape{2, 2}, nx.C64)
	if u.DType() != nx.C64 || !u.Shape().Equal(nx.Shape{2, 2}) {
		t.Fatalf("got %s%s, want c64[2][2]", u.DType(), u.Shape())
	}
	want := []complex128{0.18404806 + 0.65464616i, 0.55259156 + 0.11568141i, 0.6074585 + 0.81043756i, 0.2476865 + 0.2197547i}
	for i, v := range u.Complex128s() {
		if d := v - want[i]; real(d)*real(d)+imag(d)*imag(d) > 1e-14 {
			t.Fatalf("got %v, want %v", u.Complex128s(), want)
		}
	}
}

func TestUniformRange(t *testing.T) {
	u := UniformSplit(Key(5), -2, 3, nx.Shape{10000}, nx.F32)
	lo, hi := nx.ReduceMin(u).Float64(), nx.ReduceMax(u).Float64()
	mean := nx.Mean(u).Float64()
	if lo < -2 || hi >= 3 || lo > -1.99 || hi < 2.99 || mean < 0.45 || mean > 0.55 {
		t.Fatalf("10000 draws in [-2, 3): min %v, max %v, mean %v", lo, hi, mean)
	}
}

func TestNormal(t *testing.T) {
	tests := []struct {
		name      string
		key       *nx.Tensor
		split     bool
		mean, std float64
		shape     []int
		dt        nx.DType
		want      []float64
		tol       float64
	}{
		{"scalar", Key(42), false, 0, 1, nil, nx.F32, []float64{1.3694695}, 1e-6},
		{"f16", Key(42), false, 0, 1, []int{3, 2}, nx.F16, []float64{-0.3257, -0.772, 0.392, 0.534, 0.2708, -2.08}, 2e-3},
		{"split f32", Key(44), true, 0, 100, nil, nx.F32, []float64{-234.9235382080078}, 1e-6},
		{"split bf16", Key(44), true, 0, 100, nil, nx.BF16, []float64{-17.25}, 0},
		{"split f16", Key(44), true, 0, 100, nil, nx.F16, []float64{-17.15625}, 0},
		// Nx's f64 erf_inv is accurate to about 1e-7 only; nx's to the last
		// digits: -0.7426619192938078.
		{"split f64", Key(44), true, 0, 100, nil, nx.F64, []float64{-0.7426618728545261}, 1e-7},
		{"split f64 exact", Key(44), true, 0, 100, nil, nx.F64, []float64{-0.7426619192938078}, 1e-15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var x *nx.Tensor
			if tc.split {
				x = NormalSplit(tc.key, tc.mean, tc.std, tc.shape, tc.dt)
			} else {
				x, _ = Normal(tc.key, tc.mean, tc.std, tc.shape, tc.dt)
			}
			checkValues(t, x, tc.dt, tc.shape, tc.want, tc.tol)
		})
	}
	c := NormalSplit(Key(44), 0, 100, nil, nx.C64).Complex128s()[0]
	if d := c - (-0.7426699995994568 + 6.513391971588135i); real(d)*real(d)+imag(d)*imag(d) > 1e-10 {
		t.Fatalf("complex normal: got %v", c)
	}
	x, _ := Normal(Key(1337), 10, 5, nx.Shape{1000}, nx.F32)
	checkValues(t, nx.Mean(x), nx.F32, nil, []float64{9.700222}, 1e-5)
	checkValues(t, nx.StandardDeviation(x), nx.F32, nil, []float64{5.0514164}, 1e-5)
}

func TestRandInt(t *testing.T) {
	tests := []struct {
		name   string
		key    *nx.Tensor
		split  bool
		lo, hi int64
		shape  []int
		dt     nx.DType
		want   []float64
	}{
		{"scalar", Key(1701), false, 1, 100, nil, nx.S32, []float64{91}},
		{"u32 matrix", Key(1701), false, 1, 100, []int{3, 2}, nx.U32, []float64{9, 20, 19, 6, 71, 15}},
		{"split vector", Key(2274429428), true, 0, 10, []int{5}, nx.S32, []float64{1, 1, 4, 1, 9}},
		{"u8", Key(44), true, 0, 100, nil, nx.U8, []float64{12}},
		{"u64", Key(44), true, 0, 100, nil, nx.U64, []float64{10}},
		{"s64", Key(44), true, 0, 100, nil, nx.S64, []float64{10}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var x *nx.Tensor
			if tc.split {
				x = RandIntSplit(tc.key, tc.lo, tc.hi, tc.shape, tc.dt)
			} else {
				x, _ = RandInt(tc.key, tc.lo, tc.hi, tc.shape, tc.dt)
			}
			checkValues(t, x, tc.dt, tc.shape, tc.want, 0)
		})
	}
	// Every value of a small range shows up, and nothing outside it.
	x := RandIntSplit(Key(3), -3, 4, nx.Shape{2000}, nx.S8).Int64s()
	seen := map[int64]int{}
	for _, v := range x {
		seen[v]++
	}
	for v := int64(-3); v < 4; v++ {
		if seen[v] < 200 {
			t.Fatalf("value %d drawn %d times in 2000 draws: %v", v, seen[v], seen)
		}
	}
	if len(seen) != 7 {
		t.Fatalf("values outside [-3, 4): %v", seen)
	}
}

func TestGumbel(t *testing.T) {
	g, _ := Gumbel(Key(1), nil, nx.F32)
	checkValues(t, g, nx.F32, nil, []float64{-0.729461}, 1e-6)
	g, _ = Gumbel(Key(1), nx.Shape{2, 3}, nx.F32)
	checkValues(t, g, nx.F32, []int{2, 3}, []float64{0.6247938, -0.21740718, 0.76783276, 0.77784044, 4.0895305, 0.30290902}, 1e-6)
}

func TestDistributionErrors(t *testing.T) {
	mustPanic(t, func() { Uniform(Key(1), 0, 1, nil, nx.S32) }, "random.Uniform(u32[2])", "type s32: want a floating-point or complex type")
	mustPanic(t, func() { UniformSplit(nx.Zeros(nx.U32, 2, 2), 0, 1, nil, nx.F32) }, "random.UniformSplit(u32[2][2])", "want a key")
	mustPanic(t, func() { Normal(Key(1), 0, 1, nx.Shape{-1}, nx.F32) }, "random.Normal", "negative dimension")
	mustPanic(t, func() { RandInt(Key(1), 0, 10, nil, nx.F32) }, "random.RandInt(u32[2])", "want an integer type")
	mustPanic(t, func() { RandInt(Key(1), 5, 5, nil, nx.S32) }, "empty range [5, 5)")
	mustPanic(t, func() { RandIntSplit(Key(1), 0, 257, nil, nx.U8) }, "range [0, 257) does not fit in u8")
	mustPanic(t, func() { RandIntSplit(Key(1), -1, 5, nil, nx.U16) }, "does not fit in u16")
	mustPanic(t, func() { Gumbel(Key(1), nil, nx.C64) }, "random.Gumbel", "want a floating-point type")
	mustPanic(t, func() { Gumbel(nil, nil, nx.F32) }, "random.Gumbel(nil)")
}

func TestMultivariateNormal(t *testing.T) {
	tests := []struct {
		name   string
		split  bool
		mean   *nx.Tensor
		cov    *nx.Tensor
		shape  []int
		dt     nx.DType
		opts   []Option
		want   []float64
		wShape []int
		tol    float64
	}{
		{"1-D", false, nx.FromSlice([]int64{0}), nx.FromSlice([]int64{1}, 1, 1), nil, nx.F32, nil, []float64{0.73592794}, []int{1}, 1e-6},
		{"2-D", false, nx.FromSlice([]int64{0, 0}), nx.Eye(nx.S64, 2), nil, nx.F32, nil, []float64{-1.3425945, -0.4081206}, []int{2}, 1e-6},
		{"f16 batch", false, nx.FromSlice([]int64{0}), nx.FromSlice([]int64{1}, 1, 1), []int{3, 2}, nx.F16, nil,
			[]float64{0.327, 0.2177, 0.3167, 0.11096, 0.5396, -0.8857}, []int{3, 2, 1}, 2e-3},
		{"batch", false, nx.FromSlice([]int64{0, 0}), nx.Eye(nx.S64, 2), []int{3, 2}, nx.F32, nil,
			[]float64{0.989145, 1.0795186, -0.9467806, 1.4781388, 2.2095864, -1.5294564, -0.79339206, 1.1211957,
				0.10976296, -0.9959557, 0.4754556, 1.1413804}, []int{3, 2, 2}, 1e-6},
		{"split", true, nx.FromSlice([]float32{0}), nx.Eye(nx.F32, 1), nil, nx.F32, nil, []float64{-0.5135871767997742}, []int{1}, 1e-6},
		{"split 2-D", true, nx.FromSlice([]float32{0, 0}), nx.Eye(nx.F32, 2), nil, nx.F32, nil,
			[]float64{0.37033146619796753, -0.9389335513114929}, []int{2}, 1e-6},
		{"split f16", true, nx.FromSlice([]float32{0, 0}), nx.Eye(nx.F32, 2), nil, nx.F16, nil,
			[]float64{0.037322998046875, 0.1455078125}, []int{2}, 0},
		{"split f64", true, nx.FromSlice([]float32{0, 0}), nx.Eye(nx.F32, 2), nil, nx.F64, nil,
			[]float64{-1.3117988877107423, -0.708217598850204}, []int{2}, 2e-7}, // Nx's f64 erf_inv is less precise
		{"svd", true, nx.FromSlice([]float32{0, 0}), nx.Eye(nx.F32, 2), nil, nx.F32, []Option{Method(SVD)},
			[]float64{0.37033146619796753, -0.9389335513114929}, []int{2}, 1e-6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var x *nx.Tensor
			if tc.split {
				x = MultivariateNormalSplit(Key(12), tc.mean, tc.cov, tc.shape, tc.dt, tc.opts...)
			} else {
				x, _ = MultivariateNormal(Key(12), tc.mean, tc.cov, tc.shape, tc.dt, tc.opts...)
			}
			checkValues(t, x, tc.dt, tc.wShape, tc.want, tc.tol)
		})
	}
	// Sample statistics of a correlated distribution, with each method.
	mean := nx.FromSlice([]float64{1, -2})
	cov := nx.FromSlice([]float64{4, 1.2, 1.2, 1}, 2, 2)
	for _, m := range []Decomposition{Cholesky, SVD, Eigh} {
		x, _ := MultivariateNormal(Key(9), mean, cov, nx.Shape{20000}, nx.F64, Method(m))
		mu := nx.Mean(x, nx.Axes(0))
		checkValues(t, mu, nx.F64, []int{2}, []float64{1, -2}, 0.05)
		c := nx.Subtract(x, mu)
		emp := nx.Divide(nx.DotGeneral(c, []int{0}, nil, c, []int{0}, nil), nx.Scalar(20000.0))
		checkValues(t, emp, nx.F64, []int{2, 2}, []float64{4, 1.2, 1.2, 1}, 0.05)
	}
	mustPanic(t, func() { MultivariateNormal(Key(1), nx.Zeros(nx.F32, 2, 2), nx.Eye(nx.F32, 2), nil, nx.F32) }, "want mean to be a vector")
	mustPanic(t, func() { MultivariateNormal(Key(1), nx.Zeros(nx.F32, 3), nx.Eye(nx.F32, 2), nil, nx.F32) }, "3×3 matrix")
	mustPanic(t, func() { MultivariateNormal(Key(1), nx.Zeros(nx.F32, 2), nx.Eye(nx.F32, 2), nil, nx.F32, Method(7)) }, "invalid method 7")
	mustPanic(t, func() { MultivariateNormal(Key(1), nx.Zeros(nx.F32, 2), nx.Eye(nx.F32, 2), nil, nx.F32, Axis(1)) },
		"option random.Axis is not supported (takes: Method)")
}
