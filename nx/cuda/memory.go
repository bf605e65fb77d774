package cuda

import (
	"fmt"
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// minClass is the smallest size class. Blocks come from cuMemAlloc, which
// aligns them to at least 256 bytes.
const minClass = 512

// sizeClass returns the block size used for a request of n bytes: 512 bytes
// and up, with four classes per power of two (2^k, 1.25·2^k, 1.5·2^k,
// 1.75·2^k), so a block wastes less than a quarter of itself.
func sizeClass(n int) int {
	if n <= minClass {
		return minClass
	}
	p := 1 << (bits.Len(uint(n-1)) - 1) // the largest power of two below n
	step := max(p/4, minClass)
	return (n + step - 1) / step * step
}

// PoolStats counts what a device's memory pool has done. Byte counts are of
// blocks (requests rounded up to their size class).
type PoolStats struct {
	Allocs         int64 // successful Alloc calls
	CacheHits      int64 // Allocs served from a cached block, without cuMemAlloc
	Frees          int64 // Buffers returned to the pool (Free or garbage collection)
	DriverAllocs   int64 // cuMemAlloc calls that succeeded
	DriverFrees    int64 // cuMemFree calls (EmptyCache, or a retry after running out of memory)
	BytesInUse     int64 // bytes of live Buffers
	BytesCached    int64 // bytes of blocks held for reuse
	PeakBytesInUse int64 // the largest BytesInUse seen
}

// pool is a device's caching allocator: freed blocks are kept in per-class free
// lists and handed out again, so steady-state work calls cuMemAlloc no more.
type pool struct {
	dev   *Device
	mu    sync.Mutex
	free  map[int][]uintptr
	stats PoolStats
}

// get returns a block of class bytes, from the cache when one is free.
func (p *pool) get(class int) (uintptr, error) {
	p.mu.Lock()
	if l := p.free[class]; len(l) > 0 {
		ptr := l[len(l)-1]
		p.free[class] = l[:len(l)-1]
		p.stats.CacheHits++
		p.stats.BytesCached -= int64(class)
		p.taken(class)
		p.mu.Unlock()
		return ptr, nil
	}
	p.mu.Unlock()
	var ptr uintptr
	alloc := func() error { return cuErr("cuMemAlloc_v2", cuMemAlloc(&ptr, uintptr(class))) }
	err := p.dev.do(alloc)
	if e, ok := err.(*Error); ok && e.Code == 2 { // CUDA_ERROR_OUT_OF_MEMORY: release the cache, retry
		if ferr := p.dev.EmptyCache(); ferr != nil {
			return 0, ferr
		}
		err = p.dev.do(alloc)
	}
	if err != nil {
		return 0, err
	}
	p.mu.Lock()
	p.stats.DriverAllocs++
	p.taken(class)
	p.mu.Unlock()
	return ptr, nil
}

// taken records a block of class bytes handed out; p.mu is held.
func (p *pool) taken(class int) {
	p.stats.Allocs++
	p.stats.BytesInUse += int64(class)
	p.stats.PeakBytesInUse = max(p.stats.PeakBytesInUse, p.stats.BytesInUse)
}

// put returns a block to the cache.
func (p *pool) put(ptr uintptr, class int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.free == nil {
		p.free = map[int][]uintptr{}
	}
	p.free[class] = append(p.free[class], ptr)
	p.stats.Frees++
	p.stats.BytesInUse -= int64(class)
	p.stats.BytesCached += int64(class)
}

// PoolStats returns a snapshot of d's memory pool counters.
func (d *Device) PoolStats() PoolStats {
	d.pool.mu.Lock()
	defer d.pool.mu.Unlock()
	return d.pool.stats
}

// MemoryInfo returns the device memory that is free and the total, in bytes, as
// the driver sees them: blocks cached by the pool count as used.
func (d *Device) MemoryInfo() (free, total int64, err error) {
	var f, t uintptr
	err = d.do(func() error { return cuErr("cuMemGetInfo_v2", cuMemGetInfo(&f, &t)) })
	return int64(f), int64(t), err
}

// EmptyCache returns every cached (free) block of d's pool to the driver.
// Live Buffers are not affected.
func (d *Device) EmptyCache() error {
	p := &d.pool
	p.mu.Lock()
	free := p.free
	p.free = nil
	p.mu.Unlock()
	var first error
	for class, l := range free {
		for i, ptr := range l {
			err := d.do(func() error { return cuErr("cuMemFree_v2", cuMemFree(ptr)) })
			p.mu.Lock()
			if err == nil {
				p.stats.DriverFrees++
				p.stats.BytesCached -= int64(class)
			} else if first == nil {
				first = err
				// Keep the blocks that were not released.
				if p.free == nil {
					p.free = map[int][]uintptr{}
				}
				p.free[class] = append(p.free[class], l[i:]...)
				p.mu.Unlock()
				break
			}
			p.mu.Unlock()
		}
	}
	return first
}

// Buffer is a block of device memory from a device's pool. Free returns it to
// the pool; a Buffer that becomes unreachable without Free is returned when the
// garbage collector finds it.
//
// Blocks are recycled in stream order: a block freed after work was queued on
// a stream may be handed out at once, which is safe as long as its next user
// queues work on the same stream (or synchronizes first). Free a Buffer used on
// several streams only after synchronizing them.
type Buffer struct {
	dev     *Device
	n       int
	a       *allocation
	cleanup runtime.Cleanup
}

// allocation is the part of a Buffer its cleanup needs (it must not point back
// at the Buffer).
type allocation struct {
	pool  *pool
	ptr   uintptr
	class int
	freed atomic.Bool
}

// release returns the block to the pool the first time it is called.
func (a *allocation) release() {
	if a.freed.CompareAndSwap(false, true) {
		a.pool.put(a.ptr, a.class)
	}
}

// Alloc returns a Buffer of the given length in bytes, reusing a cached block
// of the same size class when there is one. When the device runs out of memory,
// the cache is emptied and the allocation tried once more.
func (d *Device) Alloc(bytes int) (*Buffer, error) {
	if bytes < 0 {
		return nil, fmt.Errorf("cuda: Alloc of %d bytes", bytes)
	}
	class := sizeClass(bytes)
	ptr, err := d.pool.get(class)
	if err != nil {
		return nil, fmt.Errorf("cuda: Alloc(%d) on device %d: %w", bytes, d.ordinal, err)
	}
	a := &allocation{pool: &d.pool, ptr: ptr, class: class}
	b := &Buffer{dev: d, n: bytes, a: a}
	b.cleanup = runtime.AddCleanup(b, (*allocation).release, a)
	return b, nil
}

// Free returns b's memory to the pool. Later uses of b fail with ErrFreed (and
// Ptr returns 0). Freeing twice is a no-op.
func (b *Buffer) Free() {
	b.cleanup.Stop()
	b.a.release()
}

// Ptr returns b's device address (a CUdeviceptr), or 0 once b is freed.
func (b *Buffer) Ptr() uintptr {
	if b.a.freed.Load() {
		return 0
	}
	return b.a.ptr
}

// Len returns b's length in bytes, as requested from Alloc.
func (b *Buffer) Len() int { return b.n }

// Device returns the device b lives on.
func (b *Buffer) Device() *Device { return b.dev }

// check returns the device address after checking that b is live and that n
// bytes fit in it.
func (b *Buffer) check(op string, n int) (uintptr, error) {
	if b.a.freed.Load() {
		return 0, fmt.Errorf("cuda: %s: %w", op, ErrFreed)
	}
	if n > b.n {
		return 0, fmt.Errorf("cuda: %s: %d bytes do not fit in a buffer of %d", op, n, b.n)
	}
	return b.a.ptr, nil
}

// CopyFromHost queues a copy of src into the start of b on stream s (nil: the
// default stream). src may be reused as soon as it returns.
func (b *Buffer) CopyFromHost(s *Stream, src []byte) error {
	ptr, err := b.check("CopyFromHost", len(src))
	if err != nil || len(src) == 0 {
		return err
	}
	h, err := s.handle(b.dev)
	if err != nil {
		return err
	}
	err = b.dev.do(func() error {
		return cuErr("cuMemcpyHtoDAsync_v2", cuMemcpyHtoDAsync(ptr, unsafe.Pointer(&src[0]), uintptr(len(src)), h))
	})
	runtime.KeepAlive(src)
	runtime.KeepAlive(b)
	return err
}

// CopyToHost copies the start of b into dst, after the work queued before it
// on stream s (nil: the default stream), and waits until dst is filled.
func (b *Buffer) CopyToHost(s *Stream, dst []byte) error {
	ptr, err := b.check("CopyToHost", len(dst))
	if err != nil || len(dst) == 0 {
		return err
	}
	h, err := s.handle(b.dev)
	if err != nil {
		return err
	}
	err = b.dev.do(func() error {
		if err := cuErr("cuMemcpyDtoHAsync_v2", cuMemcpyDtoHAsync(unsafe.Pointer(&dst[0]), ptr, uintptr(len(dst)), h)); err != nil {
			return err
		}
		return cuErr("cuStreamSynchronize", cuStreamSynchronize(h))
	})
	runtime.KeepAlive(dst)
	runtime.KeepAlive(b)
	return err
}

// CopyFrom queues a device-to-device copy of the first n bytes of src into the
// start of b on stream s. Both buffers must be on the same device.
func (b *Buffer) CopyFrom(s *Stream, src *Buffer, n int) error {
	if src.dev != b.dev {
		return fmt.Errorf("cuda: CopyFrom: buffers on devices %d and %d", src.dev.ordinal, b.dev.ordinal)
	}
	dst, err := b.check("CopyFrom", n)
	if err != nil {
		return err
	}
	from, err := src.check("CopyFrom", n)
	if err != nil || n == 0 {
		return err
	}
	h, err := s.handle(b.dev)
	if err != nil {
		return err
	}
	err = b.dev.do(func() error {
		return cuErr("cuMemcpyDtoDAsync_v2", cuMemcpyDtoDAsync(dst, from, uintptr(n), h))
	})
	runtime.KeepAlive(b)
	runtime.KeepAlive(src)
	return err
}

// Memset queues setting every byte of b to v on stream s.
func (b *Buffer) Memset(s *Stream, v byte) error {
	ptr, err := b.check("Memset", 0)
	if err != nil || b.n == 0 {
		return err
	}
	h, err := s.handle(b.dev)
	if err != nil {
		return err
	}
	err = b.dev.do(func() error {
		return cuErr("cuMemsetD8Async", cuMemsetD8Async(ptr, v, uintptr(b.n), h))
	})
	runtime.KeepAlive(b)
	return err
}
