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
