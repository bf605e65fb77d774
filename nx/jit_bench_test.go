package nx

import (
	"fmt"
	"testing"
)

// BenchmarkJitCallTiny measures the overhead of calling a cached jitted function
// on a tiny input: the signature lookup, the plan's run and the results' rebuild.
func BenchmarkJitCallTiny(b *testing.B) {
	f := Jit(func(x, y *Tensor) *Tensor { return Add(x, y) })
	x, y := Scalar(float32(1)), Scalar(float32(2))
	f(x, y)
	b.ReportAllocs()
	for b.Loop() {
		f(x, y)
	}
}

// BenchmarkEagerTiny is the eager baseline for BenchmarkJitCallTiny.
func BenchmarkEagerTiny(b *testing.B) {
	x, y := Scalar(float32(1)), Scalar(float32(2))
	b.ReportAllocs()
	for b.Loop() {
		Add(x, y)
	}
}

// chain1000 applies 1,000 elementwise primitives in a row.
func chain1000(x *Tensor) *Tensor {
	for i := 0; i < 250; i++ {
		x = Tanh(Add(Multiply(x, Number(0.5)), Number(0.25)))
		x = Negate(x)
	}
	return x
}

// BenchmarkTraceCompile1000 measures tracing and compiling a 1,000-op graph.
func BenchmarkTraceCompile1000(b *testing.B) {
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		// A new static argument forces a new trace every time.
		f := Jit(func(x *Tensor, _ int) *Tensor { return chain1000(x) })
		f(Zeros(F32, 4), n)
	}
}

// BenchmarkRun1000 runs the compiled 1,000-op graph on a small tensor.
func BenchmarkRun1000(b *testing.B) {
	for _, n := range []int{4, 4096} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			f := Jit(chain1000)
			x := Zeros(F32, n)
			f(x)
			b.ReportAllocs()
			for b.Loop() {
				f(x)
			}
		})
	}
}

// benchPair is a container of two tensors for BenchmarkJitContainer.
type benchPair struct{ A, B *Tensor }

// benchScaled is a container with a static field: each distinct Power is a
// signature of its own.
type benchScaled struct {
	X     *Tensor
	Power int
}

// BenchmarkJitContainer measures the overhead of calling cached jitted
// functions whose arguments and results are containers of small tensors or
// several tensors: the signature lookup, the plan's run and the rebuild of
// the result containers.
func BenchmarkJitContainer(b *testing.B) {
	x, y := fuseInput(F32, 1, 4, 4), fuseInput(F32, 2, 4, 4)
	pair := Jit(func(p benchPair) benchPair { return benchPair{Add(p.A, p.B), Multiply(p.A, p.B)} })
	ptr := Jit(func(p *benchPair) *benchPair { return &benchPair{Add(p.A, p.B), Multiply(p.A, p.B)} })
	slice := Jit(func(ts []*Tensor) []*Tensor { return []*Tensor{Add(ts[0], ts[1]), Multiply(ts[0], ts[1])} })
	static := Jit(func(s benchScaled) *Tensor {
		out := s.X
		for range s.Power {
			out = Multiply(out, s.X)
		}
		return out
	})
	two := Jit(func(x, y *Tensor) (*Tensor, *Tensor) { return Add(x, y), Multiply(x, y) })
	ts := []*Tensor{x, y}
	for _, bc := range []struct {
		name string
		call func()
	}{
		{"struct", func() { pair(benchPair{x, y}) }},
		{"pointer", func() { ptr(&benchPair{x, y}) }},
		{"slice", func() { slice(ts) }},
		{"static", func() { static(benchScaled{x, 2}) }},
		{"two-outputs", func() { two(x, y) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bc.call()
			b.ReportAllocs()
			for b.Loop() {
				bc.call()
			}
		})
	}
}
