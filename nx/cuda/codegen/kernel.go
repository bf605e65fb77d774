package codegen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// body builds the statements of one kernel and collects its parameters.
type body struct {
	p      *planner
	b      strings.Builder
	indent string
	idx    string // the index variable elementwise code reads at
	n      int    // the number of elements idx ranges over
	params []nx.Value
	regs   map[int]string
	offs   map[string]string
	tmp    int
}

func (p *planner) newBody(idx string, n int, indent string) *body {
	return &body{p: p, idx: idx, n: n, indent: indent, regs: map[int]string{}, offs: map[string]string{}}
}

func (k *body) line(format string, args ...any) {
	k.b.WriteString(k.indent)
	fmt.Fprintf(&k.b, format, args...)
	k.b.WriteString("\n")
}

// param returns the name of the buffer parameter for value v.
func (k *body) param(v nx.Value) string {
	for i, u := range k.params {
		if u == v {
			return fmt.Sprintf("in%d", i)
		}
	}
	k.params = append(k.params, v)
	return fmt.Sprintf("in%d", len(k.params)-1)
}

// offset returns a variable holding the offset into vw's base of element
// idx of vw (decomposing idx over vw's shape), emitting its computation.
func (k *body) offset(vw view) string {
	key := fmt.Sprint(vw.shape, vw.strides)
	if name, ok := k.offs[key]; ok {
		return name
	}
	name := fmt.Sprintf("o%d", k.tmp)
	k.tmp++
	k.offs[key] = name
	var terms []string
	q := k.idx
	for d := len(vw.shape) - 1; d >= 0; d-- {
		size := vw.shape[d]
		if size == 1 {
			continue
		}
		if vw.strides[d] != 0 {
			digit := fmt.Sprintf("(%s %% %dLL)", q, size)
			terms = append(terms, fmt.Sprintf("%s * %dLL", digit, vw.strides[d]))
		}
		q = fmt.Sprintf("(%s / %dLL)", q, size)
		if d > 0 && allOne(vw.shape[:d]) {
			break
		}
	}
	if len(terms) == 0 {
		terms = []string{"0LL"}
	}
	k.line("const long long %s = %s;", name, strings.Join(terms, " + "))
	return name
}

func allOne(s nx.Shape) bool {
	for _, d := range s {
		if d != 1 {
			return false
		}
	}
	return true
}

// read returns an expression of value v's element at the current index, in
// its compute type.
func (k *body) read(v nx.Value) string {
	if v.Source == nx.FromNode {
		if r, ok := k.regs[v.Index]; ok {
			return r
		}
	}
	return k.readView(k.p.valueView(v), k.p.g.Spec(v).DType)
}

// readView returns an expression of vw's element at the current index.
func (k *body) readView(vw view, dt nx.DType) string {
	k.p.ctx.mark(dt)
	if vw.base.Source == nx.FromConst && vw.base.Const.Size() == 1 {
		return literal(vw.base.Const)
	}
	name := k.param(vw.base)
	switch {
	case vw.shape.Size() == 1:
		return load(dt, name, "0")
	case vw.contiguous() && vw.shape.Size() == k.n:
		return load(dt, name, k.idx)
	}
	return load(dt, name, k.offset(vw))
}

// member emits the computation of elementwise node i into a register.
func (k *body) member(i int) error {
	nd := k.p.nodes[i]
	var in []nx.DType
	var args []string
	for _, v := range nd.Operands() {
		in = append(in, k.p.g.Spec(v).DType)
		args = append(args, k.read(v))
	}
	out := nd.Results()[0].DType
	e, err := ewExpr(k.p.ctx, nd.Op(), in, out, args)
	if err != nil {
		return err
	}
	r := fmt.Sprintf("v%d", i)
	switch out { // round to the stored type, as the unfused primitive does
	case nx.F16:
		e = "nx_h2f(nx_f2h(" + e + "))"
		k.p.ctx.mark(out)
	case nx.BF16:
		e = "nx_bf2f(nx_f2bf(" + e + "))"
		k.p.ctx.mark(out)
	}
	k.line("const %s %s = %s; // %s", compType(out), r, e, nd.Op())
	k.regs[i] = r
	return nil
}

// cone emits the members of root's kernel that root depends on, and root.
func (k *body) cone(root int) error {
	g := k.p.grp[root]
	set := map[int]bool{}
	var walk func(i int)
	walk = func(i int) {
		if set[i] {
			return
		}
		set[i] = true
		for _, v := range k.p.nodes[i].Operands() {
			if v.Source == nx.FromNode && k.p.grp[v.Index] == g {
				walk(v.Index)
			}
		}
	}
	walk(root)
	order := make([]int, 0, len(set))
	for i := range set {
		order = append(order, i)
	}
	sort.Ints(order)
	for _, i := range order {
		if err := k.member(i); err != nil {
			return err
		}
	}
	return nil
}

// signature returns the kernel's parameter list: the inputs, then outputs
// of the given types.
func (k *body) signature(outs []nx.DType) string {
	var ps []string
	for i, v := range k.params {
		ps = append(ps, fmt.Sprintf("const %s* __restrict__ in%d", cType(k.p.g.Spec(v).DType), i))
	}
	for i, dt := range outs {
		ps = append(ps, fmt.Sprintf("%s* __restrict__ out%d", cType(dt), i))
	}
	return strings.Join(ps, ", ")
}

func (p *planner) kernelName() string { return fmt.Sprintf("%s%d", p.prefix, len(p.plan.Steps)) }

func gridFor(n, cap int) uint32 {
	g := (n + BlockSize - 1) / BlockSize
	return uint32(max(1, min(g, cap)))
}

// elementwiseKernel writes a grid-stride kernel over n elements whose body
// is filled by fill, storing the registers of results.
func (p *planner) elementwiseKernel(nodes []int, n int, comment string, fill func(k *body) ([]nx.Value, []string, error)) error {
	k := p.newBody("i", n, "      ")
	outs, regs, err := fill(k)
	if err != nil {
		return err
	}
	var dts []nx.DType
	for o, v := range outs {
		dt := p.g.Spec(v).DType
		p.ctx.mark(dt)
		dts = append(dts, dt)
		k.line("%s", store(dt, fmt.Sprintf("out%d", o), "i", regs[o]))
	}
	name := p.kernelName()
	fmt.Fprintf(&p.src, "\n// %s\nNX_KERNEL %s(%s) {\n", comment, name, k.signature(dts))
	fmt.Fprintf(&p.src, "  NX_FOR_THREADS(t) {\n    for (long long i = NX_BLOCK_ID * NX_BLOCK + t; i < %dLL; i += NX_GRID * NX_BLOCK) {\n", n)
	p.src.WriteString(k.b.String())
	p.src.WriteString("    }\n  }\n}\n")
	p.plan.Steps = append(p.plan.Steps, Step{Kind: KernelStep, Nodes: nodes, Args: k.params, Outs: outs,
		Kernel: &Kernel{Name: name, Grid: gridFor(n, 4096), Block: BlockSize}})
	return nil
}

// emitGroup writes the kernel of a fused elementwise chain, if something
// needs one of its values (chains only reductions read are recomputed by
// them).
func (p *planner) emitGroup(gr *group) error {
	var outs []int
	for _, i := range gr.members {
		if p.ext[i] {
			outs = append(outs, i)
		}
	}
	if len(outs) == 0 {
		return nil
	}
	var names []string
	for _, i := range gr.members {
		names = append(names, p.nodes[i].Op())
	}
	return p.elementwiseKernel(gr.members, gr.n, "fused: "+strings.Join(names, ", "), func(k *body) ([]nx.Value, []string, error) {
		for _, i := range gr.members {
			if err := k.member(i); err != nil {
				return nil, nil, err
			}
		}
		var vs []nx.Value
		var regs []string
		for _, i := range outs {
			vs = append(vs, nx.Value{Source: nx.FromNode, Index: i})
			regs = append(regs, k.regs[i])
		}
		return vs, regs, nil
	})
}

// emitCopy writes a kernel materializing view node i.
func (p *planner) emitCopy(i int) error {
	nd := p.nodes[i]
	n := nd.Results()[0].Shape.Size()
	return p.elementwiseKernel([]int{i}, n, "copy: "+nd.Op(), func(k *body) ([]nx.Value, []string, error) {
		v := nx.Value{Source: nx.FromNode, Index: i}
		r := k.readView(p.views[i], nd.Results()[0].DType)
		k.line("const %s c = %s;", compType(nd.Results()[0].DType), r)
		return []nx.Value{v}, []string{"c"}, nil
	})
}
