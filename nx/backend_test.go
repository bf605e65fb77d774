package nx

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
)

// graphDriver is a backend that interprets the Graph view node by node with
// Node.Eval: bit-identical to the CPU when the view is complete and faithful.
type graphDriver struct{ compiled, ran atomic.Int64 }

type graphExec struct {
	g *Graph
	d *graphDriver
}

func (d *graphDriver) Compile(g *Graph) (Executable, error) {
	d.compiled.Add(1)
	return &graphExec{g: g, d: d}, nil
}

func (e *graphExec) Run(inputs []*Tensor) (outs []*Tensor, err error) {
	defer Recover(&err)
	e.d.ran.Add(1)
	vals := make([][]*Tensor, len(e.g.nodes))
	get := func(v Value) *Tensor {
		switch v.Source {
		case FromInput:
			return inputs[v.Index]
		case FromNode:
			return vals[v.Index][v.Result]
		}
		return v.Const
	}
	for _, n := range e.g.Nodes() {
		var args []*Tensor
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

var (
	testGraphDriver = &graphDriver{}
	errNoTestDevice = errors.New("no CUDA driver found (test backend)")
)

func init() {
	RegisterBackend("graphtest", func() (Driver, error) { return testGraphDriver, nil })
	RegisterBackend("nodevice", func() (Driver, error) { return nil, errNoTestDevice })
	RegisterBackend("viewtest", func() (Driver, error) {
		return driverFunc(func(g *Graph) { viewSeen.Store(g) }), nil
	})
}

var viewSeen atomic.Pointer[Graph]

// TestEquivalenceGraph runs the golden suite through the Graph view.
func TestEquivalenceGraph(t *testing.T) {
	before := testGraphDriver.ran.Load()
	checkEquivalence(t, equivRunner{name: "graph view", run: func(fn func([]*Tensor) *Tensor, args []*Tensor) *Tensor {
		return Jit(fn, OnBackend("graphtest"))(args)
	}})
	if testGraphDriver.ran.Load()-before < 500 {
		t.Errorf("the graph backend ran %d times", testGraphDriver.ran.Load()-before)
	}
}

func TestBackendTrainingStep(t *testing.T) {
	// A gradient step with a While loop, an argmax and reductions runs the
	// same through the view as on the CPU.
	step := func(w, x *Tensor) (*Tensor, *Tensor, *Tensor) {
		loss := func(w *Tensor) *Tensor {
			h := Tanh(Dot(x, w))
			return Mean(Multiply(h, h))
		}
		v, g := ValueAndGrad(loss)(w)
		out := While([]*Tensor{w, Scalar(int64(0))}, func(s []*Tensor) *Tensor { return Less(s[1], Scalar(int64(3))) },
			func(s []*Tensor) []*Tensor {
				return []*Tensor{Subtract(s[0], Multiply(g, Scalar(0.1, F32))), Add(s[1], Scalar(int64(1)))}
			})
		return v, out[0], Argmax(out[0], Axis(1))
	}
	w := FromSlice([]float32{0.1, -0.2, 0.3, 0.4, -0.5, 0.6}, 3, 2)
	x := FromSlice([]float32{1, 2, 3, -1, 0.5, 2}, 2, 3)
	a1, a2, a3 := Jit(step)(w, x)
	b1, b2, b3 := Jit(step, OnBackend("graphtest"))(w, x)
	for i, p := range [][2]*Tensor{{a1, b1}, {a2, b2}, {a3, b3}} {
		if err := sameResult(p[0], p[1], 0); err != nil {
			t.Errorf("result %d: %v", i, err)
		}
	}
}

func TestBackendSelection(t *testing.T) {
	t.Setenv("NX_BACKEND", "")
	if got := Backend(); got != CPUBackend {
		t.Errorf("Backend() = %q without NX_BACKEND", got)
	}
	t.Setenv("NX_BACKEND", "GraphTest")
	if got := Backend(); got != "graphtest" {
		t.Errorf("Backend() = %q with NX_BACKEND=GraphTest", got)
	}
	before := testGraphDriver.compiled.Load()
	f := Jit(func(a *Tensor) *Tensor { return Exp(a) })
	f(FromSlice([]float32{1, 2}, 2))
	if testGraphDriver.compiled.Load() != before+1 {
		t.Error("NX_BACKEND did not select the backend")
	}
	// OnBackend overrides the environment.
	g := Jit(func(a *Tensor) *Tensor { return Exp(a) }, OnBackend("cpu"))
	g(FromSlice([]float32{1, 2}, 2))
	if testGraphDriver.compiled.Load() != before+1 {
		t.Error("OnBackend(cpu) compiled for the environment's backend")
	}
	t.Setenv("NX_BACKEND", "")
	if err := SetBackend("graphtest"); err != nil {
		t.Fatal(err)
	}
	if got := Backend(); got != "graphtest" {
		t.Errorf("Backend() = %q after SetBackend", got)
	}
	if err := SetBackend(""); err != nil || Backend() != CPUBackend {
		t.Errorf("SetBackend(\"\") = %v, Backend() = %q", err, Backend())
	}
}

func TestBackendErrors(t *testing.T) {
	err := SetBackend("nodevice")
	if err == nil || !strings.Contains(err.Error(), "no CUDA driver found") || !errors.Is(err, errNoTestDevice) {
		t.Errorf("SetBackend of a backend that cannot open: %v", err)
	}
	if Backend() != CPUBackend {
		t.Errorf("a failed SetBackend changed the backend to %q", Backend())
	}
	if err := SetBackend("tpu"); err == nil || !strings.Contains(err.Error(), `"tpu" is not registered`) {
		t.Errorf("SetBackend of an unregistered backend: %v", err)
	}
	f := Jit(func(a *Tensor) *Tensor { return Exp(a) }, OnBackend("nodevice"))
	err = Try(func() { f(FromSlice([]float32{1}, 1)) })
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(err.Error(), "no CUDA driver found") || !errors.Is(err, errNoTestDevice) {
		t.Errorf("first call on a backend that cannot open: %v", err)
	}
	// The error stays: every call reports it.
	if err := Try(func() { f(FromSlice([]float32{1}, 1)) }); err == nil {
		t.Error("second call succeeded")
	}
	t.Setenv("NX_BACKEND", "nosuch")
	g := Jit(func(a *Tensor) *Tensor { return a })
	if err := Try(func() { g(FromSlice([]float32{1}, 1)) }); err == nil || !strings.Contains(err.Error(), `"nosuch" is not registered`) {
		t.Errorf("NX_BACKEND=nosuch: %v", err)
	}
	for _, bad := range []string{"", "cpu", "graphtest"} {
		if Try(func() { RegisterBackend(bad, func() (Driver, error) { return nil, nil }) }) == nil {
			t.Errorf("RegisterBackend(%q) accepted", bad)
		}
	}
	if got := strings.Join(Backends(), ","); !strings.HasPrefix(got, "cpu,") || !strings.Contains(got, ",graphtest,nodevice") {
		t.Errorf("Backends() = %v", got)
	}
}

func TestGraphView(t *testing.T) {
	f := Jit(func(a, b *Tensor) *Tensor {
		s := Sum(Exp(Add(a, b)), Axes(1))
		return Add(s, Multiply(Scalar(2, F32), Argmax(a, Axis(1), Type(F32))))
	}, OnBackend("viewtest"))
	a := FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	b := FromSlice([]float32{1, 0, 1}, 3)
	f(a, b)
	seen := viewSeen.Load()
	if seen == nil {
		t.Fatal("no graph compiled")
	}
	want := `in0: f32[2][3]
in1: f32[3]
n0 = broadcast(in1) {Axes:[1]} f32[2][3]
n1 = add(in0, n0) f32[2][3]
n2 = exp(n1) f32[2][3]
n3 = reduce(n2) {Kind:sum Axes:[1]} f32[2]
n4 = argreduce(in0) {Axis:1 Max:true TieHigh:false} f32[2]
n5 = multiply(const f32, n4) f32[2]
n6 = add(n3, n5) f32[2]
return n6
`
	if got := seen.String(); got != want {
		t.Errorf("graph:\n%s\nwant:\n%s", got, want)
	}
	n := seen.Nodes()
	if !n[1].Elementwise() || n[3].Elementwise() || n[0].Elementwise() {
		t.Error("Elementwise flags wrong")
	}
	if seen.Spec(n[3].Operands()[0]).String() != "f32[2][3]" {
		t.Error("Spec of an operand")
	}
	if err := Try(func() { n[1].Eval(a) }); err == nil {
		t.Error("Eval with too few operands")
	}
	if err := Try(func() { n[2].Eval(b) }); err == nil {
		t.Error("Eval with a wrong shape")
	}
}

// driverFunc is a Driver that shows the graph to a function and runs it on
// the CPU through the view.
type driverFunc func(g *Graph)

func (f driverFunc) Compile(g *Graph) (Executable, error) {
	f(g)
	return &graphExec{g: g, d: &graphDriver{}}, nil
}

func TestGraphWhile(t *testing.T) {
	f := Jit(func(x *Tensor) *Tensor {
		s := While([]*Tensor{x, Scalar(int64(0))}, func(s []*Tensor) *Tensor { return Less(s[1], Scalar(int64(4))) },
			func(s []*Tensor) []*Tensor { return []*Tensor{Multiply(s[0], x), Add(s[1], Scalar(int64(1)))} })
		return s[0]
	}, OnBackend("viewtest"))
	f(FromSlice([]float32{2}, 1))
	g := viewSeen.Load()
	var w WhileAttr
	for _, n := range g.Nodes() {
		if a, ok := n.Attr().(WhileAttr); ok {
			w = a
			if len(n.Operands()) != a.State+a.CondCaptures+a.BodyCaptures {
				t.Errorf("while has %d operands for %+v", len(n.Operands()), a)
			}
		}
	}
	if w.Cond == nil || w.State != 2 || w.BodyCaptures != 1 || len(w.Body.Inputs()) != 3 || len(w.Body.Outputs()) != 2 || len(w.Cond.Outputs()) != 1 {
		t.Fatalf("while attr %+v\n%s", w, g)
	}
}
