package kernels

import (
	"runtime"
	"sync"
	"testing"
)

func TestFreeListKeepsObjectsAcrossCollections(t *testing.T) {
	var f FreeList[int]
	if f.Get() != nil {
		t.Fatal("a new list is not empty")
	}
	x := new(int)
	f.Put(x)
	runtime.GC()
	runtime.GC()
	if got := f.Get(); got != x {
		t.Fatalf("Get after two collections = %p, want %p", got, x)
	}
	if f.Get() != nil {
		t.Fatal("an object was returned twice")
	}
}

func TestFreeListBoundedAndConcurrent(t *testing.T) {
	var f FreeList[int]
	limit := max(8, 2*runtime.GOMAXPROCS(0))
	for range limit + 5 {
		f.Put(new(int))
	}
	n := 0
	for f.Get() != nil {
		n++
	}
	if n != limit {
		t.Fatalf("held %d objects, want %d", n, limit)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				x := f.Get()
				if x == nil {
					x = new(int)
				}
				*x++
				f.Put(x)
			}
		}()
	}
	wg.Wait()
}

func TestFreeListAllocatesNothing(t *testing.T) {
	var f FreeList[int]
	f.Put(new(int))
	if n := testing.AllocsPerRun(100, func() { f.Put(f.Get()) }); n != 0 {
		t.Fatalf("Get and Put allocate %v times", n)
	}
}
