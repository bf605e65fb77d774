package nx

import (
	"math"
	"testing"
)

// finiteDiff returns the central finite-difference gradient of f at x (f64).
func finiteDiff(f func(*Tensor) *Tensor, x []float64, shape ...int) []float64 {
	const h = 1e-6
	g := make([]float64, len(x))
	for i := range x {
		xp := append([]float64{}, x...)
		xm := append([]float64{}, x...)
		xp[i] += h
		xm[i] -= h
		fp := f(FromSlice(xp, shape...)).Float64()
		fm := f(FromSlice(xm, shape...)).Float64()
		g[i] = (fp - fm) / (2 * h)
	}
	return g
}

func checkGrad(t *testing.T, name string, f func(*Tensor) *Tensor, x []float64, shape ...int) {
	t.Helper()
	got := Grad(f)(FromSlice(x, shape...)).Float64s()
	want := finiteDiff(f, x, shape...)
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-5*max(1, math.Abs(want[i])) {
			t.Errorf("%s: ∂/∂x[%d] = %v, finite differences give %v", name, i, got[i], want[i])
		}
	}
}

func TestGradUnaryAgainstFiniteDifferences(t *testing.T) {
	pos := []float64{0.3, 0.7, 1.9}    // domain of log, sqrt, acosh-shifted
	unit := []float64{-0.6, 0.1, 0.45} // domain of asin, atanh, erf_inv
	cases := []struct {
		name string
		fn   func(*Tensor) *Tensor
		x    []float64
	}{
		{"Exp", Exp, unit}, {"Expm1", Expm1, unit}, {"Log", Log, pos}, {"Log1p", Log1p, pos},
		{"Log2", Log2, pos}, {"Log10", Log10, pos}, {"Sqrt", Sqrt, pos}, {"Rsqrt", Rsqrt, pos},
		{"Cbrt", Cbrt, pos}, {"Sigmoid", Sigmoid, unit}, {"Sin", Sin, unit}, {"Cos", Cos, unit},
		{"Tan", Tan, unit}, {"Asin", Asin, unit}, {"Acos", Acos, unit}, {"Atan", Atan, unit},
		{"Sinh", Sinh, unit}, {"Cosh", Cosh, unit}, {"Tanh", Tanh, unit}, {"Asinh", Asinh, unit},
		{"Acosh", func(x *Tensor) *Tensor { return Acosh(Add(x, Number(1.5))) }, pos},
		{"Atanh", Atanh, unit}, {"Erf", Erf, unit}, {"Erfc", Erfc, unit}, {"ErfInv", ErfInv, unit},
		{"Abs", Abs, unit}, {"Negate", Negate, unit}, {"Square", Square, unit},
	}
	for _, c := range cases {
		checkGrad(t, c.name, func(x *Tensor) *Tensor { return Sum(c.fn(x)) }, c.x)
	}
}

func TestGradBinaryAndBroadcasting(t *testing.T) {
	b := FromSlice([]float64{0.5, -1.5, 2.25})
	m := FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	x := []float64{0.4, 1.3, 2.2}
	cases := []struct {
		name string
		fn   func(*Tensor) *Tensor
	}{
		{"Add", func(x *Tensor) *Tensor { return Sum(Multiply(Add(x, b), Add(x, b))) }},
		{"Subtract", func(x *Tensor) *Tensor { return Sum(Square(Subtract(b, x))) }},
		{"Multiply broadcast", func(x *Tensor) *Tensor { return Sum(Sin(Multiply(m, x))) }},
		{"Divide", func(x *Tensor) *Tensor { return Sum(Divide(b, Add(x, Number(1)))) }},
		{"Pow", func(x *Tensor) *Tensor { return Sum(Pow(x, Add(x, Number(0.5)))) }},
		{"Atan2", func(x *Tensor) *Tensor { return Sum(Atan2(x, b)) }},
		{"Max", func(x *Tensor) *Tensor { return Sum(Max(Multiply(x, x), b)) }},
		{"Min", func(x *Tensor) *Tensor { return Sum(Min(x, b)) }},
		{"Remainder", func(x *Tensor) *Tensor { return Sum(Remainder(Multiply(x, Number(2.9)), Number(1.1))) }},
		{"Select", func(x *Tensor) *Tensor { return Sum(Select(Greater(x, Number(1)), Exp(x), Square(x))) }},
		{"Clip", func(x *Tensor) *Tensor { return Sum(Multiply(Clip(x, Number(0.5), Number(2)), x)) }},
		{"scalar broadcast", func(x *Tensor) *Tensor { return Sum(Multiply(Reshape(Sum(x), 1, 1), m)) }},
	}
	for _, c := range cases {
		checkGrad(t, c.name, c.fn, x)
	}
}

func TestGradShapesAndReductions(t *testing.T) {
	x := []float64{0.1, -0.4, 0.9, 1.6, -2.2, 0.35}
	cases := []struct {
		name string
		fn   func(*Tensor) *Tensor
	}{
		{"Reshape+Transpose", func(x *Tensor) *Tensor {
			return Sum(Multiply(Transpose(x), Iota(Shape{3, 2}, Type(F64))))
		}},
		{"Broadcast with axes", func(x *Tensor) *Tensor {
			return Sum(Sin(Broadcast(Sum(x, Axes(1)), Shape{2, 4}, Axes(0))))
		}},
		{"Sum axes", func(x *Tensor) *Tensor { return Sum(Square(Sum(x, Axes(0)))) }},
		{"Product", func(x *Tensor) *Tensor { return Sum(Product(x, Axes(1))) }},
		{"ReduceMax", func(x *Tensor) *Tensor { return Sum(ReduceMax(x, Axes(1))) }},
		{"ReduceMin", func(x *Tensor) *Tensor { return Sum(ReduceMin(Exp(x), Axes(0))) }},
		{"Mean", func(x *Tensor) *Tensor { return Mean(Exp(x)) }},
		{"LogSumExp", func(x *Tensor) *Tensor { return Sum(LogSumExp(x, Axes(1))) }},
		{"Variance", func(x *Tensor) *Tensor { return Variance(x) }},
		{"StandardDeviation", func(x *Tensor) *Tensor { return Sum(StandardDeviation(x, Axes(0), DDOF(1))) }},
	}
	for _, c := range cases {
		checkGrad(t, c.name, c.fn, x, 2, 3)
	}
}

func TestGradContainersAndNesting(t *testing.T) {
	type params struct {
		W, B *Tensor
		Skip int // static, left alone
	}
	x := FromSlice([]float64{0.5, 1, 2})
	loss := func(p params) *Tensor { return Sum(Square(Add(Multiply(p.W, x), p.B))) }
	g := Grad(loss)(params{W: Scalar(2.0), B: FromSlice([]float64{1, 1, 1}), Skip: 7})
	if got := g.W.Float64(); got != 28 {
		t.Errorf("∂/∂W = %v, want 28", got)
	}
	if got := g.B.Float64s(); got[0] != 4 || got[1] != 6 || got[2] != 10 {
		t.Errorf("∂/∂B = %v, want [4 6 10]", got)
	}
	if g.Skip != 7 {
		t.Errorf("static field changed to %d", g.Skip)
	}
	// Second derivative of x³ summed: 6x.
	d2 := Grad(func(x *Tensor) *Tensor {
		return Sum(Grad(func(y *Tensor) *Tensor { return Sum(Multiply(y, Multiply(y, y))) })(x))
	})(FromSlice([]float64{1, 2}))
	if got := d2.Float64s(); got[0] != 6 || got[1] != 12 {
		t.Errorf("second derivative = %v, want [6 12]", got)
	}
	// Maps are containers too.
	gm := Grad(func(m map[string]*Tensor) *Tensor { return Sum(Multiply(m["a"], m["b"])) })(
		map[string]*Tensor{"a": Scalar(3.0), "b": Scalar(4.0)})
	if gm["a"].Float64() != 4 || gm["b"].Float64() != 3 {
		t.Errorf("map gradient = %v, %v", gm["a"], gm["b"])
	}
}

func TestValueAndGradStopGradCustomGrad(t *testing.T) {
	x := FromSlice([]float64{1, 2})
	v, g := ValueAndGrad(func(x *Tensor) *Tensor { return Sum(Multiply(x, StopGrad(x))) })(x)
	if v.Float64() != 5 || g.Float64s()[0] != 1 || g.Float64s()[1] != 2 {
		t.Errorf("value %v grad %v, want 5 and [1 2] (StopGrad blocks one factor)", v, g)
	}
	clipped := Grad(func(x *Tensor) *Tensor {
		y := CustomGrad(Square(x), []*Tensor{x}, func(g *Tensor) []*Tensor {
			return []*Tensor{Clip(Multiply(g, Multiply(x, Number(2))), Number(-1), Number(1))}
		})
		return Sum(y)
	})(FromSlice([]float64{0.25, 3}))
	if got := clipped.Float64s(); got[0] != 0.5 || got[1] != 1 {
		t.Errorf("custom gradient = %v, want [0.5 1]", got)
	}
}

func TestGradErrors(t *testing.T) {
	err := Try(func() { Grad(func(x *Tensor) *Tensor { return x })(FromSlice([]float64{1, 2})) })
	if err == nil || err.Error() != "nx.Grad(f64[2]): the function must return a scalar" {
		t.Errorf("non-scalar result: %v", err)
	}
	err = Try(func() { Grad(func(x *Tensor) *Tensor { return Sum(AsType(x, S64)) })(Scalar(1.0)) })
	if err == nil || err.Error() != "nx.Grad(s64): the function must return a float scalar" {
		t.Errorf("integer result: %v", err)
	}
}

func TestGradIndexingAgainstFiniteDifferences(t *testing.T) {
	x := []float64{0.1, -0.4, 0.9, 1.6, -2.2, 0.35, 0.7, -1.1, 0.05, 2.4, -0.8, 1.3}
	w := Iota(Shape{3, 4}, Type(F64))
	cases := []struct {
		name string
		fn   func(*Tensor) *Tensor
	}{
		{"Slice", func(x *Tensor) *Tensor { return Sum(Square(Slice(x, []int{1, 1}, []int{2, 2}))) }},
		{"Slice strided", func(x *Tensor) *Tensor {
			return Sum(Sin(Slice(x, []int{0, 0}, []int{3, 4}, Strides(2, 3))))
		}},
		{"SliceDynamic", func(x *Tensor) *Tensor {
			return Sum(Exp(SliceDynamic(x, []*Tensor{Scalar(1), Scalar(5)}, []int{2, 2})))
		}},
		{"PutSlice", func(x *Tensor) *Tensor {
			return Sum(Multiply(PutSlice(x, []int{0, 1}, Square(Slice(x, []int{1, 0}, []int{2, 2}))), w))
		}},
		{"PutSliceDynamic", func(x *Tensor) *Tensor {
			return Sum(Multiply(PutSliceDynamic(x, []*Tensor{Scalar(2), Scalar(0)}, Ones(F64, 1, 4)), Sin(x)))
		}},
		{"Gather", func(x *Tensor) *Tensor {
			idx := FromSlice([]int64{0, 1, 2, 3, 0, 1}, 3, 2)
			return Sum(Square(Gather(x, idx)))
		}},
		{"Take", func(x *Tensor) *Tensor { return Sum(Sin(Take(x, FromSlice([]int64{3, 0, 3}), Axis(1)))) }},
		{"IndexedAdd", func(x *Tensor) *Tensor {
			idx := FromSlice([]int64{0, 0, 2, 3, 0, 0}, 3, 2)
			upd := Square(Slice(Flatten(x), []int{0}, []int{3}))
			return Sum(Multiply(IndexedAdd(x, idx, upd), w))
		}},
		{"IndexedPut", func(x *Tensor) *Tensor {
			idx := FromSlice([]int64{1, 1, 2, 3}, 2, 2)
			upd := Exp(Slice(Flatten(x), []int{4}, []int{2}))
			return Sum(Multiply(IndexedPut(x, idx, upd), w))
		}},
		{"Concatenate", func(x *Tensor) *Tensor {
			return Sum(Multiply(Concatenate([]*Tensor{x, Square(x)}, Axis(1)), Iota(Shape{3, 8}, Type(F64))))
		}},
		{"Pad", func(x *Tensor) *Tensor {
			p := Pad(x, Scalar(0.5), [3]int{1, -1, 1}, [3]int{-1, 2, 0})
			return Sum(Multiply(p, Iota(p.Shape(), Type(F64))))
		}},
		{"Reverse", func(x *Tensor) *Tensor { return Sum(Multiply(Reverse(x, Axes(1)), w)) }},
		{"Stack+Split", func(x *Tensor) *Tensor {
			parts := Split(x, []int{1, 3}, Axis(1))
			return Sum(Multiply(Stack([]*Tensor{Exp(parts[0]), Sum(parts[1], Axes(1), KeepAxes())}), Number(2)))
		}},
	}
	for _, c := range cases {
		checkGrad(t, c.name, c.fn, x, 3, 4)
	}
}

func TestGradCumulativeAgainstFiniteDifferences(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.7, -0.4, 1.9, 1.1, -2.6}
	w := Iota(Shape{2, 4}, Type(F64))
	for _, c := range []struct {
		name string
		fn   func(*Tensor, ...Option) *Tensor
	}{
		{"CumulativeSum", CumulativeSum}, {"CumulativeProduct", CumulativeProduct},
		{"CumulativeMax", CumulativeMax}, {"CumulativeMin", CumulativeMin},
	} {
		for _, opts := range [][]Option{{Axis(1)}, {Axis(1), Reversed()}, {Axis(0)}, {Axis(0), Reversed()}} {
			checkGrad(t, c.name, func(x *Tensor) *Tensor { return Sum(Multiply(c.fn(x, opts...), Add(w, Number(1)))) }, x, 2, 4)
		}
	}
}

func TestGradDotAgainstFiniteDifferences(t *testing.T) {
	x := []float64{0.3, -1.2, 2.5, 0.7, -0.4, 1.9, 1.1, -2.6, 0.2, 0.9, -0.5, 1.4}
	m := FromSlice([]float64{0.5, -1, 2, 0.25, 1, -0.5, 1.5, 0.75, -2, 0.1, 0.6, -0.3}, 4, 3)
	cases := []struct {
		name string
		fn   func(*Tensor) *Tensor
	}{
		{"x·m", func(x *Tensor) *Tensor { return Sum(Sin(Dot(x, m))) }},
		{"mᵀ·xᵀ", func(x *Tensor) *Tensor { return Sum(Sin(Dot(Transpose(m), Transpose(x)))) }},
		{"x·xᵀ", func(x *Tensor) *Tensor { return Sum(Tanh(Dot(x, Transpose(x)))) }},
		{"xᵀ·x", func(x *Tensor) *Tensor { return Sum(Tanh(Dot(Transpose(x), x))) }},
		{"vector", func(x *Tensor) *Tensor { return Sum(Exp(Dot(x, FromSlice([]float64{1, -2, 0.5, 3})))) }},
		{"batched", func(x *Tensor) *Tensor {
			b := Reshape(x, 3, 2, 2)
			return Sum(Sin(DotGeneral(b, []int{2}, []int{0}, b, []int{1}, []int{0})))
		}},
		{"contract two axes", func(x *Tensor) *Tensor {
			b := Reshape(x, 2, 3, 2)
			return Sum(Square(DotGeneral(b, []int{0, 2}, nil, Reshape(m, 2, 3, 2), []int{0, 2}, nil)))
		}},
	}
	for _, c := range cases {
		checkGrad(t, c.name, c.fn, x, 3, 4)
	}
}

func TestValueAndGradAux(t *testing.T) {
	x := FromSlice([]float64{1, 2, 3})
	type aux struct{ Pred, Mean *Tensor }
	v, a, g := ValueAndGradAux(func(w *Tensor) (*Tensor, aux) {
		pred := Multiply(x, w)
		return Sum(Square(pred)), aux{Pred: pred, Mean: Mean(pred)}
	})(FromSlice([]float64{2, 2, 2}))
	if v.Float64() != 56 || a.Mean.Float64() != 4 || a.Pred.Float64s()[2] != 6 {
		t.Errorf("value %v aux %+v", v, a)
	}
	// d/dw Σ (x w)² = 2 x² w
	if got := g.Float64s(); got[0] != 4 || got[1] != 16 || got[2] != 36 {
		t.Errorf("grad %v, want [4 16 36]", got)
	}
}
