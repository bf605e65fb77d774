package main

import (
	"fmt"

	"github.com/gonx-dev/gonx/bench"
)

// speedup returns how many times faster sys ran case c than peer (peer's
// time over sys's), and false when either has no time.
func speedup(t *bench.Table, c, sys, peer string) (float64, bool) {
	a, ok1 := t.Lookup(c, sys)
	b, ok2 := t.Lookup(c, peer)
	if !ok1 || !ok2 || a.Unavailable != "" || b.Unavailable != "" || a.PerOp <= 0 || b.PerOp <= 0 {
		return 0, false
	}
	return b.PerOp.Seconds() / a.PerOp.Seconds(), true
}

// goalVerdict says whether sys reached at least goal times peer's speed on
// case c: "met (0.97×)", "not met (0.62×)", or why it cannot be told.
func goalVerdict(t *bench.Table, c, sys, peer string, goal float64) string {
	r, ok := speedup(t, c, sys, peer)
	if !ok {
		why := "no time"
		if res, found := t.Lookup(c, peer); found && res.Unavailable != "" {
			why = res.Unavailable
		} else if !found {
			why = "not measured"
		}
		return fmt.Sprintf("not measurable here (%s: %s)", peer, why)
	}
	if r >= goal {
		return fmt.Sprintf("met (%.2f×)", r)
	}
	return fmt.Sprintf("not met (%.2f×)", r)
}
