package nx

import "github.com/gonx-dev/gonx/nx/internal/kernels"

// convState is what a convolution step keeps between runs (in its call
// record, see call.state): its geometry, the job shared by the threads that
// run it, and per-thread im2col buffers. A compiled step's convolutions then
// allocate nothing but their results.
type convState struct {
	in, k   Shape // the operand shapes the geometry is for
	g       *convGeom
	job     any // the running primitive's *convFwdJob[T] (or backward job)
	scratch kernels.FreeList[convScratch]
}

// convScratch is one thread's im2col buffer.
type convScratch struct{ col any }

// convStateOf returns c's convolution state for operands of shapes in and
// k, making it on first use (always, for an eager call).
func convStateOf(c *call, in, k Shape, a convAttr) *convState {
	if st, ok := c.state.(*convState); ok && st.in.Equal(in) && st.k.Equal(k) {
		return st
	}
	st := &convState{in: in.Clone(), k: k.Clone(), g: newConvGeom(in, k, a)}
	c.state = st
	return st
}

// stateOf returns the value of type J kept in *slot (a call's state, say),
// making it if needed.
func stateOf[J any](slot *any) *J {
	if j, ok := (*slot).(*J); ok {
		return j
	}
	j := new(J)
	*slot = j
	return j
}

// convCol returns a free im2col buffer of n elements of T from st, with the
// scratch to give back to st.scratch when done.
func convCol[T any](st *convState, n int) (*convScratch, []T) {
	sc := st.scratch.Get()
	if sc == nil {
		sc = new(convScratch)
	}
	col, _ := sc.col.([]T)
	if cap(col) < n {
		col = make([]T, n)
		sc.col = col
	}
	return sc, col[:n]
}

// axisIndex returns buf[:n] when buf is long enough, else a new slice: an
// index per axis that stays on the stack for ranks up to maxFastRank.
func axisIndex(buf []int, n int) []int {
	if n > len(buf) {
		return make([]int, n)
	}
	clear(buf[:n])
	return buf[:n]
}
