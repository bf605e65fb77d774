package bench

import (
	"testing"
	"time"
)

// Measure runs fn repeatedly, as a Go benchmark does, and returns the time of one
// run. setup-free: fn must do exactly one unit of work per call.
func Measure(fn func()) time.Duration {
	r := testing.Benchmark(func(b *testing.B) {
		for b.Loop() {
			fn()
		}
	})
	if r.N == 0 {
		return 0
	}
	return r.T / time.Duration(r.N)
}
