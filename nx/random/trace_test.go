package random

import (
	"slices"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// TestJit checks that sampling traces: a compiled function gives the same
// numbers as eager calls.
func TestJit(t *testing.T) {
	sample := func(key *nx.Tensor) *nx.Tensor {
		u, next := Uniform(key, 0, 1, nx.Shape{5}, nx.F32)
		n := NormalSplit(next, 0, 1, nx.Shape{5}, nx.F32)
		return nx.Add(u, n)
	}
	compiled := nx.Jit(sample)
	for _, seed := range []int64{1, 2} {
		want := sample(Key(seed)).Float64s()
		got := compiled(Key(seed)).Float64s()
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: compiled %v, eager %v", seed, got, want)
		}
	}
	shuffle := nx.Jit(func(key, x *nx.Tensor) *nx.Tensor { s, _ := Shuffle(key, x); return s })
	want, _ := Shuffle(Key(3), nx.Iota(nx.Shape{6}))
	if got := shuffle(Key(3), nx.Iota(nx.Shape{6})); !slices.Equal(got.Int64s(), want.Int64s()) {
		t.Fatalf("compiled shuffle %v, eager %v", got, want)
	}
	if k := FoldInTensor(Key(1), nx.Parameter("step", nx.S64)); !k.IsSymbolic() {
		t.Fatal("FoldInTensor of a symbolic step is not symbolic")
	}
}
