package nx

import (
	"testing"
)

// distinctVals returns n distinct values in a scrambled order, at least 0.05
// apart, so that window maxima and minima have no ties and survive the finite
// differences' steps.
func distinctVals(n int, seed uint64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64((i*7919+int(seed)*104729)%n)*0.05 - float64(n)*0.025
	}
	return v
}

type windowGradCase struct {
	name   string
	shape  []int
	window []int
	opts   []Option
}

var windowGradCases = []windowGradCase{
	{"1d", []int{7}, []int{3}, nil},
	{"1d strides", []int{8}, []int{2}, []Option{Strides(3)}},
	{"1d same", []int{6}, []int{4}, []Option{Padded(Same), Strides(2)}},
	{"1d dilated", []int{9}, []int{3}, []Option{WindowDilations(2), Strides(2)}},
	{"2d explicit pads", []int{4, 5}, []int{2, 3}, []Option{Padded(Pads([2]int{1, 0}, [2]int{2, 1})), Strides(1, 2)}},
	{"2d same", []int{5, 5}, []int{3, 3}, []Option{Padded(Same)}},
	{"2d pooling", []int{2, 6, 6}, []int{1, 2, 2}, []Option{Strides(1, 2, 2)}},
	{"2d pooling padded", []int{1, 5, 5}, []int{1, 3, 3}, []Option{Strides(1, 2, 2), Padded(Same)}},
	{"2d dilated padded", []int{5, 6}, []int{2, 2}, []Option{WindowDilations(2, 3), Padded(Pads([2]int{1, 1}, [2]int{0, 2}))}},
	{"3d", []int{3, 4, 3}, []int{2, 2, 2}, []Option{Strides(1, 2, 1), Padded(Pads([2]int{0, 1}, [2]int{1, 0}, [2]int{1, 1}))}},
	{"3d dilated strided", []int{4, 5, 4}, []int{2, 2, 2}, []Option{WindowDilations(2, 1, 2), Strides(2, 2, 1)}},
}

func TestGradWindowAgainstFiniteDifferences(t *testing.T) {
	ops := []struct {
		name string
		fn   func(*Tensor, []int, ...Option) *Tensor
	}{
		{"WindowSum", WindowSum}, {"WindowMean", WindowMean}, {"WindowProduct", WindowProduct},
		{"WindowMax", WindowMax}, {"WindowMin", WindowMin},
	}
	for i, c := range windowGradCases {
		n := Shape(c.shape).Size()
		x := distinctVals(n, uint64(i))
		for _, op := range ops {
			if op.name == "WindowProduct" {
				x = gradVals(n, uint64(i))
				x[n/2] = 0 // zeros are fine
			}
			w := gradTensor(uint64(i+50), op.fn(FromSlice(x, c.shape...), c.window, c.opts...).Shape()...)
			f := func(x *Tensor) *Tensor { return Sum(Multiply(op.fn(x, c.window, c.opts...), w)) }
			checkGrad(t, op.name+" "+c.name, f, x, c.shape...)
		}
	}
}

func TestGradWindowMaxTies(t *testing.T) {
	// The last of equal elements gets the gradient, dilated or not, as
	// WindowScatterMax selects.
	cases := []struct {
		name string
		x    []float64
		fn   func(*Tensor) *Tensor
		want []float64
	}{
		{"plain", []float64{3, 3, 1}, func(x *Tensor) *Tensor { return WindowMax(x, []int{2}) }, []float64{0, 2, 0}},
		{"dilated", []float64{1, 5, 1, 5}, func(x *Tensor) *Tensor { return WindowMax(x, []int{2}, WindowDilations(2)) }, []float64{0, 0, 1, 1}},
		{"dilated min", []float64{2, 2, 2, 7, 7}, func(x *Tensor) *Tensor { return WindowMin(x, []int{3}, WindowDilations(2)) }, []float64{0, 0, 1, 0, 0}},
		{"padding never selected", []float64{-1, -2}, func(x *Tensor) *Tensor {
			return WindowMax(x, []int{2}, WindowDilations(2), Padded(Pads([2]int{1, 1})))
		}, []float64{1, 1}},
	}
	for _, c := range cases {
		got := Grad(func(x *Tensor) *Tensor { return Sum(c.fn(x)) })(FromSlice(c.x)).Float64s()
		for i := range c.want {
			if got[i] != c.want[i] {
				t.Errorf("%s: gradient %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}

func TestGradWindowScatter(t *testing.T) {
	for i, c := range windowGradCases {
		if c.name == "1d dilated" || c.name == "2d dilated padded" || c.name == "3d dilated strided" {
			continue // no dilations in WindowScatterMax
		}
		n := Shape(c.shape).Size()
		tt := FromSlice(distinctVals(n, uint64(i)), c.shape...)
		ws := WindowMax(tt, c.window, c.opts...).Shape()
		src := gradVals(ws.Size(), uint64(i+7))
		w := gradTensor(uint64(i+9), c.shape...)
		for _, sc := range []struct {
			name string
			fn   func(t, s, init *Tensor, window []int, opts ...Option) *Tensor
		}{{"WindowScatterMax", WindowScatterMax}, {"WindowScatterMin", WindowScatterMin}} {
			f := func(s *Tensor) *Tensor {
				return Sum(Multiply(Sin(sc.fn(tt, s, Scalar(0.25), c.window, c.opts...)), w))
			}
			checkGrad(t, sc.name+" "+c.name+" ∂source", f, src, ws...)
			fi := func(init *Tensor) *Tensor {
				return Sum(Multiply(Sin(sc.fn(tt, FromSlice(src, ws...), Reshape(init), c.window, c.opts...)), w))
			}
			checkGrad(t, sc.name+" "+c.name+" ∂init", fi, []float64{0.25})
			gt := Grad(func(tt *Tensor) *Tensor {
				return Sum(Multiply(sc.fn(tt, FromSlice(src, ws...), Scalar(0.0), c.window, c.opts...), w))
			})(tt)
			if Sum(Abs(gt)).Float64() != 0 {
				t.Errorf("%s %s: the operand's gradient is %v, want zeros", sc.name, c.name, gt)
			}
		}
	}
}

func TestGradWindowSecondOrder(t *testing.T) {
	// Differentiating a max-pool gradient goes through WindowScatterMax's rule.
	x := distinctVals(2*6*6, 3)
	w := gradTensor(4, 2, 3, 3)
	opts := []Option{Strides(1, 2, 2)}
	f := func(w *Tensor) *Tensor {
		g := Grad(func(x *Tensor) *Tensor { return Sum(Multiply(WindowMax(x, []int{1, 2, 2}, opts...), w)) })(FromSlice(x, 2, 6, 6))
		return Sum(Square(g))
	}
	checkGrad(t, "max pool second order", f, w.Float64s(), 2, 3, 3)
	// And a window product's gradient differentiates again.
	p := gradVals(8, 5)
	checkGrad(t, "product second order", func(x *Tensor) *Tensor {
		g := Grad(func(y *Tensor) *Tensor { return Sum(WindowProduct(y, []int{3}, Strides(2), Padded(Same))) })(x)
		return Sum(Multiply(g, Iota(Shape{8}, Type(F64))))
	}, p, 8)
}

func TestGradWindowJitAndF32(t *testing.T) {
	x := FromSlice(distinctVals(36, 1), 1, 6, 6)
	loss := func(x *Tensor) *Tensor {
		pooled := WindowMax(x, []int{1, 2, 2}, Strides(1, 2, 2))
		dil := WindowMin(x, []int{1, 2, 2}, WindowDilations(1, 2, 2))
		return Add(Sum(Square(pooled)), Add(Sum(WindowMean(x, []int{1, 3, 3}, Padded(Same))), Sum(dil)))
	}
	want := Grad(loss)(x)
	assertClose(t, "jit", Jit(Grad(loss))(x), want, 1e-12)
	g32 := Grad(loss)(AsType(x, F32))
	if g32.DType() != F32 {
		t.Fatalf("f32 gradient has type %s", g32.DType())
	}
	assertClose(t, "f32", AsType(g32, F64), want, 1e-5)
}
