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

func checkEquivalence(t *testing.T, r equivRunner) {
	ops := goldenOps()
	ran := 0
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
		var got *Tensor
		if err := Try(func() { got = r.run(fn, params) }); err != nil {
			t.Errorf("%s (%s): %s: %v", c.Name, c.Op, r.name, err)
			continue
		}
		ran++
		if err := sameResult(eager, got, r.ulps); err != nil {
			t.Errorf("%s (%s): %s differs from eager: %v", c.Name, c.Op, r.name, err)
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
