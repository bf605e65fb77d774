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

// AcquireHelpers reserves up to want goroutines from the budget that GEMM
// shares with the rest of nx (GOMAXPROCS-1 busy helpers in all, however many
// goroutines compute at once) and returns how many it got, possibly none.
// Each must be given back with ReleaseHelpers when its work is done.
func AcquireHelpers(want int) int { return acquireHelpers(want) }

// ReleaseHelpers gives n helpers back to the budget.
func ReleaseHelpers(n int) { releaseHelpers(n) }

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
	r := runs.Get()
	if r == nil {
		r = new(teamRun)
	}
	r.n, r.fn = n, fn
	r.next.Store(0)
	r.ids.Store(0)
	r.wg.Add(h)
	startHelpers()
	for range h {
		helperJobs <- r
	}
	r.work(0)
	r.wg.Wait()
	r.fn = nil
	runs.Put(r)
}

// The helper goroutines: started as the budget needs them (GOMAXPROCS-1,
// growing with it) and kept, so that sharing a product's work starts no
// goroutine. acquireHelpers never reserves more helpers than are started,
// so a send on helperJobs finds one idle.
var (
	helperJobs    = make(chan *teamRun)
	helpersMu     sync.Mutex
	helpersLaunch int
)

// startHelpers makes sure GOMAXPROCS-1 helper goroutines are running.
func startHelpers() {
	want := runtime.GOMAXPROCS(0) - 1
	helpersMu.Lock()
	defer helpersMu.Unlock()
	for ; helpersLaunch < want; helpersLaunch++ {
		go func() {
			for r := range helperJobs {
				r.work(int(r.ids.Add(1)))
				r.wg.Done()
			}
		}()
	}
}

// teamRun is the shared state of one team.run, recycled through runs so that
// a product allocates nothing to share its work.
type teamRun struct {
	next atomic.Int64
	ids  atomic.Int64 // the last worker number handed to a helper
	wg   sync.WaitGroup
	n    int
	fn   func(w, t int)
}

var runs FreeList[teamRun]

// work runs tasks as worker w until none are left.
func (r *teamRun) work(w int) {
	for {
		t := int(r.next.Add(1) - 1)
		if t >= r.n {
			return
		}
		r.fn(w, t)
	}
}
