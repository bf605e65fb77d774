package nx_test

import (
	"fmt"
	"slices"

	"github.com/gonx-dev/gonx/nx"
)

// printer is a backend that prints each graph it compiles and runs it on the
// CPU, node by node, through the graph view.
type printer struct{}

type printed struct{ g *nx.Graph }

func (printer) Compile(g *nx.Graph) (nx.Executable, error) {
	fmt.Print(g)
	return printed{g}, nil
}

func (p printed) Run(inputs []*nx.Tensor) ([]*nx.Tensor, error) {
	vals := map[int][]*nx.Tensor{}
	get := func(v nx.Value) *nx.Tensor {
		switch v.Source {
		case nx.FromInput:
			return inputs[v.Index]
		case nx.FromNode:
			return vals[v.Index][v.Result]
		}
		return v.Const
	}
	for _, n := range p.g.Nodes() {
		var args []*nx.Tensor
		for _, v := range n.Operands() {
			args = append(args, get(v))
		}
		vals[n.Index()] = n.Eval(args...)
	}
	var outs []*nx.Tensor
	for _, v := range p.g.Outputs() {
		outs = append(outs, get(v))
	}
	return outs, nil
}

func ExampleRegisterBackend() {
	nx.RegisterBackend("printer", func() (nx.Driver, error) { return printer{}, nil })
	f := nx.Jit(func(x *nx.Tensor) *nx.Tensor {
		return nx.Sum(nx.Multiply(x, x))
	}, nx.OnBackend("printer"))
	fmt.Println(f(nx.FromSlice([]float32{1, 2, 3}, 3)))
	// Output:
	// in0: f32[3]
	// n0 = multiply(in0, in0) f32[3]
	// n1 = reduce(n0) {Kind:sum Axes:[0]} f32
	// return n1
	// nx.Tensor<
	//   f32
	//   14.0
	// >
}

func ExampleSetBackend() {
	// No package registered a "tpu" backend.
	err := nx.SetBackend("tpu")
	fmt.Println(err != nil)
	fmt.Println(slices.Contains(nx.Backends(), "cpu"))
	// Output:
	// true
	// true
}

func ExampleBackend() {
	if err := nx.SetBackend("cpu"); err != nil {
		panic(err)
	}
	fmt.Println(nx.Backend())
	_ = nx.SetBackend("") // back to NX_BACKEND's choice
	// Output: cpu
}

func ExampleOnBackend() {
	f := nx.Jit(func(x *nx.Tensor) *nx.Tensor { return nx.Exp(x) }, nx.OnBackend("tpu"))
	var err error
	func() {
		defer nx.Recover(&err)
		f(nx.FromSlice([]float32{0}, 1))
	}()
	fmt.Println(err != nil)
	// Output: true
}
