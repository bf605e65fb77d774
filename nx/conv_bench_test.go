package nx

import (
	"fmt"
	"testing"
)

// BenchmarkConv measures 2-D convolutions typical of small CNNs, reporting
// GFLOP/s (two operations per multiply-add).
func BenchmarkConv(b *testing.B) {
	cases := []struct {
		name          string
		input, kernel []int
		opts          []Option
		out           int // output elements
	}{
		{"3x3/8x32x32x32->64", []int{8, 32, 32, 32}, []int{64, 32, 3, 3}, []Option{Padded(Same)}, 8 * 64 * 32 * 32},
		{"5x5/64x1x28x28->32", []int{64, 1, 28, 28}, []int{32, 1, 5, 5}, nil, 64 * 32 * 24 * 24},
		{"depthwise3x3/8x64x32x32", []int{8, 64, 32, 32}, []int{64, 1, 3, 3}, []Option{Padded(Same), FeatureGroups(64)}, 8 * 64 * 32 * 32},
	}
	for _, tc := range cases {
		x := ctrTensor(F32, ctrVals(Shape(tc.input).Size(), 7, 13, 6), tc.input...)
		k := ctrTensor(F32, ctrVals(Shape(tc.kernel).Size(), 3, 5, 2), tc.kernel...)
		macs := float64(tc.out) * float64(Shape(tc.kernel[1:]).Size())
		b.Run(fmt.Sprintf("f32/%s", tc.name), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Conv(x, k, tc.opts...)
			}
			b.ReportMetric(2*macs*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkWindowMax measures 3×3 max pooling with strides of 2.
func BenchmarkWindowMax(b *testing.B) {
	x := ctrTensor(F32, ctrVals(8*64*64*64, 7, 101, 50), 8, 64, 64, 64)
	b.ReportAllocs()
	for b.Loop() {
		WindowMax(x, []int{1, 1, 3, 3}, Strides(1, 1, 2, 2), Padded(Same))
	}
}

// BenchmarkConvMNIST measures the convolutions of the MNIST CNN of
// examples/mnist (batch 128): each layer's forward pass and the two backward
// primitives, reporting GFLOP/s.
func BenchmarkConvMNIST(b *testing.B) {
	for _, l := range []struct {
		name          string
		input, kernel []int
	}{
		{"conv1/128x1x28x28->32", []int{128, 1, 28, 28}, []int{32, 1, 3, 3}},
		{"conv2/128x32x26x26->64", []int{128, 32, 26, 26}, []int{64, 32, 3, 3}},
	} {
		x := ctrTensor(F32, ctrVals(Shape(l.input).Size(), 7, 13, 6), l.input...)
		k := ctrTensor(F32, ctrVals(Shape(l.kernel).Size(), 3, 5, 2), l.kernel...)
		shape, _, a := convPrepare(x, k, nil)
		g := ctrTensor(F32, ctrVals(shape.Size(), 5, 11, 4), shape...)
		macs := float64(shape.Size()) * float64(Shape(l.kernel[1:]).Size())
		for _, op := range []struct {
			name string
			fn   func()
		}{
			{"forward", func() { convForward(x, k, a) }},
			{"input", func() { convBackInput(g, k, a, x.Shape()) }},
			{"kernel", func() { convBackKernel(x, g, a, k.Shape()) }},
		} {
			b.Run(l.name+"/"+op.name, func(b *testing.B) {
				for b.Loop() {
					op.fn()
				}
				b.ReportMetric(2*macs*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkMaxPoolMNIST measures the MNIST CNN's 2×2 max pooling over
// [128,64,24,24]: forward and the select-and-scatter of its gradient.
func BenchmarkMaxPoolMNIST(b *testing.B) {
	x := ctrTensor(F32, ctrVals(128*64*24*24, 7, 101, 50), 128, 64, 24, 24)
	g := ctrTensor(F32, ctrVals(128*64*12*12, 3, 17, 8), 128, 64, 12, 12)
	b.Run("forward", func(b *testing.B) {
		for b.Loop() {
			WindowMax(x, []int{1, 1, 2, 2}, Strides(1, 1, 2, 2))
		}
	})
	b.Run("scatter", func(b *testing.B) {
		for b.Loop() {
			WindowScatterMax(x, g, Scalar(float32(0)), []int{1, 1, 2, 2}, Strides(1, 1, 2, 2))
		}
	})
}
