package nx

import (
	"encoding/binary"
	"math"
	"reflect"
	"sync"
	"unsafe"
)

// Compiler passes.
//
// compile records a traced graph as a plan; optimize turns that plan into the
// one that runs on concrete inputs:
//
//   - simplification rewrites steps whose result is exactly (bit for bit)
//     another value: x+(-0), x-0, x*1, 1*x, x/1, pow(x, 1), -(-x), select(p, x,
//     x), reshapes of reshapes, transposes of transposes, conversions to the
//     same type, and stop_grad and custom_grad (identities when nothing is
//     differentiated);
//   - constant folding runs steps whose operands are all constants once, at
//     compile time, with the eager kernels;
//   - common-subexpression elimination keeps one of several steps applying the
//     same primitive, with equal static parameters, to the same operands;
//   - dead-code elimination drops the steps no result needs;
//   - fusion (fuse.go) merges chains of elementwise steps, the broadcasts that
//     feed them and a reduction that ends them into single steps;
//   - buffer planning (arena.go) assigns the intermediate results buffers that
//     are reused across steps and across calls.
//
// Steps with side effects (Hook) are never folded, merged or dropped, and
// neither are those whose static parameters hold functions or pointers
// (CustomOp, While): only primitives with plain-data parameters are assumed to
// be pure.

// foldLimit is the most elements a folded constant may have: larger results
// are computed at run time rather than kept in the plan.
const foldLimit = 1 << 16

// strictOptimize makes a failure of the passes panic instead of leaving the
// plan unoptimized; the package's tests set it.
var strictOptimize bool

// optimize returns the optimized form of p, or nil when p holds vectorized
// values (vectorization is resolved while tracing, so compiled functions have
// none) or when the passes fail: the plan then runs as traced.
func optimize(p *plan) (q *plan) {
	defer func() {
		if r := recover(); r != nil {
			if strictOptimize {
				panic(r)
			}
			q = nil
		}
	}()
	for _, s := range p.inSpecs {
		if len(s.vec) > 0 {
			return nil
		}
	}
	for _, s := range p.steps {
		for _, o := range s.specs {
			if len(o.vec) > 0 {
				return nil
			}
		}
		for _, r := range s.args {
			if r.kind == refConst && len(r.value.vec) > 0 {
				return nil
			}
		}
	}
	for _, r := range p.outs {
		if r.kind == refConst && len(r.value.vec) > 0 {
			return nil
		}
	}
	q = &plan{nInputs: p.nInputs, inSpecs: p.inSpecs}
	q.steps, q.outs = rewrite(p.inSpecs, p.steps, p.outs)
	q.steps, q.outs = deadCode(q.steps, q.outs)
	q.steps, q.outs = fuse(q.inSpecs, q.steps, q.outs)
	q.steps, q.outs = deadCode(q.steps, q.outs)
	q.lastUse = lastUses(q.steps, q.outs)
	q.mem = planMemory(q)
	return q
}

// accepts reports whether inputs are concrete tensors of the shapes and types
// the plan was compiled for.
func (p *plan) accepts(inputs []*Tensor) bool {
	if len(inputs) != len(p.inSpecs) {
		return false
	}
	for i, t := range inputs {
		s := p.inSpecs[i]
		if t.expr != nil || len(t.vec) > 0 || t.dtype != s.dtype || !t.shape.Equal(s.shape) {
			return false
		}
	}
	return true
}

// pure reports whether a step may be folded, merged with an equal one or
// dropped when unused.
func pure(op *opDef, attr any) bool {
	return !op.effect && (attr == nil || plainType(reflect.TypeOf(attr)))
}

var plainTypes sync.Map // reflect.Type → bool

// plainType reports whether values of t are plain data: numbers, strings,
// and arrays, slices and structs of them.
func plainType(t reflect.Type) bool {
	if v, ok := plainTypes.Load(t); ok {
		return v.(bool)
	}
	plain := false
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		plain = true
	case reflect.Array, reflect.Slice:
		plain = plainType(t.Elem())
	case reflect.Struct:
		plain = true
		for i := 0; i < t.NumField(); i++ {
			plain = plain && plainType(t.Field(i).Type)
		}
	}
	plainTypes.Store(t, plain)
	return plain
}

// rewriter holds the state of the forward pass that simplifies, folds and
// deduplicates steps.
type rewriter struct {
	in     []spec
	steps  []step             // the steps kept so far
	cse    map[cseKey]int     // the last kept step of each key
	prev   []int              // per kept step: the previous one with its key, or -1
	consts map[string]*Tensor // one tensor per small constant value
}

// cseKey hashes a step's primitive and operands, to find candidate equal
// steps; candidates are compared fully.
type cseKey uint64

func keyOf(s *step) cseKey {
	h := uint64(uintptr(unsafe.Pointer(s.op)))
	mix := func(v uint64) { h = (h^v)*0x100000001b3 + 0x9e3779b97f4a7c15 }
	for _, r := range s.args {
		mix(uint64(r.kind)<<56 ^ uint64(r.i)<<20 ^ uint64(r.j))
		mix(uint64(uintptr(unsafe.Pointer(r.value))))
	}
	return cseKey(h)
}

// rewrite simplifies, folds and deduplicates steps in one pass in dependency
// order, returning the new steps and results.
func rewrite(in []spec, steps []step, outs []ref) ([]step, []ref) {
	w := &rewriter{in: in, steps: make([]step, 0, len(steps)), cse: map[cseKey]int{}, consts: map[string]*Tensor{}}
	fwd := make([][]ref, len(steps))
	flat := make([]ref, 0, len(steps))
	remap := func(r ref) ref {
		switch r.kind {
		case refStep:
			return fwd[r.i][r.j]
		case refConst:
			return ref{kind: refConst, value: w.canon(r.value)}
		}
		return r
	}
	for i, s := range steps {
		ns := step{op: s.op, attr: s.attr, args: make([]ref, len(s.args)), specs: s.specs}
		for k, r := range s.args {
			ns.args[k] = remap(r)
		}
		if r, ok := w.simplify(&ns); ok {
			flat = append(flat, r)
			fwd[i] = flat[len(flat)-1:]
			continue
		}
		if rs, ok := w.fold(ns); ok {
			fwd[i] = rs
			continue
		}
		k, ok := w.lookup(ns)
		if !ok {
			k = len(w.steps)
			w.steps = append(w.steps, ns)
		}
		start := len(flat)
		for j := range ns.specs {
			flat = append(flat, ref{kind: refStep, i: k, j: j})
		}
		fwd[i] = flat[start:len(flat):len(flat)]
	}
	res := make([]ref, len(outs))
	for i, r := range outs {
		res[i] = remap(r)
	}
	return w.steps, res
}

func stepRefs(i, n int) []ref {
	rs := make([]ref, n)
	for j := range rs {
		rs[j] = ref{kind: refStep, i: i, j: j}
	}
	return rs
}

// canon returns the first constant seen with t's type, shape and elements, so
// that equal constants compare equal as references.
func (w *rewriter) canon(t *Tensor) *Tensor {
	if t.Size() > 64 || len(t.vec) > 0 {
		return t
	}
	b := append(make([]byte, 0, 64), byte(t.dtype), byte(len(t.shape)))
	for _, d := range t.shape {
		b = binary.AppendUvarint(b, uint64(d))
	}
	key := string(append(b, dataBytes(t.data)...))
	if c, ok := w.consts[key]; ok {
		return c
	}
	w.consts[key] = t
	return t
}

// specOf returns the shape and type of the value r refers to.
func (w *rewriter) specOf(r ref) spec {
	switch r.kind {
	case refInput:
		return w.in[r.i]
	case refStep:
		return w.steps[r.i].specs[r.j]
	}
	return spec{shape: r.value.shape, dtype: r.value.dtype}
}

// producer returns the step that computes r, or nil.
func (w *rewriter) producer(r ref) *step {
	if r.kind != refStep {
		return nil
	}
	return &w.steps[r.i]
}

// simplify returns the value a single-result step equals, or rewrites the step
// in place into a simpler one.
func (w *rewriter) simplify(s *step) (ref, bool) {
	if len(s.specs) != 1 || len(s.args) == 0 {
		return ref{}, false
	}
	out := s.specs[0]
	same := func(r ref) (ref, bool) {
		sp := w.specOf(r)
		return r, sp.dtype == out.dtype && sp.shape.Equal(out.shape)
	}
	a := s.args[0]
	switch s.op {
	case stopGradOp, customGradOp:
		return same(a)
	case reshapeOp:
		if p := w.producer(a); p != nil && p.op == reshapeOp {
			s.args = []ref{p.args[0]}
		}
		return same(s.args[0])
	case asTypeOp:
		return same(a)
	case negateOp:
		if p := w.producer(a); p != nil && p.op == negateOp {
			return same(p.args[0])
		}
	case transposeOp:
		perm := s.attr.(transposeAttr).perm
		if p := w.producer(a); p != nil && p.op == transposeOp {
			inner := p.attr.(transposeAttr).perm
			q := make([]int, len(perm))
			for j, k := range perm {
				q[j] = inner[k]
			}
			s.args, s.attr, perm = []ref{p.args[0]}, transposeAttr{q}, q
		}
		for j, k := range perm {
			if j != k {
				return ref{}, false
			}
		}
		return same(s.args[0])
	case selectOp:
		if s.args[1] == s.args[2] {
			return same(s.args[1])
		}
	case addOp:
		if w.isConst(s.args[1], out.dtype, addIdentity) {
			return same(a)
		}
		if w.isConst(a, out.dtype, addIdentity) {
			return same(s.args[1])
		}
	case subOp:
		if w.isConst(s.args[1], out.dtype, subIdentity) {
			return same(a)
		}
	case mulOp:
		if w.isConst(s.args[1], out.dtype, isOne) {
			return same(a)
		}
		if w.isConst(a, out.dtype, isOne) {
			return same(s.args[1])
		}
	case divOp, powOp:
		if w.isConst(s.args[1], out.dtype, isOne) {
			return same(a)
		}
	}
	return ref{}, false
}

// addIdentity reports whether x + v == x for every x of a real type: 0 for
// integers, -0 for floats (+0 turns -0 into +0).
func addIdentity(v float64, float bool) bool { return v == 0 && (!float || math.Signbit(v)) }

// subIdentity reports whether x - v == x for every x: 0, and +0 for floats.
func subIdentity(v float64, float bool) bool { return v == 0 && (!float || !math.Signbit(v)) }

func isOne(v float64, _ bool) bool { return v == 1 }

// isConst reports whether r is a constant of a real type dt whose elements all
// satisfy pred.
func (w *rewriter) isConst(r ref, dt DType, pred func(v float64, float bool) bool) bool {
	if r.kind != refConst || r.value.dtype != dt || dt.IsComplex() {
		return false
	}
	for _, v := range r.value.Float64s() {
		if !pred(v, dt.IsFloat()) {
			return false
		}
	}
	return true
}

// fold runs a pure step whose operands are all small constants and returns its
// results as constants.
func (w *rewriter) fold(s step) ([]ref, bool) {
	if len(s.args) == 0 || !pure(s.op, s.attr) {
		return nil, false
	}
	args := make([]*Tensor, len(s.args))
	for k, r := range s.args {
		if r.kind != refConst {
			return nil, false
		}
		args[k] = r.value
	}
	for _, o := range s.specs {
		if o.shape.Size() > foldLimit {
			return nil, false
		}
	}
	var outs []*Tensor
	if Try(func() { outs = s.op.apply(s.specs, s.attr, args...) }) != nil {
		return nil, false // left for run time, which reports the error
	}
	rs := make([]ref, len(outs))
	for j, o := range outs {
		rs[j] = ref{kind: refConst, value: w.canon(o)}
	}
	return rs, true
}

// lookup returns an earlier step equal to s, registering s as a candidate for
// later ones when there is none.
func (w *rewriter) lookup(s step) (int, bool) {
	if !pure(s.op, s.attr) {
		return 0, false
	}
	key := keyOf(&s)
	k, ok := w.cse[key]
	for ; ok && k >= 0; k = w.prev[k] {
		if w.equalSteps(&w.steps[k], &s) {
			return k, true
		}
	}
	if !ok {
		k = -1
	}
	w.cse[key] = len(w.steps)
	for len(w.prev) < len(w.steps) {
		w.prev = append(w.prev, -1) // steps that are not candidates
	}
	w.prev = append(w.prev, k)
	return 0, false
}

func (w *rewriter) equalSteps(a, b *step) bool {
	if a.op != b.op || len(a.args) != len(b.args) || len(a.specs) != len(b.specs) {
		return false
	}
	for k := range a.args {
		if a.args[k] != b.args[k] {
			return false
		}
	}
	for j := range a.specs {
		if a.specs[j].dtype != b.specs[j].dtype || !a.specs[j].shape.Equal(b.specs[j].shape) {
			return false
		}
	}
	return reflect.DeepEqual(a.attr, b.attr)
}

// deadCode drops the steps that neither the results nor a step with effects
// need, renumbering the others in place.
func deadCode(steps []step, outs []ref) ([]step, []ref) {
	live := make([]bool, len(steps))
	for _, r := range outs {
		if r.kind == refStep {
			live[r.i] = true
		}
	}
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].op.effect {
			live[i] = true
		}
		if !live[i] {
			continue
		}
		for _, r := range steps[i].args {
			if r.kind == refStep {
				live[r.i] = true
			}
		}
	}
	index := make([]int, len(steps))
	var kept []step
	for i, s := range steps {
		if !live[i] {
			continue
		}
		index[i] = len(kept)
		for k, r := range s.args {
			s.args[k] = renumber(r, index) // the passes' own copies
		}
		kept = append(kept, s)
	}
	res := make([]ref, len(outs))
	for i, r := range outs {
		res[i] = renumber(r, index)
	}
	return kept, res
}

func renumber(r ref, index []int) ref {
	if r.kind == refStep {
		r.i = index[r.i]
	}
	return r
}
