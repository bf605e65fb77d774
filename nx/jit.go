package nx

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// JitOption configures Jit.
type JitOption func(*jitConfig)

type jitConfig struct {
	onCompile func(signature string)
	backend   string // OnBackend's choice; "" for the default
}

// OnCompile calls fn with the input signature (structure, shapes, types and
// static values) each time the jitted function traces and compiles, which is
// once per distinct signature.
func OnCompile(fn func(signature string)) JitOption {
	return func(c *jitConfig) { c.onCompile = fn }
}

// Jit returns a function that behaves like fn, a function over tensors and
// containers of tensors (structs, string-keyed maps, slices, arrays), but that
// traces fn once per input signature — the containers' structure, the tensors'
// shapes and types, and the values of non-tensor arguments, which are static —
// and from then on runs the recorded computation without calling fn again.
//
// Calls are safe from several goroutines. If fn panics while it is traced, the
// jitted function panics with an *Error (the one fn raised, or one wrapping
// another panic's value) whose Pos names the line of fn that failed; boundaries
// turn it into an error with Recover.
func Jit[F any](fn F, opts ...JitOption) F {
	fv := reflect.ValueOf(fn)
	ft := fv.Type()
	if ft.Kind() != reflect.Func || fv.IsNil() {
		panic(&Error{Op: "nx.Jit", Msg: fmt.Sprintf("want a non-nil function, got %T", fn)})
	}
	var cfg jitConfig
	for _, o := range opts {
		o(&cfg)
	}
	j := &jitted{fn: fv, cfg: cfg, cache: map[string]*compiled{}}
	// Functions of tensors to one or two tensors are called without
	// reflection, which would allocate the argument and result slices of every
	// call.
	switch any(fn).(type) {
	case func(*Tensor) *Tensor:
		return any(func(x *Tensor) *Tensor {
			in := [1]*Tensor{x}
			return j.callTensor(in[:])
		}).(F)
	case func(*Tensor, *Tensor) *Tensor:
		return any(func(x, y *Tensor) *Tensor {
			in := [2]*Tensor{x, y}
			return j.callTensor(in[:])
		}).(F)
	case func(*Tensor, *Tensor, *Tensor) *Tensor:
		return any(func(x, y, z *Tensor) *Tensor {
			in := [3]*Tensor{x, y, z}
			return j.callTensor(in[:])
		}).(F)
	case func(*Tensor) (*Tensor, *Tensor):
		return any(func(x *Tensor) (*Tensor, *Tensor) {
			in := [1]*Tensor{x}
			var out [2]*Tensor
			j.callTensors(in[:], out[:])
			return out[0], out[1]
		}).(F)
	case func(*Tensor, *Tensor) (*Tensor, *Tensor):
		return any(func(x, y *Tensor) (*Tensor, *Tensor) {
			in := [2]*Tensor{x, y}
			var out [2]*Tensor
			j.callTensors(in[:], out[:])
			return out[0], out[1]
		}).(F)
	case func(*Tensor, *Tensor, *Tensor) (*Tensor, *Tensor):
		return any(func(x, y, z *Tensor) (*Tensor, *Tensor) {
			in := [3]*Tensor{x, y, z}
			var out [2]*Tensor
			j.callTensors(in[:], out[:])
			return out[0], out[1]
		}).(F)
	}
	return reflect.MakeFunc(ft, j.call).Interface().(F)
}

type jitted struct {
	fn    reflect.Value
	cfg   jitConfig
	mu    sync.Mutex
	cache map[string]*compiled
	// byShape finds, without building a signature string, the compiled
	// signatures whose arguments are all tensors: a hash of the arguments'
	// types and shapes → the signatures with that hash, told apart by
	// comparing types and shapes exactly. It is replaced, never modified, when
	// a signature is added.
	byShape atomic.Pointer[map[uint64][]*compiled]
	// byKey finds the other compiled signatures the same way: a hash of their
	// key (see jitkey.go) → the signatures with that hash, told apart by
	// comparing keys exactly. It is replaced, never modified.
	byKey atomic.Pointer[map[uint64][]keyEntry]
}

// maxFastArgs is the most arguments for which a call looks its signature up
// in byShape.
const maxFastArgs = 16

// maxStackLeaves is the number of leaves and outputs that a call keeps on
// its stack (more grow on the heap): a training step's state holds dozens.
const maxStackLeaves = 64

// shapeHash hashes the types and shapes of tensors (FNV-1a).
func shapeHash(ts []*Tensor) uint64 {
	h := uint64(14695981039346656037)
	mix := func(v uint64) {
		h ^= v
		h *= 1099511628211
	}
	mix(uint64(len(ts)))
	for _, t := range ts {
		mix(uint64(t.dtype))
		mix(uint64(len(t.shape)))
		for _, d := range t.shape {
			mix(uint64(d))
		}
	}
	return h
}

// lookupTensors returns the compiled signature for arguments that are the
// tensors ts, or nil when it has not been compiled (or ts holds nil).
func (j *jitted) lookupTensors(ts []*Tensor) *compiled {
	for _, t := range ts {
		if t == nil {
			return nil
		}
	}
	m := j.byShape.Load()
	if m == nil {
		return nil
	}
	for _, c := range (*m)[shapeHash(ts)] {
		if len(c.params) != len(ts) {
			continue
		}
		same := true
		for i, t := range ts {
			if p := c.params[i]; p.dtype != t.dtype || !p.shape.Equal(t.shape) {
				same = false
				break
			}
		}
		if same {
			return c
		}
	}
	return nil
}

// addByShape records c, compiled for arguments that are the tensors ts, in
// byShape.
func (j *jitted) addByShape(c *compiled, ts []*Tensor) {
	h := shapeHash(ts)
	j.mu.Lock()
	defer j.mu.Unlock()
	old := j.byShape.Load()
	m := map[uint64][]*compiled{}
	if old != nil {
		for k, v := range *old {
			m[k] = v
		}
		for _, c2 := range (*old)[h] {
			if c2 == c {
				return
			}
		}
	}
	m[h] = append(append([]*compiled(nil), m[h]...), c)
	j.byShape.Store(&m)
}

// callTensor calls a function of tensors ts to one tensor.
func (j *jitted) callTensor(ts []*Tensor) *Tensor {
	c := j.lookupTensors(ts)
	if c == nil {
		args := make([]reflect.Value, len(ts))
		for i, t := range ts {
			args[i] = reflect.ValueOf(t)
		}
		return j.call(args)[0].Interface().(*Tensor)
	}
	if c.err != nil {
		panic(c.err)
	}
	var out [1]*Tensor
	return c.run(ts, out[:0])[0]
}

// callTensors calls a function of tensors ts to len(outs) tensors, which it
// sets.
func (j *jitted) callTensors(ts, outs []*Tensor) {
	c := j.lookupTensors(ts)
	if c == nil {
		args := make([]reflect.Value, len(ts))
		for i, t := range ts {
			args[i] = reflect.ValueOf(t)
		}
		for i, r := range j.call(args) {
			outs[i] = r.Interface().(*Tensor)
		}
		return
	}
	if c.err != nil {
		panic(c.err)
	}
	c.run(ts, outs[:0])
}

// run runs c on leaves, appending its outputs to dst.
func (c *compiled) run(leaves, dst []*Tensor) []*Tensor {
	if c.exec != nil && c.plan.accepts(leaves) {
		// The backend may keep its inputs: give it a slice of its own.
		outs, err := c.exec.Run(append([]*Tensor(nil), leaves...))
		if err != nil {
			panic(&Error{Op: "nx.Jit", Msg: err.Error(), Err: err})
		}
		return append(dst, outs...)
	}
	return c.plan.runTo(leaves, dst)
}

// compiled is one traced signature: the parameters, the results and the
// template to rebuild results into the function's result types.
type compiled struct {
	once     sync.Once
	params   []*Tensor
	outs     []*Tensor
	template []reflect.Value // fn's results with tensors to be replaced
	plan     *plan
	err      any
	// exec runs the graph on a backend other than the CPU; nil on the CPU.
	exec Executable
}

func (j *jitted) call(args []reflect.Value) []reflect.Value {
	var lbuf [maxStackLeaves]*Tensor
	var kbuf [maxKeyTokens]uint64
	var obuf [maxStackLeaves]*Tensor
	tensors := len(args) <= maxFastArgs
	for _, a := range args {
		tensors = tensors && a.Type() == tensorType
	}
	// keyOK: the arguments' key is toks (see jitkey.go).
	keyOK := false
	toks := kbuf[:0]
	if tensors {
		leaves := lbuf[:0]
		for _, a := range args {
			leaves = append(leaves, a.Interface().(*Tensor))
		}
		if c := j.lookupTensors(leaves); c != nil {
			if c.err != nil {
				panic(c.err)
			}
			return c.results(c.run(leaves, obuf[:0]))
		}
	} else {
		leaves := lbuf[:0]
		keyOK = true
		for _, a := range args {
			if toks, leaves, keyOK = appendKey(a, toks, leaves); !keyOK {
				break
			}
		}
		if keyOK {
			if c := j.lookupKey(toks); c != nil {
				if c.err != nil {
					panic(c.err)
				}
				return c.results(c.run(leaves, obuf[:0]))
			}
		}
	}
	sig, leaves := signature(args)
	j.mu.Lock()
	c, ok := j.cache[sig]
	if !ok {
		c = &compiled{}
		j.cache[sig] = c
	}
	j.mu.Unlock()
	c.once.Do(func() {
		if j.cfg.onCompile != nil {
			j.cfg.onCompile(sig)
		}
		j.trace(c, args, leaves)
	})
	switch {
	case tensors:
		j.addByShape(c, leaves)
	case keyOK:
		// These arguments' key is recorded only now that the string path has
		// named their signature.
		j.addByKey(c, toks)
	}
	if c.err != nil {
		panic(c.err)
	}
	return c.results(c.run(leaves, nil))
}

// results rebuilds the function's results from the plan's outputs.
func (c *compiled) results(outs []*Tensor) []reflect.Value {
	rest := outs
	results := make([]reflect.Value, len(c.template))
	for i, r := range c.template {
		results[i] = rebuild(r, &rest)
	}
	return results
}

// trace runs fn on parameters standing for leaves and compiles what it recorded.
func (j *jitted) trace(c *compiled, args []reflect.Value, leaves []*Tensor) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(*Error); ok {
				c.err = e
				return
			}
			// Any other panic of the traced function becomes an *Error that says
			// where it happened.
			c.err = &Error{Op: "nx.Jit", Msg: fmt.Sprintf("the traced function panicked: %v", r), Pos: callerPos()}
		}
	}()
	c.params = make([]*Tensor, len(leaves))
	for i, l := range leaves {
		c.params[i] = newParam(i, fmt.Sprintf("argument leaf %d", i), l.shape, l.dtype)
	}
	rest := c.params
	targs := make([]reflect.Value, len(args))
	for i, a := range args {
		targs[i] = rebuild(a, &rest)
	}
	var results []reflect.Value
	if j.fn.Type().IsVariadic() {
		results = j.fn.CallSlice(targs)
	} else {
		results = j.fn.Call(targs)
	}
	var sig strings.Builder
	for _, r := range results {
		flatten(r, &c.outs, &sig)
	}
	c.template = results
	var captures []*Tensor
	c.plan, captures = compile(c.params, c.outs)
	if len(captures) > 0 {
		panic(&Error{Op: "nx.Jit", Operands: []string{captures[0].describe()},
			Msg: "the function uses a symbolic tensor that does not come from its arguments (a tensor captured from another trace)"})
	}
	if name := resolveBackend(&j.cfg); name != CPUBackend {
		d, err := openBackend(name)
		if err == nil {
			c.exec, err = d.Compile(newGraph(c.plan))
		}
		if err != nil {
			panic(&Error{Op: "nx.Jit", Msg: err.Error(), Err: err})
		}
	}
}

// plan is a compiled graph: its applications in dependency order, each operand
// resolved to an input, an earlier result or a constant.
type plan struct {
	steps   []step
	outs    []ref
	nInputs int
	// lastUse[i] is the last step that reads step i's results; after it runs
	// they are released so that their buffers can be reused. Steps whose results
	// are outputs of the plan have len(steps).
	lastUse []int
	// inSpecs are the shapes and types of the inputs.
	inSpecs []spec
	// opt is the optimized plan (see passes.go, fuse.go and arena.go) that run
	// uses for concrete inputs of the expected shapes and types; nil when the
	// plan is not optimized. Symbolic inputs (a trace through a compiled
	// function) replay steps, whose primitives all have gradients.
	opt *plan
	// mem is an optimized plan's buffer assignment; nil for other plans.
	mem *memPlan
}

type ref struct {
	kind  int // refInput, refStep, refConst
	i, j  int
	value *Tensor
}

const (
	refInput = iota
	refStep
	refConst
)

type step struct {
	op    *opDef
	attr  any
	args  []ref
	specs []spec
}

// compile orders the applications between params and outs into a plan. Symbolic
// tensors that the graph uses but that are not among params — values captured
// from an enclosing trace, as when a loop body uses a model's weights — become
// extra inputs after params, returned as captures.
func compile(params, outs []*Tensor) (p *plan, captures []*Tensor) {
	stop := make(map[*Tensor]bool, len(params))
	input := make(map[*Tensor]int, len(params))
	for i, p := range params {
		stop[p] = true
		input[p] = i
	}
	// Keep the applications that depend on params; the others belong to an
	// enclosing trace and their results are captured.
	var order []*exprCall
	inGraph := map[*exprCall]bool{}
	for _, c := range topo(outs, stop) {
		for _, a := range c.args {
			if stop[a] || a.expr != nil && a.expr.call != nil && inGraph[a.expr.call] {
				inGraph[c] = true
				order = append(order, c)
				break
			}
		}
	}
	index := make(map[*exprCall]int, len(order))
	p = &plan{nInputs: len(params)}
	resolve := func(t *Tensor) ref {
		if i, ok := input[t]; ok {
			return ref{kind: refInput, i: i}
		}
		if t.expr != nil && t.expr.call != nil && inGraph[t.expr.call] {
			if s, ok := index[t.expr.call]; ok {
				return ref{kind: refStep, i: s, j: t.expr.index}
			}
		}
		if t.expr != nil {
			input[t] = len(params) + len(captures)
			captures = append(captures, t)
			return ref{kind: refInput, i: input[t]}
		}
		return ref{kind: refConst, value: t}
	}
	for _, c := range order {
		s := step{op: c.op, attr: c.attr, args: make([]ref, len(c.args)), specs: make([]spec, len(c.outs))}
		for i, a := range c.args {
			s.args[i] = resolve(a)
		}
		for i, o := range c.outs {
			s.specs[i] = spec{o.shape, o.dtype, o.vec}
		}
		index[c] = len(p.steps)
		p.steps = append(p.steps, s)
	}
	for _, o := range outs {
		p.outs = append(p.outs, resolve(o))
	}
	p.nInputs += len(captures)
	p.lastUse = lastUses(p.steps, p.outs)
	for _, t := range append(append([]*Tensor{}, params...), captures...) {
		p.inSpecs = append(p.inSpecs, spec{shape: t.shape, dtype: t.dtype, vec: t.vec})
	}
	p.opt = optimize(p)
	return p, captures
}

// lastUses returns, for each step, the last step that reads its results
// (len(steps) for the results of the plan).
func lastUses(steps []step, outs []ref) []int {
	last := make([]int, len(steps))
	for i, s := range steps {
		for _, r := range s.args {
			if r.kind == refStep {
				last[r.i] = i
			}
		}
	}
	for _, r := range outs {
		if r.kind == refStep {
			last[r.i] = len(steps)
		}
	}
	return last
}

// run executes the plan on inputs (concrete or symbolic tensors): the optimized
// plan when the inputs are concrete tensors of the expected shapes and types,
// else the steps as traced.
func (p *plan) run(inputs []*Tensor) []*Tensor {
	return p.runTo(inputs, nil)
}

// runInto is run writing the outputs into the buffers of into: tensors of
// the outputs' types and shapes that share memory with no input. An
// optimized plan then allocates nothing in its steady state.
func (p *plan) runInto(inputs, into []*Tensor) {
	if p.opt != nil && p.accepts(inputs) {
		p.opt.exec(inputs, nil, into)
		return
	}
	for k, o := range p.runTo(inputs, nil) {
		copy(dataBytes(into[k].data), dataBytes(o.data))
	}
}

// runTo is run appending the outputs to dst.
func (p *plan) runTo(inputs, dst []*Tensor) []*Tensor {
	if p.opt != nil && p.accepts(inputs) {
		return p.opt.exec(inputs, dst, nil)
	}
	vals := make([][]*Tensor, len(p.steps))
	get := func(r ref) *Tensor {
		switch r.kind {
		case refInput:
			return inputs[r.i]
		case refStep:
			return vals[r.i][r.j]
		}
		return r.value
	}
	for i, s := range p.steps {
		args := make([]*Tensor, len(s.args))
		for k, r := range s.args {
			args[k] = get(r)
		}
		vals[i] = s.op.apply(s.specs, s.attr, args...)
		for _, r := range s.args {
			if r.kind == refStep && p.lastUse[r.i] == i {
				vals[r.i] = nil // dead: let its buffers go
			}
		}
	}
	for _, r := range p.outs {
		dst = append(dst, get(r))
	}
	return dst
}

// callerPos returns "file:line" of the innermost caller outside package nx.
func callerPos() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		internal := strings.HasPrefix(f.Function, "github.com/gonx-dev/gonx/nx.") && !strings.HasSuffix(f.File, "_test.go")
		for _, p := range []string{"reflect.", "runtime.", "sync."} {
			internal = internal || strings.HasPrefix(f.Function, p)
		}
		if !internal {
			return fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		if !more {
			return ""
		}
	}
}
