package nx

import (
	"runtime"
	"testing"
)

// TestRecycledBuffersStayWhileShared drops every tensor but a view of a pooled
// result, churns the pools, and checks that the view's values survive.
func TestRecycledBuffersStayWhileShared(t *testing.T) {
	n := poolMin * 2
	a := Iota(Shape{n}, Type(F32))
	view := Reshape(Add(a, a), 2, n/2) // shares the pooled result of Add
	escaped := Add(a, Ones(F32, n)).Data().([]float32)
	for i := 0; i < 20; i++ {
		Multiply(a, a) // allocate from, and return to, the same pool
		runtime.GC()
	}
	vals := view.Float32s()
	for i, v := range vals {
		if v != float32(2*i) {
			t.Fatalf("element %d of a view of a recycled buffer changed to %v", i, v)
		}
	}
	for i, v := range escaped {
		if v != float32(i+1) {
			t.Fatalf("element %d of a slice from Data changed to %v", i, v)
		}
	}
}

// TestPoolRecycles checks that a dropped result's buffer comes back.
func TestPoolRecycles(t *testing.T) {
	n := poolMin * 3
	a := Ones(F64, n)
	seen := map[*float64]bool{}
	reused := false
	for i := 0; i < 50 && !reused; i++ {
		r := Add(a, a)
		p := &r.data.([]float64)[0]
		reused = seen[p]
		seen[p] = true
		r = nil
		runtime.GC()
	}
	if !reused {
		t.Error("no buffer was recycled after 50 collections")
	}
}
