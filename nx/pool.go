package nx

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Buffer recycling.
//
// Large results of elementwise primitives are allocated from pools and return
// to them when no tensor uses them any more: every tensor that shares a pooled
// buffer (a reshape, a vectorized view, a loop's state) shares its owner, and a
// runtime cleanup on the owner puts the buffer back once the owner is
// unreachable. Recycled buffers are not zeroed, so only kernels that write
// every element get them (call.outOverwrite). A buffer whose slice leaves the
// package (Tensor.Data) is never recycled.

// poolMin is the least number of elements worth recycling.
const poolMin = 1 << 14

// owner is shared by the tensors that use one pooled buffer.
type owner struct {
	escaped *atomic.Bool // set when the slice was handed out by Data
}

type pooledBuf[T any] struct {
	buf     []T
	escaped *atomic.Bool
}

var (
	poolF32 sync.Map // capacity → *sync.Pool of []float32
	poolF64 sync.Map // capacity → *sync.Pool of []float64
)

func poolFor(m *sync.Map, n int) *sync.Pool {
	if p, ok := m.Load(n); ok {
		return p.(*sync.Pool)
	}
	p, _ := m.LoadOrStore(n, &sync.Pool{})
	return p.(*sync.Pool)
}

// recycled returns a buffer of n elements from the pool of its size, or a new
// one, with an owner that returns it there when unreachable.
func recycled[T float32 | float64](m *sync.Map, n int) ([]T, *owner) {
	p := poolFor(m, n)
	var buf []T
	if b, ok := p.Get().(*[]T); ok {
		buf = *b
	} else {
		buf = make([]T, n)
	}
	o := &owner{escaped: new(atomic.Bool)}
	runtime.AddCleanup(o, func(b pooledBuf[T]) {
		if !b.escaped.Load() {
			p.Put(&b.buf)
		}
	}, pooledBuf[T]{buf: buf, escaped: o.escaped})
	return buf, o
}

// outOverwrite returns output i's data for a kernel that writes every element:
// a recycled buffer when the output is large enough, else a new one.
func (c *call) outOverwrite(i int) any {
	o := c.outs[i]
	if o.data != nil {
		return o.data
	}
	n := o.shape.Size()
	if n < poolMin || len(o.vec) > 0 {
		return c.out(i)
	}
	switch o.dtype {
	case F32:
		o.data, o.owner = recycled[float32](&poolF32, n)
	case F64:
		o.data, o.owner = recycled[float64](&poolF64, n)
	default:
		return c.out(i)
	}
	return o.data
}

// share makes output i use t's data (and t's pooled buffer, if any).
func (c *call) share(i int, t *Tensor) {
	c.outs[i].data = t.data
	c.outs[i].owner = t.owner
}
