package nx

import (
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// parallelGrain is the least work, in elements, worth handing to a goroutine.
const parallelGrain = 1 << 15

// ParallelFor calls body over [0, n) split into contiguous ranges of at
// least grain iterations, run on the calling goroutine and on worker
// goroutines that nx keeps (none is started per call), and returns when
// every range is done. The workers are shared with nx's own kernels: however
// many goroutines call it at once, no more goroutines run nx work than
// GOMAXPROCS, plus the callers. It is meant for the kernels of a CustomOp.
func ParallelFor(n, grain int, body func(lo, hi int)) { parallelFor(n, grain, body) }

// parallelFor calls fn over [0, n) split into contiguous ranges, on up to
// GOMAXPROCS goroutines when n is large enough to pay for them. grain is the
// least number of iterations per goroutine.
//
// The ranges are shared between the caller and idle helper goroutines that
// are started once and kept, and a split's state is recycled, so that a split
// allocates nothing and starts no goroutine. The caller takes ranges until
// none are left, so a split finishes even when every helper is busy (with
// another split, or one nested in fn).
//
// fn escapes, so a closure passed here is allocated even when the work is
// not split; callers on the path of every compiled call use parallelRanges
// with a ranger that already lives on the heap.
func parallelFor(n, grain int, fn func(lo, hi int)) {
	if serial(n, grain) {
		fn(0, n)
		return
	}
	parallelRanges(n, grain, rangeFunc(fn))
}

// ranger is work over a range of iterations, for parallelRanges.
type ranger interface{ runRange(lo, hi int) }

// rangeFunc makes a function a ranger.
type rangeFunc func(lo, hi int)

func (f rangeFunc) runRange(lo, hi int) { f(lo, hi) }

// parallelRanges is parallelFor over a ranger. A pointer held in an
// interface costs no allocation, so a split of the work of a value already
// on the heap (a step's call record in a plan's arena, say) allocates
// nothing.
func parallelRanges(n, grain int, r ranger) {
	workers := min(runtime.GOMAXPROCS(0), n/max(grain, 1))
	if workers <= 1 {
		r.runRange(0, n)
		return
	}
	s := splits.Get()
	if s == nil {
		s = new(split)
	}
	s.n, s.chunk, s.fn = n, (n+workers-1)/workers, r
	s.next.Store(0)
	h := acquireSplitHelpers(workers - 1)
	s.wg.Add(h)
	for range h {
		splitJobs <- s
	}
	s.work()
	s.wg.Wait()
	s.fn = nil
	splits.Put(s)
}

// serial reports whether parallelFor(n, grain, fn) would call fn(0, n) on
// the calling goroutine.
func serial(n, grain int) bool {
	return min(runtime.GOMAXPROCS(0), n/max(grain, 1)) <= 1
}

// split is the shared state of one parallelFor.
type split struct {
	next     atomic.Int64 // the next range to run
	wg       sync.WaitGroup
	n, chunk int
	fn       ranger
}

var splits kernels.FreeList[split]

// work runs ranges until none are left.
func (s *split) work() {
	for {
		lo := int(s.next.Add(1)-1) * s.chunk
		if lo >= s.n {
			return
		}
		s.fn.runRange(lo, min(lo+s.chunk, s.n))
	}
}

// The helper goroutines of parallelFor: GOMAXPROCS-1 of them, started on
// first use (and when GOMAXPROCS grows) and kept. A split reserves helpers
// from the budget it shares with the matrix products
// (kernels.AcquireHelpers): however many goroutines compute at once, no more
// than GOMAXPROCS-1 helpers are busy beside them, and a split whose budget is
// spent runs on its caller alone. A split reserves only free helpers, so its
// sends on splitJobs are taken by a helper that is idle or about to be, and
// (the channel being buffered) do not wait for it to be scheduled.
var (
	splitJobs     = make(chan *split, 64) // buffered: the caller goes on to its own share at once
	splitMu       sync.Mutex
	splitLaunched atomic.Int64
)

// acquireSplitHelpers reserves up to want helpers and returns how many it got
// (possibly none), starting helpers as needed.
func acquireSplitHelpers(want int) int {
	limit := int64(runtime.GOMAXPROCS(0) - 1)
	if splitLaunched.Load() < limit {
		splitMu.Lock()
		for ; splitLaunched.Load() < limit; splitLaunched.Add(1) {
			go splitHelper()
		}
		splitMu.Unlock()
	}
	return kernels.AcquireHelpers(want)
}

func splitHelper() {
	for s := range splitJobs {
		s.work()
		kernels.ReleaseHelpers(1)
		s.wg.Done()
	}
}

// sliceJob is an elementwise kernel over slices split between threads: bin
// (o = f(a, b)) or un (o = f(a)) over ranges of elements.
type sliceJob[T float32 | float64] struct {
	bin     func(o, a, b []T)
	un      func(o, a []T)
	o, a, b []T
}

func (j *sliceJob[T]) runRange(lo, hi int) {
	if j.un != nil {
		j.un(j.o[lo:hi], j.a[lo:hi])
		return
	}
	j.bin(j.o[lo:hi], j.a[lo:hi], j.b[lo:hi])
}

// splitSlices runs bin or un over n elements split between threads, with a
// job kept in c's state: a compiled step splits its work without
// allocating.
func splitSlices[T float32 | float64](c *call, n int, bin func(o, a, b []T), un func(o, a []T), o, a, b []T) {
	j := stateOf[sliceJob[T]](&c.state)
	*j = sliceJob[T]{bin: bin, un: un, o: o, a: a, b: b}
	parallelRanges(n, parallelGrain, j)
	*j = sliceJob[T]{} // keep no operand alive
}
