package nx

import (
	"fmt"
	"math"
	"strings"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// Fusion of elementwise chains.
//
// Consecutive elementwise steps over the same number of elements (f32 and f64
// arithmetic and functions, comparisons giving u8, selects and conversions
// between f32, f64 and u8) become one fused step that evaluates the chain block
// by block (fuseBlock elements, kept in the L1 cache) without materializing
// the intermediate values. Its operands are read as they are (same size), as
// one repeated element, or through a broadcast that is then never
// materialized; reshapes inside the chain are free. A reduction over the last
// axes of a chain value can end the chain: its rows are accumulated as the
// blocks are computed.
//
// Every fused operation computes what the unfused primitive computes, in the
// same precision and order (f32 functions as float32(f(float64(x))), sums
// accumulated in float64 row by row), so results are bit-identical.
//
// A value of the chain that something else needs is a result of the fused
// step. A chain ends when something outside it uses one of its values, so
// that a fused step can run where its last member was.

// fop is the operation of a fused instruction.
type fop uint8

const (
	fUnary fop = iota // f1 of a float
	fNeg              // -x
	fAdd              // native float arithmetic
	fSub
	fMul
	fDiv
	fBinary // f2 of two floats
	fEq     // comparisons, u8 result
	fNe
	fLt
	fLe
	fGt
	fGe
	fSelect
	fConvert
)

// ewInfo describes how a fusible primitive computes.
type ewInfo struct {
	op   fop
	f1   func(float64) float64
	f2   func(a, b float64) float64
	v32  func(dst, src []float32) // the primitive's vectorized f32 kernel, if any
	mm   fMinMax                  // an fBinary that is max or min, run natively
	cost int                      // relative cost per element, for the parallel split
}

// ewOps lists the fusible primitives; their functions are those of the
// primitives' float kernels (unary.go, binary.go).
var ewOps map[*opDef]ewInfo

func init() {
	ewOps = map[*opDef]ewInfo{
		negateOp: {op: fNeg, cost: 1},
		addOp:    {op: fAdd, cost: 1},
		subOp:    {op: fSub, cost: 1},
		mulOp:    {op: fMul, cost: 1},
		divOp:    {op: fDiv, cost: 2},
		maxOp:    {op: fBinary, f2: maxFns.f, mm: fIsMax, cost: 2},
		minOp:    {op: fBinary, f2: minFns.f, mm: fIsMin, cost: 2},
		powOp:    {op: fBinary, f2: powFns.f, cost: 24},
		remOp:    {op: fBinary, f2: remFns.f, cost: 16},
		atan2Op:  {op: fBinary, f2: atan2Fns.f, cost: 24},
		eqOp:     {op: fEq, cost: 1},
		neOp:     {op: fNe, cost: 1},
		ltOp:     {op: fLt, cost: 1},
		leOp:     {op: fLe, cost: 1},
		gtOp:     {op: fGt, cost: 1},
		geOp:     {op: fGe, cost: 1},
		selectOp: {op: fSelect, cost: 1},
		asTypeOp: {op: fConvert, cost: 1},
	}
	unary := []struct {
		op   *opDef
		f    func(float64) float64
		cost int
	}{
		{expOp, math.Exp, 16}, {expm1Op, math.Expm1, 16}, {logOp, math.Log, 16},
		{log1pOp, math.Log1p, 16}, {log2Op, math.Log2, 16}, {log10Op, math.Log10, 16},
		{sqrtOp, math.Sqrt, 2}, {rsqrtOp, isqrt, 3}, {cbrtOp, math.Cbrt, 16},
		{sigmoidOp, sigmoid, 16}, {sinOp, math.Sin, 16}, {cosOp, math.Cos, 16},
		{tanOp, math.Tan, 16}, {asinOp, math.Asin, 16}, {acosOp, math.Acos, 16},
		{atanOp, math.Atan, 16}, {sinhOp, sinh, 16}, {coshOp, cosh, 16},
		{tanhOp, math.Tanh, 16}, {asinhOp, math.Asinh, 16}, {acoshOp, math.Acosh, 16},
		{atanhOp, math.Atanh, 16}, {erfOp, math.Erf, 16}, {erfcOp, math.Erfc, 16},
		{erfInvOp, math.Erfinv, 24}, {isNaNOp, isNaNFns.f, 1}, {isInfOp, isInfFns.f, 1},
		{signOp, signFns.f, 1}, {absOp, absRealFns.f, 1}, {floorOp, floorFns.f, 1},
		{ceilOp, ceilFns.f, 1}, {roundOp, roundFns.f, 1},
	}
	for _, u := range unary {
		ewOps[u.op] = ewInfo{op: fUnary, f1: u.f, cost: u.cost}
	}
	ewOps[expOp] = ewInfo{op: fUnary, f1: math.Exp, v32: kernels.ExpF32, cost: 2}
}

// fusibleType reports whether fused code handles values of type dt.
func fusibleType(dt DType) bool { return dt == F32 || dt == F64 || dt == U8 }

// fuser holds the state of the fusion pass.
type fuser struct {
	in     []spec
	steps  []step
	info   []ewInfo
	grp    []int // group of each member step (elementwise or reshape), or -1
	redOf  []int // group that a reduce step ends, or -1
	groups []*fgroup
	slot   []int // while building a fused step: the value slot of each member, or -1
}

type fgroup struct {
	members []int // member steps, in order
	n       int   // elements of every member's result
	open    bool  // whether later steps may join
	red     int   // the reduce step that ends the chain, or -1
	ew      int   // elementwise members
	bcast   bool  // whether a member reads a broadcast
	merged  bool  // merged into another group
}

func (f *fuser) specOf(r ref) spec {
	switch r.kind {
	case refInput:
		return f.in[r.i]
	case refStep:
		return f.steps[r.i].specs[r.j]
	}
	return spec{shape: r.value.shape, dtype: r.value.dtype}
}

// elementwise reports whether step i is a fusible elementwise step.
func (f *fuser) elementwise(i int) bool {
	s := &f.steps[i]
	e, ok := ewOps[s.op]
	if !ok || len(s.specs) != 1 {
		return false
	}
	out := s.specs[0]
	n := out.shape.Size()
	if !fusibleType(out.dtype) || n == 0 {
		return false
	}
	for _, r := range s.args {
		sp := f.specOf(r)
		if sz := sp.shape.Size(); !fusibleType(sp.dtype) || (sz != n && sz != 1) {
			return false
		}
	}
	a := f.specOf(s.args[0]).dtype
	switch e.op {
	case fEq, fNe, fLt, fLe, fGt, fGe:
		ok = out.dtype == U8 && f.specOf(s.args[1]).dtype == a
	case fSelect:
		ok = a == U8 && f.specOf(s.args[1]).dtype == out.dtype && f.specOf(s.args[2]).dtype == out.dtype
	case fConvert:
		ok = (a == F32 || a == F64 || a == U8) && (out.dtype == F32 || out.dtype == F64) && a != out.dtype
	default:
		ok = out.dtype != U8
		for _, r := range s.args {
			ok = ok && f.specOf(r).dtype == out.dtype
		}
	}
	if ok {
		f.info[i] = e
	}
	return ok
}

// collapsed describes a broadcast as a map from the result's element index i
// to the operand's, (i / inner) % m, when it has that form.
func collapsed(s *step, in Shape) (inner, m int, ok bool) {
	if s.op != broadcastOp {
		return 0, 0, false
	}
	out := s.specs[0].shape
	axes := s.attr.(broadcastAttr).axes
	first, last := -1, -1
	for i, a := range axes {
		if in[i] == 1 {
			continue
		}
		if first < 0 {
			first = a
		} else if a != last+1 {
			return 0, 0, false // kept axes with a broadcast one between them
		}
		last = a
	}
	if first < 0 {
		return 1, 1, true // a single element
	}
	return out[last+1:].Size(), out[first : last+1].Size(), true
}

// loader reports whether step i is a broadcast a fused step can read through.
func (f *fuser) loader(i int) bool {
	s := &f.steps[i]
	if s.op != broadcastOp || !fusibleType(s.specs[0].dtype) {
		return false
	}
	_, _, ok := collapsed(s, f.specOf(s.args[0]).shape)
	return ok
}

// reduction reports whether step i reduces the last axes of a float value with
// a kind fused code accumulates, in rows enough to split across cores.
func (f *fuser) reduction(i int) bool {
	s := &f.steps[i]
	if s.op != reduceOp {
		return false
	}
	in := f.specOf(s.args[0])
	attr := s.attr.(reduceAttr)
	if (in.dtype != F32 && in.dtype != F64) || s.specs[0].dtype != in.dtype || len(attr.axes) == 0 {
		return false
	}
	for k, a := range attr.axes {
		if a != len(in.shape)-len(attr.axes)+k {
			return false
		}
	}
	group := in.shape[len(in.shape)-len(attr.axes):].Size()
	rows := in.shape.Size() / max(group, 1)
	return group > 0 && (rows >= 32 || in.shape.Size() <= parallelGrain)
}

// seal closes the group of the step r refers to, if any: something outside it
// uses its value.
func (f *fuser) seal(r ref) {
	if r.kind == refStep && f.grp[r.i] >= 0 {
		f.groups[f.grp[r.i]].open = false
	}
}

// join adds step i to group g.
func (f *fuser) join(g, i int) {
	f.grp[i] = g
	f.groups[g].members = append(f.groups[g].members, i)
}

// merge moves the members of group b into group a.
func (f *fuser) merge(a, b int) {
	ga, gb := f.groups[a], f.groups[b]
	merged := make([]int, 0, len(ga.members)+len(gb.members))
	i, j := 0, 0
	for i < len(ga.members) || j < len(gb.members) {
		if j == len(gb.members) || (i < len(ga.members) && ga.members[i] < gb.members[j]) {
			merged = append(merged, ga.members[i])
			i++
		} else {
			merged = append(merged, gb.members[j])
			f.grp[gb.members[j]] = a
			j++
		}
	}
	ga.members, ga.ew, ga.bcast = merged, ga.ew+gb.ew, ga.bcast || gb.bcast
	gb.members, gb.merged = nil, true
}

// fuse replaces fusible chains of steps with fused steps.
func fuse(in []spec, steps []step, outs []ref) ([]step, []ref) {
	f := &fuser{in: in, steps: steps, info: make([]ewInfo, len(steps)),
		grp: make([]int, len(steps)), redOf: make([]int, len(steps))}
	f.slot = make([]int, len(steps))
	for i := range steps {
		f.grp[i], f.redOf[i], f.slot[i] = -1, -1, -1
	}
	for i := range steps {
		s := &steps[i]
		switch {
		case f.elementwise(i):
			n := s.specs[0].shape.Size()
			g := -1
			bcast := false
			for _, r := range s.args {
				if r.kind != refStep {
					continue
				}
				if h := f.grp[r.i]; h >= 0 {
					if gh := f.groups[h]; !gh.open || gh.n != n {
						gh.open = false
					} else if g < 0 {
						g = h
					} else if g != h {
						f.merge(g, h)
					}
				} else if f.loader(r.i) && f.specOf(r).shape.Size() == n {
					bcast = true
				}
			}
			if g < 0 {
				g = len(f.groups)
				f.groups = append(f.groups, &fgroup{n: n, open: true, red: -1})
			}
			f.join(g, i)
			f.groups[g].ew++
			f.groups[g].bcast = f.groups[g].bcast || bcast
		case s.op == reshapeOp && s.args[0].kind == refStep && f.grp[s.args[0].i] >= 0 &&
			f.groups[f.grp[s.args[0].i]].open:
			f.join(f.grp[s.args[0].i], i)
		case f.reduction(i):
			a := s.args[0]
			g := -1
			if a.kind == refStep && f.grp[a.i] >= 0 && f.groups[f.grp[a.i]].open {
				g = f.grp[a.i] // ends the chain computing its operand
			} else {
				f.seal(a)
				g = len(f.groups)
				f.groups = append(f.groups, &fgroup{n: f.specOf(a).shape.Size()})
			}
			f.groups[g].red, f.groups[g].open = i, false
			f.redOf[i] = g
		default:
			for _, r := range s.args {
				f.seal(r)
			}
		}
	}
	// Which member values something outside their group needs.
	external := make([]bool, len(steps))
	for u, s := range steps {
		for _, r := range s.args {
			if r.kind == refStep && f.grp[r.i] >= 0 && f.grp[u] != f.grp[r.i] && f.redOf[u] != f.grp[r.i] {
				external[r.i] = true
			}
		}
	}
	for _, r := range outs {
		if r.kind == refStep && f.grp[r.i] >= 0 {
			external[r.i] = true
		}
	}
	// Emit the steps, each worthwhile group as one fused step where its last
	// member was.
	anchor := make([]int, len(f.groups))
	worth := make([]bool, len(f.groups))
	for g, gr := range f.groups {
		if gr.merged {
			continue
		}
		worth[g] = gr.ew >= 2 || gr.red >= 0 || gr.bcast
		if gr.red >= 0 {
			anchor[g] = gr.red
		} else {
			anchor[g] = gr.members[len(gr.members)-1]
		}
	}
	// Products whose only consumer is a chain become its prologue.
	uses := make([]int, len(steps))
	for _, s := range steps {
		for _, r := range s.args {
			if r.kind == refStep {
				uses[r.i]++
			}
		}
	}
	for _, r := range outs {
		if r.kind == refStep {
			uses[r.i]++
		}
	}
	prologue := make([]int, len(f.groups))
	skip := make([]bool, len(steps))
	for g, gr := range f.groups {
		prologue[g] = -1
		if m := f.epilogueOf(gr, uses); m >= 0 && !skip[m] {
			prologue[g], worth[g] = m, true
			f.epilogueChain(m, gr, skip)
		}
	}
	fwd := make([][]ref, len(steps))
	var res []step
	remap := func(r ref) ref {
		if r.kind == refStep {
			return fwd[r.i][r.j]
		}
		return r
	}
	for i, s := range steps {
		if skip[i] {
			continue // a product and its reshapes, computed by the chain's step
		}
		g := f.grp[i]
		if g < 0 {
			g = f.redOf[i]
		}
		if g >= 0 && worth[g] {
			if i == anchor[g] {
				fs, outsOf := f.build(f.groups[g], external)
				if m := prologue[g]; m >= 0 {
					if ps, ok := f.withPrologue(fs, m); ok {
						fs = ps
					} else { // not read as a whole after all: compute it first
						mm := steps[m]
						ns := step{op: mm.op, attr: mm.attr, args: make([]ref, len(mm.args)), specs: mm.specs}
						for k, r := range mm.args {
							ns.args[k] = remap(r)
						}
						fwd[m] = stepRefs(len(res), 1)
						res = append(res, ns)
					}
				}
				for k, r := range fs.args {
					fs.args[k] = remap(r)
				}
				for m, o := range outsOf {
					fwd[m] = []ref{{kind: refStep, i: len(res), j: o}}
				}
				res = append(res, fs)
			}
			continue
		}
		ns := step{op: s.op, attr: s.attr, args: make([]ref, len(s.args)), specs: s.specs}
		for k, r := range s.args {
			ns.args[k] = remap(r)
		}
		fwd[i] = stepRefs(len(res), len(s.specs))
		res = append(res, ns)
	}
	newOuts := make([]ref, len(outs))
	for i, r := range outs {
		newOuts[i] = remap(r)
	}
	return res, newOuts
}

// build makes the fused step of a group, with operands referring to the old
// steps, and returns which of its results each externally used member (and
// the reduction) becomes.
func (f *fuser) build(g *fgroup, external []bool) (step, map[int]int) {
	p := &fusedProg{n: g.n}
	var args []ref
	var specs []spec
	outsOf := map[int]int{}
	slot := f.slot // member step → value slot
	defer func() {
		for _, i := range g.members {
			slot[i] = -1
		}
	}()
	var slotType []DType
	var slotOut []int // slot → first result holding it, or -1
	// operand resolves an operand of a member.
	operand := func(r ref) fOperand {
		if r.kind == refStep && slot[r.i] >= 0 {
			return fOperand{kind: opSlot, i: slot[r.i]}
		}
		kind, inner, m := inFull, 0, 0
		r = f.throughReshapes(r)
		if r.kind == refStep && f.loader(r.i) && f.steps[r.i].specs[0].shape.Size() == g.n {
			s := &f.steps[r.i]
			in := s.args[0]
			inner, m, _ = collapsed(s, f.specOf(in).shape)
			kind, r = inBcast, f.throughReshapes(in)
			if m == 1 {
				kind = inScalar
			}
		} else if f.specOf(r).shape.Size() == 1 && g.n > 1 {
			kind = inScalar
		}
		for k, a := range args {
			if in := p.ins[k]; a == r && in.kind == kind && in.inner == inner && in.m == m {
				return fOperand{kind: opIn, i: k}
			}
		}
		args = append(args, r)
		p.ins = append(p.ins, fIn{kind: kind, dt: f.specOf(r).dtype, inner: inner, m: m, reg: -1})
		return fOperand{kind: opIn, i: len(args) - 1}
	}
	code := make([]fInstr, 0, g.ew)
	p.names = make([]string, 0, len(g.members)+1)
	for _, i := range g.members {
		s := &f.steps[i]
		if s.op == reshapeOp {
			slot[i] = slot[s.args[0].i]
			p.names = append(p.names, s.op.name)
		} else {
			e := f.info[i]
			in := fInstr{op: e.op, f1: e.f1, f2: e.f2, v32: e.v32, mm: e.mm, dt: s.specs[0].dtype, at: f.specOf(s.args[0]).dtype}
			for k, r := range s.args {
				*in.operand(k) = operand(r)
			}
			slot[i] = len(slotType)
			slotType = append(slotType, in.dt)
			slotOut = append(slotOut, -1)
			in.dst = fOperand{kind: opSlot, i: slot[i]}
			code = append(code, in)
			p.names = append(p.names, s.op.name)
			p.cost += e.cost
		}
		if external[i] {
			outsOf[i] = len(specs)
			if first := slotOut[slot[i]]; first >= 0 {
				p.copies = append(p.copies, [2]int{len(specs), first})
			} else {
				slotOut[slot[i]] = len(specs)
			}
			specs = append(specs, s.specs[0])
		}
	}
	if g.red >= 0 {
		s := &f.steps[g.red]
		in := f.specOf(s.args[0])
		axes := s.attr.(reduceAttr).axes
		group := in.shape[len(in.shape)-len(axes):].Size()
		p.red = &fRed{kind: s.attr.(reduceAttr).kind, src: operand(s.args[0]),
			dt: in.dtype, group: group, rows: g.n / group, out: len(specs)}
		outsOf[g.red] = len(specs)
		specs = append(specs, s.specs[0])
		p.names = append(p.names, s.op.name)
	}
	p.cost += len(args)
	p.allocate(code, slotType, slotOut, len(specs))
	return step{op: fusedOp, attr: p, args: args, specs: specs}, outsOf
}

// throughReshapes returns the value that r reshapes, if it does: the same
// elements in the same order. Reshapes inside fused chains are results of
// their fused step, read as they are.
func (f *fuser) throughReshapes(r ref) ref {
	for r.kind == refStep && f.steps[r.i].op == reshapeOp && f.grp[r.i] < 0 {
		r = f.steps[r.i].args[0]
	}
	return r
}

// allocate turns value slots into results or registers, reusing registers
// whose values are dead, and records when each operand is last read and each
// result written (for computing in place, see arena.go).
func (p *fusedProg) allocate(code []fInstr, slotType []DType, slotOut []int, nOuts int) {
	last := make([]int, len(slotType))
	for t := range code {
		for _, o := range []fOperand{code[t].a, code[t].b, code[t].c} {
			if o.kind == opSlot {
				last[o.i] = t
			}
		}
	}
	if p.red != nil && p.red.src.kind == opSlot {
		last[p.red.src.i] = len(code)
	}
	for k := range p.ins {
		if p.ins[k].kind == inBcast {
			p.ins[k].reg = len(p.regs)
			p.regs = append(p.regs, p.ins[k].dt)
		}
	}
	reg := make([]int, len(slotType))
	freed := make([]bool, len(slotType))
	var free []int
	resolve := func(o fOperand) fOperand {
		if o.kind != opSlot {
			return o
		}
		if out := slotOut[o.i]; out >= 0 {
			return fOperand{kind: opOut, i: out}
		}
		return fOperand{kind: opReg, i: reg[o.i]}
	}
	p.lastRead = make([]int, len(p.ins))
	for k := range p.lastRead {
		p.lastRead[k] = -1
	}
	p.writeAt = make([]int, nOuts)
	for k := range p.writeAt {
		p.writeAt[k] = len(code)
	}
	if p.red != nil && p.red.src.kind == opIn {
		p.lastRead[p.red.src.i] = len(code) // read after the block's instructions
	}
	for k := range p.ins {
		p.ins[k].scalarOK = p.ins[k].kind == inBcast && !(p.red != nil && p.red.src.kind == opIn && p.red.src.i == k)
	}
	for t := range code {
		in := &code[t]
		for _, o := range []*fOperand{&in.a, &in.b, &in.c} {
			if o.kind == opIn {
				p.lastRead[o.i] = t
				if in.op == fUnary || in.op == fNeg {
					p.ins[o.i].scalarOK = false // read as a block (view(...).s)
				}
			}
			if o.kind == opSlot && last[o.i] == t && !freed[o.i] {
				if slotOut[o.i] < 0 {
					free = append(free, reg[o.i]) // dead after this instruction
					freed[o.i] = true
				}
			}
			*o = resolve(*o)
		}
		d := in.dst.i
		if out := slotOut[d]; out >= 0 {
			p.writeAt[out] = t
		} else {
			reg[d] = -1
			for k, r := range free {
				if p.regs[r] == slotType[d] {
					reg[d] = r
					free = append(free[:k], free[k+1:]...)
					break
				}
			}
			if reg[d] < 0 {
				reg[d] = len(p.regs)
				p.regs = append(p.regs, slotType[d])
			}
		}
		in.dst = resolve(in.dst)
	}
	if p.red != nil {
		p.red.src = resolve(p.red.src)
	}
	p.code = code
}

// operand returns the instruction's operand k.
func (in *fInstr) operand(k int) *fOperand {
	switch k {
	case 0:
		return &in.a
	case 1:
		return &in.b
	}
	return &in.c
}

// label names a step for Inspect: the primitive, or the members of a fused
// step.
func (s *step) label() string {
	if p, ok := s.attr.(*fusedProg); ok && s.op == fusedOp {
		return "fused[" + strings.Join(p.names, ", ") + "]"
	}
	if e, ok := s.attr.(*gemmEpi); ok && s.op == gemmFusedOp {
		return "fused_dot[" + strings.Join(e.prog.names, ", ") + "]"
	}
	return s.op.name
}

// argLabel formats operand k of s, named name, for Inspect.
func (s *step) argLabel(k int, name string) string {
	if p, ok := s.attr.(*fusedProg); ok && s.op == fusedOp && p.ins[k].kind == inBcast {
		return fmt.Sprintf("bcast(%s)", name)
	}
	if e, ok := s.attr.(*gemmEpi); ok && s.op == gemmFusedOp && k >= 2 {
		if k -= 2; k >= e.dot {
			k++ // the chain's operands, less the product
		}
		if e.prog.ins[k].kind == inBcast {
			return fmt.Sprintf("bcast(%s)", name)
		}
	}
	return name
}
