package cuda

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda/codegen"
)

// executable runs one graph's plan on a device: generated kernels (compiled
// once with NVRTC when the graph is compiled), cuBLAS GEMMs, While loops
// whose condition and body are executables of their own, and the nodes
// without a kernel on the CPU with explicit copies.
type executable struct {
	dev    gpu
	plan   *codegen.Plan
	mod    devModule
	consts map[*nx.Tensor]*shared // constants uploaded at compile time
	last   map[nx.Value]int       // the last step reading each value
	loops  map[int]*loopExec      // per loop step
	mu     sync.Mutex             // one run at a time: the plan shares one stream
}

type loopExec struct{ cond, body *executable }

// stats are the backend's counters (see BackendStats).
var stats struct {
	graphs, kernels, gemms, hostSteps, hostBytes, inBytes, outBytes, iterations atomic.Int64
}

func newExecutable(dev gpu, g *nx.Graph) (*executable, error) {
	plan, err := codegen.Generate(g)
	if err != nil {
		return nil, err
	}
	return newPlanExecutable(dev, plan)
}

func newPlanExecutable(dev gpu, plan *codegen.Plan) (*executable, error) {
	e := &executable{dev: dev, plan: plan, consts: map[*nx.Tensor]*shared{}, last: map[nx.Value]int{}, loops: map[int]*loopExec{}}
	var err error
	if plan.Count(codegen.KernelStep) > 0 {
		if e.mod, err = dev.compile(plan.Source, "nx_graph.cu"); err != nil {
			return nil, fmt.Errorf("cuda: compiling the graph's kernels: %w", err)
		}
	}
	for i, s := range plan.Steps {
		if s.Kind == codegen.LoopStep {
			l := &loopExec{}
			if l.cond, err = newPlanExecutable(dev, s.Loop.Cond); err == nil {
				l.body, err = newPlanExecutable(dev, s.Loop.Body)
			}
			if err != nil {
				return nil, fmt.Errorf("cuda: a while loop: %w", err)
			}
			e.loops[i] = l
		}
		for _, v := range s.Args {
			e.last[v] = i
			if v.Source != nx.FromConst || s.Kind == codegen.HostStep {
				continue
			}
			if _, ok := e.consts[v.Const]; !ok {
				b, err := dev.alloc(v.Const.Size() * v.Const.DType().Size())
				if err == nil {
					err = dev.upload(b, v.Const.Bytes())
				}
				if err != nil {
					return nil, fmt.Errorf("cuda: uploading a constant: %w", err)
				}
				e.consts[v.Const] = &shared{buf: b, refs: math.MaxInt32} // freed with the executable
			}
		}
	}
	for _, v := range plan.Graph.Outputs() {
		e.last[v] = len(plan.Steps)
	}
	stats.graphs.Add(1)
	return e, nil
}

// shared is a device buffer counted by its holders: the values of runs that
// use it (a reshape aliases its operand's buffer) and the callers results
// are handed to. The last release frees it.
type shared struct {
	buf  devBuf
	refs int
}

func (s *shared) hold() *shared {
	s.refs++
	return s
}

func (s *shared) release() {
	s.refs--
	if s.refs == 0 {
		s.buf.free()
		s.buf = nil
	}
}

// operand is a value on the device (sh) or on the host (t).
type operand struct {
	sh *shared
	t  *nx.Tensor
}

// release drops the operand's hold on its device buffer.
func (o operand) release() {
	if o.sh != nil {
		o.sh.release()
	}
}

// run is the state of one execution of a plan.
type run struct {
	e    *executable
	dev  map[nx.Value]*shared // values on the device, each holding a ref
	host map[nx.Value]*nx.Tensor
}

// Run computes the graph's outputs from inputs.
func (e *executable) Run(inputs []*nx.Tensor) ([]*nx.Tensor, error) {
	in := make([]operand, len(inputs))
	for i, t := range inputs {
		in[i] = operand{t: t}
	}
	outs, err := e.run(in)
	if err != nil {
		return nil, err
	}
	res := make([]*nx.Tensor, len(outs))
	for i, o := range outs {
		if err == nil {
			res[i], err = e.toHost(o, e.plan.Graph.Outputs()[i], &stats.outBytes)
		}
		o.release()
	}
	if err != nil {
		return nil, fmt.Errorf("cuda: reading a result: %w", err)
	}
	return res, nil
}

// toHost returns o as a tensor of v's shape and type, downloading it if
// needed and counting the bytes in counter.
func (e *executable) toHost(o operand, v nx.Value, counter *atomic.Int64) (*nx.Tensor, error) {
	if o.t != nil {
		return o.t, nil
	}
	spec := e.plan.Graph.Spec(v)
	data := make([]byte, sizeOf(spec))
	if err := e.dev.download(o.sh.buf, data); err != nil {
		return nil, err
	}
	counter.Add(int64(len(data)))
	return nx.FromBytes(data, spec.DType, spec.Shape...)
}

// run executes the plan on operands (which it does not release) and returns
// the outputs, each holding a ref for the caller.
func (e *executable) run(in []operand) (outs []operand, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r := &run{e: e, dev: map[nx.Value]*shared{}, host: map[nx.Value]*nx.Tensor{}}
	defer func() {
		for _, sh := range r.dev {
			sh.release()
		}
	}()
	for i, o := range in {
		v := nx.Value{Source: nx.FromInput, Index: i}
		if o.sh != nil {
			r.dev[v] = o.sh.hold()
		} else {
			r.host[v] = o.t
		}
	}
	for i, s := range e.plan.Steps {
		if err := r.step(i, s); err != nil {
			return nil, fmt.Errorf("cuda: step %d (%s): %w", i, s.Kind, err)
		}
		for _, v := range s.Args {
			if e.last[v] == i {
				r.drop(v)
			}
		}
	}
	for _, v := range e.plan.Graph.Outputs() {
		o, err := r.operand(v)
		if err != nil {
			for _, p := range outs {
				p.release()
			}
			return nil, err
		}
		if o.sh != nil {
			o.sh.hold()
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// operand returns value v as it is now, on the device or the host.
func (r *run) operand(v nx.Value) (operand, error) {
	switch {
	case v.Source == nx.FromConst:
		if sh, ok := r.e.consts[v.Const]; ok {
			return operand{sh: sh}, nil
		}
		return operand{t: v.Const}, nil
	case r.dev[v] != nil:
		return operand{sh: r.dev[v]}, nil
	case r.host[v] != nil:
		return operand{t: r.host[v]}, nil
	}
	return operand{}, fmt.Errorf("value %s is not computed", v)
}

func (r *run) step(i int, s codegen.Step) error {
	switch s.Kind {
	case codegen.KernelStep:
		args := make([]devBuf, 0, len(s.Args)+len(s.Outs))
		for _, v := range s.Args {
			b, err := r.onDevice(v)
			if err != nil {
				return err
			}
			args = append(args, b)
		}
		for _, v := range s.Outs {
			b, err := r.alloc(v)
			if err != nil {
				return err
			}
			args = append(args, b)
		}
		stats.kernels.Add(1)
		return r.e.mod.launch(s.Kernel.Name, s.Kernel.Grid, s.Kernel.Block, args)
	case codegen.GemmStep:
		a, err := r.onDevice(s.Args[0])
		if err != nil {
			return err
		}
		b, err := r.onDevice(s.Args[1])
		if err != nil {
			return err
		}
		c, err := r.alloc(s.Outs[0])
		if err != nil {
			return err
		}
		stats.gemms.Add(1)
		return r.e.dev.gemm(s.Gemm, a, b, c)
	case codegen.AliasStep:
		o, err := r.operand(s.Args[0])
		if err != nil {
			return err
		}
		if o.sh != nil {
			r.dev[s.Outs[0]] = o.sh.hold()
		} else {
			r.host[s.Outs[0]] = nx.Reshape(o.t, r.e.plan.Graph.Spec(s.Outs[0]).Shape...)
		}
		return nil
	case codegen.LoopStep:
		return r.loop(r.e.loops[i], s)
	}
	// A node without a kernel: its operands to the host, its results back
	// when a device step reads them.
	stats.hostSteps.Add(1)
	args := make([]*nx.Tensor, len(s.Args))
	for k, v := range s.Args {
		o, err := r.operand(v)
		if err == nil {
			args[k], err = r.e.toHost(o, v, &stats.hostBytes)
		}
		if err != nil {
			return err
		}
		r.host[v] = args[k]
	}
	node := r.e.plan.Graph.Nodes()[s.Nodes[0]]
	var res []*nx.Tensor
	if err := nx.Try(func() { res = node.Eval(args...) }); err != nil {
		return err
	}
	for k, v := range s.Outs {
		r.host[v] = res[k]
	}
	return nil
}

// loop runs a While loop with its state on the device: each iteration runs
// the condition's plan, reads the scalar predicate on the host, and runs the
// body's plan on the state and its captures.
func (r *run) loop(l *loopExec, s codegen.Step) (err error) {
	n, nc := s.Loop.State, s.Loop.CondCaptures
	ops := make([]operand, len(s.Args))
	for k, v := range s.Args {
		if ops[k], err = r.operand(v); err != nil {
			return err
		}
	}
	state := make([]operand, n)
	for k := range state {
		state[k] = ops[k]
		if state[k].sh != nil {
			state[k].sh.hold()
		}
	}
	defer func() {
		for _, o := range state {
			o.release()
		}
	}()
	condIn := append(append([]operand{}, state...), ops[n:n+nc]...)
	for {
		copy(condIn, state)
		pred, err := l.cond.run(condIn)
		if err != nil {
			return err
		}
		t, err := l.cond.toHost(pred[0], l.cond.plan.Graph.Outputs()[0], &stats.hostBytes)
		pred[0].release()
		if err != nil {
			return err
		}
		if !nonZero(t.Bytes()) {
			break
		}
		next, err := l.body.run(append(append([]operand{}, state...), ops[n+nc:]...))
		if err != nil {
			return err
		}
		for _, o := range state {
			o.release()
		}
		state = next
		stats.iterations.Add(1)
	}
	for k, v := range s.Outs {
		if state[k].sh != nil {
			r.dev[v] = state[k].sh.hold()
		} else {
			r.host[v] = state[k].t
		}
	}
	return nil
}

func nonZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return true
		}
	}
	return false
}

// alloc gives value v a new device buffer.
func (r *run) alloc(v nx.Value) (devBuf, error) {
	b, err := r.e.dev.alloc(sizeOf(r.e.plan.Graph.Spec(v)))
	if err != nil {
		return nil, err
	}
	r.dev[v] = &shared{buf: b, refs: 1}
	return b, nil
}

// onDevice returns v's device buffer, uploading it from the host if needed.
func (r *run) onDevice(v nx.Value) (devBuf, error) {
	o, err := r.operand(v)
	if err != nil {
		return nil, err
	}
	if o.sh != nil {
		return o.sh.buf, nil
	}
	b, err := r.alloc(v)
	if err != nil {
		return nil, err
	}
	data := o.t.Bytes()
	if v.Source == nx.FromInput {
		stats.inBytes.Add(int64(len(data)))
	} else {
		stats.hostBytes.Add(int64(len(data)))
	}
	return b, r.e.dev.upload(b, data)
}

// drop releases v's device buffer after its last use.
func (r *run) drop(v nx.Value) {
	if sh, ok := r.dev[v]; ok {
		delete(r.dev, v)
		sh.release()
	}
}
