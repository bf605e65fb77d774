package nx

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

type loopState struct {
	I   *Tensor
	Acc *Tensor
}

func TestWhileEagerAndCompiled(t *testing.T) {
	// Sum of squares of 0..9 with a counter in the state.
	run := func(n *Tensor) *Tensor {
		out := While(loopState{I: Scalar(int64(0)), Acc: Scalar(0.0)},
			func(s loopState) *Tensor { return Less(s.I, n) },
			func(s loopState) loopState {
				f := AsType(s.I, F64)
				return loopState{I: Add(s.I, Scalar(int64(1))), Acc: Add(s.Acc, Multiply(f, f))}
			})
		return out.Acc
	}
	if got := run(Scalar(int64(10))).Float64(); got != 285 {
		t.Errorf("eager While = %v, want 285", got)
	}
	traces := 0
	f := Jit(func(n *Tensor) *Tensor { traces++; return run(n) })
	for _, n := range []int64{10, 3, 0} {
		want := float64((n - 1) * n * (2*n - 1) / 6)
		if got := f(Scalar(n)).Float64(); got != want {
			t.Errorf("compiled While(n=%d) = %v, want %v", n, got, want)
		}
	}
	if traces != 1 {
		t.Errorf("the loop was traced %d times; the trip count must not retrace", traces)
	}
}

func TestWhileDynamicSliceTrainingLoop(t *testing.T) {
	// The whole "training loop on the device": iterate over rows of data with a
	// dynamic slice by loop counter and write results back with PutSlice.
	data := FromSlice([]float64{1, 2, 3, 4, 5, 6}, 3, 2)
	type st struct{ I, W, Out *Tensor }
	f := Jit(func(data, w *Tensor) *Tensor {
		end := While(st{I: Scalar(int64(0)), W: w, Out: Zeros(F64, 3)},
			func(s st) *Tensor { return Less(s.I, Scalar(int64(3))) },
			func(s st) st {
				row := Reshape(SliceDynamic(data, []*Tensor{s.I, Scalar(int64(0))}, []int{1, 2}), 2)
				pred := Sum(Multiply(row, s.W))
				w := Subtract(s.W, Multiply(Number(0.01), Multiply(row, pred)))
				out := PutSliceDynamic(s.Out, []*Tensor{s.I}, Reshape(pred, 1))
				return st{I: Add(s.I, Scalar(int64(1))), W: w, Out: out}
			})
		return end.Out
	})
	got := f(data, FromSlice([]float64{1, 1})).Float64s()
	// The same loop in plain Go.
	w := []float64{1, 1}
	var want []float64
	for i := 0; i < 3; i++ {
		r := []float64{float64(2*i + 1), float64(2*i + 2)}
		p := r[0]*w[0] + r[1]*w[1]
		want = append(want, p)
		w[0] -= 0.01 * r[0] * p
		w[1] -= 0.01 * r[1] * p
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("loop outputs %v, want %v", got, want)
		}
	}
}

func TestWhileGradient(t *testing.T) {
	// x ↦ x^(2^k) by squaring k times, k a loop trip count; also through a
	// captured weight.
	w := FromSlice([]float64{0.9, 1.1})
	f := func(x *Tensor) *Tensor {
		end := While(loopState{I: Scalar(int64(0)), Acc: x},
			func(s loopState) *Tensor { return Less(s.I, Scalar(int64(3))) },
			func(s loopState) loopState {
				return loopState{I: Add(s.I, Scalar(int64(1))), Acc: Multiply(Sin(s.Acc), w)}
			})
		return Sum(end.Acc)
	}
	checkGrad(t, "While", f, []float64{0.3, -0.7})
	// The same gradient compiled.
	x := FromSlice([]float64{0.3, -0.7})
	eager, compiled := Grad(f)(x), Jit(Grad(f))(x)
	if !reflect.DeepEqual(eager.Value(), compiled.Value()) {
		t.Errorf("jit(grad(while)) %v, grad %v", compiled, eager)
	}
	// Gradient with respect to a captured tensor.
	gw := Grad(func(w *Tensor) *Tensor {
		end := While(loopState{I: Scalar(int64(0)), Acc: x},
			func(s loopState) *Tensor { return Less(s.I, Scalar(int64(2))) },
			func(s loopState) loopState {
				return loopState{I: Add(s.I, Scalar(int64(1))), Acc: Multiply(s.Acc, w)}
			})
		return Sum(end.Acc)
	})(FromSlice([]float64{2, 3}))
	// acc = x·w², d/dw = 2·x·w
	if got := gw.Float64s(); math.Abs(got[0]-1.2) > 1e-12 || math.Abs(got[1]+4.2) > 1e-12 {
		t.Errorf("∂/∂w = %v, want [1.2 -4.2]", got)
	}
}

func TestCond(t *testing.T) {
	pick := func(x *Tensor) *Tensor {
		return Cond(
			Case(Greater(Sum(x), Number(10)), func() *Tensor { return Multiply(x, Number(2)) }),
			Case(Less(Sum(x), Number(0)), func() *Tensor { return Negate(x) }),
			Otherwise(func() *Tensor { return x }),
		)
	}
	f := Jit(pick)
	for _, c := range []struct {
		in, want []float64
	}{
		{[]float64{6, 6}, []float64{12, 12}},
		{[]float64{-1, -2}, []float64{1, 2}},
		{[]float64{1, 2}, []float64{1, 2}},
	} {
		x := FromSlice(c.in)
		if got := pick(x).Float64s(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("eager Cond(%v) = %v, want %v", c.in, got, c.want)
		}
		if got := f(x).Float64s(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("compiled Cond(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	checkGrad(t, "Cond", func(x *Tensor) *Tensor { return Sum(Square(pick(x))) }, []float64{6, 6})
	checkGrad(t, "Cond", func(x *Tensor) *Tensor { return Sum(Square(pick(x))) }, []float64{-3, 1})
}

func TestControlFlowErrors(t *testing.T) {
	err := Try(func() {
		Jit(func(x *Tensor) *Tensor {
			return Cond(
				Case(Greater(Sum(x), Number(0)), func() *Tensor { return x }),
				Otherwise(func() *Tensor { return Sum(x) }))
		})(FromSlice([]float64{1, 2}))
	})
	if err == nil || !strings.Contains(err.Error(), "clause 1 returns a different structure than clause 0: tensor 0 is f64, want f64[2]") {
		t.Errorf("Cond structure mismatch: %v", err)
	}
	err = Try(func() {
		While(Scalar(1.0), func(x *Tensor) *Tensor { return Less(x, Number(5)) },
			func(x *Tensor) *Tensor { return Reshape(x, 1) })
	})
	if err == nil || !strings.Contains(err.Error(), "the body must return the state's structure: tensor 0 is f64[1], want f64") {
		t.Errorf("While structure mismatch: %v", err)
	}
}
