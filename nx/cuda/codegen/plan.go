package codegen

import (
	"fmt"
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// StepKind says how a step of a Plan runs.
type StepKind int

// The kinds of steps.
const (
	// KernelStep launches a generated kernel: a fused elementwise chain (with
	// the broadcasts and transposes it reads through), a reduction (with the
	// chain computing its operand inlined), or a copy that materializes a
	// broadcast or transpose.
	KernelStep StepKind = iota
	// GemmStep is a (batched) matrix product for cuBLAS.
	GemmStep
	// HostStep runs one node on the CPU with nx.Node.Eval: its operands are
	// copied to the host and its results back to the device.
	HostStep
	// AliasStep is a reshape of a value already on the device: the result
	// shares the operand's buffer.
	AliasStep
	// LoopStep is a While loop whose condition and body are plans of their
	// own, run on the device with the state kept there; only the scalar
	// predicate goes to the host, once per iteration.
	LoopStep
)

// String returns "kernel", "gemm", "host", "alias" or "loop".
func (k StepKind) String() string {
	return [...]string{"kernel", "gemm", "host", "alias", "loop"}[k]
}

// Step is one unit of a Plan, run in order.
type Step struct {
	Kind StepKind
	// Nodes are the graph nodes the step computes (a kernel's members; the
	// one node of the other kinds).
	Nodes []int
	// Args are the values read: a kernel's buffer parameters in order, a
	// GEMM's two operands, a host node's operands, an alias's operand.
	Args []nx.Value
	// Outs are the node results written, in order (a kernel's output
	// parameters follow its Args).
	Outs []nx.Value
	// Kernel is set for KernelStep.
	Kernel *Kernel
	// Gemm is set for GemmStep.
	Gemm *Gemm
	// Loop is set for LoopStep.
	Loop *Loop
}

// Loop is a While loop: Args are the State initial values, then the
// CondCaptures values Cond reads after the state, then the values Body reads
// after the state; Outs are the final state.
type Loop struct {
	State, CondCaptures int
	Cond, Body          *Plan
}

// Kernel is a generated kernel, launched with a one-dimensional grid.
type Kernel struct {
	Name        string
	Grid, Block uint32
	// Reduction marks a kernel whose blocks cooperate through shared memory.
	Reduction bool
}

// Gemm is a batched row-major matrix product C[b] = A[b]·B[b] of one float
// type, C being M×N, A M×K (stored K×M with TransA) and B K×N (stored N×K
// with TransB).
type Gemm struct {
	DType          nx.DType
	Batch, M, N, K int
	TransA, TransB bool
}

// ColumnMajor returns the arguments of the column-major BLAS call (cuBLAS)
// computing the row-major product: Cᵀ = Bᵀ·Aᵀ, so the first matrix operand
// is B and the second A, with their transpositions, leading dimensions and
// batch strides in elements.
func (g *Gemm) ColumnMajor() (transA, transB bool, m, n, k, lda, ldb, ldc int, strideA, strideB, strideC int64) {
	lda, ldb = g.N, g.K
	if g.TransB {
		lda = g.K
	}
	if g.TransA {
		ldb = g.M
	}
	return g.TransB, g.TransA, g.N, g.M, g.K, lda, ldb, g.N,
		int64(g.K * g.N), int64(g.M * g.K), int64(g.M * g.N)
}

// Plan is a graph compiled for a GPU: the CUDA C source of its kernels and
// the steps that compute its outputs.
type Plan struct {
	Graph  *nx.Graph
	Source string
	Steps  []Step
}

// Count returns how many steps of kind k the plan has.
func (p *Plan) Count(k StepKind) int {
	n := 0
	for _, s := range p.Steps {
		if s.Kind == k {
			n++
		}
	}
	return n
}

// String lists the steps, one a line: "kernel k0 [n1 n2] (in0, n0) -> n2".
func (p *Plan) String() string {
	var b strings.Builder
	for _, s := range p.Steps {
		name := ""
		if s.Kernel != nil {
			name = " " + s.Kernel.Name
		}
		nodes := make([]string, len(s.Nodes))
		for i, n := range s.Nodes {
			nodes[i] = fmt.Sprintf("n%d", n)
		}
		args := make([]string, len(s.Args))
		for i, v := range s.Args {
			args[i] = v.String()
		}
		outs := make([]string, len(s.Outs))
		for i, v := range s.Outs {
			outs[i] = v.String()
		}
		fmt.Fprintf(&b, "%s%s [%s] (%s) -> %s", s.Kind, name, strings.Join(nodes, " "), strings.Join(args, ", "), strings.Join(outs, ", "))
		if s.Node() >= 0 {
			fmt.Fprintf(&b, " %s", p.Graph.Nodes()[s.Node()].Op())
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Node returns the node of a single-node step (GEMM, host, alias, loop),
// or -1.
func (s *Step) Node() int {
	if s.Kind == KernelStep || len(s.Nodes) != 1 {
		return -1
	}
	return s.Nodes[0]
}
