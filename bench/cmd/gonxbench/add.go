package main

import (
	"github.com/gonx-dev/gonx/bench"
	"github.com/gonx-dev/gonx/nx"
	"gorgonia.org/tensor"
)

// addTable compares eager elementwise addition of two 1M-element f32 tensors.
func addTable(c *config) *bench.Table {
	const n = 1 << 20
	a, b := make([]float32, n), make([]float32, n)
	for i := range a {
		a[i], b[i] = float32(i), float32(n-i)
	}
	t := &bench.Table{Title: "eager f32 Add, 1M elements", Baseline: "nx", Systems: []string{sysGorgonia}}
	x, y := nx.FromSlice(a), nx.FromSlice(b)
	t.Add(bench.Result{Case: "Add 1M f32", System: "nx", PerOp: c.proto.Measure(func() { nx.Add(x, y) })})
	ga := tensor.New(tensor.WithBacking(a), tensor.WithShape(n))
	gb := tensor.New(tensor.WithBacking(b), tensor.WithShape(n))
	t.Add(bench.Result{Case: "Add 1M f32", System: sysGorgonia, PerOp: c.proto.Measure(func() {
		if _, err := tensor.Add(ga, gb); err != nil {
			panic(err)
		}
	})})
	t.AddNote("%s: tensor.Add, a new result each call (as nx.Add)", moduleVersion("gorgonia.org/tensor"))
	return t
}
