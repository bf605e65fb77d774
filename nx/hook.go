package nx

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
)

type hookAttr struct {
	fn func(*Tensor)
}

var hookOp = &opDef{name: "hook", effect: true, cpu: func(c *call) {
	c.share(0, c.args[0])
	c.attr.(hookAttr).fn(c.outs[0])
}, vjp: func(g *gradCall) []*Tensor { return []*Tensor{g.g()} }}

// Hook returns t and calls fn with t's value when it is computed: at once for a
// concrete tensor, and each time the compiled function runs when t is symbolic
// (inside Jit, While bodies, gradients). Gradients pass through unchanged. fn
// must not keep a reference to the slice of the tensor's data it is given
// beyond what it reads.
func Hook(t *Tensor, fn func(value *Tensor)) *Tensor {
	if fn == nil {
		panicf("nx.Hook", []*Tensor{t}, "the hook function is nil")
	}
	return hookOp.apply1(t.shape, t.dtype, hookAttr{fn}, t)
}

// printMu serializes Print's output across goroutines.
var printMu sync.Mutex

// printTo is where Print writes; tests replace it.
var printTo io.Writer = os.Stdout

// Print returns t and prints its value, preceded by label, to standard output
// when it is computed — also inside compiled functions, each time they run (Nx's
// print_value).
func Print(t *Tensor, label string) *Tensor {
	return Hook(t, func(v *Tensor) {
		printMu.Lock()
		defer printMu.Unlock()
		if label != "" {
			fmt.Fprintf(printTo, "%s: ", label)
		}
		fmt.Fprintln(printTo, v)
	})
}

// Inspect traces fn on args as Jit would and returns the compiled plan, one
// step per line, for debugging: the primitives that remain after
// simplification, constant folding and the merging of equal steps, with the
// fused steps that run chains of elementwise primitives (and a reduction
// ending them) listing those primitives, and bcast marking the operands they
// read through a broadcast:
//
//	parameter 0: f32[2][3]
//	parameter 1: f32[3]
//	%0 = fused[exp, multiply, reduce](p0, bcast(p1)) : f32[2]
//	result 0: %0
//
// Arguments and results may be containers, as for Jit. It returns an error if
// tracing fails.
func Inspect(fn any, args ...any) (graph string, err error) {
	defer Recover(&err)
	fv := reflect.ValueOf(fn)
	if fv.Kind() != reflect.Func {
		return "", fmt.Errorf("nx: Inspect: want a function, got %T", fn)
	}
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		in[i] = reflect.ValueOf(a)
		if !in[i].IsValid() {
			in[i] = reflect.Zero(fv.Type().In(i))
		}
	}
	_, leaves := signature(in)
	params := make([]*Tensor, len(leaves))
	for i, l := range leaves {
		params[i] = newParam(i, fmt.Sprintf("argument leaf %d", i), l.shape, l.dtype)
	}
	rest := params
	for i := range in {
		in[i] = rebuild(in[i], &rest)
	}
	var outs []*Tensor
	var sig strings.Builder
	for _, r := range fv.Call(in) {
		flatten(r, &outs, &sig)
	}
	p, captures := compile(params, outs)
	if p.opt != nil {
		p = p.opt // what runs
	}
	return p.describe(params, captures), nil
}

// describe formats a plan for Inspect.
func (p *plan) describe(params, captures []*Tensor) string {
	var b strings.Builder
	for i, t := range append(append([]*Tensor{}, params...), captures...) {
		kind := "parameter"
		if i >= len(params) {
			kind = "captured"
		}
		fmt.Fprintf(&b, "%s %d: %s\n", kind, i, t.describe())
	}
	name := func(r ref) string {
		switch r.kind {
		case refInput:
			return fmt.Sprintf("p%d", r.i)
		case refStep:
			if len(p.steps[r.i].specs) > 1 {
				return fmt.Sprintf("%%%d.%d", r.i, r.j)
			}
			return fmt.Sprintf("%%%d", r.i)
		}
		if r.value.Size() == 1 && len(r.value.vec) == 0 {
			return fmt.Sprintf("const %s(%s)", r.value.describe(), formatElem(r.value, 0))
		}
		return "const " + r.value.describe()
	}
	for i, s := range p.steps {
		args := make([]string, len(s.args))
		for k, r := range s.args {
			args[k] = s.argLabel(k, name(r))
		}
		outs := make([]string, len(s.specs))
		for k, o := range s.specs {
			outs[k] = o.dtype.String() + o.shape.String()
		}
		fmt.Fprintf(&b, "%%%d = %s(%s) : %s\n", i, s.label(), strings.Join(args, ", "), strings.Join(outs, ", "))
	}
	for i, r := range p.outs {
		fmt.Fprintf(&b, "result %d: %s\n", i, name(r))
	}
	return b.String()
}
