package metrics

import (
	"math"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// fold applies acc to obs one at a time, as a loop does, eagerly or inside
// nx.Jit (the step compiled once for every batch).
func fold(acc Accumulator, obs []float64, dt nx.DType, jit bool) float64 {
	step := func(a, o, i *nx.Tensor) *nx.Tensor { return acc(a, o, i) }
	if jit {
		step = nx.Jit(step)
	}
	a := nx.Scalar(0.0, dt)
	for i, o := range obs {
		a = step(a, nx.Scalar(o, dt), nx.Scalar(float32(i)))
	}
	return a.Float64()
}

func TestAccumulators(t *testing.T) {
	obs := []float64{0.5, 0.25, 1, 0.75, 0.125, 0.875, 0}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	sum := func(v []float64) float64 { return mean(v) * float64(len(v)) }
	cases := []struct {
		name string
		acc  Accumulator
		obs  []float64
		want float64
	}{
		{"average_one", RunningAverage, obs[:1], 0.5},
		{"average_two", RunningAverage, obs[:2], 0.375},
		{"average_all", RunningAverage, obs, mean(obs)},
		{"sum_one", RunningSum, obs[:1], 0.5},
		{"sum_all", RunningSum, obs, sum(obs)},
		{"average_constant", RunningAverage, []float64{0.9, 0.9, 0.9, 0.9, 0.9}, 0.9},
	}
	for _, c := range cases {
		for _, dt := range []nx.DType{nx.F32, nx.F64} {
			for _, jit := range []bool{false, true} {
				got := fold(c.acc, c.obs, dt, jit)
				tol := 1e-15
				if dt == nx.F32 {
					tol = 1e-6
				}
				if math.Abs(got-c.want) > tol {
					t.Errorf("%s %s jit=%v: %v, want %v", c.name, dt, jit, got, c.want)
				}
			}
		}
	}
}

// TestRunningSumIgnoresInitial checks that the first batch replaces whatever
// the accumulator held, as Axon's running_sum starts from the first
// observation.
func TestRunningSumIgnoresInitial(t *testing.T) {
	got := RunningSum(nx.Scalar(float32(7)), nx.Scalar(float32(2)), nx.Scalar(int64(0))).Float64()
	if got != 2 {
		t.Errorf("first batch: %v, want 2", got)
	}
	got = RunningAverage(nx.Scalar(float32(7)), nx.Scalar(float32(2)), nx.Scalar(int64(0))).Float64()
	if got != 2 {
		t.Errorf("first batch of an average: %v, want 2", got)
	}
}

// TestRunningLongAverage folds many batches in f32: the incremental form
// keeps the mean of 10000 values within f32 rounding of the exact one.
func TestRunningLongAverage(t *testing.T) {
	r := NewRunning(RunningAverage)
	exact := 0.0
	const n = 10000
	for i := range n {
		v := float32(i%97) / 97
		exact += float64(v)
		r.Add(nx.Scalar(v))
	}
	exact /= n
	if got := r.Value(); math.Abs(got-exact) > 1e-4 || r.Count() != n {
		t.Errorf("%d values: %v, want %v (count %d)", n, got, exact, r.Count())
	}
}

func TestRunning(t *testing.T) {
	r := NewRunning(RunningAverage)
	if !math.IsNaN(r.Value()) || r.Count() != 0 {
		t.Fatalf("empty: %v %d", r.Value(), r.Count())
	}
	labels := nx.FromSlice([]uint8{0, 1})
	r.Add(Accuracy(labels, nx.FromSlice([]float32{1, 0, 0, 1}, 2, 2))) // 1
	r.Add(Accuracy(labels, nx.FromSlice([]float32{0, 1, 0, 1}, 2, 2))) // 0.5
	r.Add(nx.FromSlice([]float64{0, 0, 0, 0}))                         // a vector: its mean, 0
	if got := r.Value(); math.Abs(got-0.5) > 1e-7 || r.Count() != 3 {
		t.Errorf("running accuracy %v after %d batches, want 0.5 after 3", got, r.Count())
	}
	r.Reset()
	s := NewRunning(RunningSum)
	s.Add(TruePositives(nx.FromSlice([]float32{1, 0, 1}), nx.FromSlice([]float32{0.9, 0.8, 0.7})))
	s.Add(TruePositives(nx.FromSlice([]float32{1, 1, 1}), nx.FromSlice([]float32{0.9, 0.8, 0.1})))
	if got := s.Value(); got != 4 {
		t.Errorf("running sum of true positives %v, want 4", got)
	}
	if r.Count() != 0 || !math.IsNaN(r.Value()) {
		t.Errorf("after Reset: %v %d", r.Value(), r.Count())
	}
}
