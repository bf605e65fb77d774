package nx

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Buffer recycling.
//
// Large results of elementwise primitives are allocated from pools and return
// to them when no tensor uses them any more: every tensor that shares a pooled
// buffer (a reshape, a vectorized view, a loop's state) shares its owner, and a
// finalizer on the owner puts the buffer back once the owner is unreachable.
// Recycled buffers are not zeroed, so only kernels that write every element
// get them (call.outOverwrite). A buffer whose slice leaves the
// package (Tensor.Data) is never recycled.

// poolMin is the least number of elements worth recycling.
const poolMin = 1 << 14

// owner is shared by the tensors that use one pooled buffer. It is the first
// field of the buffer's pooledBuf, whose finalizer returns it to its pool.
type owner struct {
	escaped atomic.Bool // set when the slice was handed out by Data
	f64     bool        // whether the owner is a pooledBuf[float64]
}

// pooledBuf is a recycled buffer with its owner and the pool it returns to. It
// travels through the pool with its buffer and serves again as the owner of
// the buffer's next use, so that recycling a buffer allocates nothing. It
// holds no pointer to itself, which would keep it reachable and its finalizer
// from running.
type pooledBuf[T any] struct {
	owner owner
	buf   []T
	data  any // buf, boxed once
	pool  *sync.Pool
}

var (
	poolF32 sync.Map // capacity → *sync.Pool of *pooledBuf[float32]
	poolF64 sync.Map // capacity → *sync.Pool of *pooledBuf[float64]
)

func poolFor(m *sync.Map, n int) *sync.Pool {
	if p, ok := m.Load(n); ok {
		return p.(*sync.Pool)
	}
	p, _ := m.LoadOrStore(n, &sync.Pool{})
	return p.(*sync.Pool)
}

// giveBack, the finalizer of an owner, returns its pooledBuf to its pool
// unless the buffer escaped. A finalizer is used rather than a cleanup because
// it may reuse the object: adding a cleanup allocates, setting a finalizer
// does not.
func giveBack(o *owner) {
	if o.escaped.Load() {
		return
	}
	if o.f64 {
		b := (*pooledBuf[float64])(unsafe.Pointer(o))
		b.pool.Put(b)
		return
	}
	b := (*pooledBuf[float32])(unsafe.Pointer(o))
	b.pool.Put(b)
}

// recycled returns a buffer of n elements from the pool of its size, or a new
// one, with an owner that returns it there when unreachable.
func recycled[T float32 | float64](m *sync.Map, n int) (any, *owner) {
	p := poolFor(m, n)
	b, _ := p.Get().(*pooledBuf[T])
	if b == nil {
		b = &pooledBuf[T]{buf: make([]T, n), pool: p}
		b.data = b.buf
		_, b.owner.f64 = b.data.([]float64)
	}
	runtime.SetFinalizer(&b.owner, giveBack)
	return b.data, &b.owner
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
