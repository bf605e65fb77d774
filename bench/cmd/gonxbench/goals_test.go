package main

import (
	"testing"
	"time"

	"github.com/gonx-dev/gonx/bench"
)

func TestGoalVerdict(t *testing.T) {
	tb := &bench.Table{Baseline: "nx", Systems: []string{"peer", "gone"}}
	tb.Add(bench.Result{Case: "c", System: "nx", PerOp: 10 * time.Millisecond})
	tb.Add(bench.Result{Case: "c", System: "peer", PerOp: 9 * time.Millisecond})
	tb.Add(bench.Result{Case: "c", System: "gone", Unavailable: "peer died: signal: illegal instruction"})
	for _, tc := range []struct {
		peer string
		goal float64
		want string
	}{
		{"peer", 0.8, "met (0.90×)"},
		{"peer", 1, "not met (0.90×)"},
		{"gone", 0.8, "not measurable here (gone: peer died: signal: illegal instruction)"},
		{"absent", 0.8, "not measurable here (absent: not measured)"},
	} {
		if got := goalVerdict(tb, "c", "nx", tc.peer, tc.goal); got != tc.want {
			t.Errorf("goalVerdict(%s, %v) = %q, want %q", tc.peer, tc.goal, got, tc.want)
		}
	}
}
