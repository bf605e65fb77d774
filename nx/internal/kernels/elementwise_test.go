package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// specials are values the elementwise loops must treat exactly as Go does.
var specials = []float64{0, math.Copysign(0, -1), 1, -1, math.Inf(1), math.Inf(-1), math.NaN(),
	math.MaxFloat32, math.SmallestNonzeroFloat32, math.MaxFloat64, math.SmallestNonzeroFloat64, 1e-40, 3}

// fill returns n values: mostly random, with specials mixed in.
func fill[T float32 | float64](r *rand.Rand, n int) []T {
	s := make([]T, n)
	for i := range s {
		if r.IntN(4) == 0 {
			s[i] = T(specials[r.IntN(len(specials))])
		} else {
			s[i] = T(r.NormFloat64() * 100)
		}
	}
	return s
}

// sameBits reports whether x and y are the same float, NaNs matching NaNs.
func sameBits[T float32 | float64](x, y T) bool {
	return x == y && math.Signbit(float64(x)) == math.Signbit(float64(y)) || x != x && y != y
}

func testElementwise[T float32 | float64](t *testing.T, name string, fn, ref func(dst, a, b []T)) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, l := range levels() {
		prev := SetLevel(l)
		for n := 0; n < 80; n++ {
			for _, size := range []int{n, 1000 + n} {
				a, b := fill[T](r, size+3), fill[T](r, size+3)
				got, want := make([]T, size+1), make([]T, size+1)
				got[size], want[size] = 7, 7
				fn(got[:size], a, b)
				ref(want[:size], a, b)
				for i := range got {
					if !sameBits(got[i], want[i]) {
						t.Fatalf("%s/%s n=%d: element %d is %v, want %v (a=%v b=%v)", name, l, size, i, got[i], want[i], a[min(i, size)], b[min(i, size)])
					}
				}
				// In place, over a.
				fn(a[:size], a, b)
				for i := range size {
					if !sameBits(a[i], want[i]) {
						t.Fatalf("%s/%s n=%d in place: element %d is %v, want %v", name, l, size, i, a[i], want[i])
					}
				}
			}
		}
		SetLevel(prev)
	}
}

func TestElementwise(t *testing.T) {
	testElementwise(t, "AddF32", AddF32, addGo[float32])
	testElementwise(t, "SubF32", SubF32, subGo[float32])
	testElementwise(t, "MulF32", MulF32, mulGo[float32])
	testElementwise(t, "DivF32", DivF32, divGo[float32])
	testElementwise(t, "AddF64", AddF64, addGo[float64])
	testElementwise(t, "SubF64", SubF64, subGo[float64])
	testElementwise(t, "MulF64", MulF64, mulGo[float64])
	testElementwise(t, "DivF64", DivF64, divGo[float64])
}

func TestElementwiseKnown(t *testing.T) {
	a, b := []float32{1, 2, 3}, []float32{4, 5, 6}
	d := make([]float32, 3)
	SubF32(d, a, b)
	if d[0] != -3 || d[1] != -3 || d[2] != -3 {
		t.Errorf("SubF32 = %v, want [-3 -3 -3]", d)
	}
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9}
	y := make([]float64, 9)
	DivF64(y, x, x[:9])
	for i, v := range y {
		if v != 1 {
			t.Errorf("DivF64 x/x: element %d is %v, want 1", i, v)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("AddF32 with a short operand did not panic")
		}
	}()
	AddF32(make([]float32, 4), a, b)
}

// TestScalarF32 checks the scalar loops at every level against the Go loops,
// for every length up to four vectors and beyond, scalars special or not,
// in place too.
func TestScalarF32(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	cs := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), 1e-40, 3, -0.5}
	for _, l := range levels() {
		prev := SetLevel(l)
		for op := Add; op <= Div; op++ {
			for _, left := range []bool{false, true} {
				fn, ref := ScalarRightF32, scalarRightGo[float32]
				if left {
					fn, ref = ScalarLeftF32, scalarLeftGo[float32]
				}
				for n := 0; n < 80; n++ {
					for _, size := range []int{n, 1000 + n} {
						c := cs[r.IntN(len(cs))]
						if r.IntN(2) == 0 {
							c = float32(r.NormFloat64())
						}
						a := fill[float32](r, size+3)
						got, want := make([]float32, size+1), make([]float32, size+1)
						got[size], want[size] = 7, 7
						fn(op, got[:size], a, c)
						ref(op, want[:size], a, c)
						for i := range got {
							if !sameBits(got[i], want[i]) {
								t.Fatalf("op %d left %v/%s n=%d c=%v: element %d is %v, want %v", op, left, l, size, c, i, got[i], want[i])
							}
						}
						fn(op, a[:size], a, c)
						for i := range size {
							if !sameBits(a[i], want[i]) {
								t.Fatalf("op %d left %v/%s n=%d in place: element %d is %v, want %v", op, left, l, size, i, a[i], want[i])
							}
						}
					}
				}
			}
		}
		SetLevel(prev)
	}
}

// TestMinMaxScalarF32 checks max and min against a scalar at every level
// against Go's builtins, bit for bit: signed zeros both ways round, NaNs in
// the slice and as the scalar.
func TestMinMaxScalarF32(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	nan := float32(math.NaN())
	cs := []float32{0, float32(math.Copysign(0, -1)), nan, float32(math.Inf(-1)), 1, -2.5}
	bits := func(x float32) uint32 { return math.Float32bits(x) }
	for _, l := range levels() {
		prev := SetLevel(l)
		for _, isMax := range []bool{true, false} {
			for n := 0; n < 70; n++ {
				for _, size := range []int{n, 1000 + n} {
					c := cs[r.IntN(len(cs))]
					a := fill[float32](r, size+3)
					for i := range a {
						if r.IntN(5) == 0 {
							a[i] = cs[r.IntN(len(cs))]
						}
					}
					got := make([]float32, size+1)
					got[size] = 7
					MinMaxScalarF32(isMax, got[:size], a, c, nan)
					for i := range size {
						want := nan
						switch {
						case a[i] != a[i] || c != c:
						case isMax:
							want = max(a[i], c)
						default:
							want = min(a[i], c)
						}
						if bits(got[i]) != bits(want) {
							t.Fatalf("max %v/%s n=%d: element %d of (%v, %v) is %v (%#x), want %v (%#x)", isMax, l, size, i, a[i], c, got[i], bits(got[i]), want, bits(want))
						}
					}
					if got[size] != 7 {
						t.Fatalf("max %v/%s n=%d: wrote past the end", isMax, l, size)
					}
				}
			}
		}
		SetLevel(prev)
	}
}
