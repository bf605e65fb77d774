package nx

import (
	"fmt"
	"strings"
	"testing"
)

// denseActivations are the chains a dense layer's product feeds in the tests.
var denseActivations = map[string]func(*Tensor) *Tensor{
	"none":    func(y *Tensor) *Tensor { return y },
	"relu":    func(y *Tensor) *Tensor { return Max(y, Number(0)) },
	"sigmoid": Sigmoid,
	"tanh":    Tanh,
	"gelu":    geluTanh,
	"silu":    func(y *Tensor) *Tensor { return Multiply(y, Sigmoid(y)) },
}

// dense is a dense layer: x·w + b, then act.
func dense(act func(*Tensor) *Tensor) func(x, w, b *Tensor) *Tensor {
	return func(x, w, b *Tensor) *Tensor { return act(Add(Dot(x, w), b)) }
}

// checkEpilogue compares fn under Jit, with and without epilogue fusion, with
// eager execution, bit for bit, and checks whether the product was fused.
func checkEpilogue(t *testing.T, name string, fn func(x, w, b *Tensor) *Tensor, fused bool, x, w, b *Tensor) {
	t.Helper()
	g, err := Inspect(fn, x, w, b)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if strings.Contains(g, "fused_dot[") != fused {
		t.Errorf("%s: fused_dot is %v in\n%s", name, !fused, g)
	}
	eager := fn(x, w, b)
	got := Jit(fn)(x, w, b)
	fuseEpilogues = false
	unfused := Jit(fn)(x, w, b)
	fuseEpilogues = true
	if err := sameResult(eager, got, 0); err != nil {
		t.Errorf("%s: fused differs from eager: %v", name, err)
	}
	if err := sameResult(unfused, got, 0); err != nil {
		t.Errorf("%s: fused differs from unfused: %v", name, err)
	}
}

func TestGemmEpilogueMatchesEager(t *testing.T) {
	sizes := [][3]int{{128, 784, 128}, {5, 7, 3}, {300, 100, 70}, {1, 64, 64}, {64, 3, 200}}
	for _, dt := range []DType{F32, F64} {
		for _, sz := range sizes {
			m, k, n := sz[0], sz[1], sz[2]
			x, w, b := fuseInput(dt, 0, m, k), fuseInput(dt, 5, k, n), fuseInput(dt, 9, n)
			for name, act := range denseActivations {
				checkEpilogue(t, fmt.Sprintf("%s %s %v", name, dt, sz), dense(act), true, x, w, b)
			}
			// A column bias, a transposed weight, a scalar.
			checkEpilogue(t, fmt.Sprintf("row bias %s %v", dt, sz), func(x, w, b *Tensor) *Tensor {
				return Tanh(Add(Dot(x, w), Reshape(Slice(Concatenate([]*Tensor{b, b, b}), []int{0}, []int{m}), m, 1)))
			}, true, x, w, Tile(b, []int{m/n + 1}))
			checkEpilogue(t, fmt.Sprintf("transposed %s %v", dt, sz), func(x, w, b *Tensor) *Tensor {
				return Max(Multiply(Dot(x, Transpose(Transpose(w))), Number(0.5)), b)
			}, true, x, w, b)
		}
	}
}

func TestGemmEpilogueBoundaries(t *testing.T) {
	x, w, b := fuseInput(F32, 0, 40, 30), fuseInput(F32, 5, 30, 20), fuseInput(F32, 9, 20)
	// The product is also a result: it is written out, not fused.
	both := func(x, w, b *Tensor) []*Tensor {
		y := Dot(x, w)
		return []*Tensor{y, Sigmoid(Add(y, b))}
	}
	g, err := Inspect(both, x, w, b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(g, "fused_dot[") {
		t.Errorf("a product that is a result was fused:\n%s", g)
	}
	eager, jit := both(x, w, b), Jit(both)(x, w, b)
	for i := range eager {
		if err := sameResult(eager[i], jit[i], 0); err != nil {
			t.Errorf("result %d: %v", i, err)
		}
	}
	// The product feeds two chains, one of them a reduction: no epilogue.
	two := func(x, w, b *Tensor) *Tensor {
		y := Dot(x, w)
		return Add(Sum(Exp(y), Axes(1), KeepAxes()), Tanh(y))
	}
	checkEpilogue(t, "two consumers", two, false, x, w, b)
	// Integer products are left alone.
	xi, wi, bi := AsType(x, S32), AsType(w, S32), AsType(b, S32)
	checkEpilogue(t, "s32", dense(denseActivations["relu"]), false, xi, wi, bi)
	// An epilogue with an extra result (the pre-activation, for a gradient).
	pre := func(x, w, b *Tensor) []*Tensor {
		z := Add(Dot(x, w), b)
		return []*Tensor{Max(z, Number(0)), z}
	}
	if g, _ := Inspect(pre, x, w, b); !strings.Contains(g, "fused_dot[") {
		t.Errorf("a chain with two results was not fused:\n%s", g)
	}
	e, j := pre(x, w, b), Jit(pre)(x, w, b)
	for i := range e {
		if err := sameResult(e[i], j[i], 0); err != nil {
			t.Errorf("pre-activation result %d: %v", i, err)
		}
	}
}

// BenchmarkDenseForward runs a compiled dense layer, relu(x·w + b) with x
// 128×784 and w 784×128 (f32), with its bias and activation fused into the
// product's epilogue and without.
func BenchmarkDenseForward(b *testing.B) {
	x, w, bias := fuseInput(F32, 0, 128, 784), fuseInput(F32, 5, 784, 128), fuseInput(F32, 9, 128)
	for _, fused := range []bool{true, false} {
		b.Run(map[bool]string{true: "fused", false: "unfused"}[fused], func(b *testing.B) {
			fuseEpilogues = fused
			defer func() { fuseEpilogues = true }()
			f := Jit(dense(denseActivations["relu"]))
			f(x, w, bias)
			b.ReportAllocs()
			for b.Loop() {
				f(x, w, bias)
			}
		})
	}
}
