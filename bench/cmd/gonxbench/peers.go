package main

import (
	"fmt"
	"slices"

	"github.com/gonx-dev/gonx/bench"
)

// peerCase is one case a peer was asked to measure, with what the Go side
// knows about it.
type peerCase struct {
	name  string
	flops float64 // operations in one run, 0 when a rate means nothing
	// samples is the number of examples one run processes (0: not a throughput case).
	samples float64
	check   float64 // the baseline's check value; NaN when it has none
}

// addPeer adds to t the results that system reported in out for cases: its
// times, a note where its check differs from the baseline's by more than tol,
// and n/a cells (with the reason: runErr and hint, or the peer's own error)
// for cases it has no time for. The peer's info lines become notes of t.
func addPeer(t *bench.Table, out *bench.PeerOutput, runErr error, hint, system string, cases []peerCase, tol float64) {
	if out != nil {
		for _, in := range out.Info {
			n := fmt.Sprintf("%s: %s", in.Key, in.Value)
			if !slices.Contains(t.Notes, n) {
				t.Notes = append(t.Notes, n)
			}
		}
	}
	for _, c := range cases {
		res := bench.Result{Case: c.name, System: system, Flops: c.flops, Samples: c.samples}
		r, ok := out.Result(system, c.name)
		switch {
		case ok && r.Err != "":
			res.Unavailable = r.Err
		case ok:
			res.PerOp = r.PerOp
			if r.HasCheck && c.check == c.check && !bench.CheckClose(r.Check, c.check, tol) {
				res.Note = fmt.Sprintf("result differs from %s's: check %.8g, %s %.8g", t.Baseline, r.Check, t.Baseline, c.check)
			}
		case runErr != nil:
			res.Unavailable = runErr.Error() + hint
		default:
			res.Unavailable = "the peer printed no result for this case"
		}
		t.Add(res)
	}
}

// checkNote returns the note for a Go system whose check differs from the
// baseline's, or "".
func checkNote(baseline string, got, want, tol float64) string {
	if want != want || bench.CheckClose(got, want, tol) {
		return ""
	}
	return fmt.Sprintf("result differs from %s's: check %.8g, %s %.8g", baseline, got, baseline, want)
}

// try runs fn and returns the message of a panic it raises, or "".
func try(fn func()) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprint(p)
		}
	}()
	fn()
	return ""
}
