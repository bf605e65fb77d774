package nx

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestHookRunsInsideCompiledCode(t *testing.T) {
	var seen [][]float32
	f := Jit(func(x *Tensor) *Tensor {
		h := Hook(Exp(x), func(v *Tensor) { seen = append(seen, v.Float32s()) })
		return Sum(h)
	})
	f(FromSlice([]float32{0, 0}))
	f(FromSlice([]float32{0, 1}))
	if len(seen) != 2 || seen[0][0] != 1 || seen[1][1] != Exp(Scalar(float32(1))).Float32s()[0] {
		t.Errorf("hook saw %v, want one call per run with the runtime values", seen)
	}
	// Gradients pass through hooks.
	g := Grad(func(x *Tensor) *Tensor { return Sum(Hook(Square(x), func(*Tensor) {})) })(FromSlice([]float64{3}))
	if g.Float64() != 6 {
		t.Errorf("gradient through Hook = %v, want 6", g)
	}
}

func TestPrint(t *testing.T) {
	var buf bytes.Buffer
	defer func(w io.Writer) { printTo = w }(printTo)
	printTo = &buf
	f := Jit(func(x *Tensor) *Tensor { return Print(Add(x, Number(1)), "x+1") })
	f(FromSlice([]int32{1, 2}))
	want := "x+1: nx.Tensor<\n  s32[2]\n  [2, 3]\n>\n"
	if buf.String() != want {
		t.Errorf("Print wrote %q, want %q", buf.String(), want)
	}
}

func TestInspect(t *testing.T) {
	g, err := Inspect(func(x, y *Tensor) *Tensor { return Sum(Multiply(Exp(x), y), Axes(1)) },
		Zeros(F32, 2, 3), Zeros(F32, 3))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"parameter 0: f32[2][3]",
		"parameter 1: f32[3]",
		"%0 = fused[exp, multiply, reduce](p0, bcast(p1)) : f32[2]",
		"result 0: %0",
		"",
	}, "\n")
	if g != want {
		t.Errorf("Inspect =\n%s\nwant\n%s", g, want)
	}
	if _, err := Inspect(func(x *Tensor) *Tensor { return Add(x, Zeros(F32, 5)) }, Zeros(F32, 2)); err == nil {
		t.Error("Inspect of a failing function returned no error")
	}
}

func TestPlanReleasesDeadValues(t *testing.T) {
	p, _ := compile(nil, nil)
	if len(p.steps) != 0 {
		t.Fatal("empty plan has steps")
	}
	x := Parameter("x", F64, 3)
	y := Exp(Add(Sin(x), Cos(x)))
	pl, _ := compile([]*Tensor{x}, []*Tensor{y})
	// sin and cos die at add, add dies at exp: only the result lives to the end.
	for i, last := range pl.lastUse {
		if lives := last == len(pl.steps); lives != (i == len(pl.steps)-1) {
			t.Errorf("step %d (%s): last use %d of %d steps", i, pl.steps[i].op.name, last, len(pl.steps))
		}
	}
	got := pl.run([]*Tensor{FromSlice([]float64{0, 1, 2})})[0]
	want := Exp(Add(Sin(FromSlice([]float64{0, 1, 2})), Cos(FromSlice([]float64{0, 1, 2}))))
	if !reflect.DeepEqual(got.Value(), want.Value()) {
		t.Errorf("plan %v, eager %v", got, want)
	}
}
