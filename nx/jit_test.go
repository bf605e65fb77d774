package nx

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestJitTracesOncePerSignature(t *testing.T) {
	traces, compiles := 0, 0
	f := Jit(func(a, b *Tensor) *Tensor {
		traces++
		return Sum(Multiply(Add(a, b), b), Axes(-1))
	}, OnCompile(func(string) { compiles++ }))
	x := FromSlice([]float32{1, 2, 3, 4}, 2, 2)
	y := FromSlice([]float32{5, 6, 7, 8}, 2, 2)
	for i := 0; i < 5; i++ {
		got := f(x, y)
		if want := Sum(Multiply(Add(x, y), y), Axes(-1)); !reflect.DeepEqual(got.Value(), want.Value()) {
			t.Fatalf("compiled %v, eager %v", got, want)
		}
	}
	if traces != 1 || compiles != 1 {
		t.Fatalf("traced %d times, compiled %d times for one signature; want 1 and 1", traces, compiles)
	}
	f(FromSlice([]float32{1, 2}), FromSlice([]float32{3, 4})) // new shape
	f(AsType(x, F64), AsType(y, F64))                         // new type
	f(x, y)                                                   // cached
	if traces != 3 || compiles != 3 {
		t.Fatalf("traced %d times, want 3 (one per distinct shape and type)", traces)
	}
}

func TestJitContainersAndStaticArguments(t *testing.T) {
	type layer struct {
		W, B *Tensor
		Act  string // static: selects the code path and keys the cache
	}
	traces := 0
	f := Jit(func(l layer, xs map[string]*Tensor, scale float64) (map[string]*Tensor, []*Tensor) {
		traces++
		h := Add(Multiply(xs["in"], l.W), l.B)
		if l.Act == "tanh" {
			h = Tanh(h)
		}
		return map[string]*Tensor{"out": Multiply(h, Scalar(scale))}, []*Tensor{h, Sum(h)}
	})
	l := layer{W: FromSlice([]float64{2, 3}), B: FromSlice([]float64{1, 1}), Act: "linear"}
	in := map[string]*Tensor{"in": FromSlice([]float64{1, 2})}
	m, s := f(l, in, 10)
	if got := m["out"].Float64s(); got[0] != 30 || got[1] != 70 {
		t.Errorf("out = %v, want [30 70]", got)
	}
	if len(s) != 2 || s[1].Float64() != 10 {
		t.Errorf("slice result %v", s)
	}
	f(l, in, 10)
	f(l, in, 20) // a new static value retraces
	l.Act = "tanh"
	m, _ = f(l, in, 1)
	if traces != 3 {
		t.Errorf("traced %d times, want 3", traces)
	}
	if got := m["out"].Float64s()[0]; got != Tanh(Scalar(3.0)).Float64() {
		t.Errorf("tanh path gave %v", got)
	}
}

func TestJitOfGradMatchesEager(t *testing.T) {
	loss := func(w *Tensor) *Tensor { return Sum(Square(Subtract(Multiply(w, Number(3)), Number(1)))) }
	w := FromSlice([]float64{0.5, -1, 2})
	eager := Grad(loss)(w)
	compiled := Jit(Grad(loss))(w)
	if !reflect.DeepEqual(eager.Value(), compiled.Value()) {
		t.Errorf("jit(grad) = %v, grad = %v", compiled, eager)
	}
}

func TestJitConcurrentCalls(t *testing.T) {
	f := Jit(func(x *Tensor) *Tensor { return Sum(Exp(x)) })
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			x := Iota(Shape{i + 1}, Type(F64))
			if got, want := f(x).Float64(), Sum(Exp(x)).Float64(); got != want {
				t.Errorf("n=%d: %v, want %v", i+1, got, want)
			}
		}(i)
	}
	wg.Wait()
}

func TestJitErrorsCarryTheUserPosition(t *testing.T) {
	f := Jit(func(a, b *Tensor) *Tensor {
		return Add(a, b) // the failing line
	})
	err := Try(func() { f(Zeros(F32, 2, 3), Zeros(F32, 4)) })
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %v, want *Error", err)
	}
	if e.Error() != "nx.Add(f32[2][3], f32[4]): shapes cannot be broadcast together" {
		t.Errorf("message %q", e.Error())
	}
	if !strings.Contains(e.Pos, "jit_test.go:") {
		t.Errorf("Pos = %q, want the traced function's line in jit_test.go", e.Pos)
	}
	// Reading values of a symbolic tensor inside the traced function is an error.
	g := Jit(func(a *Tensor) *Tensor { _ = a.Float64s(); return a })
	if err := Try(func() { g(Zeros(F32, 1)) }); err == nil || !strings.Contains(err.Error(), "symbolic") {
		t.Errorf("reading a symbolic tensor: %v", err)
	}
}

func TestJitConstantsAndPassThrough(t *testing.T) {
	c := FromSlice([]float32{1, 2})
	f := Jit(func(x *Tensor) (*Tensor, *Tensor, *Tensor) { return x, c, Add(x, c) })
	x := FromSlice([]float32{10, 20})
	a, b, s := f(x)
	if a != x || b != c || !reflect.DeepEqual(s.Value(), []float32{11, 22}) {
		t.Errorf("got %v %v %v", a, b, s)
	}
}

func TestJitWrapsOtherPanics(t *testing.T) {
	f := Jit(func(xs []*Tensor) *Tensor {
		return xs[3] // out of range: the line Pos must name
	})
	err := Try(func() { f([]*Tensor{Scalar(1.0)}) })
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("err = %#v, want *Error", err)
	}
	if !strings.Contains(e.Msg, "the traced function panicked: runtime error: index out of range [3] with length 1") {
		t.Errorf("message %q", e.Msg)
	}
	if !strings.Contains(e.Pos, "jit_test.go:") {
		t.Errorf("Pos = %q, want the line in jit_test.go", e.Pos)
	}
}
