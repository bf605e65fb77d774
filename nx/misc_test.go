package nx

import (
	"math"
	"reflect"
	"testing"
)

func TestComplexAndPhase(t *testing.T) {
	c := Complex(FromSlice([]float32{1, -2}), FromSlice([]float32{2, 0.5}))
	if c.DType() != C64 || !reflect.DeepEqual(c.Value(), []complex64{1 + 2i, -2 + 0.5i}) {
		t.Errorf("Complex = %v", c)
	}
	if got := Complex(Scalar(1.0), Scalar(int32(1))).DType(); got != C128 {
		t.Errorf("Complex(f64, s32) dtype %s, want c128", got)
	}
	p := Phase(FromSlice([]complex128{1i, -1, 1})).Float64s()
	if p[0] != math.Pi/2 || p[1] != math.Pi || p[2] != 0 {
		t.Errorf("Phase = %v", p)
	}
	if got := Phase(FromSlice([]float64{-3, 2})).Float64s(); got[0] != math.Pi || got[1] != 0 {
		t.Errorf("Phase of reals = %v", got)
	}
}

func TestAllClose(t *testing.T) {
	inf := math.Inf(1)
	cases := []struct {
		a, b []float64
		want uint8
	}{
		{[]float64{1, 2}, []float64{1, 2 + 1e-9}, 1},
		{[]float64{1, 2}, []float64{1, 2.1}, 0},
		{[]float64{inf, -inf}, []float64{inf, -inf}, 1},
		{[]float64{math.NaN()}, []float64{math.NaN()}, 0},
	}
	for _, c := range cases {
		if got := AllClose(FromSlice(c.a), FromSlice(c.b), 1e-5, 1e-8).Uint8s()[0]; got != c.want {
			t.Errorf("AllClose(%v, %v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestWeightedMeanAndCovariance(t *testing.T) {
	x := FromSlice([]float64{1, 2, 3, 4}, 2, 2)
	w := FromSlice([]float64{1, 3})
	// np.average([[1,2],[3,4]], weights=[1,3], axis=1) = [1.75, 3.75]
	if got := WeightedMean(x, w, Axes(1)).Float64s(); got[0] != 1.75 || got[1] != 3.75 {
		t.Errorf("WeightedMean = %v", got)
	}
	// np.cov(data, rowvar=False, ddof=0) for data = [[1,2],[2,4],[3,7]]
	data := FromSlice([]float64{1, 2, 2, 4, 3, 7}, 3, 2)
	want := []float64{2.0 / 3, 5.0 / 3, 5.0 / 3, 38.0 / 9}
	got := Covariance(data).Float64s()
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Fatalf("Covariance = %v, want %v", got, want)
		}
	}
	if got := Covariance(data, DDOF(1)).Float64s()[0]; math.Abs(got-1) > 1e-12 {
		t.Errorf("Covariance ddof=1 [0,0] = %v, want 1", got)
	}
}
