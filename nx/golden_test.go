package nx

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The golden cases in testdata/golden are a second source for nx's operations:
// testdata/golden/gen.py computes them with NumPy (and plain Python), mapping each
// operation to the NumPy expression that has Nx's semantics. See gen.py for the
// format. Regenerate them with
//
//	/usr/bin/python3 testdata/golden/gen.py

type goldenTensor struct {
	DType string `json:"dtype"`
	Shape []int  `json:"shape"`
	Data  []any  `json:"data"`
	Weak  bool   `json:"weak"`
}

type goldenCase struct {
	Name   string                     `json:"name"`
	Op     string                     `json:"op"`
	Args   []goldenTensor             `json:"args"`
	Opts   map[string]json.RawMessage `json:"opts"`
	Params map[string]json.RawMessage `json:"params"`
	Want   goldenTensor               `json:"want"`
	ULPs   *float64                   `json:"ulps"` // nil: 1 for floats, 2 for complex
	ATol   float64                    `json:"atol"`
	Skip   string                     `json:"skip"`

	file string
}

// goldenOp runs one operation of a case on its decoded arguments and options.
type goldenOp func(c *goldenCase, args []*Tensor, opts []Option) *Tensor

func loadGolden(t *testing.T) []*goldenCase {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	var all []*goldenCase
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Cases []*goldenCase }
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, c := range doc.Cases {
			c.file = filepath.Base(f)
		}
		all = append(all, doc.Cases...)
	}
	return all
}

func TestGolden(t *testing.T) {
	ops := goldenOps()
	for _, c := range loadGolden(t) {
		t.Run(c.Name, func(t *testing.T) {
			op, ok := ops[c.Op]
			if !ok {
				t.Fatalf("%s: unknown op %q: add it to goldenOps", c.file, c.Op)
			}
			err := c.run(op)
			if c.Skip != "" {
				if err == nil {
					t.Errorf("%s: the case passes now: drop its skip (%s) in gen.py", c.file, c.Skip)
				}
				t.Skip(c.Skip)
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
}

// TestGoldenCoverage checks that every operation in the table has at least three
// golden cases that run.
func TestGoldenCoverage(t *testing.T) {
	count := map[string]int{}
	for _, c := range loadGolden(t) {
		if c.Skip == "" {
			count[c.Op]++
		}
	}
	var names []string
	for name := range goldenOps() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if count[name] < 3 {
			t.Errorf("%s has %d golden cases, want at least 3", name, count[name])
		}
	}
}

// run applies the case's operation and compares the result with the expected
// tensor.
func (c *goldenCase) run(op goldenOp) (err error) {
	args := make([]*Tensor, len(c.Args))
	for i, a := range c.Args {
		if args[i], err = a.tensor(); err != nil {
			return fmt.Errorf("arg %d: %v", i, err)
		}
	}
	want, err := c.Want.tensor()
	if err != nil {
		return fmt.Errorf("want: %v", err)
	}
	opts, err := c.options()
	if err != nil {
		return err
	}
	var got *Tensor
	if perr := Try(func() { got = op(c, args, opts) }); perr != nil {
		return fmt.Errorf("panicked: %v", perr)
	}
	ulps := -1.0
	if c.ULPs != nil {
		ulps = *c.ULPs
	}
	return compareGolden(got, want, ulps, c.ATol)
}

// compareGolden compares dtype, shape and values: integers exactly, floats within
// ulps units in the last place of want's type plus atol (NaN equals NaN); a
// negative ulps asks for the default, 1 for floats and 2 for complex numbers.
func compareGolden(got, want *Tensor, ulps, atol float64) error {
	if got.DType() != want.DType() || !got.Shape().Equal(want.Shape()) {
		return fmt.Errorf("got %s, want %s", got.describe(), want.describe())
	}
	dt := want.DType()
	bad := func(i int, g, w any) error {
		return fmt.Errorf("element %d: got %v, want %v\ngot:  %v\nwant: %v", i, g, w, got, want)
	}
	switch {
	case dt.IsUnsigned():
		g, w := got.Uint64s(), want.Uint64s()
		for i := range w {
			if g[i] != w[i] {
				return bad(i, g[i], w[i])
			}
		}
	case dt.IsSigned():
		g, w := got.Int64s(), want.Int64s()
		for i := range w {
			if g[i] != w[i] {
				return bad(i, g[i], w[i])
			}
		}
	case dt.IsFloat():
		if ulps < 0 {
			ulps = 1
		}
		g, w := got.Float64s(), want.Float64s()
		for i := range w {
			if !floatClose(g[i], w[i], w[i], dt, ulps, atol) {
				return bad(i, g[i], w[i])
			}
		}
	default:
		if ulps < 0 {
			ulps = 2
		}
		g, w := got.Complex128s(), want.Complex128s()
		for i := range w {
			scale := 0.0
			for _, part := range []float64{real(w[i]), imag(w[i])} {
				if !math.IsInf(part, 0) && !math.IsNaN(part) {
					scale = max(scale, math.Abs(part))
				}
			}
			if !floatClose(real(g[i]), real(w[i]), scale, RealOf(dt), ulps, atol) ||
				!floatClose(imag(g[i]), imag(w[i]), scale, RealOf(dt), ulps, atol) {
				return bad(i, g[i], w[i])
			}
		}
	}
	return nil
}

// floatClose reports whether got is within ulps units in the last place of scale
// (in type dt) plus atol of want. NaN matches NaN; infinities match exactly.
func floatClose(got, want, scale float64, dt DType, ulps, atol float64) bool {
	switch {
	case math.IsNaN(want) || math.IsNaN(got):
		return math.IsNaN(want) && math.IsNaN(got)
	case math.IsInf(want, 0) || math.IsInf(got, 0):
		return got == want
	}
	return math.Abs(got-want) <= ulps*ulpOf(scale, dt)+atol
}

// ulpOf returns the spacing of the floats of type dt near v.
func ulpOf(v float64, dt DType) float64 {
	prec, emin := 53, -1022
	switch dt {
	case F16:
		prec, emin = 11, -14
	case BF16:
		prec, emin = 8, -126
	case F32:
		prec, emin = 24, -126
	}
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return math.Inf(1)
	}
	_, e := math.Frexp(math.Abs(v))
	e = max(e-1, emin)
	return math.Ldexp(1, e-prec+1)
}

// tensor decodes a golden tensor.
func (g goldenTensor) tensor() (*Tensor, error) {
	dt, err := ParseDType(g.DType)
	if err != nil {
		return nil, err
	}
	shape := Shape(g.Shape)
	if shape == nil {
		shape = Shape{}
	}
	if shape.Size() != len(g.Data) {
		return nil, fmt.Errorf("shape %v holds %d elements, data has %d", g.Shape, shape.Size(), len(g.Data))
	}
	data := makeData(dt, len(g.Data))
	for i, v := range g.Data {
		if err := setGolden(data, i, v); err != nil {
			return nil, fmt.Errorf("element %d: %v", i, err)
		}
	}
	t := FromSlice(data, shape...)
	if g.Weak {
		if t.Rank() != 0 {
			return nil, fmt.Errorf("weak tensors must be scalars")
		}
		t = Number(indexData(data, 0))
	}
	return t, nil
}

// setGolden parses v (a string, or a pair of strings for complex numbers) into
// data[i].
func setGolden(data any, i int, v any) error {
	if pair, ok := v.([]any); ok {
		if len(pair) != 2 {
			return fmt.Errorf("complex value %v: want [re, im]", v)
		}
		re, err1 := parseGoldenFloat(pair[0])
		im, err2 := parseGoldenFloat(pair[1])
		if err1 != nil || err2 != nil {
			return fmt.Errorf("complex value %v", v)
		}
		switch d := data.(type) {
		case []complex64:
			d[i] = complex64(complex(re, im))
		case []complex128:
			d[i] = complex(re, im)
		default:
			return fmt.Errorf("complex value for %T", data)
		}
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("value %v: want a string", v)
	}
	var err error
	parseInt := func(bits int) int64 {
		var n int64
		n, err = strconv.ParseInt(s, 10, bits)
		return n
	}
	parseUint := func(bits int) uint64 {
		var n uint64
		n, err = strconv.ParseUint(s, 10, bits)
		return n
	}
	f, ferr := parseGoldenFloat(s)
	switch d := data.(type) {
	case []uint8:
		d[i] = uint8(parseUint(8))
	case []uint16:
		d[i] = uint16(parseUint(16))
	case []uint32:
		d[i] = uint32(parseUint(32))
	case []uint64:
		d[i] = parseUint(64)
	case []int8:
		d[i] = int8(parseInt(8))
	case []int16:
		d[i] = int16(parseInt(16))
	case []int32:
		d[i] = int32(parseInt(32))
	case []int64:
		d[i] = parseInt(64)
	case []Float16:
		d[i], err = NewFloat16(float32(f)), ferr
	case []BFloat16:
		d[i], err = NewBFloat16(float32(f)), ferr
	case []float32:
		d[i], err = float32(f), ferr
	case []float64:
		d[i], err = f, ferr
	case []complex64:
		d[i], err = complex64(complex(f, 0)), ferr
	case []complex128:
		d[i], err = complex(f, 0), ferr
	}
	return err
}

func parseGoldenFloat(v any) (float64, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("value %v: want a string", v)
	}
	return strconv.ParseFloat(s, 64)
}

// options turns the case's "opts" into nx options.
func (c *goldenCase) options() ([]Option, error) {
	var opts []Option
	keys := make([]string, 0, len(c.Opts))
	for k := range c.Opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		raw := c.Opts[k]
		var ints []int
		var n int
		var f float64
		var b bool
		var s string
		var err error
		switch k {
		case "axes":
			err = json.Unmarshal(raw, &ints)
			opts = append(opts, Axes(ints...))
		case "axis":
			err = json.Unmarshal(raw, &n)
			opts = append(opts, Axis(n))
		case "keep_axes":
			if err = json.Unmarshal(raw, &b); b {
				opts = append(opts, KeepAxes())
			}
		case "tie":
			err = json.Unmarshal(raw, &s)
			opts = append(opts, Tie(map[string]TieBreak{"low": TieLow, "high": TieHigh}[s]))
		case "type":
			err = json.Unmarshal(raw, &s)
			var dt DType
			if err == nil {
				dt, err = ParseDType(s)
			}
			opts = append(opts, Type(dt))
		case "ddof":
			err = json.Unmarshal(raw, &f)
			opts = append(opts, DDOF(f))
		case "order":
			err = json.Unmarshal(raw, &s)
			opts = append(opts, Order(map[string]Direction{"asc": Asc, "desc": Desc}[s]))
		case "stable":
			if err = json.Unmarshal(raw, &b); b {
				opts = append(opts, Stable())
			}
		case "reverse":
			if err = json.Unmarshal(raw, &b); b {
				opts = append(opts, Reversed())
			}
		case "strides":
			err = json.Unmarshal(raw, &ints)
			opts = append(opts, Strides(ints...))
		case "input_dilation":
			err = json.Unmarshal(raw, &ints)
			opts = append(opts, InputDilation(ints...))
		case "kernel_dilation":
			err = json.Unmarshal(raw, &ints)
			opts = append(opts, KernelDilation(ints...))
		case "window_dilations":
			err = json.Unmarshal(raw, &ints)
			opts = append(opts, WindowDilations(ints...))
		case "feature_groups":
			err = json.Unmarshal(raw, &n)
			opts = append(opts, FeatureGroups(n))
		case "batch_groups":
			err = json.Unmarshal(raw, &n)
			opts = append(opts, BatchGroups(n))
		case "length":
			err = json.Unmarshal(raw, &n)
			opts = append(opts, Length(n))
		case "lengths":
			err = json.Unmarshal(raw, &ints)
			if err == nil && len(ints) != 2 {
				err = fmt.Errorf("want two lengths")
			}
			if err == nil {
				opts = append(opts, Lengths(ints[0], ints[1]))
			}
		case "pad":
			var p Padding
			p, err = goldenPadding(raw)
			opts = append(opts, Padded(p))
		default:
			return nil, fmt.Errorf("unknown option %q", k)
		}
		if err != nil {
			return nil, fmt.Errorf("option %s: %v", k, err)
		}
	}
	return opts, nil
}

// goldenPadding decodes "valid", "same" or [[lo, hi], ...].
func goldenPadding(raw json.RawMessage) (Padding, error) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		switch s {
		case "valid":
			return Valid, nil
		case "same":
			return Same, nil
		}
		return Padding{}, fmt.Errorf("unknown padding %q", s)
	}
	var pairs [][2]int
	if err := json.Unmarshal(raw, &pairs); err != nil {
		return Padding{}, err
	}
	return Pads(pairs...), nil
}

// param decodes the case's parameter name into v, panicking (and so failing the
// case) when it is missing or malformed.
func (c *goldenCase) param(name string, v any) {
	raw, ok := c.Params[name]
	if !ok {
		panic(&Error{Op: "golden", Msg: fmt.Sprintf("%s: missing param %q", c.Name, name)})
	}
	if err := json.Unmarshal(raw, v); err != nil {
		panic(&Error{Op: "golden", Msg: fmt.Sprintf("%s: param %q: %v", c.Name, name, err)})
	}
}

func (c *goldenCase) intParam(name string) int {
	var n int
	c.param(name, &n)
	return n
}

func (c *goldenCase) intsParam(name string) []int {
	var n []int
	c.param(name, &n)
	if n == nil {
		n = []int{}
	}
	return n
}

func (c *goldenCase) floatParam(name string) float64 {
	var s string
	c.param(name, &s)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(&Error{Op: "golden", Msg: fmt.Sprintf("%s: param %q: %v", c.Name, name, err)})
	}
	return f
}

func (c *goldenCase) dtypeParam(name string) DType {
	var s string
	c.param(name, &s)
	dt, err := ParseDType(s)
	if err != nil {
		panic(&Error{Op: "golden", Msg: err.Error()})
	}
	return dt
}

// numberParam decodes a Go number written as "int:3", "float:2.5" or "uint:7".
func (c *goldenCase) numberParam(name string) any {
	var s string
	c.param(name, &s)
	kind, v, _ := strings.Cut(s, ":")
	var out any
	var err error
	switch kind {
	case "int":
		out, err = strconv.ParseInt(v, 10, 64)
	case "uint":
		out, err = strconv.ParseUint(v, 10, 64)
	case "float":
		out, err = strconv.ParseFloat(v, 64)
	default:
		err = fmt.Errorf("want int:, uint: or float:")
	}
	if err != nil {
		panic(&Error{Op: "golden", Msg: fmt.Sprintf("%s: param %q = %q: %v", c.Name, name, s, err)})
	}
	return out
}
