package main

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/gonx-dev/gonx/bench"
	"github.com/gonx-dev/gonx/nx"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gorgonia.org/tensor"
)

// GEMM column names.
const (
	sysOpenBLAS = "OpenBLAS"
	sysGonum    = "gonum"
	sysGorgonia = "gorgonia"
)

// gemmTol is the relative tolerance of GEMM checks: the operands are
// multiples of 1/8 and the products' sums are exact in f32 up to n = 2¹⁸, so
// every system should agree to rounding of the sum of squares.
const gemmTol = 1e-5

// fillMatrix returns the n×n operand numbered seed, as peers/gemm.c fills it.
func fillMatrix(n, seed int) []float64 {
	v := make([]float64, n*n)
	for i := range v {
		v[i] = float64((i*7+seed*13)%17)/8 - 1
	}
	return v
}

func toF32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// sumSquares is the check of a matrix product: the sum of its squared
// elements, accumulated in f64.
func sumSquares[T float32 | float64](v []T) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return s
}

// gemmTable measures C = A·B for every dtype and size selected.
func gemmTable(ctx context.Context, c *config, peers *bench.Runner) *bench.Table {
	t := &bench.Table{
		Title:    "GEMM C = A·B, n×n row-major; GF/s = 2n³ / time",
		Baseline: "nx",
		Systems:  []string{sysOpenBLAS},
	}
	for _, ct := range c.coretypes {
		t.Systems = append(t.Systems, sysOpenBLAS+" "+ct)
	}
	t.Systems = append(t.Systems, sysGonum, sysGorgonia)

	var cases []peerCase
	for _, dt := range c.dtypes {
		for _, n := range c.sizes {
			if ctx.Err() != nil {
				return t
			}
			pc := peerCase{name: fmt.Sprintf("%s %d", dt, n), flops: 2 * math.Pow(float64(n), 3)}
			pc.check = gemmGo(t, c, pc, dt, n)
			cases = append(cases, pc)
		}
	}
	args := []string{"--dtypes", strings.Join(c.dtypes, ","), "--sizes", joinInts(c.sizes)}
	out, err := peers.RunC(ctx, "gemm.c", []string{"-lopenblas"}, nil, append(args, "--system", sysOpenBLAS)...)
	addPeer(t, out, err, "", sysOpenBLAS, cases, gemmTol)
	for _, ct := range c.coretypes {
		system := sysOpenBLAS + " " + ct
		out, err := peers.RunC(ctx, "gemm.c", []string{"-lopenblas"}, []string{"OPENBLAS_CORETYPE=" + ct}, append(args, "--system", system)...)
		hint := ""
		if err != nil && strings.Contains(err.Error(), "illegal instruction") && strings.EqualFold(ct, "SkylakeX") && hasAVX512() == no {
			hint = " (SkylakeX kernels need AVX-512, which this CPU lacks)"
		}
		addPeer(t, out, err, hint, system, cases, gemmTol)
	}
	t.AddNote("%s: blas32.Gemm / blas64.Gemm (pure Go, parallel up to GOMAXPROCS) into a preallocated C", moduleVersion("gonum.org/v1/gonum"))
	t.AddNote("%s: tensor.MatMul (allocates C, as nx.Dot does)", moduleVersion("gorgonia.org/tensor"))
	const goalCase = "f32 1024"
	if _, ok := t.Lookup(goalCase, "nx"); ok {
		for _, ct := range c.coretypes {
			if ct == "SkylakeX" {
				t.AddNote("goal: nx at least 0.8× the speed of OpenBLAS SkylakeX on %s (aim: parity): %s",
					goalCase, goalVerdict(t, goalCase, "nx", sysOpenBLAS+" "+ct, 0.8))
			}
		}
		t.AddNote("the same goal against OpenBLAS as detected: %s", goalVerdict(t, goalCase, "nx", sysOpenBLAS, 0.8))
	}
	return t
}

// gemmGo measures the Go systems on one case and returns nx's check.
func gemmGo(t *bench.Table, c *config, pc peerCase, dt string, n int) float64 {
	a, b := fillMatrix(n, 1), fillMatrix(n, 2)
	var (
		x, y     *nx.Tensor
		gonumMul func() any
		ga, gb   *tensor.Dense
	)
	if dt == "f32" {
		a32, b32 := toF32(a), toF32(b)
		x, y = nx.FromSlice(a32, n, n), nx.FromSlice(b32, n, n)
		ma, mb := blas32.General{Rows: n, Cols: n, Stride: n, Data: a32}, blas32.General{Rows: n, Cols: n, Stride: n, Data: b32}
		mc := blas32.General{Rows: n, Cols: n, Stride: n, Data: make([]float32, n*n)}
		gonumMul = func() any { blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, ma, mb, 0, mc); return mc.Data }
		ga = tensor.New(tensor.WithShape(n, n), tensor.WithBacking(a32))
		gb = tensor.New(tensor.WithShape(n, n), tensor.WithBacking(b32))
	} else {
		x, y = nx.FromSlice(a, n, n), nx.FromSlice(b, n, n)
		ma, mb := blas64.General{Rows: n, Cols: n, Stride: n, Data: a}, blas64.General{Rows: n, Cols: n, Stride: n, Data: b}
		mc := blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)}
		gonumMul = func() any { blas64.Gemm(blas.NoTrans, blas.NoTrans, 1, ma, mb, 0, mc); return mc.Data }
		ga = tensor.New(tensor.WithShape(n, n), tensor.WithBacking(a))
		gb = tensor.New(tensor.WithShape(n, n), tensor.WithBacking(b))
	}

	want := check(nx.Dot(x, y).Data())
	t.Add(bench.Result{Case: pc.name, System: "nx", Flops: pc.flops,
		PerOp: c.proto.Measure(func() { nx.Dot(x, y) })})

	t.Add(bench.Result{Case: pc.name, System: sysGonum, Flops: pc.flops,
		Note:  checkNote("nx", check(gonumMul()), want, gemmTol),
		PerOp: c.proto.Measure(func() { gonumMul() })})

	gorgoniaMul := func() *tensor.Dense {
		p, err := tensor.MatMul(ga, gb)
		if err != nil {
			panic(err)
		}
		return p.(*tensor.Dense)
	}
	res := bench.Result{Case: pc.name, System: sysGorgonia, Flops: pc.flops}
	if msg := try(func() { res.Note = checkNote("nx", check(gorgoniaMul().Data()), want, gemmTol) }); msg != "" {
		res.Unavailable = "tensor.MatMul: " + msg
	} else {
		res.PerOp = c.proto.Measure(func() { gorgoniaMul() })
	}
	t.Add(res)
	return want
}

// check returns sumSquares of a []float32 or []float64.
func check(data any) float64 {
	switch v := data.(type) {
	case []float32:
		return sumSquares(v)
	case []float64:
		return sumSquares(v)
	}
	return math.NaN()
}

// joinInts formats a list of ints as "1,2,3".
func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ",")
}
