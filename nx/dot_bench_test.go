package nx

import (
	"fmt"
	"testing"
)

// ctrBenchMatrix returns an n×n tensor of type dt with small varied values.
func ctrBenchMatrix(dt DType, n, seed int) *Tensor {
	v := make([]float64, n*n)
	for i := range v {
		v[i] = float64((i*7+seed*13)%17)/8 - 1
	}
	return AsType(FromSlice(v, n, n), dt)
}

// BenchmarkDot measures square matrix products, reporting GFLOP/s (2n³ floating
// point operations per product).
func BenchmarkDot(b *testing.B) {
	for _, dt := range []DType{F32, F64} {
		for _, n := range []int{256, 512, 1024} {
			x, y := ctrBenchMatrix(dt, n, 1), ctrBenchMatrix(dt, n, 2)
			b.Run(fmt.Sprintf("%s/%d", dt, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					Dot(x, y)
				}
				b.ReportMetric(2*float64(n)*float64(n)*float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
	// Contracting axis 0 of both operands (xᵀ·y): the kernel reads x transposed
	// in place, without a copy.
	x, y := ctrBenchMatrix(F32, 512, 1), ctrBenchMatrix(F32, 512, 2)
	b.Run("f32/512/transposed", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			DotGeneral(x, []int{0}, nil, y, []int{0}, nil)
		}
		b.ReportMetric(2*512*512*512*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
	// A batch of small products.
	bx := AsType(Iota(Shape{256, 32, 32}), F32)
	b.Run("f32/batch256x32", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			DotGeneral(bx, []int{2}, []int{0}, bx, []int{1}, []int{0})
		}
		b.ReportMetric(2*256*32*32*32*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

// BenchmarkTranspose measures the eager transpose of a 1024×1024 f32 matrix,
// the copy Dot makes when an operand's axes are not in a usable order.
func BenchmarkTranspose(b *testing.B) {
	x := ctrBenchMatrix(F32, 1024, 1)
	b.ReportAllocs()
	for b.Loop() {
		Transpose(x)
	}
	b.ReportMetric(float64(1024*1024*4*2)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
}
