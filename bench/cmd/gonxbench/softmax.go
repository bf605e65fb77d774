package main

import (
	"context"
	"fmt"

	"github.com/gonx-dev/gonx/bench"
	"github.com/gonx-dev/gonx/nx"
)

// softmaxTol is the relative tolerance of softmax checks (f32 exp and sums in
// different orders).
const softmaxTol = 1e-4

// softmax is softmax over the rows of x, as a fused chain: a max reduction,
// subtract, exp, a sum reduction, divide.
func softmax(x *nx.Tensor) *nx.Tensor {
	m := nx.ReduceMax(x, nx.Axes(1), nx.KeepAxes())
	e := nx.Exp(nx.Subtract(x, m))
	return nx.Divide(e, nx.Sum(e, nx.Axes(1), nx.KeepAxes()))
}

// softmaxCheck is the check of a softmax result: the sum of its first column.
func softmaxCheck(t *nx.Tensor) float64 {
	v, cols := t.Float32s(), t.Axis(1)
	s := 0.0
	for i := 0; i < len(v); i += cols {
		s += float64(v[i])
	}
	return s
}

// softmaxTable measures softmax over the rows of a rows×cols f32 matrix: nx
// eager and compiled, NumPy and PyTorch.
func softmaxTable(ctx context.Context, c *config, peers *bench.Runner) *bench.Table {
	name := fmt.Sprintf("softmax %d×%d", c.rows, c.cols)
	t := &bench.Table{
		Title:    fmt.Sprintf("fused elementwise chain: softmax over the rows of a %d×%d f32 matrix", c.rows, c.cols),
		Baseline: "nx",
		Systems:  []string{"nx Jit", "numpy", "torch"},
	}
	v := make([]float32, c.rows*c.cols)
	for i := range v {
		v[i] = float32((i*7)%17)/4 - 2
	}
	x := nx.FromSlice(v, c.rows, c.cols)
	want := softmaxCheck(softmax(x))
	t.Add(bench.Result{Case: name, System: "nx", PerOp: c.proto.Measure(func() { softmax(x) })})

	jitted := nx.Jit(softmax)
	res := bench.Result{Case: name, System: "nx Jit"}
	if msg := try(func() { res.Note = checkNote("nx", softmaxCheck(jitted(x)), want, softmaxTol) }); msg != "" {
		res.Unavailable = msg
	} else {
		res.PerOp = c.proto.Measure(func() { jitted(x) })
	}
	t.Add(res)

	cases := []peerCase{{name: name, check: want}}
	err := peers.CheckPython(ctx, "numpy")
	var out *bench.PeerOutput
	if err == nil {
		out, err = peers.RunPython(ctx, "softmax.py", nil, "--rows", fmt.Sprint(c.rows), "--cols", fmt.Sprint(c.cols), "--torch")
	}
	addPeer(t, out, err, "", "numpy", cases, softmaxTol)
	addPeer(t, out, err, "", "torch", cases, softmaxTol)
	t.AddNote("nx: eager, one op at a time; nx Jit: nx.Jit(softmax), traced once and compiled (fusion of elementwise chains and their reductions)")
	t.AddNote("numpy: x.max(1, keepdims) → exp(x - m) → e / e.sum(1, keepdims); torch: x.softmax(dim=1)")
	for _, pc := range cases {
		t.AddNote("goal: nx Jit at least as fast as NumPy on %s: %s", pc.name, goalVerdict(t, pc.name, "nx Jit", "numpy", 1))
	}
	return t
}
