package nx

import (
	"unsafe"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// Buffer planning.
//
// An optimized plan's intermediate results live in an arena: buffers assigned
// at compile time by liveness, so that a buffer whose value is dead serves a
// later result of the same type and size, and an elementwise step may write
// its result over an operand that dies there. Arenas are pooled per plan, so a
// compiled function in its steady state allocates little more than its
// results.
//
// A value lives in the arena only when every step that reads it reads it
// during that step and keeps nothing (readsOnly), when it is not a result of
// the plan, and when the step that computes it writes every element of a
// buffer it is given (presets). A reshape shares its operand's buffer, which
// then lives as long as both. Everything else is allocated as by eager
// execution.

// memPlan is an optimized plan's buffer assignment.
type memPlan struct {
	// buf holds, per step and result, its arena buffer, or -1, or viewHdr.
	buf  [][]int
	bufs []spec // each buffer's type and number of elements
	// outOf holds, per step and result, the first output of the plan that
	// it is, or -1: where execInto puts the result.
	outOf [][]int
	pool  kernels.FreeList[arena]
}

// viewHdr marks a reshape's result outside the arena (a view of an input, or
// of a result allocated as by eager execution) that no step keeps and that is
// not a result of the plan: its tensor header is the arena's, reused by every
// call, and its buffer is its operand's.
const viewHdr = -2

// arena holds one running call's buffers and per-step call records.
type arena struct {
	bufs  []any
	calls []call
	hdrs  [][]*Tensor // the result tensors that use arena buffers
}

// presets reports whether op writes every element of result buffers it is
// given (and so may be given recycled ones).
func presets(op *opDef) bool {
	if op.writesAll {
		return true
	}
	switch op {
	case fusedOp, gemmFusedOp, reduceOp, transposeOp, broadcastOp, sliceOp, reverseOp:
		return true
	}
	switch op.name {
	case "while": // named: whileOp's kernel runs plans, which call presets
		return true
	case "put_slice", "conv", "conv_backward_input", "conv_backward_kernel", "indexed_put", "indexed_add", "gather",
		"dot", "window_reduce", "window_scatter":
		return true
	}
	return op.elementwise
}

// readsOnly reports whether op reads its operands only while it runs, keeping
// no reference to their elements.
func readsOnly(op *opDef) bool {
	if op.elementwise || presets(op) {
		return true
	}
	switch op.name {
	case "argreduce", "put_slice", "concatenate", "pad", "dot", "fused_dot", "conv", "conv_backward_input", "conv_backward_kernel":
		return true
	}
	return false
}

// planMemory assigns arena buffers to p's results.
func planMemory(p *plan) *memPlan {
	m := &memPlan{buf: make([][]int, len(p.steps)), outOf: make([][]int, len(p.steps))}
	for i, s := range p.steps {
		m.outOf[i] = make([]int, len(s.specs))
		for j := range m.outOf[i] {
			m.outOf[i][j] = -1
		}
	}
	for k, r := range p.outs {
		if r.kind == refStep && m.outOf[r.i][r.j] < 0 {
			m.outOf[r.i][r.j] = k
		}
	}
	base := make([]int, len(p.steps)+1) // first value number of each step
	for i, s := range p.steps {
		base[i+1] = base[i] + len(s.specs)
	}
	nv := base[len(p.steps)]
	vid := func(r ref) int { return base[r.i] + r.j }
	root := make([]int, nv) // the value whose buffer a value uses
	ok := make([]bool, nv)  // per root: whether it may live in the arena
	last := make([]int, nv) // per root: the last step that reads it or a reshape of it
	for i, s := range p.steps {
		for j := range s.specs {
			v := base[i] + j
			root[v] = v
			if s.op == reshapeOp && s.args[0].kind == refStep {
				root[v] = root[vid(s.args[0])]
			} else {
				ok[v] = presets(s.op)
			}
			last[root[v]] = max(last[root[v]], i)
		}
		for _, r := range s.args {
			if r.kind != refStep {
				continue
			}
			rv := root[vid(r)]
			last[rv] = max(last[rv], i)
			if s.op != reshapeOp && !readsOnly(s.op) {
				ok[rv] = false
			}
		}
	}
	kept := make([]bool, nv) // per value: whether a step keeps it or the plan returns it
	for _, s := range p.steps {
		for _, r := range s.args {
			if r.kind == refStep && s.op != reshapeOp && !readsOnly(s.op) {
				kept[vid(r)] = true
			}
		}
	}
	for _, r := range p.outs {
		if r.kind == refStep {
			ok[root[vid(r)]] = false
			kept[vid(r)] = true
		}
	}
	type key struct {
		dt DType
		n  int
	}
	free := map[key][]int{}
	bufOf := make([]int, nv)
	keyOf := func(v int) key { return key{m.bufs[bufOf[v]].dtype, m.bufs[bufOf[v]].shape[0]} }
	for i, s := range p.steps {
		m.buf[i] = make([]int, len(s.specs))
		var dying []int // arena values last read here
		for _, r := range s.args {
			if r.kind != refStep {
				continue
			}
			rv := root[vid(r)]
			if ok[rv] && last[rv] == i && !contains(dying, rv) {
				dying = append(dying, rv)
			}
		}
		var taken []int
		for j, o := range s.specs {
			v := base[i] + j
			switch {
			case root[v] != v:
				if ok[root[v]] {
					bufOf[v] = bufOf[root[v]]
				} else {
					bufOf[v] = -1
				}
			case !ok[v]:
				bufOf[v] = -1
			default:
				k := key{o.dtype, o.shape.Size()}
				bufOf[v] = -1
				for _, d := range dying {
					if !contains(taken, d) && keyOf(d) == k && inPlace(p, i, j, func(r ref) bool {
						return r.kind == refStep && root[vid(r)] == d
					}) {
						bufOf[v] = bufOf[d]
						taken = append(taken, d)
						break
					}
				}
				if bufOf[v] < 0 {
					if f := free[k]; len(f) > 0 {
						bufOf[v], free[k] = f[len(f)-1], f[:len(f)-1]
					} else {
						bufOf[v] = len(m.bufs)
						m.bufs = append(m.bufs, spec{shape: Shape{k.n}, dtype: k.dt})
					}
				}
			}
			m.buf[i][j] = bufOf[v]
			if bufOf[v] < 0 && s.op == reshapeOp && !kept[v] {
				m.buf[i][j] = viewHdr
			}
		}
		for _, d := range dying {
			if !contains(taken, d) {
				free[keyOf(d)] = append(free[keyOf(d)], bufOf[d])
			}
		}
		for j := range s.specs {
			if v := base[i] + j; root[v] == v && ok[v] && last[v] == i {
				free[keyOf(v)] = append(free[keyOf(v)], bufOf[v]) // read by nothing
			}
		}
	}
	return m
}

func contains(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// inPlace reports whether result j of step i may be written over the buffer of
// the operands for which in returns true (of the result's type and size), as
// they die at this step.
func inPlace(p *plan, i, j int, in func(ref) bool) bool {
	s := &p.steps[i]
	if s.op == fusedOp {
		f := s.attr.(*fusedProg)
		if f.red != nil && j == f.red.out {
			return false
		}
		for k, r := range s.args {
			if in(r) && (f.ins[k].kind != inFull || f.writeAt[j] < f.lastRead[k]) {
				return false
			}
		}
		return true
	}
	// Elementwise kernels read element i of each operand before writing
	// element i of the result.
	return s.op.elementwise && s.op != asTypeOp
}

func (m *memPlan) newArena(p *plan) *arena {
	a := &arena{bufs: make([]any, len(m.bufs)), calls: make([]call, len(p.steps)), hdrs: make([][]*Tensor, len(p.steps))}
	for i, b := range m.bufs {
		a.bufs[i] = makeData(b.dtype, b.shape[0])
	}
	for i, s := range p.steps {
		a.calls[i] = call{op: s.op, attr: s.attr, args: make([]*Tensor, len(s.args)), outs: make([]*Tensor, len(s.specs))}
		a.hdrs[i] = make([]*Tensor, len(s.specs))
		for j, id := range m.buf[i] {
			if id >= 0 || id == viewHdr || m.outOf[i][j] >= 0 {
				a.hdrs[i][j] = &Tensor{shape: s.specs[j].shape, dtype: s.specs[j].dtype}
			}
		}
	}
	return a
}

// exec runs an optimized plan on concrete inputs of the expected shapes and
// types, appending its outputs to dst.
//
// With into (one tensor per output, of its type and size, sharing memory
// with no input), the outputs are written into into's buffers instead, and
// nothing else is allocated in the steady state: a step computing an output
// is given that output's buffer (zeroed first for a step that may not write
// every element), and an output that is an input, a constant, a repeated
// value or a step's result elsewhere is copied there. Loops run their
// condition and body this way.
func (p *plan) exec(inputs, dst, into []*Tensor) []*Tensor {
	m := p.mem
	a := m.pool.Get()
	if a == nil {
		a = m.newArena(p)
	}
	get := func(r ref) *Tensor {
		switch r.kind {
		case refInput:
			return inputs[r.i]
		case refStep:
			return a.calls[r.i].outs[r.j]
		}
		return r.value
	}
	for i := range p.steps {
		s := &p.steps[i]
		c := &a.calls[i]
		for k, r := range s.args {
			c.args[k] = get(r)
		}
		for j, id := range m.buf[i] {
			switch {
			case into != nil && m.outOf[i][j] >= 0:
				t := a.hdrs[i][j]
				t.data, t.owner = into[m.outOf[i][j]].data, nil
				if !presets(s.op) {
					clear(dataBytes(t.data))
				}
				c.outs[j] = t
			case id >= 0:
				t := a.hdrs[i][j]
				t.data, t.owner = a.bufs[id], nil
				c.outs[j] = t
			case id == viewHdr:
				c.outs[j] = a.hdrs[i][j] // its operand's buffer, shared by the step
			default:
				c.outs[j] = &Tensor{shape: s.specs[j].shape, dtype: s.specs[j].dtype}
			}
		}
		s.op.cpu(c)
		for j := range c.outs {
			c.out(j)
		}
		for _, r := range s.args {
			if r.kind == refStep && p.lastUse[r.i] == i {
				m.release(a, r.i) // dead: let its own buffers go
			}
		}
	}
	for k, r := range p.outs {
		t := get(r)
		if into != nil {
			if d := dataBytes(into[k].data); len(d) > 0 && unsafe.SliceData(d) != unsafe.SliceData(dataBytes(t.data)) {
				copy(d, dataBytes(t.data))
			}
			continue
		}
		dst = append(dst, t)
	}
	for i := range a.calls {
		clear(a.calls[i].args)
		m.release(a, i)
		for j, id := range m.buf[i] {
			if id == viewHdr || m.outOf[i][j] >= 0 && a.hdrs[i][j] != nil {
				t := a.hdrs[i][j]
				t.data, t.owner = nil, nil // keep no operand alive in the pool
			}
		}
	}
	m.pool.Put(a)
	return dst
}

// release drops step i's results that do not live in the arena.
func (m *memPlan) release(a *arena, i int) {
	for j, id := range m.buf[i] {
		if id < 0 {
			a.calls[i].outs[j] = nil
		}
	}
}
