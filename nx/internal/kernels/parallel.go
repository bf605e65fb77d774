package kernels

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// helpersBusy counts the goroutines that GEMM calls are running beside their
// callers, across the process. It stays within GOMAXPROCS-1, so that however
// many goroutines multiply matrices at once, the kernels keep no more
// goroutines running than there are CPUs to run them, plus the callers.
var helpersBusy atomic.Int64

// acquireHelpers reserves up to want helper goroutines from the shared budget
// and returns how many it got (possibly none).
func acquireHelpers(want int) int {
	if want <= 0 {
		return 0
	}
	limit := int64(runtime.GOMAXPROCS(0) - 1)
	for {
		cur := helpersBusy.Load()
		free := limit - cur
		if free <= 0 {
			return 0
		}
		got := min(free, int64(want))
		if helpersBusy.CompareAndSwap(cur, cur+got) {
			return int(got)
		}
	}
}

// releaseHelpers returns n helpers from acquireHelpers to the budget.
func releaseHelpers(n int) {
	if n > 0 {
		helpersBusy.Add(-int64(n))
	}
}

// team is the calling goroutine and the helpers it reserved.
type team struct{ helpers int }

// run calls fn(w, t) for every task t in [0, n) and returns when all are
// done. The caller is worker w = 0 and each helper goroutine a worker
// 1..helpers; they take tasks in order from a shared counter, so a worker
// slowed down (by another process, say) takes fewer.
func (tm *team) run(n int, fn func(w, t int)) {
	h := min(tm.helpers, n-1)
	if h <= 0 {
		for t := 0; t < n; t++ {
			fn(0, t)
		}
		return
	}
	var next atomic.Int64
	work := func(w int) {
		for {
			t := int(next.Add(1) - 1)
			if t >= n {
				return
			}
			fn(w, t)
		}
	}
	var wg sync.WaitGroup
	wg.Add(h)
	for w := 1; w <= h; w++ {
		go func() {
			defer wg.Done()
			work(w)
		}()
	}
	work(0)
	wg.Wait()
}
