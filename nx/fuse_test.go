package nx

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
)

// fuseInput returns a tensor of type dt and the given shape whose values cycle
// through special values (signed zeros, NaN, infinities, subnormals, huge and
// tiny numbers) and ordinary ones, starting at offset.
func fuseInput(dt DType, offset int, shape ...int) *Tensor {
	n := Shape(shape).Size()
	special := []float64{0, math.Copysign(0, -1), 1, -1, 0.5, -0.5, math.NaN(), math.Inf(1), math.Inf(-1),
		1e-40, -1e-40, 3e38, -3e38, 1e-300, 100, -100, 0.1, 2, 3, 7.5, -7.5, 1e6}
	v := make([]float64, n)
	for i := range v {
		if j := (i + offset) % 40; j < len(special) {
			v[i] = special[j]
		} else {
			v[i] = math.Sin(float64(i+offset)) * float64(1+(i+offset)%9)
		}
	}
	return AsType(FromSlice(v, shape...), dt)
}

// checkFused compares fn under Jit with fn run eagerly, bit for bit, and checks
// that the compiled plan has a fused step (or none, when fused is false).
func checkFused(t *testing.T, name string, fn any, fused bool, args ...*Tensor) {
	t.Helper()
	anyArgs := make([]any, len(args))
	for i, a := range args {
		anyArgs[i] = a
	}
	g, err := Inspect(fn, anyArgs...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if strings.Contains(g, "fused[") != fused {
		t.Errorf("%s: fused is %v in\n%s", name, !fused, g)
	}
	var eager, jit []*Tensor
	switch f := fn.(type) {
	case func(*Tensor) *Tensor:
		eager, jit = []*Tensor{f(args[0])}, []*Tensor{Jit(f)(args[0])}
	case func(*Tensor, *Tensor) *Tensor:
		eager, jit = []*Tensor{f(args[0], args[1])}, []*Tensor{Jit(f)(args[0], args[1])}
	case func(*Tensor, *Tensor, *Tensor) *Tensor:
		eager, jit = []*Tensor{f(args[0], args[1], args[2])}, []*Tensor{Jit(f)(args[0], args[1], args[2])}
	case func(*Tensor) []*Tensor:
		eager, jit = f(args[0]), Jit(f)(args[0])
	default:
		t.Fatalf("%s: unexpected function type %T", name, fn)
	}
	for i := range eager {
		if err := sameResult(eager[i], jit[i], 0); err != nil {
			t.Errorf("%s: result %d: %v", name, i, err)
		}
	}
}

func TestFusedUnaryMatchesEager(t *testing.T) {
	unary := map[string]func(*Tensor) *Tensor{
		"exp": Exp, "expm1": Expm1, "log": Log, "log1p": Log1p, "log2": Log2, "log10": Log10,
		"sqrt": Sqrt, "rsqrt": Rsqrt, "cbrt": Cbrt, "sigmoid": Sigmoid, "sin": Sin, "cos": Cos,
		"tan": Tan, "asin": Asin, "acos": Acos, "atan": Atan, "sinh": Sinh, "cosh": Cosh,
		"tanh": Tanh, "asinh": Asinh, "acosh": Acosh, "atanh": Atanh, "erf": Erf, "erfc": Erfc,
		"erf_inv": ErfInv, "sign": Sign, "abs": Abs, "floor": Floor, "ceil": Ceil, "round": Round,
		"negate":      Negate,
		"is_nan":      func(x *Tensor) *Tensor { return AsType(IsNaN(x), x.DType()) },
		"is_infinity": func(x *Tensor) *Tensor { return AsType(IsInfinity(x), x.DType()) },
	}
	if len(unary) != 33 {
		t.Fatalf("%d unary functions", len(unary))
	}
	for _, dt := range []DType{F32, F64} {
		x, y := fuseInput(dt, 0, 2600), fuseInput(dt, 17, 2600)
		for name, u := range unary {
			checkFused(t, fmt.Sprintf("%s %s", name, dt), func(x, y *Tensor) *Tensor {
				return Multiply(u(Multiply(x, Number(-1))), y)
			}, true, x, y)
		}
	}
}

func TestFusedBinaryMatchesEager(t *testing.T) {
	binary := map[string]func(a, b *Tensor) *Tensor{
		"add": Add, "subtract": Subtract, "multiply": Multiply, "divide": Divide, "max": Max,
		"min": Min, "pow": Pow, "remainder": Remainder, "atan2": Atan2,
		"equal":         func(a, b *Tensor) *Tensor { return Select(Equal(a, b), a, b) },
		"not_equal":     func(a, b *Tensor) *Tensor { return Select(NotEqual(a, b), b, a) },
		"less":          func(a, b *Tensor) *Tensor { return Select(Less(a, b), a, b) },
		"less_equal":    func(a, b *Tensor) *Tensor { return AsType(LessEqual(a, b), a.DType()) },
		"greater":       func(a, b *Tensor) *Tensor { return Select(Greater(a, b), a, Number(-1.5)) },
		"greater_equal": func(a, b *Tensor) *Tensor { return Select(GreaterEqual(a, b), Number(2), b) },
		"clip":          func(a, b *Tensor) *Tensor { return Clip(a, Number(-1), b) },
	}
	for _, dt := range []DType{F32, F64} {
		x, y := fuseInput(dt, 0, 2600), fuseInput(dt, 29, 2600)
		s := AsType(Scalar(0.75), dt)
		for name, op := range binary {
			checkFused(t, name+" "+dt.String(), func(x, y *Tensor) *Tensor { return op(Negate(x), y) }, true, x, y)
			checkFused(t, name+" scalar operand "+dt.String(), func(x, s *Tensor) *Tensor { return op(Negate(x), s) }, true, x, s)
			if name != "clip" {
				checkFused(t, name+" scalar first "+dt.String(), func(x, s *Tensor) *Tensor { return op(s, Negate(x)) }, true, x, s)
			}
			checkFused(t, name+" constant "+dt.String(), func(x *Tensor) *Tensor { return op(Negate(x), Number(-0.25)) }, true, x)
		}
	}
}

func TestFusedConversionsMatchEager(t *testing.T) {
	x32, x64 := fuseInput(F32, 3, 3000), fuseInput(F64, 5, 3000)
	checkFused(t, "f32 to f64", func(x, y *Tensor) *Tensor { return Add(AsType(Negate(x), F64), y) }, true, x32, x64)
	checkFused(t, "f64 to f32", func(x, y *Tensor) *Tensor { return Multiply(AsType(Negate(y), F32), x) }, true, x32, x64)
	checkFused(t, "u8 to f32", func(x, y *Tensor) *Tensor { return Multiply(AsType(Greater(x, y), F32), x) }, true, x32, AsType(x64, F32))
	checkFused(t, "u8 predicates", func(x, y *Tensor) *Tensor {
		return Select(Less(x, Number(0)), Negate(x), Sqrt(x))
	}, true, x64, x64)
	checkFused(t, "u8 results", func(x, y *Tensor) *Tensor { return Greater(Exp(x), y) }, true, x32, AsType(x64, F32))
}

func TestFusedBroadcastsMatchEager(t *testing.T) {
	x := fuseInput(F32, 0, 4*5*6)
	checkFused(t, "bias", func(x, b *Tensor) *Tensor { return Add(x, b) }, true, Reshape(x, 20, 6), fuseInput(F32, 3, 6))
	checkFused(t, "rows", func(x *Tensor) *Tensor { return Subtract(x, ReduceMax(x, Axes(1), KeepAxes())) }, true, Reshape(x, 20, 6))
	checkFused(t, "middle axis", func(x, c *Tensor) *Tensor { return Multiply(x, c) }, true, Reshape(x, 4, 5, 6), fuseInput(F32, 7, 1, 5, 1))
	checkFused(t, "single element", func(x, c *Tensor) *Tensor { return Divide(x, Broadcast(c, x.Shape())) }, true, Reshape(x, 4, 30), fuseInput(F32, 7, 1, 1))
	// Kept axes 0 and 2 around a broadcast one: materialized, not fused.
	checkFused(t, "outer axes", func(x, c *Tensor) *Tensor { return Multiply(x, c) }, false, Reshape(x, 4, 5, 6), fuseInput(F32, 7, 4, 1, 6))
	checkFused(t, "one operand broadcast two ways", func(w *Tensor) *Tensor {
		return Subtract(Broadcast(w, Shape{7, 7}, Axes(1)), Broadcast(w, Shape{7, 7}, Axes(0)))
	}, true, fuseInput(F32, 3, 7))
	big := fuseInput(F64, 1, 3*2100)
	checkFused(t, "rows longer than a block", func(x, b *Tensor) *Tensor { return Tanh(Add(x, b)) }, true, Reshape(big, 3, 2100), fuseInput(F64, 5, 3, 1))
	checkFused(t, "columns longer than a block", func(x, b *Tensor) *Tensor { return Tanh(Add(x, b)) }, true, Reshape(big, 3, 2100), fuseInput(F64, 5, 2100))
}

func TestFusedReductionsMatchEager(t *testing.T) {
	reductions := map[string]func(*Tensor, ...Option) *Tensor{
		"sum": Sum, "max": ReduceMax, "min": ReduceMin, "product": Product,
	}
	shapes := []Shape{{40, 7}, {33, 3000}, {2, 3}, {64, 2, 5}}
	for _, dt := range []DType{F32, F64} {
		for _, shape := range shapes {
			x := fuseInput(dt, 11, shape...)
			for name, r := range reductions {
				axes := Axes(-1)
				if len(shape) == 3 {
					axes = Axes(1, 2)
				}
				checkFused(t, fmt.Sprintf("%s %s%v", name, dt, shape), func(x *Tensor) *Tensor {
					return r(Multiply(Tanh(x), Number(1.25)), axes)
				}, true, x)
			}
			checkFused(t, fmt.Sprintf("softmax %s%v", dt, shape), softmaxRows, true, x)
		}
	}
	x := fuseInput(F32, 1, 40, 7)
	checkFused(t, "leading axis", func(x *Tensor) *Tensor { return Sum(Exp(Negate(x)), Axes(0)) }, true, x)
	lines := inspectLines(t, func(x *Tensor) *Tensor { return Sum(Exp(Negate(x)), Axes(0)) }, x)
	if !strings.Contains(lines[1], "= reduce(") {
		t.Errorf("a reduction over a leading axis is fused:\n%s", strings.Join(lines, "\n"))
	}
}

func TestFusionBoundaries(t *testing.T) {
	x := Zeros(F32, 2, 3)
	cases := []struct {
		name string
		fn   any
		want []string
	}{
		{"value used outside the chain is a result", func(x *Tensor) []*Tensor {
			a := Exp(x)
			return []*Tensor{Tanh(a), Transpose(a)}
		}, []string{"%0 = fused[exp, tanh](p0) : f32[2][3], f32[2][3]", "%1 = transpose(%0.0) : f32[3][2]",
			"result 0: %0.1", "result 1: %1"}},
		{"a use outside ends the chain", func(x *Tensor) []*Tensor {
			a := Exp(x)
			// Steps run in the order the results need them: exp, cos, then
			// the transpose, which ends the chain, the sum and the product.
			return []*Tensor{Multiply(Cos(a), Sum(Transpose(a)))}
		}, []string{"%0 = fused[exp, cos](p0) : f32[2][3], f32[2][3]", "%1 = transpose(%0.0) : f32[3][2]",
			"%2 = fused[reduce](%1) : f32", "%3 = multiply(%0.1, %2) : f32[2][3]", "result 0: %3"}},
		{"chains merge", func(x *Tensor) []*Tensor {
			return []*Tensor{Add(Exp(x), Sin(x))}
		}, []string{"%0 = fused[exp, sin, add](p0) : f32[2][3]", "result 0: %0"}},
		{"reshapes inside a chain", func(x *Tensor) []*Tensor {
			return []*Tensor{Sin(Reshape(Exp(x), 3, 2))}
		}, []string{"%0 = fused[exp, reshape, sin](p0) : f32[3][2]", "result 0: %0"}},
		{"reduction ends the chain", func(x *Tensor) []*Tensor {
			e := Exp(x)
			return []*Tensor{Sum(e, Axes(1)), Sin(e)}
		}, []string{"%0 = fused[exp, reduce](p0) : f32[2][3], f32[2]", "%1 = sin(%0.0) : f32[2][3]",
			"result 0: %0.1", "result 1: %1"}},
		{"sizes differ", func(x *Tensor) []*Tensor {
			return []*Tensor{Exp(Sum(Sin(x), Axes(1)))}
		}, []string{"%0 = fused[sin, reduce](p0) : f32[2]", "%1 = exp(%0) : f32[2]", "result 0: %1"}},
		{"a reshape ending a chain is its result", func(x *Tensor) []*Tensor {
			a := Reshape(Exp(Sin(x)), 3, 2)
			return []*Tensor{Transpose(a), Add(Tanh(a), Cos(a))}
		}, []string{"%0 = fused[sin, exp, reshape](p0) : f32[3][2]", "%1 = transpose(%0) : f32[2][3]",
			"%2 = fused[tanh, cos, add](%0) : f32[3][2]", "result 0: %1", "result 1: %2"}},
		{"integers are not fused", func(x *Tensor) []*Tensor {
			return []*Tensor{Add(Multiply(AsType(x, S32), Number(2)), Number(1))}
		}, []string{"%0 = as_type(p0) : s32[2][3]", "%1 = multiply(%0, const s32(2)) : s32[2][3]",
			"%2 = add(%1, const s32(1)) : s32[2][3]", "result 0: %2"}},
	}
	for _, c := range cases {
		got := inspectLines(t, c.fn, x)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: plan\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
		checkFused(t, c.name, c.fn, strings.Contains(strings.Join(c.want, ""), "fused["), fuseInput(F32, 2, 2, 3))
	}
}

func TestFusedWhileBody(t *testing.T) {
	type state struct{ X, I *Tensor }
	loop := func(x *Tensor) *Tensor {
		s := While(state{x, Scalar(int32(0))},
			func(s state) *Tensor { return Less(s.I, Scalar(int32(5))) },
			func(s state) state {
				return state{Tanh(Add(Multiply(s.X, Number(0.5)), Number(1))), Add(s.I, Number(1))}
			})
		return s.X
	}
	x := fuseInput(F32, 4, 3000)
	want := x
	for i := 0; i < 5; i++ {
		want = Tanh(Add(Multiply(want, Number(0.5)), Number(1)))
	}
	for name, got := range map[string]*Tensor{"eager": loop(x), "jit": Jit(loop)(x)} {
		if err := sameResult(want, got, 0); err != nil {
			t.Errorf("%s loop: %v", name, err)
		}
	}
}

func TestFusedGradients(t *testing.T) {
	loss := func(x *Tensor) *Tensor {
		s := softmaxRows(Tanh(Multiply(x, Number(0.7))))
		return Sum(Multiply(s, Sigmoid(x)))
	}
	x := fuseInput(F64, 3, 40, 30)
	x = Select(IsNaN(x), Number(0.5), Clip(x, Number(-5), Number(5)))
	eager := Grad(loss)(x)
	jit := Jit(Grad(loss))(x)
	if err := sameResult(eager, jit, 0); err != nil {
		t.Errorf("jit(grad): %v", err)
	}
	// A gradient through a compiled function replays its steps symbolically.
	through := Grad(Jit(loss))(x)
	if err := sameResult(eager, through, 0); err != nil {
		t.Errorf("grad(jit): %v", err)
	}
}

func TestJitFallsBackForVectorizedInputs(t *testing.T) {
	f := func(x *Tensor) *Tensor { return Sum(Exp(Negate(x)), Axes(-1)) }
	x := Vectorize(fuseInput(F32, 0, 3, 4), "rows")
	want, got := f(x), Jit(f)(x)
	if err := sameResult(want, got, 0); err != nil || len(got.VectorizedAxes()) != 1 {
		t.Errorf("vectorized input: %v %v", got, err)
	}
}

func TestFusedMultipleCopies(t *testing.T) {
	// One value that is a result under two shapes.
	fn := func(x *Tensor) []*Tensor {
		e := Exp(Sin(x))
		return []*Tensor{e, Reshape(e, 3, 2), Cos(e)}
	}
	checkFused(t, "copies", fn, true, fuseInput(F32, 0, 2, 3))
	x := fuseInput(F32, 0, 2, 3)
	if !bytes.Equal(Jit(fn)(x)[1].Bytes(), Exp(Sin(x)).Bytes()) {
		t.Error("reshaped result differs")
	}
}

// TestFusedScalarSpecialsMatchEager runs max, min, comparisons and select
// against scalar operands that are special values (signed zeros, NaN,
// infinity), either side, since the executor's loops for a scalar operand
// swap it to the right.
func TestFusedScalarSpecialsMatchEager(t *testing.T) {
	ops := map[string]func(a, b *Tensor) *Tensor{
		"max": Max, "min": Min,
		"equal":         func(a, b *Tensor) *Tensor { return AsType(Equal(a, b), a.DType()) },
		"not_equal":     func(a, b *Tensor) *Tensor { return AsType(NotEqual(a, b), a.DType()) },
		"less":          func(a, b *Tensor) *Tensor { return Select(Less(a, b), a, b) },
		"less_equal":    func(a, b *Tensor) *Tensor { return Select(LessEqual(a, b), b, a) },
		"greater":       func(a, b *Tensor) *Tensor { return Select(Greater(a, b), a, Number(-1.5)) },
		"greater_equal": func(a, b *Tensor) *Tensor { return Select(GreaterEqual(a, b), Number(2), Number(-3)) },
	}
	for _, dt := range []DType{F32, F64} {
		x := fuseInput(dt, 0, 2600)
		for _, c := range []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), -1} {
			s := AsType(Scalar(c), dt)
			for name, op := range ops {
				label := fmt.Sprintf("%s %v %s", name, c, dt)
				checkFused(t, label+" right", func(x, s *Tensor) *Tensor { return op(Negate(x), s) }, true, x, s)
				checkFused(t, label+" left", func(x, s *Tensor) *Tensor { return op(s, Negate(x)) }, true, x, s)
			}
		}
	}
}
