package nx

import (
	"fmt"
	"testing"
)

// TestPresetsWriteEveryElement checks the contract that buffer planning
// relies on: a step whose primitive presets (writes every element of the
// result buffers it is given) computes the same result into a buffer full of
// garbage as into a fresh one. Every step of the optimized plans of a set of
// functions is run both ways.
func TestPresetsWriteEveryElement(t *testing.T) {
	x := fuseInput(F32, 1, 8, 12)
	img, ker := fuseInput(F32, 2, 2, 3, 6, 6), fuseInput(F32, 3, 3, 3, 3, 3)
	idx := AsType(Iota(Shape{8, 2}, Axis(0)), S64)
	fns := map[string]struct {
		f    func(args []*Tensor) []*Tensor
		args []*Tensor
	}{
		"elementwise and reductions": {func(a []*Tensor) []*Tensor {
			x := a[0]
			return []*Tensor{Add(Sum(x, Axes(0)), Number(1)), softmaxRows(x), Sum(Reshape(x, 2, 4, 12), Axes(0, 2)),
				ReduceMax(x, Axes(1)), Argmax(x, Axis(0)), AsType(Greater(x, Number(0.5)), F32)}
		}, []*Tensor{x}},
		"layout": {func(a []*Tensor) []*Tensor {
			x := a[0]
			return []*Tensor{Add(Transpose(x), Number(1)), Add(Slice(x, []int{1, 2}, []int{4, 5}), Number(1)),
				Add(Reverse(x), Number(1)), Add(Broadcast(Sum(x, Axes(1)), Shape{3, 8}), Number(1)),
				Add(Pad(x, Number(0), [3]int{1, 2, 0}, [3]int{0, 1, 1}), Number(1)),
				Add(Pad(x, Number(2.5), [3]int{-1, 1, 0}, [3]int{2, -3, 0}), Number(1)),
				Add(Concatenate([]*Tensor{x, x}, Axis(1)), Number(1)),
				Add(Bitcast(Bitcast(x, U32), F32), Number(1))}
		}, []*Tensor{x}},
		"indexing": {func(a []*Tensor) []*Tensor {
			x, i := a[0], a[1]
			return []*Tensor{Add(Take(x, Reshape(i, 16), Axis(1)), Number(1)),
				Add(IndexedAdd(x, i, Ones(F32, 8)), Number(1)), Add(IndexedPut(x, i, Ones(F32, 8)), Number(1)),
				Add(PutSlice(x, []int{2, 3}, Ones(F32, 2, 2)), Number(1)),
				Add(SliceDynamic(x, []*Tensor{Scalar(int32(1)), Scalar(int32(2))}, []int{3, 3}), Number(1))}
		}, []*Tensor{x, idx}},
		"scans, sorts and windows": {func(a []*Tensor) []*Tensor {
			x := a[0]
			return []*Tensor{Add(CumulativeSum(x, Axis(1)), Number(1)), Add(Sort(x, Axis(1)), Number(1)),
				Add(AsType(Argsort(x, Axis(0)), F32), Number(1)), Add(WindowMax(x, []int{2, 3}), Number(1)),
				Add(WindowSum(x, []int{2, 2}, Padded(Same)), Number(1))}
		}, []*Tensor{x}},
		"products and convolutions": {func(a []*Tensor) []*Tensor {
			x, img, ker := a[0], a[1], a[2]
			g := Grad(func(k *Tensor) *Tensor { return Sum(Multiply(Conv(img, k, Padded(Same)), img)) })(ker)
			return []*Tensor{Add(Dot(x, Transpose(x)), Number(1)), Exp(Conv(img, ker, Padded(Same))), Add(g, Number(1))}
		}, []*Tensor{x, img, ker}},
		"loops": {func(a []*Tensor) []*Tensor {
			s := While([]*Tensor{Scalar(int32(0)), a[0]}, func(s []*Tensor) *Tensor { return Less(s[0], Scalar(int32(3))) },
				func(s []*Tensor) []*Tensor { return []*Tensor{Add(s[0], Scalar(int32(1))), Exp(Negate(s[1]))} })
			return []*Tensor{Add(s[1], Number(1))}
		}, []*Tensor{x}},
	}
	for name, tc := range fns {
		params := make([]*Tensor, len(tc.args))
		for i, a := range tc.args {
			params[i] = newParam(i, fmt.Sprint("arg ", i), a.shape, a.dtype)
		}
		p, _ := compile(params, tc.f(params))
		if p.opt == nil {
			t.Fatalf("%s: the plan was not optimized", name)
		}
		q := p.opt
		vals := make([][]*Tensor, len(q.steps))
		get := func(r ref) *Tensor {
			switch r.kind {
			case refInput:
				return tc.args[r.i]
			case refStep:
				return vals[r.i][r.j]
			}
			return r.value
		}
		checked := 0
		for i, s := range q.steps {
			args := make([]*Tensor, len(s.args))
			for k, r := range s.args {
				args[k] = get(r)
			}
			vals[i] = s.op.apply(s.specs, s.attr, args...)
			if !presets(s.op) {
				continue
			}
			c := &call{op: s.op, attr: s.attr, args: args, outs: make([]*Tensor, len(s.specs))}
			for j, sp := range s.specs {
				d := makeData(sp.dtype, sp.shape.Size())
				b := dataBytes(d)
				for k := range b {
					b[k] = 0xA5 // garbage, a NaN in every float type
				}
				c.outs[j] = &Tensor{shape: sp.shape, dtype: sp.dtype, data: d}
			}
			s.op.cpu(c)
			for j := range s.specs {
				if err := sameResult(vals[i][j], c.outs[j], 0); err != nil {
					t.Errorf("%s: step %d (%s), result %d, into a used buffer: %v", name, i, s.op.name, j, err)
				}
			}
			checked++
		}
		if checked == 0 {
			t.Errorf("%s: no step presets", name)
		}
	}
}
