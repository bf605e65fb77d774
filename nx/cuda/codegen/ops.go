package codegen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// exprCtx collects what an expression needs from the prelude.
type exprCtx struct {
	used map[string]bool
	conv map[string]string // float-to-integer conversions by helper name
}

func (c *exprCtx) use(name string) string {
	c.used[name] = true
	for _, d := range helpers[name].deps {
		c.use(d)
	}
	return "nx_" + name
}

// mark records the conversion helpers that loads and stores of dt use.
func (c *exprCtx) mark(dt nx.DType) {
	switch dt {
	case nx.F16:
		c.use("h2f")
		c.use("f2h")
	case nx.BF16:
		c.use("bf2f")
		c.use("f2bf")
	}
}

// floatUnary maps nx's float functions to C's, by the float name (the
// double one drops the f).
var floatUnary = map[string]string{
	"exp": "expf", "expm1": "expm1f", "log": "logf", "log1p": "log1pf", "log2": "log2f",
	"log10": "log10f", "sqrt": "sqrtf", "cbrt": "cbrtf", "sin": "sinf", "cos": "cosf",
	"tan": "tanf", "asin": "asinf", "acos": "acosf", "atan": "atanf", "sinh": "sinhf",
	"cosh": "coshf", "tanh": "tanhf", "asinh": "asinhf", "acosh": "acoshf", "atanh": "atanhf",
	"erf": "erff", "erfc": "erfcf", "erfinv": "erfinvf", "floor": "floorf", "ceil": "ceilf",
	"round": "roundf", "abs": "fabsf",
}

// Ops lists the elementwise primitives (by nx name, sorted) that kernels
// compute.
func Ops() []string {
	ops := []string{"negate", "sign", "rsqrt", "sigmoid", "is_nan", "is_infinity", "bitwise_not",
		"count_leading_zeros", "population_count",
		"add", "subtract", "multiply", "divide", "quotient", "remainder", "pow", "atan2", "max", "min",
		"bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift",
		"equal", "not_equal", "less", "less_equal", "greater", "greater_equal", "select", "as_type"}
	for k := range floatUnary {
		ops = append(ops, k)
	}
	sort.Strings(ops)
	return ops
}

// elementwise reports whether the node is an elementwise primitive kernels
// compute, for the node's types.
func elementwise(g *nx.Graph, n *nx.Node) bool {
	if len(n.Results()) != 1 || !supported(n.Results()[0].DType) {
		return false
	}
	switch n.Op() {
	case "count_leading_zeros", "population_count":
	default:
		if !n.Elementwise() {
			return false
		}
	}
	in := make([]nx.DType, 0, 3)
	args := make([]string, 0, 3)
	for k, v := range n.Operands() {
		dt := g.Spec(v).DType
		if !supported(dt) {
			return false
		}
		in = append(in, dt)
		args = append(args, fmt.Sprintf("a%d", k))
	}
	ctx := &exprCtx{used: map[string]bool{}, conv: map[string]string{}}
	_, err := ewExpr(ctx, n.Op(), in, n.Results()[0].DType, args)
	return err == nil
}

// ewExpr returns the C expression, in out's compute type, of primitive op
// applied to args (in their compute types).
func ewExpr(ctx *exprCtx, op string, in []nx.DType, out nx.DType, args []string) (string, error) {
	ct := compType(out)
	bad := func() (string, error) {
		return "", fmt.Errorf("codegen: no kernel for %s of %v", op, in)
	}
	if len(in) == 0 {
		return bad()
	}
	a := args[0]
	t := in[0]
	dbl := t == nx.F64
	fl := isFloat(t)
	sfx := "_f"
	if dbl {
		sfx = "_d"
	}
	cast := func(e string) string { return "((" + ct + ")(" + e + "))" }
	w := func(k int) string { return "((" + wide(in[k]) + ")" + args[k] + ")" }
	uw := func(k int) string { return "((unsigned long long)" + args[k] + ")" }
	if len(in) == 1 {
		if f, ok := floatUnary[op]; ok && fl {
			if dbl {
				f = strings.TrimSuffix(f, "f")
			}
			return f + "(" + a + ")", nil
		}
		switch op {
		case "negate":
			if fl {
				return "(-" + a + ")", nil
			}
			return cast("0ULL - " + uw(0)), nil
		case "rsqrt":
			if fl {
				if dbl {
					return "(1.0 / sqrt(" + a + "))", nil
				}
				return "(1.0f / sqrtf(" + a + "))", nil
			}
		case "sigmoid":
			if fl {
				return ctx.use("sigmoid"+sfx) + "(" + a + ")", nil
			}
		case "sign":
			if fl {
				return ctx.use("sign"+sfx) + "(" + a + ")", nil
			}
			if t.IsUnsigned() {
				return cast("(" + a + " > 0)"), nil
			}
			return cast("(" + a + " > 0) - (" + a + " < 0)"), nil
		case "abs":
			if t.IsUnsigned() {
				return a, nil
			}
			if !fl {
				return cast(a + " < 0 ? 0ULL - " + uw(0) + " : " + uw(0)), nil
			}
		case "is_nan":
			if fl {
				return cast("(" + a + " != " + a + ")"), nil
			}
		case "is_infinity":
			if fl {
				inf := "nx_bits_f(0x7f800000u)"
				if dbl {
					inf = "nx_bits_d(0x7ff0000000000000ULL)"
				}
				return cast("(" + a + " == " + inf + " || " + a + " == -" + inf + ")"), nil
			}
		case "bitwise_not":
			if !fl {
				return cast("~" + w(0)), nil
			}
		case "count_leading_zeros", "population_count":
			if !fl {
				name := "clz"
				if op == "population_count" {
					name = "popc"
				}
				return cast(fmt.Sprintf("%s(%s, %d)", ctx.use(name), w(0), t.Bits())), nil
			}
		case "as_type":
			return convert(ctx, t, out, a), nil
		}
		return bad()
	}
	if len(in) == 3 {
		if op == "select" && in[0] == nx.U8 {
			return "(" + a + " ? " + args[1] + " : " + args[2] + ")", nil
		}
		return bad()
	}
	b := args[1]
	if in[1] != t {
		return bad()
	}
	cmp := map[string]string{"equal": "==", "not_equal": "!=", "less": "<", "less_equal": "<=", "greater": ">", "greater_equal": ">="}
	if c, ok := cmp[op]; ok {
		return cast("(" + a + " " + c + " " + b + ")"), nil
	}
	if fl {
		f := func(name string) string {
			if dbl {
				return name
			}
			return name + "f"
		}
		switch op {
		case "add":
			return "(" + a + " + " + b + ")", nil
		case "subtract":
			return "(" + a + " - " + b + ")", nil
		case "multiply":
			return "(" + a + " * " + b + ")", nil
		case "divide":
			return "(" + a + " / " + b + ")", nil
		case "remainder":
			return f("fmod") + "(" + a + ", " + b + ")", nil
		case "pow":
			return f("pow") + "(" + a + ", " + b + ")", nil
		case "atan2":
			return f("atan2") + "(" + a + ", " + b + ")", nil
		case "max":
			return ctx.use("max"+sfx) + "(" + a + ", " + b + ")", nil
		case "min":
			return ctx.use("min"+sfx) + "(" + a + ", " + b + ")", nil
		}
		return bad()
	}
	signed := t.IsSigned()
	switch op {
	case "add":
		return cast(uw(0) + " + " + uw(1)), nil
	case "subtract":
		return cast(uw(0) + " - " + uw(1)), nil
	case "multiply":
		return cast(uw(0) + " * " + uw(1)), nil
	case "quotient":
		if signed {
			return cast(w(1) + " == 0 ? 0LL : " + w(1) + " == -1 ? (long long)(0ULL - " + uw(0) + ") : " + w(0) + " / " + w(1)), nil
		}
		return cast(w(1) + " == 0 ? 0ULL : " + w(0) + " / " + w(1)), nil
	case "remainder":
		if signed {
			return cast("(" + w(1) + " == 0 || " + w(1) + " == -1) ? 0LL : " + w(0) + " % " + w(1)), nil
		}
		return cast(w(1) + " == 0 ? 0ULL : " + w(0) + " % " + w(1)), nil
	case "pow":
		if signed {
			return cast(ctx.use("ipow_s") + "(" + w(0) + ", " + w(1) + ")"), nil
		}
		return cast(ctx.use("ipow_u") + "(" + w(0) + ", " + w(1) + ")"), nil
	case "max":
		return cast(w(0) + " > " + w(1) + " ? " + w(0) + " : " + w(1)), nil
	case "min":
		return cast(w(0) + " < " + w(1) + " ? " + w(0) + " : " + w(1)), nil
	case "bitwise_and":
		return cast(w(0) + " & " + w(1)), nil
	case "bitwise_or":
		return cast(w(0) + " | " + w(1)), nil
	case "bitwise_xor":
		return cast(w(0) + " ^ " + w(1)), nil
	case "left_shift":
		if signed {
			return cast("(" + w(1) + " < 0 || " + w(1) + " >= 64) ? 0LL : (long long)(" + uw(0) + " << " + w(1) + ")"), nil
		}
		return cast(w(1) + " >= 64 ? 0ULL : " + w(0) + " << " + w(1)), nil
	case "right_shift":
		if signed {
			return cast("(" + w(1) + " < 0 || " + w(1) + " >= 64) ? " + w(0) + " >> 63 : " + w(0) + " >> " + w(1)), nil
		}
		return cast(w(1) + " >= 64 ? 0ULL : " + w(0) + " >> " + w(1)), nil
	}
	return bad()
}

// convert returns the conversion of a (compute type of from) to the compute
// type of to, with nx's rules: integers wrap, floats truncate toward zero
// into integers saturating at the limits with NaN as 0, and everything else
// converts as Go does.
func convert(ctx *exprCtx, from, to nx.DType, a string) string {
	ct := compType(to)
	if !isFloat(from) || isFloat(to) {
		return "((" + ct + ")" + a + ")"
	}
	name := "f2" + to.String()
	if _, ok := ctx.conv[name]; !ok {
		flo, fhi := floatLimits(to)
		ilo, ihi := intLimits(to)
		ctx.conv[name] = fmt.Sprintf(`NX_DEVICE %[1]s nx_%[2]s(double v) {
  if (v != v) return 0;
  if (v <= %[3]s) return (%[1]s)%[5]s;
  if (v >= %[4]s) return (%[1]s)%[6]s;
  if (v < 0.0) return (%[1]s)(long long)v;
  return (%[1]s)(unsigned long long)v;
}
`, ct, name, flo, fhi, ilo, ihi)
	}
	return "nx_" + name + "((double)" + a + ")"
}
