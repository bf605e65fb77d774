package nx

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

// planOf returns the plan of fn over parameters shaped like args.
func planOf(t *testing.T, fn func([]*Tensor) []*Tensor, args ...*Tensor) *plan {
	t.Helper()
	params := make([]*Tensor, len(args))
	for i, a := range args {
		params[i] = newParam(i, "x", a.shape, a.dtype)
	}
	p, _ := compile(params, fn(params))
	if p.opt == nil {
		t.Fatal("the plan was not optimized")
	}
	return p
}

func TestArenaReusesBuffers(t *testing.T) {
	fn := func(x []*Tensor) []*Tensor {
		return []*Tensor{Transpose(Exp(Transpose(Exp(Transpose(x[0])))))}
	}
	x := fuseInput(F32, 0, 64, 32)
	p := planOf(t, fn, x)
	m := p.opt.mem
	// transpose, exp in place, transpose, exp in place, transpose (the result).
	want := [][]int{{0}, {0}, {1}, {1}, {-1}}
	if fmt.Sprint(m.buf) != fmt.Sprint(want) || len(m.bufs) != 2 {
		t.Errorf("buffers %v (%d), want %v", m.buf, len(m.bufs), want)
	}
	for i := 0; i < 3; i++ {
		if err := sameResult(fn([]*Tensor{x})[0], p.run([]*Tensor{x})[0], 0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestArenaInPlaceWaitsForTheLastRead(t *testing.T) {
	// The fused step writes exp(t) before it reads t again for the sum: it
	// must not write over t.
	fn := func(x []*Tensor) []*Tensor {
		tr := Transpose(x[0])
		a := Exp(tr)
		return []*Tensor{Add(a, tr), Transpose(a)}
	}
	x := fuseInput(F64, 0, 30, 50)
	p := planOf(t, fn, x)
	steps := p.opt.steps
	if len(steps) != 3 || steps[1].op != fusedOp || len(steps[1].specs) != 2 {
		t.Fatalf("plan %v", steps)
	}
	if m := p.opt.mem; m.buf[1][0] == m.buf[0][0] {
		t.Errorf("exp is written over its operand, read later: %v", m.buf)
	}
	got := p.run([]*Tensor{x})
	for i, w := range fn([]*Tensor{x}) {
		if err := sameResult(w, got[i], 0); err != nil {
			t.Errorf("result %d: %v", i, err)
		}
	}
	// Writing over an operand read only by the instruction itself is fine.
	fn2 := func(x []*Tensor) []*Tensor {
		tr := Transpose(x[0])
		return []*Tensor{Transpose(Sin(Exp(tr)))}
	}
	p = planOf(t, fn2, x)
	if m := p.opt.mem; m.buf[1][0] != m.buf[0][0] {
		t.Errorf("fused[exp, sin] does not reuse its dying operand's buffer: %v", m.buf)
	}
	if err := sameResult(fn2([]*Tensor{x})[0], p.run([]*Tensor{x})[0], 0); err != nil {
		t.Error(err)
	}
}

func TestArenaSteadyStateAllocations(t *testing.T) {
	if raceDetector {
		t.Skip("the race detector drops pooled arenas")
	}
	x := fuseInput(F32, 0, 64, 32)
	chain := planOf(t, func(x []*Tensor) []*Tensor { return []*Tensor{chain1000(x[0])} }, x)
	softmax := planOf(t, func(x []*Tensor) []*Tensor { return []*Tensor{softmaxRows(x[0])} }, x)
	in := []*Tensor{x}
	// The result's tensor, its elements and their slice header, and the
	// slice of results.
	for name, p := range map[string]*plan{"a 1,000-step chain": chain, "softmax": softmax} {
		if n := testing.AllocsPerRun(20, func() { p.run(in) }); n > 4 {
			t.Errorf("%s allocates %v times per call, want 4", name, n)
		}
	}
}

func TestArenaResultsAndHookValuesStay(t *testing.T) {
	var kept []*Tensor
	f := Jit(func(x *Tensor) (*Tensor, *Tensor) {
		a := Hook(Add(Exp(x), Number(1)), func(v *Tensor) { kept = append(kept, v) })
		b := Transpose(Sin(Transpose(Multiply(a, a))))
		return Tanh(b), Cos(b)
	})
	x1, x2 := fuseInput(F32, 0, 8, 5), fuseInput(F32, 7, 8, 5)
	r1, s1 := f(x1)
	want1, wantS1 := r1.Bytes(), s1.Bytes()
	keep1 := kept[0].Bytes()
	for i := 0; i < 3; i++ {
		f(x2)
	}
	if !bytes.Equal(r1.Bytes(), want1) || !bytes.Equal(s1.Bytes(), wantS1) || !bytes.Equal(kept[0].Bytes(), keep1) {
		t.Error("a later call changed an earlier call's results or hooked values")
	}
	if !bytes.Equal(keep1, Add(Exp(x1), Number(1)).Bytes()) {
		t.Errorf("hook saw %v", kept[0])
	}
}

func TestArenaConcurrentCalls(t *testing.T) {
	f := Jit(func(x *Tensor) *Tensor { return Transpose(softmaxRows(Tanh(Transpose(x)))) })
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			x := fuseInput(F32, g, 40, 50)
			want := Transpose(softmaxRows(Tanh(Transpose(x))))
			for i := 0; i < 20; i++ {
				if err := sameResult(want, f(x), 0); err != nil {
					t.Errorf("goroutine %d call %d: %v", g, i, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
}
