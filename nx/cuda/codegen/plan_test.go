package codegen

import (
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// TestPlanKinds checks which nodes become kernels, GEMMs, host steps and
// aliases.
func TestPlanKinds(t *testing.T) {
	x := nx.Iota(nx.Shape{4, 3}, nx.Type(nx.F32))
	cases := []struct {
		name                          string
		fn                            func([]*nx.Tensor) []*nx.Tensor
		args                          []*nx.Tensor
		kernels, gemms, host, aliases int
	}{
		{"sort falls back to the CPU", func(a []*nx.Tensor) []*nx.Tensor {
			return []*nx.Tensor{nx.Exp(nx.Sort(nx.Sin(a[0]), nx.Axis(1)))}
		}, []*nx.Tensor{x}, 2, 0, 1, 0},
		{"complex numbers fall back", func(a []*nx.Tensor) []*nx.Tensor {
			c := nx.AsType(a[0], nx.C64)
			return []*nx.Tensor{nx.Abs(nx.Multiply(c, c))}
		}, []*nx.Tensor{x}, 0, 0, 3, 0},
		{"integer dot falls back", func(a []*nx.Tensor) []*nx.Tensor {
			i := nx.AsType(a[0], nx.S32)
			return []*nx.Tensor{nx.Dot(i, nx.Transpose(i))}
		}, []*nx.Tensor{x}, 2, 0, 1, 3},
		{"batched dot is one GEMM", func(a []*nx.Tensor) []*nx.Tensor {
			b := nx.Reshape(a[0], 2, 2, 3)
			return []*nx.Tensor{nx.DotGeneral(b, []int{2}, []int{0}, b, []int{2}, []int{0})}
		}, []*nx.Tensor{x}, 0, 1, 0, 1},
		{"a chain and its reduction are one kernel", func(a []*nx.Tensor) []*nx.Tensor {
			return []*nx.Tensor{nx.Sum(nx.Exp(nx.Multiply(a[0], a[0])), nx.Axes(0))}
		}, []*nx.Tensor{x}, 1, 0, 0, 0},
		{"a while loop has plans of its own", func(a []*nx.Tensor) []*nx.Tensor {
			s := nx.While([]*nx.Tensor{a[0], nx.Scalar(int64(0))},
				func(s []*nx.Tensor) *nx.Tensor { return nx.Less(s[1], nx.Scalar(int64(3))) },
				func(s []*nx.Tensor) []*nx.Tensor {
					return []*nx.Tensor{nx.Tanh(s[0]), nx.Add(s[1], nx.Scalar(int64(1)))}
				})
			return []*nx.Tensor{s[0]}
		}, []*nx.Tensor{x}, 0, 0, 0, 0},
		{"a reshaped result is an alias", func(a []*nx.Tensor) []*nx.Tensor {
			return []*nx.Tensor{nx.Reshape(nx.Exp(a[0]), 12)}
		}, []*nx.Tensor{x}, 1, 0, 0, 1},
	}
	for _, c := range cases {
		p, err := Generate(graphOf(t, c.fn, c.args))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := [4]int{p.Count(KernelStep), p.Count(GemmStep), p.Count(HostStep), p.Count(AliasStep)}
		if want := [4]int{c.kernels, c.gemms, c.host, c.aliases}; got != want {
			t.Errorf("%s: kernels, gemms, host, aliases = %v, want %v\n%s%s", c.name, got, want, p.Graph, p)
		}
		for _, s := range p.Steps {
			if s.Kind == LoopStep && (s.Loop.Cond.Count(KernelStep) != 1 || s.Loop.Body.Count(KernelStep) != 2 || len(s.Outs) != 2) {
				t.Errorf("%s: loop plans\n%s\n%s", c.name, s.Loop.Cond, s.Loop.Body)
			}
		}
		// Every node result a later step or the graph reads is written by
		// an earlier step.
		have := map[nx.Value]bool{}
		for _, s := range p.Steps {
			for _, v := range s.Args {
				if v.Source == nx.FromNode && !have[v] {
					t.Errorf("%s: %s reads %s before it is computed", c.name, s.Kind, v)
				}
			}
			for _, v := range s.Outs {
				have[v] = true
			}
		}
		for _, v := range p.Graph.Outputs() {
			if v.Source == nx.FromNode && !have[v] {
				t.Errorf("%s: output %s never computed", c.name, v)
			}
		}
	}
}

// TestPlanGemm checks the GEMM parameters of transposed operands.
func TestPlanGemm(t *testing.T) {
	a := nx.Iota(nx.Shape{5, 3}, nx.Type(nx.F32))
	g := graphOf(t, func(x []*nx.Tensor) []*nx.Tensor {
		return []*nx.Tensor{nx.Dot(nx.Transpose(x[0]), x[0])}
	}, []*nx.Tensor{a})
	p, err := Generate(g)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range p.Steps {
		if s.Kind == GemmStep {
			gm := s.Gemm
			if gm.M != 3 || gm.N != 3 || gm.K != 5 || gm.Batch != 1 || gm.DType != nx.F32 {
				t.Errorf("gemm %+v\n%s", *gm, g)
			}
			return
		}
	}
	t.Errorf("no GEMM in\n%s", p)
}

func TestOpsCovered(t *testing.T) {
	ops := strings.Join(Ops(), " ")
	for _, op := range []string{"exp", "erfinv", "select", "as_type", "right_shift", "population_count"} {
		if !strings.Contains(ops, op) {
			t.Errorf("Ops() lacks %s", op)
		}
	}
}
