package nx

import (
	"fmt"
	"math"
	"reflect"
	"sync"
	"testing"
)

type keyInner struct {
	A *Tensor
	N int
}

type keyOuter struct {
	In  keyInner
	P   *benchPair
	Arr [2]*Tensor
}

type keyHidden struct {
	A *Tensor
	n int
}

// keyFormatted formats itself: its values take the string path.
type keyFormatted int

func (k keyFormatted) GoString() string { return "keyFormatted" }

// TestJitKeyAgreesWithSignature checks that the fast key finds the same
// compiled signature for two calls exactly when the string signature is the
// same: for each pair of arguments, a function of one interface argument
// compiles once when the signatures are equal and twice otherwise, the keys
// (where the walk encodes them) find the compiled signatures the string path
// recorded, and the results equal eager execution.
func TestJitKeyAgreesWithSignature(t *testing.T) {
	x, y := fuseInput(F32, 1, 2, 3), fuseInput(F32, 2, 2, 3)
	z, w := fuseInput(F32, 3, 3, 2), fuseInput(F64, 4, 2, 3)
	for _, tc := range []struct {
		name    string
		a, b    any
		encoded bool // whether the walk encodes the arguments
	}{
		{"same struct, other data", benchPair{x, y}, benchPair{y, x}, true},
		{"struct, other shape", benchPair{x, y}, benchPair{x, z}, true},
		{"struct, other dtype", benchPair{x, y}, benchPair{x, w}, true},
		{"static int differs", benchScaled{x, 2}, benchScaled{x, 3}, true},
		{"static int same", benchScaled{x, 2}, benchScaled{y, 2}, true},
		{"int and int64 format alike", []any{x, 1}, []any{x, int64(1)}, true},
		{"zero and negative zero", []any{x, 0.0}, []any{x, math.Copysign(0, -1)}, true},
		{"NaN", []any{x, math.NaN()}, []any{x, math.NaN()}, true},
		{"float32 and float64", []any{x, float32(0.5)}, []any{x, 0.5}, true},
		{"complex", []any{x, 1 + 2i}, []any{x, 1 + 3i}, true},
		{"bool", []any{x, true}, []any{x, false}, true},
		{"short strings", []any{x, "abc"}, []any{x, "abd"}, true},
		{"long strings", []any{x, "abcdefghi"}, []any{x, "abcdefghj"}, true},
		{"string with a NUL", []any{x, "a\x00"}, []any{x, "a"}, true},
		{"equal long strings", []any{x, "a string of some length"}, []any{x, "a string of some length"}, true},
		{"nil pointer and non-nil", keyOuter{In: keyInner{x, 1}, Arr: [2]*Tensor{x, x}},
			keyOuter{In: keyInner{x, 1}, P: &benchPair{x, y}, Arr: [2]*Tensor{x, x}}, true},
		{"nested static differs", keyOuter{In: keyInner{x, 1}, Arr: [2]*Tensor{x, x}},
			keyOuter{In: keyInner{x, 2}, Arr: [2]*Tensor{x, x}}, true},
		{"nested shape differs", keyOuter{In: keyInner{x, 1}, P: &benchPair{x, y}, Arr: [2]*Tensor{x, x}},
			keyOuter{In: keyInner{x, 1}, P: &benchPair{x, z}, Arr: [2]*Tensor{x, x}}, true},
		{"slices of other lengths", []*Tensor{x}, []*Tensor{x, y}, true},
		{"slices of one length", []*Tensor{x, y}, []*Tensor{y, x}, true},
		{"arrays of other lengths", [2]*Tensor{x, y}, [3]*Tensor{x, y, x}, true},
		{"pointer and value", &benchPair{x, y}, benchPair{x, y}, true},
		{"static slices", []any{x, []int{1, 2}}, []any{x, []int{1, 3}}, true},
		{"nil and empty static slices", []any{x, []int(nil)}, []any{x, []int{}}, true},
		{"static arrays", []any{x, [2]uint8{1, 2}}, []any{x, [2]uint8{1, 2}}, true},
		{"unexported fields are not part of the signature", keyHidden{x, 1}, keyHidden{x, 2}, true},
		{"nil interface", []any{x, nil}, []any{x, 0}, true},
		{"maps of tensors by name", map[string]*Tensor{"a": x}, map[string]*Tensor{"a": x, "b": y}, true},
		{"the same names in another order", map[string]*Tensor{"b": y, "a": x}, map[string]*Tensor{"a": x, "b": y}, true},
		{"names that differ", map[string]*Tensor{"a": x}, map[string]*Tensor{"b": x}, true},
		{"shapes under a name that differ", map[string]*Tensor{"a": x}, map[string]*Tensor{"a": Zeros(F32, 4)}, true},
		{"nested maps by name", map[string]map[string]*Tensor{"dense": {"kernel": x, "bias": y}},
			map[string]map[string]*Tensor{"dense": {"kernel": x, "bias": y}, "out": {}}, true},
		{"nil and empty inner maps", map[string]map[string]*Tensor{"a": {"k": x}, "b": nil},
			map[string]map[string]*Tensor{"a": {"k": x}, "b": {}}, true},
		{"other maps take the string path", map[string]any{"a": x}, map[string]any{"a": x, "b": y}, false},
		{"self-formatting values take the string path", []any{x, keyFormatted(1)}, []any{x, keyFormatted(2)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn := func(a any) *Tensor {
				l := Leaves(a)
				return Add(l[0], l[0])
			}
			compiles := 0
			j := &jitted{fn: reflect.ValueOf(fn), cache: map[string]*compiled{},
				cfg: jitConfig{onCompile: func(string) { compiles++ }}}
			argsOf := func(v any) []reflect.Value { return []reflect.Value{reflect.ValueOf(&v).Elem()} }
			argsA, argsB := argsOf(tc.a), argsOf(tc.b)
			sigA, _ := signature(argsA)
			sigB, _ := signature(argsB)
			for range 2 {
				for _, v := range []any{tc.a, tc.b} {
					got := j.call(argsOf(v))[0].Interface().(*Tensor)
					if err := sameResult(fn(v), got, 0); err != nil {
						t.Fatalf("%#v: %v", v, err)
					}
				}
			}
			if want := map[bool]int{true: 1, false: 2}[sigA == sigB]; compiles != want {
				t.Errorf("%d compilations, want %d (signatures %q and %q)", compiles, want, sigA, sigB)
			}
			keyA, okA := argsKey(argsA)
			keyB, okB := argsKey(argsB)
			if okA != tc.encoded || okB != tc.encoded {
				t.Fatalf("keys encoded: %v, %v; want %v", okA, okB, tc.encoded)
			}
			if !tc.encoded {
				if j.byKey.Load() != nil {
					t.Errorf("a key was recorded for arguments the walk does not encode")
				}
				return
			}
			cA, cB := j.lookupKey(keyA), j.lookupKey(keyB)
			if cA != j.cache[sigA] || cB != j.cache[sigB] {
				t.Fatalf("the keys find other signatures than the string path")
			}
			if (cA == cB) != (sigA == sigB) {
				t.Errorf("same compiled signature by key: %v; same signature string: %v", cA == cB, sigA == sigB)
			}
			if reflect.DeepEqual(keyA, keyB) && sigA != sigB {
				t.Errorf("equal keys for the signatures %q and %q", sigA, sigB)
			}
		})
	}
}

// argsKey returns the key of args, and whether the walk encodes them.
func argsKey(args []reflect.Value) ([]uint64, bool) {
	var toks []uint64
	ok := true
	for _, a := range args {
		if toks, _, ok = appendKey(a, toks, nil); !ok {
			return nil, false
		}
	}
	return toks, true
}

// TestJitKeyLeavesOrder checks that the walk lists the leaves in flatten's
// order.
func TestJitKeyLeavesOrder(t *testing.T) {
	x, y, z := fuseInput(F32, 1, 2), fuseInput(F32, 2, 3), fuseInput(F32, 3, 4)
	v := keyOuter{In: keyInner{z, 1}, P: &benchPair{y, x}, Arr: [2]*Tensor{x, z}}
	_, got, ok := appendKey(reflect.ValueOf(v), nil, nil)
	if want := Leaves(v); !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("leaves %v (ok %v), want %v", got, ok, want)
	}
}

// TestJitContainerResults compares compiled functions of containers, on their
// first (traced) and later (looked up by key) calls, with eager execution,
// from several goroutines at once, so that the first compilations race.
func TestJitContainerResults(t *testing.T) {
	pairFn := func(p benchPair) benchPair { return benchPair{Add(p.A, p.B), Multiply(p.A, p.B)} }
	ptrFn := func(p *benchPair) *benchPair { return &benchPair{Subtract(p.A, p.B), Exp(p.A)} }
	sliceFn := func(ts []*Tensor) []*Tensor { return []*Tensor{Add(ts[0], ts[1]), Negate(ts[0])} }
	staticFn := func(s benchScaled) *Tensor {
		out := s.X
		for range s.Power {
			out = Multiply(out, s.X)
		}
		return out
	}
	nestedFn := func(o keyOuter) [2]*Tensor {
		return [2]*Tensor{Add(o.In.A, o.Arr[1]), Multiply(o.Arr[0], Number(float64(o.In.N)))}
	}
	// More leaves and outputs than a call keeps on its stack.
	manyFn := func(xs ...*Tensor) []*Tensor {
		out := make([]*Tensor, len(xs))
		for i, x := range xs {
			out[i] = Add(x, xs[(i+1)%len(xs)])
		}
		return out
	}
	pair, ptr, slice, static, nested := Jit(pairFn), Jit(ptrFn), Jit(sliceFn), Jit(staticFn), Jit(nestedFn)
	many := Jit(manyFn)
	check := func(want, got []*Tensor) error {
		if len(want) != len(got) {
			return fmt.Errorf("%d results, want %d", len(got), len(want))
		}
		for i := range want {
			if err := sameResult(want[i], got[i], 0); err != nil {
				return fmt.Errorf("result %d: %v", i, err)
			}
		}
		return nil
	}
	inputs := [][2]*Tensor{
		{fuseInput(F32, 1, 3, 4), fuseInput(F32, 2, 3, 4)},
		{fuseInput(F64, 3, 5), fuseInput(F64, 4, 5)},
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 8 {
				x, y := inputs[(g+i)%2][0], inputs[(g+i)%2][1]
				p := benchPair{x, y}
				o := keyOuter{In: keyInner{x, 1 + i%2}, Arr: [2]*Tensor{y, x}}
				xs := make([]*Tensor, 2*maxFastArgs+i%2)
				for k := range xs {
					xs[k] = [2]*Tensor{x, y}[k%2]
				}
				for _, c := range []struct {
					name      string
					want, got []*Tensor
				}{
					{"struct", Leaves(pairFn(p)), Leaves(pair(p))},
					{"pointer", Leaves(ptrFn(&p)), Leaves(ptr(&p))},
					{"slice", sliceFn([]*Tensor{x, y}), slice([]*Tensor{x, y})},
					{"static", []*Tensor{staticFn(benchScaled{x, i % 3})}, []*Tensor{static(benchScaled{x, i % 3})}},
					{"nested", Leaves(nestedFn(o)), Leaves(nested(o))},
					{"variadic", manyFn(xs...), many(xs...)},
				} {
					if err := check(c.want, c.got); err != nil {
						t.Errorf("goroutine %d call %d: %s: %v", g, i, c.name, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
