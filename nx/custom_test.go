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

// cubeInto is cube written with EvalInto, its work split by ParallelFor.
var cubeInto = &CustomOp{
	Name: "test.cube_into",
	EvalInto: func(args, results []*Tensor) {
		x, out := args[0].Data().([]float32), results[0].Data().([]float32)
		ParallelFor(len(x), 1<<12, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				out[i] = x[i] * x[i] * x[i]
			}
		})
	},
	VJP: cube.VJP,
}

// TestCustomOpEvalInto checks an operation that writes its results into the
// buffers it is given against the same computation with nx operations,
// eagerly, compiled (its result an intermediate value written into a
// reused buffer) and differentiated, and that the compiled call allocates
// only its output.
func TestCustomOpEvalInto(t *testing.T) {
	x := fuseInput(F32, 2, 64, 300) // split by ParallelFor on several threads
	f := func(x *Tensor) *Tensor {
		c := cubeInto.Apply([]Result{{x.Shape(), F32}}, x)[0]
		return Add(c, Number(1))
	}
	want := Add(Multiply(x, Multiply(x, x)), Number(1))
	compiled := Jit(f)
	for name, got := range map[string]*Tensor{"eager": f(x), "compiled": compiled(x), "again": compiled(x)} {
		if err := sameResult(want, got, 0); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	g := Jit(Grad(func(x *Tensor) *Tensor { return Sum(f(x)) }))(x)
	if err := sameResult(Multiply(Number(3), Square(x)), g, 0); err != nil {
		t.Errorf("gradient: %v", err)
	}
	if raceEnabled {
		return
	}
	small := fuseInput(F32, 2, 16, 8)
	compiled(small)
	// The output (3) and the closure the kernel makes for ParallelFor (1);
	// nothing for the operation's result.
	if n := testing.AllocsPerRun(50, func() { compiled(small) }); n != 4 {
		t.Errorf("a compiled call allocates %v times, want 4", n)
	}
}
