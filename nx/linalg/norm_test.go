package linalg

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

func TestNorm(t *testing.T) {
	v := nx.FromSlice([]int64{3, -4, 0, 0})
	m := nx.FromSlice([]int64{3, -2, 2, -4}, 2, 2)
	tests := []struct {
		name  string
		t     *nx.Tensor
		opts  []Option
		want  []float64
		dt    nx.DType
		shape []int
	}{
		{"vector default", nx.FromSlice([]int64{3, 4}), nil, []float64{5}, nx.F32, nil},
		{"vector 1", nx.FromSlice([]int64{3, 4}), []Option{Ord(1)}, []float64{7}, nx.F32, nil},
		{"vector inf", v, []Option{Ord(Inf)}, []float64{4}, nx.F32, nil},
		{"vector neg inf", nx.FromSlice([]int64{3, -4}), []Option{Ord(NegInf)}, []float64{3}, nx.F32, nil},
		{"vector 0", v, []Option{Ord(0)}, []float64{2}, nx.F32, nil},
		{"vector 3", nx.FromSlice([]float64{1, 2, 3}), []Option{Ord(3)}, []float64{math.Cbrt(36)}, nx.F64, nil},
		{"vector -1", nx.FromSlice([]float64{1, 2, 4}), []Option{Ord(-1)}, []float64{4. / 7}, nx.F64, nil},
		{"vector keep axes", nx.FromSlice([]int64{3, 4}), []Option{KeepAxes()}, []float64{5}, nx.F32, []int{1}},
		{"huge values", nx.FromSlice([]float32{3e30, 4e30}), nil, []float64{5e30}, nx.F32, nil},
		{"matrix -1", nx.FromSlice([]int64{3, -1, 2, -4}, 2, 2), []Option{Ord(-1)}, []float64{5}, nx.F32, nil},
		{"matrix 1", m, []Option{Ord(1)}, []float64{6}, nx.F32, nil},
		{"matrix neg inf", m, []Option{Ord(NegInf)}, []float64{5}, nx.F32, nil},
		{"matrix inf", m, []Option{Ord(Inf)}, []float64{6}, nx.F32, nil},
		{"frobenius", nx.FromSlice([]int64{3, 0, 0, -4}, 2, 2), []Option{Ord(Frobenius)}, []float64{5}, nx.F32, nil},
		{"matrix default", nx.FromSlice([]int64{3, 0, 0, -4}, 2, 2), nil, []float64{5}, nx.F32, nil},
		{"nuclear", nx.FromSlice([]int64{1, 0, 0, 0, -4, 0, 0, 0, 9}, 3, 3), []Option{Ord(Nuclear)}, []float64{14}, nx.F32, nil},
		{"-2", nx.FromSlice([]int64{1, 0, 0, 0, -4, 0, 0, 0, 9}, 3, 3), []Option{Ord(-2)}, []float64{1}, nx.F32, nil},
		{"numpy nuclear", mat([]float64{1, 2}, []float64{3, 4}), []Option{Ord(Nuclear)}, []float64{5.8309518948453}, nx.F64, nil},
		{"numpy 2", mat([]float64{1, 2}, []float64{3, 4}), []Option{Ord(2)}, []float64{5.464985704219043}, nx.F64, nil},
		{"numpy -2", mat([]float64{1, 2}, []float64{3, 4}), []Option{Ord(-2)}, []float64{0.36596619062625746}, nx.F64, nil},
		{"matrix keep axes", m, []Option{Ord(Inf), KeepAxes()}, []float64{6}, nx.F32, []int{1, 1}},
		{"rows", nx.FromSlice([]int64{3, 4, 0, -4}, 2, 2), []Option{Axes(1)}, []float64{5, 4}, nx.F32, []int{2}},
		{"columns keep axes", nx.FromSlice([]int64{3, 4, 0, -4}, 2, 2), []Option{Axes(-2), KeepAxes(), Ord(1)}, []float64{3, 8}, nx.F32, []int{1, 2}},
		{"complex columns", nx.FromSlice([]complex64{3i, 4, 4, 0}, 2, 2), []Option{Axes(0)}, []float64{5, 4}, nx.F32, []int{2}},
		{"complex neg inf", nx.FromSlice([]complex64{3i, 0, 4, 0}, 2, 2), []Option{Ord(NegInf)}, []float64{3}, nx.F32, nil},
		{"zeros", nx.Zeros(nx.S64, 2, 2), nil, []float64{0}, nx.F32, nil},
		{"both axes", m, []Option{Axes(0, 1), Ord(1)}, []float64{6}, nx.F32, nil},
		{"both axes swapped", m, []Option{Axes(1, 0), Ord(1)}, []float64{6}, nx.F32, nil},
		{"f16", nx.AsType(nx.FromSlice([]int64{3, 4}), nx.F16), nil, []float64{5}, nx.F16, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := Norm(tc.t, tc.opts...)
			checkShape(t, "norm", n, tc.dt, tc.shape...)
			closeTo(t, "norm", n.Float64s(), tc.want, 1e-6)
		})
	}
}

func TestNormErrors(t *testing.T) {
	mustPanic(t, func() { Norm(nx.FromSlice([]int64{3, 4}), Ord(Frobenius)) }, "linalg.Norm(s64[2])", "ord frobenius needs a matrix")
	mustPanic(t, func() { Norm(nx.Zeros(nx.F32, 2, 2, 2)) }, "linalg.Norm(f32[2][2][2])", "1-D or 2-D")
	mustPanic(t, func() { Norm(nx.Zeros(nx.F32, 2, 2), Ord(3)) }, "linalg.Norm(f32[2][2])", "invalid ord 3 for a matrix")
	mustPanic(t, func() { Norm(nx.Zeros(nx.F32, 2, 2), Ord(0)) }, "invalid ord 0 for a matrix")
	mustPanic(t, func() { Norm(nx.Zeros(nx.F32, 2, 2), Axes(2)) }, "invalid axes [2]")
	mustPanic(t, func() { Norm(nx.Zeros(nx.F32, 2, 2), Axes(0, 0)) }, "invalid axes [0 0]")
	mustPanic(t, func() { Norm(nx.Zeros(nx.C64, 2, 2), Ord(Nuclear)) }, "complex matrix is not supported")
	mustPanic(t, func() { Norm(nx.Zeros(nx.F32, 2), Mode(Reduced)) }, "option linalg.Mode is not supported (takes: Axes, KeepAxes, Ord)")
}
