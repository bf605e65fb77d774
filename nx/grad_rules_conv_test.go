package nx

import (
	"fmt"
	"math"
	"testing"
)

// gradVals returns n pseudo-random values in [-1, 1), the same for each seed.
func gradVals(n int, seed uint64) []float64 {
	v := make([]float64, n)
	s := seed*2862933555777941757 + 3037000493
	for i := range v {
		s = s*6364136223846793005 + 1442695040888963407
		v[i] = float64(s>>11)/float64(1<<53)*2 - 1
	}
	return v
}

// gradTensor returns a f64 tensor of shape filled with gradVals.
func gradTensor(seed uint64, shape ...int) *Tensor {
	return FromSlice(gradVals(Shape(shape).Size(), seed), shape...)
}

var convGradCases = []struct {
	name   string
	in, k  []int
	opts   []Option
	second bool // also check a second derivative
}{
	{"1d", []int{2, 3, 7}, []int{4, 3, 3}, nil, true},
	{"1d strides pads", []int{2, 3, 7}, []int{4, 3, 3}, []Option{Strides(2), Padded(Pads([2]int{1, 2}))}, false},
	{"1d stride leaves a tail", []int{1, 2, 8}, []int{2, 2, 2}, []Option{Strides(3)}, false},
	{"1d large low pad", []int{1, 1, 4}, []int{2, 1, 2}, []Option{Padded(Pads([2]int{4, 1}))}, false},
	{"1d input dilation strides", []int{1, 2, 4}, []int{3, 2, 3}, []Option{InputDilation(2), Strides(2), Padded(Same)}, false},
	{"2d same strides", []int{1, 2, 5, 5}, []int{3, 2, 3, 3}, []Option{Strides(2), Padded(Same)}, true},
	{"2d same even kernel", []int{1, 1, 4, 5}, []int{2, 1, 2, 2}, []Option{Padded(Same)}, false},
	{"2d dilations", []int{2, 2, 4, 5}, []int{2, 2, 2, 3}, []Option{KernelDilation(2, 1), InputDilation(1, 2), Padded(Pads([2]int{1, 0}, [2]int{2, 1}))}, false},
	{"2d negative pads", []int{1, 2, 5, 6}, []int{2, 2, 2, 2}, []Option{Padded(Pads([2]int{-1, 1}, [2]int{0, -2})), Strides(1, 2)}, false},
	{"2d everything", []int{2, 2, 5, 4}, []int{2, 2, 2, 3}, []Option{Strides(2, 1), InputDilation(2, 1), KernelDilation(1, 2), Padded(Pads([2]int{2, -1}, [2]int{1, 3}))}, false},
	{"3d", []int{1, 2, 4, 4, 3}, []int{2, 2, 2, 3, 2}, []Option{Strides(1, 2, 1), Padded(Pads([2]int{0, 1}, [2]int{1, 1}, [2]int{0, 0}))}, false},
	{"3d same dilated", []int{2, 1, 3, 4, 4}, []int{1, 1, 2, 2, 3}, []Option{Padded(Same), KernelDilation(1, 2, 1), Strides(2, 1, 2)}, false},
	{"feature groups", []int{2, 4, 5, 5}, []int{6, 2, 3, 3}, []Option{FeatureGroups(2)}, true},
	{"feature groups strided", []int{1, 6, 7}, []int{9, 2, 3}, []Option{FeatureGroups(3), Strides(2), KernelDilation(2), Padded(Pads([2]int{-1, 2}))}, false},
	{"depthwise", []int{1, 3, 4, 4}, []int{3, 1, 2, 2}, []Option{FeatureGroups(3), Padded(Same)}, false},
	{"depthwise multiplier", []int{2, 2, 6}, []int{4, 1, 3}, []Option{FeatureGroups(2), Strides(2)}, false},
	{"batch groups", []int{4, 2, 5}, []int{6, 2, 3}, []Option{BatchGroups(2)}, true},
	{"batch groups 2d", []int{6, 1, 3, 3}, []int{3, 1, 2, 2}, []Option{BatchGroups(3), Strides(1, 2)}, false},
	{"batch groups dilated", []int{4, 2, 6}, []int{4, 2, 2}, []Option{BatchGroups(2), KernelDilation(2), InputDilation(2), Padded(Pads([2]int{1, -1})), Strides(2)}, false},
}

func TestGradConvAgainstFiniteDifferences(t *testing.T) {
	for i, c := range convGradCases {
		x := gradTensor(uint64(3*i+1), c.in...)
		k := gradTensor(uint64(3*i+2), c.k...)
		w := gradTensor(uint64(3*i+3), Conv(x, k, c.opts...).Shape()...)
		loss := func(x, k *Tensor) *Tensor { return Sum(Multiply(Sin(Conv(x, k, c.opts...)), w)) }
		checkGrad(t, c.name+" ∂input", func(x *Tensor) *Tensor { return loss(x, k) }, x.Float64s(), c.in...)
		checkGrad(t, c.name+" ∂kernel", func(k *Tensor) *Tensor { return loss(x, k) }, k.Float64s(), c.k...)
		if c.second {
			// The gradient is itself differentiable: ∂/∂k of Σ (∂loss/∂x)².
			f := func(k *Tensor) *Tensor {
				gx := Grad(func(x *Tensor) *Tensor { return loss(x, k) })(x)
				return Sum(Square(gx))
			}
			checkGrad(t, c.name+" second order", f, k.Float64s(), c.k...)
		}
	}
}

func TestGradConvJitAndTypes(t *testing.T) {
	c := convGradCases[12] // feature groups
	x := gradTensor(7, c.in...)
	k := gradTensor(8, c.k...)
	type pair struct{ X, K *Tensor }
	loss := func(p pair) *Tensor { return Sum(Square(Conv(p.X, p.K, c.opts...))) }
	want := Grad(loss)(pair{x, k})
	got := Jit(Grad(loss))(pair{x, k})
	assertClose(t, "jit ∂input", got.X, want.X, 1e-12)
	assertClose(t, "jit ∂kernel", got.K, want.K, 1e-12)
	// f32 gradients have the operands' types and agree with f64 ones.
	g32 := Grad(loss)(pair{AsType(x, F32), AsType(k, F32)})
	if g32.X.DType() != F32 || g32.K.DType() != F32 {
		t.Fatalf("f32 gradients have types %s, %s", g32.X.DType(), g32.K.DType())
	}
	assertClose(t, "f32 ∂input", AsType(g32.X, F64), want.X, 1e-4)
	assertClose(t, "f32 ∂kernel", AsType(g32.K, F64), want.K, 1e-4)
	// A complex convolution differentiates like a real one written with real
	// and imaginary parts (no conjugation, as for Multiply).
	xc := Complex(x, gradTensor(9, c.in...))
	gc := Grad(func(x *Tensor) *Tensor { return Real(Sum(Conv(x, AsType(k, C128), c.opts...))) })(xc)
	gr := Grad(func(x *Tensor) *Tensor { return Sum(Conv(x, k, c.opts...)) })(x)
	assertClose(t, "complex ∂input", Real(gc), gr, 1e-12)
}

// assertClose checks that got and want have the same shape and values within
// tol, relative to max(1, |want|).
func assertClose(t *testing.T, name string, got, want *Tensor, tol float64) {
	t.Helper()
	if !got.Shape().Equal(want.Shape()) {
		t.Errorf("%s: shape %v, want %v", name, got.Shape(), want.Shape())
		return
	}
	g, w := got.Float64s(), want.Float64s()
	for i := range w {
		if d := math.Abs(g[i] - w[i]); !(d <= tol*max(1, math.Abs(w[i]))) {
			t.Errorf("%s: element %d is %v, want %v", name, i, g[i], w[i])
			return
		}
	}
}

func TestGradConvZeroSized(t *testing.T) {
	x := Zeros(F64, 0, 2, 5)
	k := gradTensor(1, 3, 2, 2)
	g := Grad(func(k *Tensor) *Tensor { return Sum(Conv(x, k)) })(k)
	if !g.Shape().Equal(Shape{3, 2, 2}) || Sum(Abs(g)).Float64() != 0 {
		t.Errorf("gradient over an empty batch: %v", g)
	}
}

// TestConvBackwardMatchesTransposition checks the backward primitives against
// the gradients written as convolutions (the rule every other convolution
// takes), for every eligible case, in f64 and f32, with the im2col buffer
// whole and cut into column chunks, and batches split across goroutines.
func TestConvBackwardMatchesTransposition(t *testing.T) {
	defer func(old int) { convColLimit = old }(convColLimit)
	cases := append(convGradCases[:len(convGradCases):len(convGradCases)], struct {
		name   string
		in, k  []int
		opts   []Option
		second bool
	}{"2d batch 9 strided", []int{9, 3, 9, 8}, []int{5, 3, 3, 2}, []Option{Strides(2, 3), Padded(Same)}, false})
	checked := 0
	for i, c := range cases {
		x := gradTensor(uint64(5*i+1), c.in...)
		k := gradTensor(uint64(5*i+2), c.k...)
		yShape, _, a := convPrepare(x, k, c.opts)
		if !convBackEligible(a, F64) {
			continue
		}
		checked++
		grad := gradTensor(uint64(5*i+3), yShape...)
		wantX, wantK := convInputGrad(x, k, grad, a), convKernelGrad(x, k, grad, a)
		for _, limit := range []int{1 << 20, 7} {
			convColLimit = limit
			for _, dt := range []DType{F64, F32} {
				tol := map[DType]float64{F64: 1e-12, F32: 1e-5}[dt]
				xd, kd, gd := AsType(x, dt), AsType(k, dt), AsType(grad, dt)
				gotX, gotK := convBackInput(gd, kd, a, x.Shape()), convBackKernel(xd, gd, a, k.Shape())
				if gotX.DType() != dt || gotK.DType() != dt {
					t.Fatalf("%s: types %s, %s, want %s", c.name, gotX.DType(), gotK.DType(), dt)
				}
				assertClose(t, fmt.Sprintf("%s %s limit %d ∂input", c.name, dt, limit), AsType(gotX, F64), wantX, tol)
				assertClose(t, fmt.Sprintf("%s %s limit %d ∂kernel", c.name, dt, limit), AsType(gotK, F64), wantK, tol)
			}
		}
	}
	if checked < 8 {
		t.Fatalf("only %d cases took the backward primitives", checked)
	}
}
