package nx

import (
	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// GEMM epilogues: a matrix product whose only consumer is a fused
// elementwise chain (a bias add, an activation, a scaling...) becomes one
// step that applies the chain to each block of the product as soon as the
// GEMM has finished it, while the block is still in cache, instead of
// writing the whole product out and reading it back. The product is computed
// by the same kernels with the same blocking and the chain by the same fused
// code, so the results are bit-identical to the unfused ones.

// fuseEpilogues enables the pass (tests and benchmarks turn it off to compare).
var fuseEpilogues = true

// epilogueOf returns the matrix product step that group g can take as its
// prologue, or -1: an f32 or f64 product, read in full (directly or through
// reshapes) by members of g and used by nothing else.
func (f *fuser) epilogueOf(g *fgroup, uses []int) int {
	if !fuseEpilogues || g.red >= 0 || g.merged {
		return -1
	}
	member := func(i int) bool { return f.grp[i] >= 0 && f.groups[f.grp[i]] == g }
	for _, i := range g.members {
		for _, r := range f.steps[i].args {
			if r.kind != refStep || member(r.i) {
				continue
			}
			// Walk down reshapes, counting the uses each link gets from
			// its successor in the walk (or, for the first, from g).
			fromG := 0
			for _, u := range g.members {
				for _, a := range f.steps[u].args {
					if a.kind == refStep && a.i == r.i {
						fromG++
					}
				}
			}
			if uses[r.i] != fromG {
				continue
			}
			m := r.i
			for f.steps[m].op == reshapeOp && f.grp[m] < 0 && f.steps[m].args[0].kind == refStep {
				m = f.steps[m].args[0].i
				if uses[m] != 1 {
					m = -1
					break
				}
			}
			if m < 0 || f.steps[m].op != matmulOp {
				continue
			}
			sp := f.steps[m].specs[0]
			if (sp.dtype != F32 && sp.dtype != F64) || sp.shape.Size() != g.n {
				continue
			}
			return m
		}
	}
	return -1
}

// epilogueChain marks the steps between a product m and group g's members
// (m and the reshapes after it), which the fused step replaces.
func (f *fuser) epilogueChain(m int, g *fgroup, skip []bool) {
	skip[m] = true
	for _, i := range g.members {
		for _, r := range f.steps[i].args {
			if r.kind != refStep || f.throughReshapes(r) != (ref{kind: refStep, i: m}) {
				continue
			}
			for r.i != m {
				skip[r.i] = true
				r = f.steps[r.i].args[0]
			}
		}
	}
}

// withPrologue turns the fused step fs of a chain into the epilogue of the
// product step m: its operands become the product's two followed by the
// chain's others.
func (f *fuser) withPrologue(fs step, m int) (step, bool) {
	p := fs.attr.(*fusedProg)
	dot := -1
	for k, r := range fs.args {
		if r.kind == refStep && r.i == m {
			if dot >= 0 || p.ins[k].kind != inFull {
				return fs, false
			}
			dot = k
		}
	}
	if dot < 0 {
		return fs, false
	}
	mm := &f.steps[m]
	e := &gemmEpi{mm: mm.attr.(matmulAttr), spec: mm.specs[0], prog: p, dot: dot}
	args := append([]ref{mm.args[0], mm.args[1]}, fs.args[:dot]...)
	args = append(args, fs.args[dot+1:]...)
	p.names = append([]string{"dot"}, p.names...)
	return step{op: gemmFusedOp, attr: e, args: args, specs: fs.specs}, true
}

// gemmEpi is the attr of gemmFusedOp: the product and the chain applied to it.
type gemmEpi struct {
	mm      matmulAttr
	spec    spec       // the product's result
	prog    *fusedProg // the chain; its operand dot is the product
	dot     int
	scratch kernels.FreeList[gemmScratch]
}

// gemmScratch is one running call's product buffer and the call of its chain.
type gemmScratch struct {
	e    *gemmEpi
	prod Tensor    // the product, the chain's operand dot
	args []*Tensor // the chain's operands
	call call
	n    int // columns of the product
	done func(i0, i1, j0, j1 int)
}

// epilogue runs the chain over rows [i0, i1), columns [j0, j1) of the product.
func (s *gemmScratch) epilogue(i0, i1, j0, j1 int) {
	p := s.e.prog
	x := fExec{p: p, c: &s.call, s: p.getScratch()}
	if j0 == 0 && j1 == s.n { // whole rows: one run of elements
		for lo, end := i0*s.n, i1*s.n; lo < end; lo += fuseBlock {
			x.block(lo, min(fuseBlock, end-lo))
		}
		p.scratch.Put(x.s)
		return
	}
	for i := i0; i < i1; i++ {
		for lo, end := i*s.n+j0, i*s.n+j1; lo < end; lo += fuseBlock {
			x.block(lo, min(fuseBlock, end-lo))
		}
	}
	p.scratch.Put(x.s)
}

var gemmFusedOp = &opDef{name: "fused_dot", cpu: func(c *call) { c.attr.(*gemmEpi).run(c) }}

func (e *gemmEpi) run(c *call) {
	s := e.scratch.Get()
	if s == nil {
		s = &gemmScratch{e: e, prod: Tensor{shape: e.spec.shape, dtype: e.spec.dtype},
			args: make([]*Tensor, len(e.prog.ins))}
		s.prod.data = makeData(e.spec.dtype, e.spec.shape.Size())
		s.done = s.epilogue
	}
	defer e.scratch.Put(s)
	for i := range c.outs {
		c.outOverwrite(i)
	}
	a, b := c.args[0], c.args[1]
	copy(s.args[:e.dot], c.args[2:2+e.dot])
	s.args[e.dot] = &s.prod
	copy(s.args[e.dot+1:], c.args[2+e.dot:])
	s.call = call{op: fusedOp, args: s.args, attr: e.prog, outs: c.outs}
	defer func() { s.call = call{}; clear(s.args) }()

	out := e.spec.shape // [batch][m][n]
	l := matLayout{batch: out[0], m: out[1], n: out[2]}
	if e.mm.transA {
		l.k = a.shape[1]
		l.ars, l.acs = 1, l.m
	} else {
		l.k = a.shape[2]
		l.ars, l.acs = l.k, 1
	}
	if e.mm.transB {
		l.brs, l.bcs = 1, l.k
	} else {
		l.brs, l.bcs = l.n, 1
	}
	s.n = l.n
	switch d := s.prod.data.(type) {
	case []float32:
		clear(d)
		if l.batch == 1 && blockedGemm(l.m, l.n, l.k) {
			kernels.GemmF32Then(d, l.n, a.data.([]float32), l.ars, l.acs, b.data.([]float32), l.brs, l.bcs, l.m, l.n, l.k, 0, s.done)
			return
		}
	case []float64:
		clear(d)
		if l.batch == 1 && blockedGemm(l.m, l.n, l.k) {
			kernels.GemmF64Then(d, l.n, a.data.([]float64), l.ars, l.acs, b.data.([]float64), l.brs, l.bcs, l.m, l.n, l.k, 0, s.done)
			return
		}
	}
	// Small, thin or batched products: the whole product, then the chain.
	gemmInto(s.prod.data, a.data, b.data, l)
	e.prog.run(&s.call)
}
