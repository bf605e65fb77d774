package codegen

import (
	"sync"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// The tests get graphs the way a backend does: nx.Jit compiles for a
// registered backend that keeps the graph and runs it through nx.Node.Eval.

var (
	captureMu   sync.Mutex
	captured    *nx.Graph
	captureOnce sync.Once
)

type captureDriver struct{}

type evalExec struct{ g *nx.Graph }

func (captureDriver) Compile(g *nx.Graph) (nx.Executable, error) {
	captured = g
	return evalExec{g}, nil
}

func (e evalExec) Run(inputs []*nx.Tensor) (outs []*nx.Tensor, err error) {
	defer nx.Recover(&err)
	vals := map[int][]*nx.Tensor{}
	get := func(v nx.Value) *nx.Tensor {
		switch v.Source {
		case nx.FromInput:
			return inputs[v.Index]
		case nx.FromNode:
			return vals[v.Index][v.Result]
		}
		return v.Const
	}
	for _, n := range e.g.Nodes() {
		var args []*nx.Tensor
		for _, v := range n.Operands() {
			args = append(args, get(v))
		}
		vals[n.Index()] = n.Eval(args...)
	}
	for _, v := range e.g.Outputs() {
		outs = append(outs, get(v))
	}
	return outs, nil
}

// graphOf traces fn on args and returns its optimized graph.
func graphOf(t testing.TB, fn func([]*nx.Tensor) []*nx.Tensor, args []*nx.Tensor) *nx.Graph {
	t.Helper()
	captureOnce.Do(func() {
		nx.RegisterBackend("codegen-capture", func() (nx.Driver, error) { return captureDriver{}, nil })
	})
	captureMu.Lock()
	defer captureMu.Unlock()
	captured = nil
	if err := nx.Try(func() { nx.Jit(fn, nx.OnBackend("codegen-capture"))(args) }); err != nil {
		t.Fatal(err)
	}
	if captured == nil {
		t.Fatal("no graph compiled")
	}
	return captured
}
