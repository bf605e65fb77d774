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
