package cuda

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda/codegen"
)

// executable runs one graph's plan on a device: generated kernels (compiled
// once with NVRTC when the graph is compiled), cuBLAS GEMMs, and the nodes
// without a kernel on the CPU with explicit copies.
type executable struct {
	dev    gpu
	plan   *codegen.Plan
	mod    devModule
	consts map[*nx.Tensor]devBuf // constants uploaded at compile time
	last   map[nx.Value]int      // the last step reading each value
	mu     sync.Mutex            // one run at a time: the plan shares one stream
}

// stats are the backend's counters (see BackendStats).
var stats struct {
	graphs, kernels, gemms, hostSteps, hostBytes, inBytes, outBytes atomic.Int64
}

func newExecutable(dev gpu, g *nx.Graph) (*executable, error) {
	plan, err := codegen.Generate(g)
	if err != nil {
		return nil, err
	}
	e := &executable{dev: dev, plan: plan, consts: map[*nx.Tensor]devBuf{}, last: map[nx.Value]int{}}
	if plan.Count(codegen.KernelStep) > 0 {
		if e.mod, err = dev.compile(plan.Source, "nx_graph.cu"); err != nil {
			return nil, fmt.Errorf("cuda: compiling the graph's kernels: %w", err)
		}
	}
	for i, s := range plan.Steps {
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
					e.release()
					return nil, fmt.Errorf("cuda: uploading a constant: %w", err)
				}
				e.consts[v.Const] = b
			}
		}
	}
	for _, v := range g.Outputs() {
		e.last[v] = len(plan.Steps)
	}
	stats.graphs.Add(1)
	return e, nil
}

// release frees the uploaded constants.
func (e *executable) release() {
	for _, b := range e.consts {
		b.free()
	}
	e.consts = nil
}

// shared is a device buffer with the values that use it (a reshape aliases
// its operand's buffer).
type shared struct {
	buf  devBuf
	refs int
}

// run is the state of one Run.
type run struct {
	e     *executable
	in    []*nx.Tensor
	dev   map[nx.Value]*shared
	host  map[nx.Value]*nx.Tensor
	owned []*shared
}

// Run computes the graph's outputs from inputs.
func (e *executable) Run(inputs []*nx.Tensor) (outs []*nx.Tensor, err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r := &run{e: e, in: inputs, dev: map[nx.Value]*shared{}, host: map[nx.Value]*nx.Tensor{}}
	defer r.freeAll()
	for i, v := range inputs {
		r.host[nx.Value{Source: nx.FromInput, Index: i}] = v
	}
	g := e.plan.Graph
	for i, s := range e.plan.Steps {
		if err := r.step(s); err != nil {
			return nil, fmt.Errorf("cuda: step %d (%s): %w", i, s.Kind, err)
		}
		for _, v := range s.Args {
			if e.last[v] == i {
				r.drop(v)
			}
		}
	}
	for _, v := range g.Outputs() {
		t, err := r.toHost(v, &stats.outBytes)
		if err != nil {
			return nil, fmt.Errorf("cuda: reading a result: %w", err)
		}
		outs = append(outs, t)
	}
	return outs, nil
}

func (r *run) step(s codegen.Step) error {
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
		if t, ok := r.host[s.Args[0]]; ok && r.dev[s.Args[0]] == nil {
			r.host[s.Outs[0]] = nx.Reshape(t, r.e.plan.Graph.Spec(s.Outs[0]).Shape...)
			return nil
		}
		if _, err := r.onDevice(s.Args[0]); err != nil {
			return err
		}
		sh := r.dev[s.Args[0]]
		sh.refs++
		r.dev[s.Outs[0]] = sh
		return nil
	}
	// A node without a kernel: its operands to the host, its results back
	// when a device step reads them.
	stats.hostSteps.Add(1)
	args := make([]*nx.Tensor, len(s.Args))
	for k, v := range s.Args {
		t, err := r.toHost(v, &stats.hostBytes)
		if err != nil {
			return err
		}
		args[k] = t
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

// alloc gives value v a new device buffer.
func (r *run) alloc(v nx.Value) (devBuf, error) {
	b, err := r.e.dev.alloc(sizeOf(r.e.plan.Graph.Spec(v)))
	if err != nil {
		return nil, err
	}
	sh := &shared{buf: b, refs: 1}
	r.dev[v] = sh
	r.owned = append(r.owned, sh)
	return b, nil
}

// onDevice returns v's device buffer, uploading it from the host if needed.
func (r *run) onDevice(v nx.Value) (devBuf, error) {
	if v.Source == nx.FromConst {
		return r.e.consts[v.Const], nil
	}
	if sh, ok := r.dev[v]; ok {
		return sh.buf, nil
	}
	t, ok := r.host[v]
	if !ok {
		return nil, fmt.Errorf("value %s is not computed", v)
	}
	b, err := r.alloc(v)
	if err != nil {
		return nil, err
	}
	data := t.Bytes()
	if v.Source == nx.FromInput {
		stats.inBytes.Add(int64(len(data)))
	} else {
		stats.hostBytes.Add(int64(len(data)))
	}
	return b, r.e.dev.upload(b, data)
}

// toHost returns v as a host tensor, downloading it if needed and counting
// the bytes in counter.
func (r *run) toHost(v nx.Value, counter *atomic.Int64) (*nx.Tensor, error) {
	if v.Source == nx.FromConst {
		return v.Const, nil
	}
	if t, ok := r.host[v]; ok {
		return t, nil
	}
	sh, ok := r.dev[v]
	if !ok {
		return nil, fmt.Errorf("value %s is not computed", v)
	}
	spec := r.e.plan.Graph.Spec(v)
	data := make([]byte, sizeOf(spec))
	if err := r.e.dev.download(sh.buf, data); err != nil {
		return nil, err
	}
	counter.Add(int64(len(data)))
	t, err := nx.FromBytes(data, spec.DType, spec.Shape...)
	if err != nil {
		return nil, err
	}
	r.host[v] = t
	return t, nil
}

// drop releases v's device buffer after its last use.
func (r *run) drop(v nx.Value) {
	sh, ok := r.dev[v]
	if !ok {
		return
	}
	delete(r.dev, v)
	sh.refs--
	if sh.refs == 0 {
		sh.buf.free()
		sh.buf = nil
	}
}

// freeAll releases every buffer the run still holds.
func (r *run) freeAll() {
	for _, sh := range r.owned {
		if sh.buf != nil {
			sh.buf.free()
			sh.buf = nil
		}
	}
}
