package nx

import (
	"bytes"
	"fmt"
	"testing"
)

// The equivalence suite runs every golden case twice — eagerly and through a
// backend runner — and requires the same result. It is the contract every
// backend signs: the graph evaluator below must be bit-identical to eager
// execution because it runs the same kernels; a backend with other kernels (a
// GPU) passes a tolerance instead.

// equivRunner executes fn on args through some backend.
type equivRunner struct {
	name string
	run  func(fn func([]*Tensor) *Tensor, args []*Tensor) *Tensor
	ulps float64 // 0: bit-identical
}

// jitRunner compiles fn with Jit for the CPU and runs it.
var jitRunner = equivRunner{
	name: "jit",
	run: func(fn func([]*Tensor) *Tensor, args []*Tensor) *Tensor {
		return Jit(fn, OnBackend(CPUBackend))(args)
	},
}

func TestEquivalenceJit(t *testing.T) { checkEquivalence(t, jitRunner) }

// goldenFn is a golden case as a function of its (strong) arguments, with
// its eager result.
type goldenFn struct {
	name, op string
	fn       func([]*Tensor) *Tensor
	params   []*Tensor
	eager    *Tensor
}

// goldenFunctions returns the golden cases that run eagerly.
func goldenFunctions(t *testing.T) []goldenFn {
	ops := goldenOps()
	var fns []goldenFn
	for _, c := range loadGolden(t) {
		if c.Skip != "" {
			continue
		}
		op := ops[c.Op]
		args := make([]*Tensor, len(c.Args))
		for i, a := range c.Args {
			var err error
			if args[i], err = a.tensor(); err != nil {
				t.Fatalf("%s: arg %d: %v", c.Name, i, err)
			}
		}
		opts, err := c.options()
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		var eager *Tensor
		if Try(func() { eager = op(c, args, opts) }) != nil {
			continue // TestGolden reports it
		}
		// Weak (Go number) operands stay constants: a parameter would be strong.
		var params []*Tensor
		for _, a := range args {
			if !a.weak {
				params = append(params, a)
			}
		}
		fn := func(ps []*Tensor) *Tensor {
			full := make([]*Tensor, len(args))
			k := 0
			for i, a := range args {
				if a.weak {
					full[i] = a
				} else {
					full[i] = ps[k]
					k++
				}
			}
			return op(c, full, opts)
		}
		fns = append(fns, goldenFn{name: c.Name, op: c.Op, fn: fn, params: params, eager: eager})
	}
	return fns
}

func checkEquivalence(t *testing.T, r equivRunner) {
	ran := 0
	for _, c := range goldenFunctions(t) {
		var got *Tensor
		if err := Try(func() { got = r.run(c.fn, c.params) }); err != nil {
			t.Errorf("%s (%s): %s: %v", c.name, c.op, r.name, err)
			continue
		}
		ran++
		if err := sameResult(c.eager, got, r.ulps); err != nil {
			t.Errorf("%s (%s): %s differs from eager: %v", c.name, c.op, r.name, err)
		}
	}
	if ran < 500 {
		t.Errorf("only %d cases ran under %s", ran, r.name)
	}
}

func sameResult(want, got *Tensor, ulps float64) error {
	if got.DType() != want.DType() || !got.Shape().Equal(want.Shape()) {
		return fmt.Errorf("got %s, want %s", got.describe(), want.describe())
	}
	if ulps == 0 {
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			return fmt.Errorf("values differ:\ngot  %v\nwant %v", got, want)
		}
		return nil
	}
	return compareGolden(got, want, ulps, 0)
}
