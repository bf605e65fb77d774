package random

import (
	"slices"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// The expected values below come from Nx.Random's documentation and tests.

func TestShuffle(t *testing.T) {
	rows := nx.Iota(nx.Shape{3, 4}, nx.Axis(0))
	cols := nx.Iota(nx.Shape{3, 4}, nx.Axis(1))
	tests := []struct {
		name string
		key  *nx.Tensor
		t    *nx.Tensor
		opts []Option
		want []float64
	}{
		{"rows", Key(42), rows, nil, []float64{2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1}},
		{"columns", Key(42), cols, []Option{Axis(1)}, []float64{2, 0, 1, 3, 2, 0, 1, 3, 2, 0, 1, 3}},
		{"independent", Key(10), cols, []Option{Axis(-1), Independent()}, []float64{2, 1, 3, 0, 3, 0, 1, 2, 2, 3, 0, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, next := Shuffle(tc.key, tc.t, tc.opts...)
			checkValues(t, s, nx.S64, []int{3, 4}, tc.want, 0)
			if next.DType() != nx.U32 || next.Size() != 2 {
				t.Fatalf("next key is %s%s", next.DType(), next.Shape())
			}
		})
	}
	// A longer shuffle is a permutation.
	s, _ := Shuffle(Key(7), nx.Iota(nx.Shape{1000}))
	got := s.Int64s()
	if slices.Equal(got, nx.Iota(nx.Shape{1000}).Int64s()) {
		t.Fatal("shuffle of 1000 elements left them in order")
	}
	slices.Sort(got)
	if !slices.Equal(got, nx.Iota(nx.Shape{1000}).Int64s()) {
		t.Fatal("shuffle is not a permutation")
	}
	// One element takes no rounds: the key comes back unchanged.
	one, next := Shuffle(Key(3), nx.FromSlice([]float32{5}))
	checkValues(t, one, nx.F32, []int{1}, []float64{5}, 0)
	checkWords(t, next, []int{2}, 0, 3)
	empty, _ := Shuffle(Key(3), nx.Zeros(nx.F32, 0, 2))
	checkValues(t, empty, nx.F32, []int{0, 2}, nil, 0)
}

func TestShuffleErrors(t *testing.T) {
	mustPanic(t, func() { Shuffle(Key(1), nx.Scalar(1.0)) }, "random.Shuffle(u32[2], f64)", "rank 1 or more")
	mustPanic(t, func() { Shuffle(Key(1), nx.Iota(nx.Shape{3}), Axis(1)) }, "axis 1 is out of range for rank 1")
	mustPanic(t, func() { Shuffle(Key(1), nx.Iota(nx.Shape{3}), Replace(false)) }, "option random.Replace is not supported (takes: Axis, Independent)")
	mustPanic(t, func() { Shuffle(nx.Iota(nx.Shape{2}), nx.Iota(nx.Shape{3})) }, "random.Shuffle(s64[2])", "want a key")
}

func TestChoice(t *testing.T) {
	t43 := nx.Iota(nx.Shape{4, 3})
	p3 := nx.FromSlice([]float32{0.1, 0.7, 0.2})
	p6 := nx.FromSlice([]float32{0.01, 0.1, 0.19, 0.6, 0.05, 0.05})
	tests := []struct {
		name  string
		key   *nx.Tensor
		t     *nx.Tensor
		n     int
		opts  []Option
		want  []float64
		shape []int
	}{
		{"rows", Key(1), t43, 4, []Option{Axis(0)}, []float64{6, 7, 8, 9, 10, 11, 6, 7, 8, 0, 1, 2}, []int{4, 3}},
		{"rows without replacement", Key(1), t43, 4, []Option{Axis(0), Replace(false)},
			[]float64{3, 4, 5, 9, 10, 11, 6, 7, 8, 0, 1, 2}, []int{4, 3}},
		{"flattened", Key(2), nx.Iota(nx.Shape{3, 2}), 1, nil, []float64{4}, []int{1}},
		{"flattened without replacement", Key(2), nx.Iota(nx.Shape{3, 2}), 6, []Option{Replace(false)},
			[]float64{2, 0, 4, 5, 1, 3}, []int{6}},
		{"probabilities", Key(1), t43, 3, []Option{Axis(1), Probabilities(p3)},
			[]float64{1, 0, 1, 4, 3, 4, 7, 6, 7, 10, 9, 10}, []int{4, 3}},
		{"probabilities without replacement", Key(1), t43, 3, []Option{Axis(1), Probabilities(p3), Replace(false)},
			[]float64{1, 2, 0, 4, 5, 3, 7, 8, 6, 10, 11, 9}, []int{4, 3}},
		{"flattened probabilities", Key(2), nx.Iota(nx.Shape{2, 3}), 1, []Option{Probabilities(p6)}, []float64{3}, []int{1}},
		{"flattened probabilities 6", Key(2), nx.Iota(nx.Shape{2, 3}), 6, []Option{Probabilities(p6)},
			[]float64{3, 3, 3, 0, 3, 3}, []int{6}},
		{"flattened probabilities without replacement", Key(2), nx.Iota(nx.Shape{2, 3}), 6, []Option{Probabilities(p6), Replace(false)},
			[]float64{3, 1, 2, 5, 4, 0}, []int{6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := Choice(tc.key, tc.t, tc.n, tc.opts...)
			checkValues(t, s, nx.S64, tc.shape, tc.want, 0)
		})
	}
}

func TestChoiceErrors(t *testing.T) {
	t6 := nx.Iota(nx.Shape{6})
	mustPanic(t, func() { Choice(Key(1), t6, 0) }, "random.Choice(u32[2], s64[6])", "n is 0")
	mustPanic(t, func() { Choice(Key(1), t6, 7, Replace(false)) }, "cannot take 7 samples out of 6 without replacement")
	mustPanic(t, func() { Choice(Key(1), t6, 2, Probabilities(nx.Ones(nx.F32, 5))) }, "probabilities must be a 1-D tensor of 6 values")
	mustPanic(t, func() { Choice(Key(1), nx.Scalar(1), 1) }, "rank 1 or more")
	mustPanic(t, func() { Choice(Key(1), t6, 1, Axis(2)) }, "axis 2 is out of range")
	mustPanic(t, func() { Choice(Key(1), t6, 1, Independent()) }, "option random.Independent is not supported")
}
