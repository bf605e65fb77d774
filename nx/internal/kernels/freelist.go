package kernels

import (
	"runtime"
	"sync"
)

// FreeList holds objects for reuse, as sync.Pool does, but keeps them across
// garbage collections: the scratch state of a compiled function's calls
// (buffers, call records, shared state of parallel work) is then made once
// per concurrent caller, not again after every collection. It holds at most
// twice GOMAXPROCS (at first use, and at least 8) objects; Put drops the
// others. The zero FreeList is empty and ready to use.
type FreeList[T any] struct {
	once sync.Once
	ch   chan *T
}

func (f *FreeList[T]) init() {
	f.ch = make(chan *T, max(8, 2*runtime.GOMAXPROCS(0)))
}

// Get returns a free object, or nil when there is none.
func (f *FreeList[T]) Get() *T {
	f.once.Do(f.init)
	select {
	case x := <-f.ch:
		return x
	default:
		return nil
	}
}

// Put makes x available to Get, unless the list is full.
func (f *FreeList[T]) Put(x *T) {
	f.once.Do(f.init)
	select {
	case f.ch <- x:
	default:
	}
}
