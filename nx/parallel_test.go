package nx

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// concurrency runs parallelFor over n ranges of one iteration, each taking
// a little time, and returns how many ran at once at most.
func concurrency(n int) int {
	var now, most atomic.Int64
	parallelFor(n, 1, func(lo, hi int) {
		c := now.Add(1)
		for m := most.Load(); c > m && !most.CompareAndSwap(m, c); m = most.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		now.Add(-1)
	})
	return int(most.Load())
}

// TestParallelForSharesTheHelperBudget checks that parallel loops and matrix
// products draw their helper goroutines from one budget: with the budget
// spent (by products, say) a loop runs on its caller alone, and loops
// started from several goroutines at once never have more ranges running
// than GOMAXPROCS plus their callers.
func TestParallelForSharesTheHelperBudget(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	held := kernels.AcquireHelpers(3)
	if got := concurrency(16); got != 1 {
		t.Errorf("with the budget spent, %d ranges ran at once, want 1", got)
	}
	kernels.ReleaseHelpers(held)
	if got := concurrency(16); got < 2 || got > 4 {
		t.Errorf("alone, %d ranges ran at once, want 2 to 4", got)
	}
	var wg sync.WaitGroup
	var now, most atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				parallelFor(8, 1, func(lo, hi int) {
					c := now.Add(1)
					for m := most.Load(); c > m && !most.CompareAndSwap(m, c); m = most.Load() {
					}
					time.Sleep(time.Millisecond)
					now.Add(-1)
				})
			}
		}()
	}
	wg.Wait()
	// Four callers and at most three helpers.
	if got := most.Load(); got > 7 {
		t.Errorf("%d ranges ran at once from four callers, want at most 7", got)
	}
	if n := kernels.AcquireHelpers(3); n != 3 {
		t.Errorf("after the loops, %d helpers could be reserved, want 3 (the budget was not given back)", n)
	} else {
		kernels.ReleaseHelpers(n)
	}
}
