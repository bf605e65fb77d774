package nx

import (
	"fmt"
	"sync"
	"testing"
)

// swapState is a loop state whose body exercises every way a body's result
// can be made: computed, an unchanged leaf, another leaf (a swap), a
// constant, a reshape and a value returned twice.
type swapState struct {
	I, A, B, Keep, Const, Flat, Twice1, Twice2 *Tensor
}

func swapBody(capture *Tensor) func(s swapState) swapState {
	return func(s swapState) swapState {
		sum := Add(Multiply(s.A, Number(0.5)), capture)
		return swapState{
			I:      Add(s.I, Scalar(int32(1))),
			A:      s.B, // the leaves swap
			B:      sum,
			Keep:   s.Keep,
			Const:  Full(2.0, F32, 3, 2),
			Flat:   Reshape(Add(s.A, Reshape(s.Flat, 3, 2)), 6),
			Twice1: Exp(Negate(s.Twice1)),
			Twice2: Exp(Negate(s.Twice1)),
		}
	}
}

// loopByHand runs swapBody n times from s with eager operations and a Go
// loop: the second source for the loops below.
func loopByHand(s swapState, capture *Tensor, n int) swapState {
	body := swapBody(capture)
	for range n {
		s = body(s)
	}
	return s
}

// TestWhileStateBuffers checks loops whose state the body writes in place
// of the previous one (alternating between two sets of buffers) against Go
// loops of eager operations, for trip counts of both parities and zero,
// eagerly and compiled, from several goroutines at once.
func TestWhileStateBuffers(t *testing.T) {
	capture := fuseInput(F32, 3, 3, 2)
	start := func(k int) swapState {
		return swapState{
			I: Scalar(int32(0)), A: fuseInput(F32, k, 3, 2), B: fuseInput(F32, k+1, 3, 2),
			Keep: fuseInput(F32, k+2, 3, 2), Const: Zeros(F32, 3, 2), Flat: fuseInput(F32, k+3, 6),
			Twice1: fuseInput(F32, k+4, 3, 2), Twice2: fuseInput(F32, k+5, 3, 2),
		}
	}
	loop := func(s swapState, n *Tensor) swapState {
		return While(s, func(s swapState) *Tensor { return Less(s.I, n) }, swapBody(capture))
	}
	compiled := Jit(loop)
	check := func(what string, got swapState, k, n int) error {
		want := loopByHand(start(k), capture, n)
		gl, wl := Leaves(got), Leaves(want)
		for i := range wl {
			if err := sameResult(wl[i], gl[i], 0); err != nil {
				return fmt.Errorf("%s, %d iterations, leaf %d: %v", what, n, i, err)
			}
		}
		return nil
	}
	for _, n := range []int{0, 1, 2, 3, 6} {
		if err := check("eager", loop(start(n), Scalar(int32(n))), n, n); err != nil {
			t.Error(err)
		}
		if err := check("compiled", compiled(start(n), Scalar(int32(n))), n, n); err != nil {
			t.Error(err)
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				n := (g + i) % 5
				if err := check(fmt.Sprintf("goroutine %d", g), compiled(start(n), Scalar(int32(n))), n, n); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestNestedWhile runs a loop inside a loop's body, compiled and eagerly,
// against Go loops: the inner loop's state buffers are those of one run of
// the outer body.
func TestNestedWhile(t *testing.T) {
	f := func(x *Tensor) *Tensor {
		out := While([]*Tensor{Scalar(int32(0)), x}, func(s []*Tensor) *Tensor { return Less(s[0], Scalar(int32(3))) },
			func(s []*Tensor) []*Tensor {
				inner := While([]*Tensor{Scalar(int32(0)), s[1]}, func(u []*Tensor) *Tensor { return Less(u[0], Add(s[0], Scalar(int32(1)))) },
					func(u []*Tensor) []*Tensor {
						return []*Tensor{Add(u[0], Scalar(int32(1))), Add(Multiply(u[1], Number(0.5)), Number(1))}
					})
				return []*Tensor{Add(s[0], Scalar(int32(1))), inner[1]}
			})
		return out[1]
	}
	x := fuseInput(F32, 1, 4, 5)
	want := x
	for i := range 3 {
		for range i + 1 {
			want = Add(Multiply(want, Number(0.5)), Number(1))
		}
	}
	if err := sameResult(want, f(x), 0); err != nil {
		t.Errorf("eager: %v", err)
	}
	g := Jit(f)
	for range 3 {
		if err := sameResult(want, g(x), 0); err != nil {
			t.Errorf("compiled: %v", err)
		}
	}
}
