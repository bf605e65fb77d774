package nx

import "testing"

// softmaxRows is the stable softmax over the last axis, as axon.Softmax.
func softmaxRows(x *Tensor) *Tensor {
	e := Exp(Subtract(x, ReduceMax(x, Axes(-1), KeepAxes())))
	return Divide(e, Sum(e, Axes(-1), KeepAxes()))
}

// softmaxInput returns a 4096×1024 f32 tensor of varied values.
func softmaxInput() *Tensor {
	data := make([]float32, 4096*1024)
	for i := range data {
		data[i] = float32(i%977)/97 - 5
	}
	return FromSlice(data, 4096, 1024)
}

// BenchmarkJitSoftmax runs a compiled softmax over the rows of a 4096×1024 f32
// tensor.
func BenchmarkJitSoftmax(b *testing.B) {
	f := Jit(softmaxRows)
	x := softmaxInput()
	f(x)
	b.ReportAllocs()
	b.SetBytes(int64(x.Size() * 4))
	for b.Loop() {
		f(x)
	}
}

// BenchmarkEagerSoftmax is the eager baseline for BenchmarkJitSoftmax.
func BenchmarkEagerSoftmax(b *testing.B) {
	x := softmaxInput()
	b.ReportAllocs()
	b.SetBytes(int64(x.Size() * 4))
	for b.Loop() {
		softmaxRows(x)
	}
}

// geluTanh is the tanh approximation of GELU: a chain of nine elementwise
// primitives.
func geluTanh(x *Tensor) *Tensor {
	inner := Multiply(Add(x, Multiply(Number(0.044715), Multiply(x, Multiply(x, x)))), Number(0.7978845608))
	return Multiply(Multiply(x, Number(0.5)), Add(Tanh(inner), Number(1)))
}

// BenchmarkJitGELU runs a compiled elementwise chain on 4M f32 elements.
func BenchmarkJitGELU(b *testing.B) {
	f := Jit(geluTanh)
	x := Reshape(softmaxInput(), 1<<20, 4) // 4M elements
	f(x)
	b.ReportAllocs()
	b.SetBytes(int64(x.Size() * 4))
	for b.Loop() {
		f(x)
	}
}

// BenchmarkEagerGELU is the eager baseline for BenchmarkJitGELU.
func BenchmarkEagerGELU(b *testing.B) {
	x := Reshape(softmaxInput(), 1<<20, 4) // 4M elements
	b.ReportAllocs()
	b.SetBytes(int64(x.Size() * 4))
	for b.Loop() {
		geluTanh(x)
	}
}
