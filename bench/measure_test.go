package bench

import (
	"fmt"
	"testing"
	"time"
)

func TestProtocolPlan(t *testing.T) {
	p := Protocol{Target: time.Second, Rounds: 5}
	for _, c := range []struct {
		t0            time.Duration
		rounds, calls int
	}{
		{time.Millisecond, 5, 200},        // fast: full rounds, many calls
		{300 * time.Millisecond, 3, 1},    // 3 fit in the target
		{2 * time.Second, 1, 1},           // slower than the target: one call
		{0, 5, 200_000_000},               // a clock that did not move: treated as 1ns
		{150 * time.Millisecond, 5, 1},    // 6 fit; 5 rounds of round(1.33) calls
		{90 * time.Millisecond, 5, 2},     // 5 rounds of round(2.2) calls
		{400 * time.Millisecond, 2, 1},    // 2 fit
		{1000*time.Millisecond + 1, 1, 1}, // just over the target
		{time.Second / 5, 5, 1},           // exactly 5 fit
		{time.Second / 1000, 5, 200},      // exact division
		{time.Second/5 - time.Nanosecond, 5, 1},
	} {
		r, k := p.Plan(c.t0)
		if r != c.rounds || k != c.calls {
			t.Errorf("Plan(%v) = %d rounds × %d calls, want %d × %d", c.t0, r, k, c.rounds, c.calls)
		}
	}
	if r, k := (Protocol{Target: time.Second}).Plan(time.Millisecond); r != 1 || k != 1000 {
		t.Errorf("Plan with Rounds 0 = %d × %d, want 1 × 1000", r, k)
	}
}

func TestProtocolMeasure(t *testing.T) {
	calls := 0
	p := Protocol{Target: 20 * time.Millisecond, Rounds: 3}
	d := p.Measure(func() { calls++; time.Sleep(time.Millisecond) })
	if d < time.Millisecond || d > 50*time.Millisecond {
		t.Errorf("Measure of a 1ms sleep = %v", d)
	}
	// Warm-up plus 3 rounds of about 20ms/3/1ms calls each.
	if calls < 4 || calls > 40 {
		t.Errorf("fn ran %d times, want a warm-up and about 20 more", calls)
	}
}

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{[]time.Duration{7}, 7},
		{[]time.Duration{9, 1, 5}, 5},
		{[]time.Duration{4, 1, 3, 100}, 3},
	} {
		if got := Median(c.in); got != c.want {
			t.Errorf("Median(%v) = %v, want %v", c.in, got, c.want)
		}
	}
	in := []time.Duration{3, 1, 2}
	Median(in)
	if in[0] != 3 {
		t.Error("Median reordered its argument")
	}
}

func ExampleProtocol_Plan() {
	// A case whose warm-up call took 90ms, timed for about a second.
	rounds, calls := DefaultProtocol.Plan(90 * time.Millisecond)
	fmt.Println(rounds, "rounds of", calls, "calls")
	// Output: 5 rounds of 2 calls
}
