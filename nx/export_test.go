package nx

import "testing"

// CheckEquivalence runs the golden equivalence suite through run, which
// compiles and runs fn on some backend, requiring results within ulps
// units in the last place of eager execution (0: bit-identical). It lets
// the external tests of this package check backends that live in other
// packages (nx/cuda).
func CheckEquivalence(t *testing.T, name string, ulps float64, run func(fn func([]*Tensor) *Tensor, args []*Tensor) *Tensor) {
	checkEquivalence(t, equivRunner{name: name, run: run, ulps: ulps})
}

// GoldenFunction is a golden case as a function of its arguments, with the
// result of running it eagerly.
type GoldenFunction struct {
	Name, Op string
	Fn       func([]*Tensor) *Tensor
	Params   []*Tensor
	Eager    *Tensor
}

// GoldenFunctions returns the golden cases that run eagerly.
func GoldenFunctions(t *testing.T) []GoldenFunction {
	var fs []GoldenFunction
	for _, g := range goldenFunctions(t) {
		fs = append(fs, GoldenFunction{Name: g.name, Op: g.op, Fn: g.fn, Params: g.params, Eager: g.eager})
	}
	return fs
}

// SameResult compares got with want within ulps units in the last place
// (0: bit-identical), as the equivalence suite does.
func SameResult(want, got *Tensor, ulps float64) error { return sameResult(want, got, ulps) }
