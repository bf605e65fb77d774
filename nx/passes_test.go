package nx

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func init() { strictOptimize = true } // a bug in a pass fails the tests

// inspectLines returns Inspect's plan without the parameter lines.
func inspectLines(t *testing.T, fn any, args ...any) []string {
	t.Helper()
	g, err := Inspect(fn, args...)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(g), "\n") {
		if !strings.HasPrefix(l, "parameter") && !strings.HasPrefix(l, "captured") {
			lines = append(lines, l)
		}
	}
	return lines
}

func TestPassesOnInspect(t *testing.T) {
	negZero := Scalar(float32(math.Copysign(0, -1)))
	cases := []struct {
		name string
		fn   any
		args []any
		want []string
	}{
		{"cse of equal steps", func(x *Tensor) *Tensor { return Add(Transpose(x), Transpose(x)) },
			[]any{Zeros(F32, 2, 3)},
			[]string{"%0 = transpose(p0) : f32[3][2]", "%1 = add(%0, %0) : f32[3][2]", "result 0: %1"}},
		{"cse through equal constants", func(x *Tensor) *Tensor {
			return Subtract(Transpose(Multiply(x, Number(2))), Transpose(Multiply(x, Number(2))))
		}, []any{Zeros(S32, 2, 3)},
			[]string{"%0 = multiply(p0, const s32(2)) : s32[2][3]", "%1 = transpose(%0) : s32[3][2]",
				"%2 = subtract(%1, %1) : s32[3][2]", "result 0: %2"}},
		{"x*1, 1*x, x/1, x-0 and x+(-0) are x", func(x *Tensor) *Tensor {
			y := Divide(Multiply(Number(1), Multiply(x, Number(1))), Number(1))
			return Add(Subtract(y, Number(0)), negZero)
		}, []any{Zeros(F32, 4)}, []string{"result 0: p0"}},
		{"x+0 is not x for floats (-0+0 is +0)", func(x *Tensor) *Tensor { return Add(x, Number(0)) },
			[]any{Zeros(F32, 4)}, []string{"%0 = add(p0, const f32(0.0)) : f32[4]", "result 0: %0"}},
		{"x+0 is x for integers", func(x *Tensor) *Tensor { return Add(Number(0), x) },
			[]any{Zeros(S64, 4)}, []string{"result 0: p0"}},
		{"double negation and pow(x, 1)", func(x *Tensor) *Tensor { return Pow(Negate(Negate(x)), Number(1.0)) },
			[]any{Zeros(F64, 3)}, []string{"result 0: p0"}},
		{"transpose of transpose", func(x *Tensor) *Tensor {
			return Transpose(Transpose(x, Axes(1, 2, 0)), Axes(2, 0, 1))
		}, []any{Zeros(F32, 2, 3, 4)}, []string{"result 0: p0"}},
		{"transposes compose", func(x *Tensor) *Tensor {
			return Transpose(Transpose(x, Axes(1, 2, 0)), Axes(1, 0, 2))
		}, []any{Zeros(F32, 2, 3, 4)}, []string{"%0 = transpose(p0) : f32[4][3][2]", "result 0: %0"}},
		{"reshape of reshape", func(x *Tensor) *Tensor { return Reshape(Reshape(x, 6), 3, 2) },
			[]any{Zeros(U8, 2, 3)}, []string{"%0 = reshape(p0) : u8[3][2]", "result 0: %0"}},
		{"reshape back to the shape", func(x *Tensor) *Tensor { return Reshape(Reshape(x, 6), 2, 3) },
			[]any{Zeros(U8, 2, 3)}, []string{"result 0: p0"}},
		{"select between equal branches", func(p, x *Tensor) *Tensor { return Select(p, x, x) },
			[]any{Zeros(U8, 3), Zeros(F32, 3)}, []string{"result 0: p1"}},
		{"stop_grad is the identity when running", func(x *Tensor) *Tensor { return StopGrad(x) },
			[]any{Zeros(F32, 3)}, []string{"result 0: p0"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := inspectLines(t, c.fn, c.args...)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestSimplificationIsExact runs the simplified functions on the values where
// an inexact rule would differ: signed zeros, NaN, infinities.
func TestSimplificationIsExact(t *testing.T) {
	negZero := math.Copysign(0, -1)
	x := FromSlice([]float32{0, float32(negZero), 1, -2.5, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e-40})
	fns := map[string]func(*Tensor) *Tensor{
		"x+0":     func(x *Tensor) *Tensor { return Add(x, Number(0)) },
		"0+x":     func(x *Tensor) *Tensor { return Add(Number(0), x) },
		"x+(-0)":  func(x *Tensor) *Tensor { return Add(x, Number(negZero)) },
		"x-0":     func(x *Tensor) *Tensor { return Subtract(x, Number(0)) },
		"x-(-0)":  func(x *Tensor) *Tensor { return Subtract(x, Number(negZero)) },
		"x*1":     func(x *Tensor) *Tensor { return Multiply(x, Number(1)) },
		"x/1":     func(x *Tensor) *Tensor { return Divide(x, Number(1)) },
		"--x":     func(x *Tensor) *Tensor { return Negate(Negate(x)) },
		"pow x 1": func(x *Tensor) *Tensor { return Pow(x, Number(1)) },
	}
	for name, fn := range fns {
		want, got := fn(x), Jit(fn)(x)
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Errorf("%s: jit %v, eager %v", name, got, want)
		}
	}
}

func TestHooksAreNeverMergedOrFolded(t *testing.T) {
	var calls []string
	f := Jit(func(x *Tensor) *Tensor {
		a := Hook(x, func(v *Tensor) { calls = append(calls, "a") })
		b := Hook(x, func(v *Tensor) { calls = append(calls, "b") })
		c := Hook(Scalar(float32(2)), func(v *Tensor) { calls = append(calls, "const") }) // concrete: runs now
		return Add(Multiply(Exp(a), c), Exp(b))
	})
	x := FromSlice([]float32{0, 1})
	f(x)
	f(x)
	if got := strings.Join(calls, " "); got != "const a b a b" {
		t.Errorf("hooks ran %q, want the constant one once at trace, then both per call", got)
	}
	lines := inspectLines(t, func(x *Tensor) *Tensor {
		a := Hook(x, func(*Tensor) {})
		b := Hook(x, func(*Tensor) {})
		Hook(Exp(x), func(*Tensor) {}) // unused result: never traced
		return Add(Exp(a), Exp(b))
	}, Zeros(F32, 2))
	want := []string{"%0 = hook(p0) : f32[2]", "%1 = hook(p0) : f32[2]",
		"%2 = fused[exp, exp, add](%0, %1) : f32[2]", "result 0: %2"}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("plan:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// TestRewriteFoldsConstants checks folding on a hand-made plan: tracing runs
// steps on constants at once, so only rewriting can make them.
func TestRewriteFoldsConstants(t *testing.T) {
	c := FromSlice([]float64{0, 1})
	var seen int
	hook := hookAttr{func(*Tensor) { seen++ }}
	vec := spec{shape: Shape{2}, dtype: F64}
	steps := []step{
		{op: expOp, args: []ref{{kind: refConst, value: c}}, specs: []spec{vec}},                                                                           // folded
		{op: addOp, args: []ref{{kind: refStep, i: 0}, {kind: refConst, value: c}}, specs: []spec{vec}},                                                    // folded next
		{op: hookOp, attr: hook, args: []ref{{kind: refStep, i: 1}}, specs: []spec{vec}},                                                                   // kept
		{op: mulOp, args: []ref{{kind: refInput, i: 0}, {kind: refStep, i: 2}}, specs: []spec{vec}},                                                        // kept
		{op: sinOp, args: []ref{{kind: refConst, value: Iota(Shape{foldLimit + 1}, Type(F64))}}, specs: []spec{{shape: Shape{foldLimit + 1}, dtype: F64}}}, // too large
	}
	outs := []ref{{kind: refStep, i: 3}, {kind: refStep, i: 1}, {kind: refStep, i: 4}}
	got, res := rewrite([]spec{vec}, steps, outs)
	if len(got) != 3 || got[0].op != hookOp || got[1].op != mulOp || got[2].op != sinOp {
		t.Fatalf("rewritten steps %v, want hook, multiply and sin", got)
	}
	if got[0].args[0].kind != refConst || res[1].kind != refConst {
		t.Fatalf("the hook's operand and result 1 should be folded constants: %v, %v", got[0].args[0], res[1])
	}
	want := Add(Exp(c), c)
	if !bytes.Equal(res[1].value.Bytes(), want.Bytes()) {
		t.Errorf("folded %v, want %v", res[1].value, want)
	}
	p := &plan{steps: steps, outs: outs, nInputs: 1, inSpecs: []spec{vec}}
	p.lastUse = lastUses(p.steps, p.outs)
	p.opt = optimize(p)
	r := p.run([]*Tensor{FromSlice([]float64{2, 3})})
	if seen != 1 || !bytes.Equal(r[0].Bytes(), Multiply(FromSlice([]float64{2, 3}), want).Bytes()) {
		t.Errorf("hook ran %d times, result %v", seen, r[0])
	}
}

func TestDeadCodeKeepsEffects(t *testing.T) {
	vec := spec{shape: Shape{2}, dtype: F32}
	steps := []step{
		{op: expOp, args: []ref{{kind: refInput}}, specs: []spec{vec}},
		{op: hookOp, attr: hookAttr{func(*Tensor) {}}, args: []ref{{kind: refStep, i: 0}}, specs: []spec{vec}},
		{op: sinOp, args: []ref{{kind: refInput}}, specs: []spec{vec}},
		{op: cosOp, args: []ref{{kind: refInput}}, specs: []spec{vec}},
	}
	got, outs := deadCode(steps, []ref{{kind: refStep, i: 3}})
	if len(got) != 3 || got[0].op != expOp || got[1].op != hookOp || got[2].op != cosOp {
		t.Fatalf("kept %v, want exp, hook, cos", got)
	}
	if outs[0] != (ref{kind: refStep, i: 2}) || got[1].args[0] != (ref{kind: refStep, i: 0}) {
		t.Errorf("renumbered refs %v %v", outs, got[1].args)
	}
}

func TestPureNeedsPlainAttributes(t *testing.T) {
	cases := []struct {
		op   *opDef
		attr any
		want bool
	}{
		{addOp, nil, true},
		{reduceOp, reduceAttr{reduceSum, []int{1}}, true},
		{transposeOp, transposeAttr{[]int{1, 0}}, true},
		{hookOp, hookAttr{}, false},
		{whileOp, &whileAttr{}, false},
		{customGradOp, customGradAttr{}, false},
		{&opDef{name: "custom"}, customAttr{}, false},
	}
	for _, c := range cases {
		if got := pure(c.op, c.attr); got != c.want {
			t.Errorf("pure(%s, %T) = %v, want %v", c.op.name, c.attr, got, c.want)
		}
	}
}
