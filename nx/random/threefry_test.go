package random

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// mustPanic fails t unless fn panics with an *nx.Error whose text contains
// every one of want.
func mustPanic(t *testing.T, fn func(), want ...string) {
	t.Helper()
	err := nx.Try(fn)
	var e *nx.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want an *nx.Error containing %q", err, want)
	}
	for _, w := range want {
		if !strings.Contains(e.Error(), w) {
			t.Fatalf("error %q does not contain %q", e.Error(), w)
		}
	}
}

// checkValues fails t unless x has type dt and shape, and its values are
// within tol of want.
func checkValues(t *testing.T, x *nx.Tensor, dt nx.DType, shape []int, want []float64, tol float64) {
	t.Helper()
	if x.DType() != dt || !x.Shape().Equal(nx.Shape(shape)) {
		t.Fatalf("got %s%s, want %s%s", x.DType(), x.Shape(), dt, nx.Shape(shape))
	}
	got := x.Float64s()
	for i := range want {
		if math.Abs(got[i]-want[i]) > tol*max(1, math.Abs(want[i])) {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

// checkWords fails t unless x is a u32 tensor of the given shape holding want.
func checkWords(t *testing.T, x *nx.Tensor, shape []int, want ...uint64) {
	t.Helper()
	if x.DType() != nx.U32 || !x.Shape().Equal(nx.Shape(shape)) {
		t.Fatalf("got %s%s, want u32%s", x.DType(), x.Shape(), nx.Shape(shape))
	}
	if got := x.Uint64s(); !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

// TestThreefryKnownAnswers checks the cipher against the Random123 known-answer
// vectors for Threefry-2x32 with 20 rounds, which JAX's tests use too.
func TestThreefryKnownAnswers(t *testing.T) {
	tests := []struct {
		key, counter, want [2]uint32
	}{
		{[2]uint32{0, 0}, [2]uint32{0, 0}, [2]uint32{0x6b200159, 0x99ba4efe}},
		{[2]uint32{0xffffffff, 0xffffffff}, [2]uint32{0xffffffff, 0xffffffff}, [2]uint32{0x1cb996fc, 0xbb002be7}},
		{[2]uint32{0x13198a2e, 0x03707344}, [2]uint32{0x243f6a88, 0x85a308d3}, [2]uint32{0xc4923a9c, 0x483df7a0}},
	}
	for _, tc := range tests {
		key := nx.FromSlice(tc.key[:])
		y0, y1 := threefry(keyWords(key), nx.FromSlice(tc.counter[:1]), nx.FromSlice(tc.counter[1:]))
		if got := [2]uint32{y0.Data().([]uint32)[0], y1.Data().([]uint32)[0]}; got != tc.want {
			t.Errorf("threefry(key %#x, counter %#x) = %#x, want %#x", tc.key, tc.counter, got, tc.want)
		}
	}
}

func TestKey(t *testing.T) {
	checkWords(t, Key(12), []int{2}, 0, 12)
	checkWords(t, Key(44), []int{2}, 0, 44)
	checkWords(t, Key(999999999999), []int{2}, 232, 3567587327)
	checkWords(t, Key(-1), []int{2}, 0xffffffff, 0xffffffff)
}

func TestSplit(t *testing.T) {
	tests := []struct {
		seed  int64
		n     int
		words []uint64
	}{
		{1701, 2, []uint64{56197195, 1801093307, 961309823, 1704866707}},
		{1701, 4, []uint64{4000152724, 2030591747, 2287976877, 2598630646, 2426625787, 580268518, 3136765380, 433355682}},
		{33, 2, []uint64{671281441, 790285293, 234515160, 3878582434}},
		{33, 12, []uint64{966561810, 334783285, 1262072629, 1899563600, 3750833143, 3406870597,
			2539864401, 3552854032, 201687315, 590048257, 3348546826, 4091268549,
			1610907819, 3073378539, 3054273782, 2286163366, 4120769120, 1468859077,
			2405343452, 1650615538, 4063810472, 2490879298, 259087434, 3260250733}},
		{1, 0, []uint64{}},
	}
	for _, tc := range tests {
		checkWords(t, Split(Key(tc.seed), tc.n), []int{tc.n, 2}, tc.words...)
	}
	mustPanic(t, func() { Split(nx.FromSlice([]int32{0, 1}), 2) }, "random.Split(s32[2])", "u32[2]")
	mustPanic(t, func() { Split(Key(1), -1) }, "n is -1")
}

func TestFoldIn(t *testing.T) {
	checkWords(t, FoldIn(Key(42), 99), []int{2}, 2015327502, 1351855566)
	checkWords(t, FoldIn(Key(42), 1234), []int{2}, 1356445167, 2917756949)
	checkWords(t, FoldInTensor(Key(42), nx.FromSlice([]int64{1, 99, 1234, 13}, 2, 2)), []int{2, 2, 2},
		64467757, 2916123636, 2015327502, 1351855566, 1356445167, 2917756949, 3514951389, 229662949)
	checkWords(t, FoldInTensor(Key(42), nx.Scalar(uint8(99))), []int{2}, 2015327502, 1351855566)
	mustPanic(t, func() { FoldInTensor(Key(42), nx.Scalar(1.5)) }, "random.FoldInTensor(u32[2], f64)", "integer data")
	mustPanic(t, func() { FoldIn(nx.Zeros(nx.U32, 3), 1) }, "random.FoldIn(u32[3])", "want a key")
}

// threefryReference is threefryBits written with nx operations (the cipher's
// rounds as tensor operations over all pairs at once), the second source the
// kernel is checked against.
func threefryReference(key *nx.Tensor, n int) *nx.Tensor {
	counters := nx.Iota(nx.Shape{n}, nx.Type(nx.U32))
	if n%2 == 1 {
		counters = nx.Concatenate([]*nx.Tensor{counters, nx.Zeros(nx.U32, 1)})
	}
	h := (n + 1) / 2
	y0, y1 := threefry(keyWords(key), nx.Slice(counters, []int{0}, []int{h}), nx.Slice(counters, []int{h}, []int{h}))
	return nx.Slice(nx.Concatenate([]*nx.Tensor{y0, y1}), []int{0}, []int{n})
}

// TestThreefryKernelMatchesExpression checks the words of the kernel against
// the nx expression of the cipher, eager and compiled, for odd and even
// counts and counts that split across goroutines.
func TestThreefryKernelMatchesExpression(t *testing.T) {
	jitted := nx.Jit(func(key *nx.Tensor) *nx.Tensor { return threefryBits(key, nx.Shape{3, 5}) })
	for _, seed := range []int64{0, 42, -1, 0x13198a2e03707344} {
		key := Key(seed)
		for _, n := range []int{1, 2, 3, 15, 64, 2*threefryGrain*4 + 3} {
			want := threefryReference(key, n).Data().([]uint32)
			got := threefryBits(key, nx.Shape{n}).Data().([]uint32)
			if !slices.Equal(got, want) {
				t.Fatalf("seed %d, n %d: kernel and expression differ", seed, n)
			}
		}
		want := threefryReference(key, 15).Data().([]uint32)
		if got := jitted(key); !got.Shape().Equal(nx.Shape{3, 5}) || !slices.Equal(got.Data().([]uint32), want) {
			t.Fatalf("seed %d: compiled words %v, want %v", seed, got, want)
		}
	}
}

func BenchmarkThreefryBits(b *testing.B) {
	key := Key(7)
	for b.Loop() {
		threefryBits(key, nx.Shape{1 << 20})
	}
	b.ReportMetric(float64(b.N<<20)/b.Elapsed().Seconds()/1e6, "Mwords/s")
}

// TestUnitF32MatchesExpression checks the one-kernel f32 values in [1, 2)
// against the nx expression of the same construction from threefryBits,
// bit for bit, eagerly and compiled, for sizes odd and even.
func TestUnitF32MatchesExpression(t *testing.T) {
	expr := func(key *nx.Tensor, shape nx.Shape) *nx.Tensor {
		bits := nx.RightShift(threefryBits(key, shape), nx.Scalar(uint32(9), nx.U32))
		return nx.Bitcast(nx.BitwiseOr(bits, nx.Scalar(uint32(0x3f800000), nx.U32)), nx.F32)
	}
	for _, seed := range []int64{0, 42, -7} {
		for _, shape := range []nx.Shape{{1}, {7}, {3, 5}, {64, 1000}} {
			key := Key(seed)
			want := expr(key, shape).Float32s()
			compiled := nx.Jit(func(k *nx.Tensor) *nx.Tensor { return unitF32(k, shape) })
			for name, got := range map[string][]float32{"eager": unitF32(key, shape).Float32s(), "compiled": compiled(key).Float32s()} {
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) || got[i] < 1 || got[i] >= 2 {
						t.Fatalf("seed %d shape %v %s: value %d = %v, want %v", seed, shape, name, i, got[i], want[i])
					}
				}
			}
		}
	}
}
