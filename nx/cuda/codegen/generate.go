package codegen

import (
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// kind is what the planner does with a node.
type kind int

const (
	kHost kind = iota
	kEw        // member of a fused elementwise kernel
	kView      // broadcast, transpose or reshape, read through by kernels
	kRed       // reduce or argreduce kernel
	kGemm
	kLoop
)

// view is a value seen as a strided map over a base value: element at
// multi-index d of shape is base[Σ d[k]·strides[k]].
type view struct {
	base    nx.Value
	shape   nx.Shape
	strides []int
}

func rowMajor(s nx.Shape) []int {
	st := make([]int, len(s))
	acc := 1
	for k := len(s) - 1; k >= 0; k-- {
		st[k] = acc
		acc *= s[k]
	}
	return st
}

// contiguous reports whether v reads its base in order.
func (v view) contiguous() bool {
	want := rowMajor(v.shape)
	for k, d := range v.shape {
		if d != 1 && v.strides[k] != want[k] {
			return false
		}
	}
	return true
}

type group struct {
	members []int
	n       int
	open    bool
}

// planner holds the state of Generate.
type planner struct {
	g      *nx.Graph
	nodes  []*nx.Node
	kind   []kind
	views  []view // per node, for kView nodes
	copyOf []bool // view nodes materialized by a copy kernel (or an alias)
	grp    []int
	groups []*group
	ext    []bool // member values something outside their kernel reads
	ctx    *exprCtx
	src    strings.Builder
	plan   *Plan
	prefix string
}

// Generate plans g for a GPU and generates the CUDA C of its kernels. Every
// graph gets a plan: nodes without a kernel become host steps.
func Generate(g *nx.Graph) (*Plan, error) { return generate(g, "k") }

// generate is Generate with kernels named prefix0, prefix1, ...
func generate(g *nx.Graph, prefix string) (*Plan, error) {
	p := &planner{g: g, prefix: prefix, nodes: g.Nodes(), ctx: &exprCtx{used: map[string]bool{}, conv: map[string]string{}}}
	n := len(p.nodes)
	p.kind = make([]kind, n)
	p.views = make([]view, n)
	p.copyOf = make([]bool, n)
	p.grp = make([]int, n)
	p.ext = make([]bool, n)
	for i, nd := range p.nodes {
		p.grp[i] = -1
		p.kind[i] = p.classify(nd)
	}
	p.group()
	p.plan = &Plan{Graph: g}
	if err := p.emit(); err != nil {
		return nil, err
	}
	p.plan.Source = prelude(p.ctx.used, p.ctx.conv) + p.src.String()
	return p.plan, nil
}

func (p *planner) classify(nd *nx.Node) kind {
	res := nd.Results()
	switch nd.Op() {
	case "reshape", "broadcast", "transpose":
		if supported(res[0].DType) {
			p.views[nd.Index()] = p.viewOf(nd)
			return kView
		}
		return kHost
	case "reduce", "argreduce":
		in := p.g.Spec(nd.Operands()[0])
		if supported(in.DType) && supported(res[0].DType) && res[0].Shape.Size() > 0 && in.Shape.Size() > 0 {
			return kRed
		}
		return kHost
	case "while":
		if _, ok := nd.Attr().(nx.WhileAttr); ok {
			return kLoop
		}
		return kHost
	case "dot":
		switch res[0].DType {
		case nx.F16, nx.BF16, nx.F32, nx.F64:
			return kGemm
		}
		return kHost
	}
	if elementwise(p.g, nd) && res[0].Shape.Size() > 0 {
		return kEw
	}
	return kHost
}

// viewOf returns the strided view of a view node, materializing its operand
// when a reshape cannot be expressed over it.
func (p *planner) viewOf(nd *nx.Node) view {
	src := p.valueView(nd.Operands()[0])
	out := nd.Results()[0].Shape
	switch a := nd.Attr().(type) {
	case nx.BroadcastAttr:
		st := make([]int, len(out))
		for k, ax := range a.Axes {
			if src.shape[k] != 1 {
				st[ax] = src.strides[k]
			}
		}
		return view{base: src.base, shape: out, strides: st}
	case nx.TransposeAttr:
		st := make([]int, len(out))
		for j, k := range a.Perm {
			st[j] = src.strides[k]
		}
		return view{base: src.base, shape: out, strides: st}
	}
	// reshape
	if !src.contiguous() {
		op := nd.Operands()[0]
		p.copyOf[op.Index] = true // a view node: materialized by a copy
		src = view{base: op, shape: p.g.Spec(op).Shape, strides: rowMajor(p.g.Spec(op).Shape)}
	}
	return view{base: src.base, shape: out, strides: rowMajor(out)}
}

// valueView returns how a kernel reads value v.
func (p *planner) valueView(v nx.Value) view {
	if v.Source == nx.FromNode && p.kind[v.Index] == kView && !p.copyOf[v.Index] {
		return p.views[v.Index]
	}
	sh := p.g.Spec(v).Shape
	return view{base: v, shape: sh, strides: rowMajor(sh)}
}

// group forms the fused elementwise kernels: an elementwise node joins the
// open kernel of an operand with as many elements; a kernel closes when a
// node outside it (other than a reduction, which recomputes the chain)
// reads one of its values.
func (p *planner) group() {
	seal := func(v nx.Value) {
		if v.Source == nx.FromNode && p.grp[v.Index] >= 0 {
			p.groups[p.grp[v.Index]].open = false
			p.ext[v.Index] = true
		}
	}
	for i, nd := range p.nodes {
		switch p.kind[i] {
		case kEw:
			size := nd.Results()[0].Shape.Size()
			g := -1
			for _, v := range nd.Operands() {
				if v.Source != nx.FromNode || p.grp[v.Index] < 0 {
					continue
				}
				h := p.grp[v.Index]
				if g < 0 && p.groups[h].open && p.groups[h].n == size {
					g = h
				} else if h != g {
					seal(v)
				}
			}
			if g < 0 {
				g = len(p.groups)
				p.groups = append(p.groups, &group{n: size, open: true})
			}
			p.grp[i] = g
			p.groups[g].members = append(p.groups[g].members, i)
		case kRed:
			// Reads its operand's chain by recomputing it; nothing to seal.
			if v := nd.Operands()[0]; v.Source == nx.FromNode && p.kind[v.Index] == kView {
				p.viewBase(p.views[v.Index], seal)
			}
		case kView:
			// Kernels read through views; the base must exist.
			p.viewBase(p.views[i], seal)
		default:
			for _, v := range nd.Operands() {
				seal(v)
				if v.Source == nx.FromNode && p.kind[v.Index] == kView {
					p.copyOf[v.Index] = true
				}
			}
		}
	}
	// Members read through views by other members, and graph outputs.
	for _, v := range p.g.Outputs() {
		seal(v)
		if v.Source == nx.FromNode && p.kind[v.Index] == kView {
			p.copyOf[v.Index] = true
		}
	}
}

func (p *planner) viewBase(vw view, seal func(nx.Value)) { seal(vw.base) }

// emit writes the steps in dependency order: each fused kernel where its
// last member is.
func (p *planner) emit() error {
	last := make([]int, len(p.groups))
	for g, gr := range p.groups {
		last[g] = gr.members[len(gr.members)-1]
	}
	for i, nd := range p.nodes {
		switch p.kind[i] {
		case kEw:
			g := p.grp[i]
			if last[g] == i {
				if err := p.emitGroup(p.groups[g]); err != nil {
					return err
				}
			}
		case kView:
			if p.copyOf[i] {
				vw := p.views[i]
				if vw.contiguous() && p.g.Spec(vw.base).Shape.Size() == vw.shape.Size() {
					p.plan.Steps = append(p.plan.Steps, Step{Kind: AliasStep, Nodes: []int{i},
						Args: []nx.Value{vw.base}, Outs: []nx.Value{{Source: nx.FromNode, Index: i}}})
				} else if err := p.emitCopy(i); err != nil {
					return err
				}
			}
		case kRed:
			if err := p.emitReduction(nd); err != nil {
				return err
			}
		case kGemm:
			ops := nd.Operands()
			out := nd.Results()[0]
			a := nd.Attr().(nx.DotAttr)
			k := p.g.Spec(ops[0]).Shape[2]
			if a.TransA {
				k = p.g.Spec(ops[0]).Shape[1]
			}
			p.plan.Steps = append(p.plan.Steps, Step{Kind: GemmStep, Nodes: []int{i}, Args: ops,
				Outs: []nx.Value{{Source: nx.FromNode, Index: i}},
				Gemm: &Gemm{DType: out.DType, Batch: out.Shape[0], M: out.Shape[1], N: out.Shape[2], K: k, TransA: a.TransA, TransB: a.TransB}})
		case kLoop:
			a := nd.Attr().(nx.WhileAttr)
			cond, err := Generate(a.Cond)
			if err != nil {
				return err
			}
			body, err := Generate(a.Body)
			if err != nil {
				return err
			}
			var outs []nx.Value
			for r := range nd.Results() {
				outs = append(outs, nx.Value{Source: nx.FromNode, Index: i, Result: r})
			}
			p.plan.Steps = append(p.plan.Steps, Step{Kind: LoopStep, Nodes: []int{i}, Args: nd.Operands(), Outs: outs,
				Loop: &Loop{State: a.State, CondCaptures: a.CondCaptures, Cond: cond, Body: body}})
		default:
			var outs []nx.Value
			for r := range nd.Results() {
				outs = append(outs, nx.Value{Source: nx.FromNode, Index: i, Result: r})
			}
			p.plan.Steps = append(p.plan.Steps, Step{Kind: HostStep, Nodes: []int{i}, Args: nd.Operands(), Outs: outs})
		}
	}
	return nil
}
