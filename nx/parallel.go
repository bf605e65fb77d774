package nx

import (
	"runtime"
	"sync"
)

// parallelGrain is the least work, in elements, worth handing to a goroutine.
const parallelGrain = 1 << 15

// parallelFor calls fn over [0, n) split into contiguous ranges, on up to
// GOMAXPROCS goroutines when n is large enough to pay for them. grain is the
// least number of iterations per goroutine.
func parallelFor(n, grain int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n/max(grain, 1))
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := chunk; lo < n; lo += chunk {
		wg.Add(1)
		go func(lo, hi int) {
			defer wg.Done()
			fn(lo, hi)
		}(lo, min(lo+chunk, n))
	}
	fn(0, min(chunk, n))
	wg.Wait()
}
