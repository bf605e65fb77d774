package nx

import (
	"math"
	"testing"
)

// cube is x³ computed in plain Go, with its gradient 3x² given as nx code.
var cube = &CustomOp{
	Name: "test.cube",
	Eval: func(args []*Tensor) []*Tensor {
		x := args[0].Float64s()
		for i, v := range x {
			x[i] = v * v * v
		}
		return []*Tensor{FromSlice(x, args[0].Shape()...)}
	},
	VJP: func(args, _, grads []*Tensor) []*Tensor {
		return []*Tensor{Multiply(grads[0], Multiply(Number(3), Square(args[0])))}
	},
}

func cubeOf(x *Tensor) *Tensor { return cube.Apply([]Result{{x.Shape(), F64}}, x)[0] }

func TestCustomOpEagerJitGrad(t *testing.T) {
	x := FromSlice([]float64{1, -2, 0.5})
	want := []float64{1, -8, 0.125}
	for name, got := range map[string]*Tensor{
		"eager": cubeOf(x),
		"jit":   Jit(cubeOf)(x),
	} {
		for i, w := range want {
			if got.Float64s()[i] != w {
				t.Errorf("%s: %v, want %v", name, got, want)
			}
		}
	}
	g := Jit(Grad(func(x *Tensor) *Tensor { return Sum(cubeOf(x)) }))(x)
	for i, v := range []float64{3, 12, 0.75} {
		if math.Abs(g.Float64s()[i]-v) > 1e-12 {
			t.Errorf("grad = %v", g)
		}
	}
	bad := &CustomOp{Name: "test.bad", Eval: func(args []*Tensor) []*Tensor { return []*Tensor{Zeros(F32, 2)} }}
	err := Try(func() { bad.Apply([]Result{{Shape{3}, F32}}, x) })
	if err == nil || err.Error() != "test.bad(): Eval result 0 is f32[2], want concrete f32[3]" {
		t.Errorf("shape mismatch: %v", err)
	}
}
