package bench

import (
	"math"
	"slices"
	"time"
)

// Protocol says how one case is timed. Every system in a table is timed the same
// way — the Go systems by Protocol.Measure, the peer scripts in peers/ by their
// own copy of the same loop, driven by the flags that PeerArgs returns:
//
//  1. run the case once to warm up and time it (t0);
//  2. choose rounds = Rounds, fewer when Target/t0 allows fewer (at least 1),
//     and k = round(Target / rounds / t0) calls per round (at least 1);
//  3. time rounds rounds of k calls each;
//  4. report the median over the rounds of (round time / k).
//
// The median of rounds keeps one descheduled round on a shared machine from
// moving the result; k calls per round keep the clock's overhead out of tiny
// cases.
type Protocol struct {
	Target time.Duration // time to spend measuring, warm-up excluded
	Rounds int           // rounds to take the median of (at most)
}

// DefaultProtocol is the protocol of a full `make bench` run.
var DefaultProtocol = Protocol{Target: time.Second, Rounds: 5}

// QuickProtocol is the protocol of a -quick run: numbers good to a few tens of
// percent, in a fraction of the time.
var QuickProtocol = Protocol{Target: 100 * time.Millisecond, Rounds: 3}

// Plan returns the number of rounds and of calls per round for a case whose
// warm-up call took t0 (step 2 of the protocol).
func (p Protocol) Plan(t0 time.Duration) (rounds, calls int) {
	rounds = max(p.Rounds, 1)
	if t0 <= 0 {
		t0 = 1
	}
	if fit := int(p.Target / t0); fit < rounds {
		rounds = max(fit, 1)
	}
	calls = int(math.Round(float64(p.Target) / float64(rounds) / float64(t0)))
	return rounds, max(calls, 1)
}

// Measure times fn, which must do exactly one unit of work per call, and returns
// the time of one call.
func (p Protocol) Measure(fn func()) time.Duration {
	start := time.Now()
	fn()
	rounds, calls := p.Plan(time.Since(start))
	per := make([]time.Duration, rounds)
	for r := range per {
		start := time.Now()
		for range calls {
			fn()
		}
		per[r] = time.Since(start) / time.Duration(calls)
	}
	return Median(per)
}

// Measure times fn with DefaultProtocol.
func Measure(fn func()) time.Duration { return DefaultProtocol.Measure(fn) }

// Median returns the median of ds (the mean of the middle two for an even
// count), or 0 for none.
func Median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
