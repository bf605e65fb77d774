package nx

import (
	"runtime"
	"sync"
	"testing"
)

// TestJitSteadyStateAllocs checks the promise of the package documentation: a
// compiled call in steady state allocates its outputs and nothing else. An
// output smaller than poolMin elements costs three allocations: its tensor
// header, its buffer and the buffer's slice header boxed in the tensor's data
// (an interface). testing.AllocsPerRun runs them on one thread (the
// kernels package checks that a product shared between threads allocates
// nothing).
func TestJitSteadyStateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	const perOutput = 3
	// A function of another form than func(tensors...) *Tensor is called
	// through reflect.MakeFunc, which allocates the slice of arguments it
	// passes, and returns its results in a slice it allocates.
	const reflectCall = 2
	x := fuseInput(F32, 0, 64, 32)
	add := Jit(func(x, y *Tensor) *Tensor { return Add(x, y) })
	gelu := Jit(geluTanh)
	softmax := Jit(softmaxRows)
	w, b := fuseInput(F32, 5, 32, 16), fuseInput(F32, 9, 16)
	denseRelu := Jit(dense(denseActivations["relu"]))
	twoOuts := Jit(func(x, y *Tensor) (*Tensor, *Tensor) { return Exp(x), Multiply(x, y) })
	for _, tc := range []struct {
		name string
		call func() any
		want float64
	}{
		{"add", func() any { return add(x, x) }, perOutput},
		{"elementwise chain", func() any { return gelu(x) }, perOutput},
		{"softmax", func() any { return softmax(x) }, perOutput},
		{"dense forward", func() any { return denseRelu(x, w, b) }, perOutput},
		{"two outputs", func() any { a, _ := twoOuts(x, x); return a }, 2*perOutput + reflectCall},
	} {
		tc.call()
		if got := testing.AllocsPerRun(50, func() { tc.call() }); got != tc.want {
			t.Errorf("%s: %v allocations per call, want %v", tc.name, got, tc.want)
		}
	}
}

// TestJitConcurrentSteadyState calls compiled functions from several
// goroutines at once, with two signatures each, on inputs large enough for
// their steps to be split between threads and their results recycled (a
// collection in between returns dropped results to their pools), and
// compares every result with eager execution.
func TestJitConcurrentSteadyState(t *testing.T) {
	gelu := Jit(geluTanh)
	two := Jit(func(x, y *Tensor) (*Tensor, *Tensor) { return softmaxRows(x), Multiply(x, y) })
	inputs := []*Tensor{fuseInput(F32, 1, 256, 256), fuseInput(F32, 2, 128, 160)}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 12 {
				x := inputs[(g+i)%2]
				if err := sameResult(geluTanh(x), gelu(x), 0); err != nil {
					t.Errorf("goroutine %d call %d: gelu: %v", g, i, err)
					return
				}
				a, b := two(x, x)
				if err := sameResult(softmaxRows(x), a, 0); err != nil {
					t.Errorf("goroutine %d call %d: softmax: %v", g, i, err)
					return
				}
				if err := sameResult(Multiply(x, x), b, 0); err != nil {
					t.Errorf("goroutine %d call %d: product: %v", g, i, err)
					return
				}
				if i%4 == 3 {
					runtime.GC()
				}
			}
		}()
	}
	wg.Wait()
}
