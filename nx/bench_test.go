package nx

import "testing"

// Eager benchmarks of the core operations on the CPU backend. Run them with
//
//	go test -run '^$' -bench Eager -benchmem .

const benchElems = 1 << 20

// benchF32 returns an f32 tensor of the given shape with values in [-4, 4).
func benchF32(shape ...int) *Tensor {
	n := Shape(shape).Size()
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(i%8192)/1024 - 4
	}
	return FromSlice(data, shape...)
}

func BenchmarkEagerAddF32(b *testing.B) {
	x, y := benchF32(benchElems), benchF32(benchElems)
	b.SetBytes(3 * 4 * benchElems)
	b.ReportAllocs()
	for b.Loop() {
		Add(x, y)
	}
}

func BenchmarkEagerAddF32Broadcast(b *testing.B) {
	x, y := benchF32(1024, 1024), benchF32(1024)
	b.SetBytes(2 * 4 * benchElems)
	b.ReportAllocs()
	for b.Loop() {
		Add(x, y)
	}
}

func BenchmarkEagerExpF32(b *testing.B) {
	x := benchF32(benchElems)
	b.SetBytes(2 * 4 * benchElems)
	b.ReportAllocs()
	for b.Loop() {
		Exp(x)
	}
}

func BenchmarkEagerSumF32(b *testing.B) {
	x := benchF32(1024, 1024)
	for _, c := range []struct {
		name string
		opts []Option
	}{
		{"axis0", []Option{Axes(0)}},
		{"axis1", []Option{Axes(1)}},
		{"all", nil},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(4 * benchElems)
			b.ReportAllocs()
			for b.Loop() {
				Sum(x, c.opts...)
			}
		})
	}
}

func BenchmarkEagerTransposeF32(b *testing.B) {
	x := benchF32(1024, 1024)
	b.SetBytes(2 * 4 * benchElems)
	b.ReportAllocs()
	for b.Loop() {
		Transpose(x)
	}
}
