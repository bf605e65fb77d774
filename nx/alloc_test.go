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
// (an interface). testing.AllocsPerRun sets GOMAXPROCS to 1 while it
// measures, so the cases of work split between threads are measured by
// allocsOnTwoThreads (the kernels package checks that a product shared
// between threads allocates nothing).
func TestJitSteadyStateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	const perOutput = 3
	// A function of another form than func(tensors...) to one or two tensors
	// is called through reflect.MakeFunc, which allocates the slice of
	// arguments it passes, and returns its results in a slice it allocates.
	const reflectCall = 2
	x := fuseInput(F32, 0, 64, 32)
	add := Jit(func(x, y *Tensor) *Tensor { return Add(x, y) })
	gelu := Jit(geluTanh)
	softmax := Jit(softmaxRows)
	w, b := fuseInput(F32, 5, 32, 16), fuseInput(F32, 9, 16)
	denseRelu := Jit(dense(denseActivations["relu"]))
	twoOuts := Jit(func(x, y *Tensor) (*Tensor, *Tensor) { return Exp(x), Multiply(x, y) })
	// Large enough to be split between two threads. Its outputs, of poolMin
	// elements or more, take buffers from a pool; the measure keeps them, so
	// that none returns to the pool and each costs a pool miss: four
	// allocations (the header, the pool's record, the buffer, the boxed
	// slice).
	const perPooledOutput = 4
	// Each case has a size of its own, that no other test uses, so that no
	// buffer dropped elsewhere is recycled here.
	wide1, wide2, wide3 := fuseInput(F32, 0, 248, 264), fuseInput(F32, 0, 248, 272), fuseInput(F32, 0, 248, 280)
	wide4 := fuseInput(F32, 0, 248, 296)
	table, rowsIdx := fuseInput(F32, 0, 4096, 64), AsType(Remainder(Iota(Shape{2000}), Scalar(int64(4096))), S64) // split: 2000 rows of 64
	take := Jit(func(x, i *Tensor) *Tensor { return Take(x, i, Axis(0)) })
	ints32 := AsType(Multiply(fuseInput(F32, 0, 100000), Number(1000)), S32)
	negate := Jit(func(x *Tensor) *Tensor { return Negate(x) })
	ints := AsType(fuseInput(F32, 0, 64, 32), S32)
	intAdd := Jit(func(x *Tensor) *Tensor { return Add(x, Scalar(int32(3))) })
	loop := Jit(func(x *Tensor) *Tensor {
		s := While([]*Tensor{Scalar(int32(0)), x},
			func(s []*Tensor) *Tensor { return Less(s[0], Scalar(int32(10))) },
			func(s []*Tensor) []*Tensor {
				return []*Tensor{Add(s[0], Scalar(int32(1))), geluTanh(Multiply(s[1], Number(1.01)))}
			})
		return s[1]
	})
	argmax := Jit(func(x *Tensor) *Tensor { return Argmax(x, Axis(1)) })
	colSum := Jit(func(x *Tensor) *Tensor { return Sum(x, Axes(0)) })
	biasGrad := Jit(func(x *Tensor) *Tensor { return Sum(x, Axes(0, 2, 3)) })
	transpose := Jit(func(x *Tensor) *Tensor { return Add(Transpose(x), Number(1)) })
	slices := Jit(func(x, i *Tensor) *Tensor {
		s := Add(SliceDynamic(x, []*Tensor{i, i}, []int{16, 8}), Slice(x, []int{1, 2}, []int{16, 8}))
		return PutSliceDynamic(x, []*Tensor{i, Scalar(int32(4))}, Exp(s))
	})
	at := Scalar(int32(5))
	joins := Jit(func(x *Tensor) *Tensor {
		p := Pad(x, Scalar(float32(0)), [3]int{1, 1, 0}, [3]int{2, 0, 0})
		return Add(Concatenate([]*Tensor{p, p}), Number(1))
	})
	scans := Jit(func(x *Tensor) *Tensor {
		return Add(Add(CumulativeSum(x, Axis(1)), Sort(x, Axis(1))), AsType(Argsort(x, Axis(1)), F32))
	})
	windows := Jit(func(x *Tensor) *Tensor { return Add(WindowMax(x, []int{1, 2}), LogSumExp(x, Axes(1), KeepAxes())) })
	img, ker := fuseInput(F32, 0, 8, 4, 10, 10), fuseInput(F32, 1, 4, 4, 3, 3)
	conv := Jit(func(x, k *Tensor) *Tensor { return Exp(Conv(x, k, Padded(Same))) })
	convGrads := Jit(func(x, k *Tensor) *Tensor {
		return Grad(func(k *Tensor) *Tensor { return Sum(Multiply(Conv(x, k, Padded(Same)), x)) })(k)
	})
	bigImg := fuseInput(F32, 0, 16, 8, 13, 15) // a result size of its own too
	bigKer := fuseInput(F32, 1, 8, 8, 3, 3)
	wideW, wideB := fuseInput(F32, 5, 280, 64), fuseInput(F32, 9, 64)
	// Containers are looked up by their key (jitkey.go) without a signature
	// string. reflect copies an argument that is not pointer-shaped (a struct
	// of two words, a slice) into memory of its own, and a result held in a
	// reflect.Value (a struct, a slice's header) needs memory of its own too;
	// MakeFunc then copies both into the call's frame.
	const argCopy, resultValue = 1, 1
	pairFn := Jit(func(p benchPair) benchPair { return benchPair{Add(p.A, p.B), Multiply(p.A, p.B)} })
	ptrFn := Jit(func(p *benchPair) *benchPair { return &benchPair{Add(p.A, p.B), Multiply(p.A, p.B)} })
	sliceFn := Jit(func(ts []*Tensor) []*Tensor { return []*Tensor{Add(ts[0], ts[1]), Multiply(ts[0], ts[1])} })
	staticFn := Jit(func(s benchScaled) *Tensor {
		for range s.Power {
			s.X = Exp(s.X)
		}
		return s.X
	})
	pairIn, ts := &benchPair{x, x}, []*Tensor{x, x}
	for _, tc := range []struct {
		name  string
		call  func() any
		want  float64
		split bool // measured with GOMAXPROCS 2: the work is split between threads
	}{
		{"add", func() any { return add(x, x) }, perOutput, false},
		{"elementwise chain", func() any { return gelu(x) }, perOutput, false},
		{"softmax", func() any { return softmax(x) }, perOutput, false},
		{"dense forward", func() any { return denseRelu(x, w, b) }, perOutput, false},
		// Functions of one to three tensors to two tensors are called
		// without reflection too.
		{"two outputs", func() any { a, _ := twoOuts(x, x); return a }, 2 * perOutput, false},
		{"integer arithmetic", func() any { return intAdd(ints) }, perOutput, false},
		{"while loop", func() any { return loop(x) }, perOutput, false},
		{"argmax", func() any { return argmax(x) }, perOutput, false},
		{"sum over the first axis", func() any { return colSum(x) }, perOutput, false},
		{"transpose", func() any { return transpose(x) }, perOutput, false},
		{"static and dynamic slices", func() any { return slices(x, at) }, perOutput, false},
		{"pad and concatenate", func() any { return joins(x) }, perOutput, false},
		{"cumulative sum, sort and argsort", func() any { return scans(x) }, perOutput, false},
		{"window max and logsumexp", func() any { return windows(x) }, perOutput, false},
		{"convolution", func() any { return conv(img, ker) }, perOutput, false},
		{"sum over axes that are not consecutive", func() any { return biasGrad(img) }, perOutput, false},
		{"convolution gradient", func() any { return convGrads(img, ker) }, perOutput, false},
		{"elementwise chain on two threads", func() any { return gelu(wide1) }, perPooledOutput, true},
		{"softmax on two threads", func() any { return softmax(wide2) }, perPooledOutput, true},
		{"while loop on two threads", func() any { return loop(wide3) }, perPooledOutput, true},
		{"dense forward on two threads", func() any { return denseRelu(wide3, wideW, wideB) }, perOutput, true},
		{"argmax on two threads", func() any { return argmax(wide3) }, perOutput, true},
		{"sum over the first axis on two threads", func() any { return colSum(wide3) }, perOutput, true},
		{"transpose on two threads", func() any { return transpose(wide4) }, perPooledOutput, true},
		{"gather on two threads", func() any { return take(table, rowsIdx) }, perOutput, true}, // a fresh result, not a pooled one
		{"integer function on two threads", func() any { return negate(ints32) }, perOutput, true},
		{"convolution on two threads", func() any { return conv(bigImg, bigKer) }, perPooledOutput, true},
		{"sum over axes that are not consecutive on two threads", func() any { return biasGrad(bigImg) }, perOutput, true},
		{"convolution gradient on two threads", func() any { return convGrads(bigImg, bigKer) }, perOutput, true},
		{"struct of tensors", func() any { pairFn(benchPair{x, x}); return nil }, 2*perOutput + reflectCall + argCopy + resultValue, false},
		// The pointer argument is pointer-shaped; the result's struct is an
		// output like its tensors.
		{"pointer to a struct", func() any { return ptrFn(pairIn) }, 2*perOutput + 1 + reflectCall, false},
		// The result slice's array is an output; its header is the
		// resultValue.
		{"slice of tensors", func() any { sliceFn(ts); return nil }, 2*perOutput + 1 + reflectCall + argCopy + resultValue, false},
		{"struct with a static int", func() any { return staticFn(benchScaled{x, 3}) }, perOutput + reflectCall + argCopy, false},
	} {
		tc.call()
		var got float64
		if tc.split {
			got = allocsOnTwoThreads(50, tc.call)
		} else {
			got = testing.AllocsPerRun(50, func() { tc.call() })
		}
		if got != tc.want {
			t.Errorf("%s: %v allocations per call, want %v", tc.name, got, tc.want)
		}
	}
}

// allocsOnTwoThreads is testing.AllocsPerRun with GOMAXPROCS 2 (the
// allocations of every goroutine count, helpers' included), keeping f's
// results until it has measured.
func allocsOnTwoThreads(runs int, f func() any) float64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	kept := make([]any, 0, runs+1)
	kept = append(kept, f()) // warm up: helper goroutines and per-thread pools
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		kept = append(kept, f())
	}
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(kept)
	return float64((after.Mallocs - before.Mallocs) / uint64(runs))
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
