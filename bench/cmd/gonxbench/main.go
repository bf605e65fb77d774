// Command gonxbench prints side-by-side tables of gonx against peer systems, each
// table measured in one run on this machine.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"

	"github.com/gonx-dev/gonx/bench"
	"github.com/gonx-dev/gonx/nx"
	"gorgonia.org/tensor"
)

func main() {
	flag.Parse()
	fmt.Printf("gonxbench: %s/%s, GOMAXPROCS=%d\n\n", runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	if err := eager().Fprint(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gonxbench:", err)
		os.Exit(1)
	}
}

// eager compares eager elementwise addition of two 1M-element f32 tensors.
func eager() *bench.Table {
	const n = 1 << 20
	a, b := make([]float32, n), make([]float32, n)
	for i := range a {
		a[i], b[i] = float32(i), float32(n-i)
	}
	t := &bench.Table{Title: "eager f32 Add, 1M elements", Baseline: "nx"}
	x, y := nx.FromSlice(a), nx.FromSlice(b)
	t.Add(bench.Result{Case: "Add 1M f32", System: "nx", PerOp: bench.Measure(func() { nx.Add(x, y) })})
	ga := tensor.New(tensor.WithBacking(a), tensor.WithShape(n))
	gb := tensor.New(tensor.WithBacking(b), tensor.WithShape(n))
	t.Add(bench.Result{Case: "Add 1M f32", System: "gorgonia.org/tensor", PerOp: bench.Measure(func() {
		if _, err := tensor.Add(ga, gb); err != nil {
			panic(err)
		}
	})})
	return t
}
