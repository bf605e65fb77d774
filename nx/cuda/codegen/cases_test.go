package codegen

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gonx-dev/gonx/nx"
)

// genCase is a traced function with inputs; family names its golden file.
type genCase struct {
	name   string
	family string
	golden bool // part of the family's golden file
	fn     func([]*nx.Tensor) []*nx.Tensor
	args   []*nx.Tensor
}

var floatTypes = []nx.DType{nx.F32, nx.F64, nx.F16, nx.BF16}
var intTypes = []nx.DType{nx.U8, nx.U16, nx.U32, nx.U64, nx.S8, nx.S16, nx.S32, nx.S64}

// randFloat returns n values of dt in [-lo, hi], with NaN, infinities and
// signed zeros at the front when specials is set.
func randFloat(r *rand.Rand, dt nx.DType, specials bool, lo, hi float64, shape ...int) *nx.Tensor {
	n := 1
	for _, d := range shape {
		n *= d
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*r.Float64()
	}
	if specials {
		sp := []float64{math.NaN(), math.Inf(1), math.Inf(-1), 0, math.Copysign(0, -1), 0.5, -0.5, 2.5, -2.5, 1e30, -1e30, 300, -300}
		for i := 0; i < len(sp) && i < n; i++ {
			v[i] = sp[i]
		}
	}
	return nx.AsType(nx.FromSlice(v, shape...), dt)
}

// randInt returns n random integers of dt (all bits random), with the
// limits, 0, 1 and -1 at the front.
func randInt(r *rand.Rand, dt nx.DType, shape ...int) *nx.Tensor {
	n := 1
	for _, d := range shape {
		n *= d
	}
	v := make([]uint64, n)
	for i := range v {
		v[i] = r.Uint64()
		if i%3 == 1 {
			v[i] %= 100 // small values too
		}
	}
	sp := []uint64{0, 1, math.MaxUint64, 1 << (dt.Bits() - 1), 1<<(dt.Bits()-1) - 1, 7}
	for i := 0; i < len(sp) && i < n; i++ {
		v[i] = sp[i]
	}
	return nx.AsType(nx.FromSlice(v, shape...), dt)
}

func randOf(r *rand.Rand, dt nx.DType, shape ...int) *nx.Tensor {
	if dt.IsFloat() || dt == nx.BF16 {
		return randFloat(r, dt, true, -3, 3, shape...)
	}
	return randInt(r, dt, shape...)
}

func cases() []genCase {
	r := rand.New(rand.NewPCG(1, 2))
	var cs []genCase
	add := func(c genCase) { cs = append(cs, c) }

	unaryF := []struct {
		name string
		f    func(*nx.Tensor) *nx.Tensor
	}{
		{"exp", nx.Exp}, {"expm1", nx.Expm1}, {"log", nx.Log}, {"log1p", nx.Log1p}, {"log2", nx.Log2},
		{"log10", nx.Log10}, {"sqrt", nx.Sqrt}, {"rsqrt", nx.Rsqrt}, {"cbrt", nx.Cbrt}, {"sigmoid", nx.Sigmoid},
		{"sin", nx.Sin}, {"cos", nx.Cos}, {"tan", nx.Tan}, {"asin", nx.Asin}, {"acos", nx.Acos},
		{"atan", nx.Atan}, {"sinh", nx.Sinh}, {"cosh", nx.Cosh}, {"tanh", nx.Tanh}, {"asinh", nx.Asinh},
		{"acosh", nx.Acosh}, {"atanh", nx.Atanh}, {"erf", nx.Erf}, {"erfc", nx.Erfc}, {"erfinv", nx.ErfInv},
		{"negate", nx.Negate}, {"sign", nx.Sign}, {"abs", nx.Abs}, {"floor", nx.Floor}, {"ceil", nx.Ceil},
		{"round", nx.Round}, {"is_nan", nx.IsNaN}, {"is_infinity", nx.IsInfinity},
	}
	for _, dt := range floatTypes {
		x := randFloat(r, dt, true, -3, 3, 300)
		add(genCase{name: "unary " + dt.String(), family: "unary", golden: dt == nx.F32 || dt == nx.F16,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				var outs []*nx.Tensor
				x := nx.Multiply(a[0], a[1]) // computed in the kernel: every op fuses with it
				for _, u := range unaryF {
					outs = append(outs, u.f(x))
				}
				return outs
			}, args: []*nx.Tensor{x, nx.Ones(dt, 300)}})
		// A chain fuses into one kernel.
		add(genCase{name: "chain " + dt.String(), family: "unary", golden: dt == nx.F32,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				return []*nx.Tensor{nx.Tanh(nx.Add(nx.Multiply(nx.Exp(a[0]), nx.Scalar(0.5, dt)), nx.Sin(a[0])))}
			}, args: []*nx.Tensor{x}})
	}
	unaryI := []func(*nx.Tensor) *nx.Tensor{nx.Negate, nx.Sign, nx.Abs, nx.BitwiseNot, nx.CountLeadingZeros, nx.PopulationCount}
	for _, dt := range intTypes {
		x := randInt(r, dt, 200)
		add(genCase{name: "unary " + dt.String(), family: "unary", golden: dt == nx.S8,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				var outs []*nx.Tensor
				x := nx.Multiply(a[0], a[1])
				for _, u := range unaryI {
					outs = append(outs, u(x))
				}
				return outs
			}, args: []*nx.Tensor{x, nx.Ones(dt, 200)}})
	}

	binF := []func(a, b *nx.Tensor) *nx.Tensor{nx.Add, nx.Subtract, nx.Multiply, nx.Divide, nx.Remainder, nx.Pow, nx.Atan2, nx.Max, nx.Min}
	for _, dt := range floatTypes {
		a, b := randFloat(r, dt, true, -3, 3, 250), randFloat(r, dt, false, -3, 3, 250)
		add(genCase{name: "binary " + dt.String(), family: "binary", golden: dt == nx.F32,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				var outs []*nx.Tensor
				x := nx.Multiply(a[0], a[2])
				for _, f := range binF {
					outs = append(outs, f(x, a[1]), f(a[1], x))
				}
				return outs
			}, args: []*nx.Tensor{a, b, nx.Ones(dt, 250)}})
	}
	binI := []func(a, b *nx.Tensor) *nx.Tensor{nx.Add, nx.Subtract, nx.Multiply, nx.Quotient, nx.Remainder, nx.Max, nx.Min,
		nx.BitwiseAnd, nx.BitwiseOr, nx.BitwiseXor}
	for _, dt := range intTypes {
		a, b := randInt(r, dt, 240), randInt(r, dt, 240)
		sh := nx.AsType(nx.FromSlice(shiftAmounts(r, 240, dt.IsSigned()), 240), dt)
		add(genCase{name: "binary " + dt.String(), family: "binary", golden: dt == nx.S32,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				var outs []*nx.Tensor
				x := nx.Multiply(a[0], a[3])
				for _, f := range binI {
					outs = append(outs, f(x, a[1]), f(a[1], x))
				}
				small := nx.Remainder(a[1], nx.Scalar(5, dt))
				outs = append(outs, nx.Pow(x, small), nx.LeftShift(x, a[2]), nx.RightShift(x, a[2]))
				return outs
			}, args: []*nx.Tensor{a, b, sh, nx.Ones(dt, 240)}})
	}

	for _, dt := range append(append([]nx.DType{}, floatTypes...), intTypes...) {
		a, b := randOf(r, dt, 200), randOf(r, dt, 200)
		b = nx.Select(nx.Less(nx.Iota(nx.Shape{200}), nx.Scalar(int64(40))), a, b) // equal elements
		add(genCase{name: "compare " + dt.String(), family: "compare", golden: dt == nx.F32 || dt == nx.U8,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				return []*nx.Tensor{nx.Equal(a[0], a[1]), nx.NotEqual(a[0], a[1]), nx.Less(a[0], a[1]),
					nx.LessEqual(a[0], a[1]), nx.Greater(a[0], a[1]), nx.GreaterEqual(a[0], a[1]),
					nx.Select(nx.Greater(a[0], a[1]), a[0], a[1]), nx.Select(nx.Equal(a[0], a[1]), a[1], nx.Scalar(3, dt))}
			}, args: []*nx.Tensor{a, b}})
	}

	all := append(append([]nx.DType{}, floatTypes...), intTypes...)
	for _, from := range all {
		var x *nx.Tensor
		if from.IsFloat() || from == nx.BF16 {
			x = randFloat(r, from, true, -4e9, 4e9, 100)
			x = nx.Concatenate([]*nx.Tensor{x, randFloat(r, from, false, -300, 300, 100)})
		} else {
			x = randInt(r, from, 200)
		}
		add(genCase{name: "convert " + from.String(), family: "convert", golden: from == nx.F32,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				var outs []*nx.Tensor
				x := nx.Multiply(a[0], a[1])
				for _, to := range all {
					if to != from {
						outs = append(outs, nx.AsType(x, to))
					}
				}
				return outs
			}, args: []*nx.Tensor{x, nx.Ones(from, 200)}})
	}

	x := randFloat(r, nx.F32, false, -2, 2, 2, 3, 4)
	y := randFloat(r, nx.F32, false, -2, 2, 3, 1)
	z := randFloat(r, nx.F32, false, -2, 2, 4, 3, 2)
	add(genCase{name: "broadcast transpose", family: "broadcast", golden: true,
		fn: func(a []*nx.Tensor) []*nx.Tensor {
			t := nx.Transpose(a[2], nx.Axes(2, 1, 0)) // [2][3][4]
			s := nx.Add(nx.Multiply(a[0], a[1]), t)
			return []*nx.Tensor{s, nx.Reshape(nx.Transpose(s, nx.Axes(0, 2, 1)), 6, 4), nx.Transpose(a[0], nx.Axes(1, 0, 2))}
		}, args: []*nx.Tensor{x, y, z}})
	add(genCase{name: "broadcast softmax", family: "broadcast", golden: true,
		fn: func(a []*nx.Tensor) []*nx.Tensor {
			m := nx.ReduceMax(a[0], nx.Axes(-1), nx.KeepAxes())
			e := nx.Exp(nx.Subtract(a[0], m))
			return []*nx.Tensor{nx.Divide(e, nx.Sum(e, nx.Axes(-1), nx.KeepAxes()))}
		}, args: []*nx.Tensor{x}})
	add(genCase{name: "broadcast mixed types", family: "broadcast",
		fn: func(a []*nx.Tensor) []*nx.Tensor {
			h := nx.AsType(a[0], nx.F16)
			return []*nx.Tensor{nx.Add(h, nx.AsType(a[1], nx.F16)), nx.AsType(nx.Greater(a[0], nx.Scalar(0, nx.F32)), nx.S32)}
		}, args: []*nx.Tensor{x, y}})

	for _, dt := range []nx.DType{nx.F32, nx.F64, nx.F16, nx.BF16, nx.S32, nx.U8, nx.S64, nx.U16} {
		var w *nx.Tensor
		if dt.IsFloat() || dt == nx.BF16 {
			w = randFloat(r, dt, false, -1.5, 1.5, 3, 5, 7)
		} else {
			w = randInt(r, dt, 3, 5, 7)
		}
		add(genCase{name: "reduce " + dt.String(), family: "reduce", golden: dt == nx.F32 || dt == nx.S32,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				var outs []*nx.Tensor
				for _, axes := range [][]int{{0}, {1}, {2}, {0, 2}, {0, 1, 2}} {
					outs = append(outs, nx.Sum(a[0], nx.Axes(axes...)), nx.Product(a[0], nx.Axes(axes...)),
						nx.ReduceMax(a[0], nx.Axes(axes...)), nx.ReduceMin(a[0], nx.Axes(axes...)))
				}
				return outs
			}, args: []*nx.Tensor{w}})
	}
	rows := randFloat(r, nx.F32, true, -1, 1, 300, 7)
	add(genCase{name: "reduce short rows", family: "reduce", golden: true,
		fn: func(a []*nx.Tensor) []*nx.Tensor {
			e := nx.Exp(a[0])
			return []*nx.Tensor{nx.Sum(e, nx.Axes(1)), nx.ReduceMax(a[0], nx.Axes(1)), nx.Argmax(a[0], nx.Axis(1)),
				nx.Argmin(nx.AsType(a[0], nx.F16), nx.Axis(1), nx.Tie(nx.TieHigh))}
		}, args: []*nx.Tensor{rows}})
	big := randFloat(r, nx.F32, false, -1, 1, 3000)
	add(genCase{name: "reduce fused chain", family: "reduce", golden: true,
		fn: func(a []*nx.Tensor) []*nx.Tensor {
			sq := nx.Multiply(a[0], a[0])
			return []*nx.Tensor{nx.Sum(nx.Exp(sq)), nx.ReduceMax(nx.Multiply(sq, nx.Scalar(2, nx.F32)))}
		}, args: []*nx.Tensor{big}})
	add(genCase{name: "reduce with a nan", family: "reduce",
		fn: func(a []*nx.Tensor) []*nx.Tensor {
			return []*nx.Tensor{nx.ReduceMax(a[0], nx.Axes(1)), nx.ReduceMin(a[0], nx.Axes(0)), nx.Sum(a[0], nx.Axes(1))}
		}, args: []*nx.Tensor{randFloat(r, nx.F32, true, -1, 1, 20, 30)}})

	for _, dt := range []nx.DType{nx.F32, nx.F64, nx.F16, nx.S32, nx.U8, nx.S64} {
		var w *nx.Tensor
		if dt.IsFloat() {
			w = nx.Round(randFloat(r, dt, true, -3, 3, 4, 6, 5)) // many ties
		} else {
			w = nx.Remainder(randInt(r, dt, 4, 6, 5), nx.Scalar(4, dt))
		}
		add(genCase{name: "argreduce " + dt.String(), family: "argreduce", golden: dt == nx.F32,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				var outs []*nx.Tensor
				for _, tie := range []nx.TieBreak{nx.TieLow, nx.TieHigh} {
					outs = append(outs, nx.Argmax(a[0], nx.Tie(tie)), nx.Argmin(a[0], nx.Tie(tie)))
					for axis := 0; axis < 3; axis++ {
						outs = append(outs, nx.Argmax(a[0], nx.Axis(axis), nx.Tie(tie)), nx.Argmin(a[0], nx.Axis(axis), nx.Tie(tie), nx.Type(nx.S32)))
					}
				}
				return outs
			}, args: []*nx.Tensor{w}})
	}

	// The gradient of a small MLP's loss: products (GEMMs), broadcasts,
	// reductions and the elementwise chains that gradients produce.
	for _, dt := range []nx.DType{nx.F32, nx.F64} {
		xs := randFloat(r, dt, false, -1, 1, 8, 5)
		w1 := randFloat(r, dt, false, -0.5, 0.5, 5, 6)
		w2 := randFloat(r, dt, false, -0.5, 0.5, 6, 3)
		labels := nx.AsType(nx.FromSlice([]int64{0, 2, 1, 1, 0, 2, 2, 1}, 8), nx.S64)
		add(genCase{name: "grad mlp " + dt.String(), family: "grad", golden: dt == nx.F32,
			fn: func(a []*nx.Tensor) []*nx.Tensor {
				loss := func(w []*nx.Tensor) *nx.Tensor {
					h := nx.Max(nx.Dot(a[0], w[0]), nx.Scalar(0, dt))
					logits := nx.Dot(h, w[1])
					m := nx.ReduceMax(logits, nx.Axes(1), nx.KeepAxes())
					lse := nx.Add(nx.Log(nx.Sum(nx.Exp(nx.Subtract(logits, m)), nx.Axes(1), nx.KeepAxes())), m)
					onehot := nx.AsType(nx.Equal(nx.Reshape(a[3], 8, 1), nx.Iota(nx.Shape{1, 3}, nx.Axis(1))), dt)
					return nx.Mean(nx.Sum(nx.Multiply(onehot, nx.Subtract(lse, logits)), nx.Axes(1)))
				}
				v, g := nx.ValueAndGrad(loss)([]*nx.Tensor{a[1], a[2]})
				return append([]*nx.Tensor{v}, g...)
			}, args: []*nx.Tensor{xs, w1, w2, labels}})
	}
	return cs
}

// shiftAmounts returns shift counts from -2 to 70 (0 to 70 unsigned).
func shiftAmounts(r *rand.Rand, n int, signed bool) []int64 {
	v := make([]int64, n)
	for i := range v {
		v[i] = int64(r.IntN(73)) - 2
		if !signed && v[i] < 0 {
			v[i] = 0
		}
	}
	return v
}

func (c genCase) String() string { return fmt.Sprintf("%s (%s)", c.name, c.family) }
