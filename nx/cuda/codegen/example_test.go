package codegen_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda/codegen"
)

// planner is a backend that prints the GPU plan of each graph and runs the
// graph on the CPU.
type planner struct{}

func (planner) Compile(g *nx.Graph) (nx.Executable, error) {
	p, err := codegen.Generate(g)
	if err != nil {
		return nil, err
	}
	fmt.Print(p)
	return cpu{g}, nil
}

type cpu struct{ g *nx.Graph }

func (c cpu) Run(inputs []*nx.Tensor) ([]*nx.Tensor, error) {
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
	for _, n := range c.g.Nodes() {
		var args []*nx.Tensor
		for _, v := range n.Operands() {
			args = append(args, get(v))
		}
		vals[n.Index()] = n.Eval(args...)
	}
	var outs []*nx.Tensor
	for _, v := range c.g.Outputs() {
		outs = append(outs, get(v))
	}
	return outs, nil
}

func ExampleGenerate() {
	nx.RegisterBackend("example-plan", func() (nx.Driver, error) { return planner{}, nil })
	layer := nx.Jit(func(x, w, b *nx.Tensor) *nx.Tensor {
		h := nx.Add(nx.Dot(x, w), b)
		return nx.Sum(nx.Max(h, nx.Scalar(0, nx.F32)), nx.Axes(1)) // relu, then a row sum
	}, nx.OnBackend("example-plan"))
	x := nx.Iota(nx.Shape{2, 3}, nx.Type(nx.F32))
	w := nx.Ones(nx.F32, 3, 4)
	b := nx.FromSlice([]float32{-1, 0, 1, 2}, 4)
	fmt.Println(layer(x, w, b).Float32s())
	// Output:
	// alias [n0] (in0) -> n0 reshape
	// alias [n1] (in1) -> n1 reshape
	// gemm [n2] (n0, n1) -> n2 dot
	// kernel k3 [n7] (n2, in2) -> n7
	// [14 50]
}

func ExampleGemm_ColumnMajor() {
	// C (2×3) = A (2×4) · B (4×3), row-major, for a column-major BLAS:
	// Cᵀ = Bᵀ·Aᵀ, so B is the first operand.
	g := codegen.Gemm{DType: nx.F32, Batch: 1, M: 2, N: 3, K: 4}
	ta, tb, m, n, k, lda, ldb, ldc, _, _, _ := g.ColumnMajor()
	fmt.Println(ta, tb, m, n, k, lda, ldb, ldc)
	// Output: false false 3 2 4 3 4 3
}
