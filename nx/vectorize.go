package nx

import (
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
)

// vmapCount numbers the vectorized axes that Vmap creates.
var vmapCount atomic.Int64

// Vectorization (automatic batching), with Nx ≥ 0.6 semantics.
//
// A vectorized tensor has named vectorized axes in front of its ordinary ones.
// Operations see only the ordinary axes (Shape, Rank and every axis argument
// refer to them) and apply to each entry of the vectorized axes on its own.
// Operands vectorized over different names combine over all of them; operands
// sharing a name must agree on its size.
//
// Internally the vectorized axes lead the data layout. When a primitive meets
// vectorized operands, elementwise primitives broadcast them and run once;
// others run once per entry and stack the results. Vectorization is resolved
// while tracing, so compiled graphs contain ordinary primitives only.

// VecAxis is a vectorized axis: a name and a size.
type VecAxis struct {
	Name string
	Size int
}

// VectorizedAxes returns t's vectorized axes, outermost first.
func (t *Tensor) VectorizedAxes() []VecAxis { return append([]VecAxis(nil), t.vec...) }

// physicalShape returns the layout shape: vectorized sizes, then the shape.
func (t *Tensor) physicalShape() Shape {
	s := make(Shape, 0, len(t.vec)+len(t.shape))
	for _, v := range t.vec {
		s = append(s, v.Size)
	}
	return append(s, t.shape...)
}

func vectorized(ts []*Tensor) bool {
	for _, t := range ts {
		if len(t.vec) > 0 {
			return true
		}
	}
	return false
}

type vecAttr struct{ axes []VecAxis }

// vectorizeOp and devectorizeOp relabel axes without moving data.
var (
	vectorizeOp = &opDef{name: "vectorize", seesVectorized: true,
		cpu: func(c *call) { c.share(0, c.args[0]) }}
	devectorizeOp = &opDef{name: "devectorize", seesVectorized: true,
		cpu: func(c *call) { c.share(0, c.args[0]) }}
)

func init() {
	vectorizeOp.vjp = func(g *gradCall) []*Tensor { return []*Tensor{Devectorize(g.g())} }
	devectorizeOp.vjp = func(g *gradCall) []*Tensor {
		return []*Tensor{vectorizeAs(g.g(), g.args[0].vec)}
	}
}

// Vectorize turns t's first axis into a vectorized axis called name. Operations
// on the result apply to each of its entries.
//
//	x := nx.Vectorize(nx.FromSlice([]float32{1, 2, 3, 4}, 2, 2), "rows")
//	nx.Sum(x) // vectorized[rows: 2] f32: [3, 7]
func Vectorize(t *Tensor, name string) *Tensor {
	if t.Rank() == 0 {
		panicf("nx.Vectorize", []*Tensor{t}, "cannot vectorize a scalar")
	}
	for _, v := range t.vec {
		if v.Name == name {
			panicf("nx.Vectorize", []*Tensor{t}, "the tensor is already vectorized over %q", name)
		}
	}
	axes := append(append([]VecAxis{}, t.vec...), VecAxis{Name: name, Size: t.shape[0]})
	return vectorizeOp.apply([]spec{{t.shape[1:].Clone(), t.dtype, axes}}, vecAttr{axes}, t)[0]
}

// vectorizeAs gives the physical tensor t (vectorized sizes leading) the
// vectorized axes axes.
func vectorizeAs(t *Tensor, axes []VecAxis) *Tensor {
	if len(axes) == 0 {
		return t
	}
	p := Devectorize(t)
	shape := p.shape[len(axes):].Clone()
	return vectorizeOp.apply([]spec{{shape, p.dtype, axes}}, vecAttr{axes}, p)[0]
}

// Devectorize turns all of t's vectorized axes back into ordinary leading axes.
func Devectorize(t *Tensor) *Tensor {
	if len(t.vec) == 0 {
		return t
	}
	return devectorizeOp.apply([]spec{{t.physicalShape(), t.dtype, nil}}, vecAttr{}, t)[0]
}

// unionVec returns the vectorized axes of args combined by name, in order of
// first appearance, panicking when sizes disagree.
func unionVec(op *opDef, args []*Tensor) []VecAxis {
	var out []VecAxis
	for _, a := range args {
		for _, v := range a.vec {
			found := false
			for _, u := range out {
				if u.Name == v.Name {
					found = true
					if u.Size != v.Size {
						panicf("nx."+op.name, args, "vectorized axis %q has size %d in one operand and %d in another", v.Name, u.Size, v.Size)
					}
				}
			}
			if !found {
				out = append(out, v)
			}
		}
	}
	return out
}

// alignVec returns the physical form of a broadcast over all the axes in union:
// shape [union sizes..., rest...], with a's own vectorized axes in place and size-1
// axes for the ones it lacks.
func alignVec(a *Tensor, union []VecAxis, rest Shape) *Tensor {
	p := Devectorize(a)
	if a.Size() == 1 && !a.shape.Equal(rest) {
		// A single-element operand of an elementwise primitive: drop its axes.
		p = Reshape(p, p.shape[:len(a.vec)]...)
		a = &Tensor{shape: Shape{}, vec: a.vec}
	}
	target := make(Shape, 0, len(union)+len(rest))
	axes := make([]int, 0, len(a.vec)+a.Rank())
	for i, u := range union {
		target = append(target, u.Size)
		for _, v := range a.vec {
			if v.Name == u.Name {
				axes = append(axes, i)
			}
		}
	}
	target = append(target, rest...)
	for i := range a.shape {
		axes = append(axes, len(union)+len(rest)-a.Rank()+i)
	}
	// The vectorized axes of a may be in a different order than in union.
	order := make([]int, len(a.vec))
	for i, v := range a.vec {
		for j, u := range union {
			if u.Name == v.Name {
				order[i] = j
			}
		}
	}
	perm := sortedPerm(order)
	if !isIdentity(perm) {
		full := append(append([]int{}, perm...), seq(len(a.vec), p.Rank())...)
		p = Transpose(p, Axes(full...))
		sortedAxes := make([]int, len(a.vec))
		for i, pi := range perm {
			sortedAxes[i] = axes[pi]
		}
		copy(axes, sortedAxes)
	}
	return Broadcast(p, target, Axes(axes...))
}

// applyVectorized applies op to operands some of which are vectorized.
func applyVectorized(op *opDef, outs []spec, attr any, args []*Tensor) []*Tensor {
	union := unionVec(op, args)
	vshape := make(Shape, len(union))
	for i, u := range union {
		vshape[i] = u.Size
	}
	if op.elementwise {
		rest := outs[0].shape
		phys := make([]*Tensor, len(args))
		for i, a := range args {
			phys[i] = alignVec(a, union, rest)
		}
		specs := make([]spec, len(outs))
		for i, s := range outs {
			specs[i] = spec{append(vshape.Clone(), s.shape...), s.dtype, nil}
		}
		res := op.apply(specs, attr, phys...)
		out := make([]*Tensor, len(res)) // res may be the recorded call's own list
		for i, r := range res {
			out[i] = vectorizeAs(r, union)
		}
		return out
	}
	if rule := batchRules[op]; rule != nil {
		phys := make([]*Tensor, len(args))
		for i, a := range args {
			phys[i] = alignVec(a, union, a.shape)
		}
		if res := rule(len(union), vshape, outs, attr, phys); res != nil {
			out := make([]*Tensor, len(res))
			for i, r := range res {
				out[i] = vectorizeAs(r, union)
			}
			return out
		}
	}
	// Any other primitive: once per entry of the vectorized axes, then stack.
	n := vshape.Size()
	phys := make([]*Tensor, len(args))
	for i, a := range args {
		if len(a.vec) > 0 {
			phys[i] = Reshape(alignVec(a, union, a.shape), append([]int{n}, a.shape...)...)
		}
	}
	per := make([][]*Tensor, len(outs))
	for k := 0; k < n; k++ {
		entry := make([]*Tensor, len(args))
		for i, a := range args {
			entry[i] = a
			if phys[i] != nil {
				starts := make([]int, phys[i].Rank())
				starts[0] = k
				lengths := append([]int{1}, a.shape...)
				entry[i] = Reshape(Slice(phys[i], starts, lengths), a.shape...)
			}
		}
		for j, r := range op.apply(outs, attr, entry...) {
			per[j] = append(per[j], r)
		}
	}
	res := make([]*Tensor, len(outs))
	for j, s := range outs {
		var stacked *Tensor
		if n == 0 {
			stacked = Zeros(s.dtype, append([]int{0}, s.shape...)...)
		} else {
			stacked = Stack(per[j], Axis(0))
		}
		res[j] = vectorizeAs(Reshape(stacked, append(vshape.Clone(), s.shape...)...), union)
	}
	return res
}

// A batchRule applies a primitive to operands that carry k leading batch axes
// of sizes vshape (every operand has all of them), returning results with the
// same leading axes, or nil to fall back to one application per entry.
type batchRule func(k int, vshape Shape, outs []spec, attr any, args []*Tensor) []*Tensor

// batchRules holds the primitives that batch without a loop.
var batchRules = map[*opDef]batchRule{}

// batched returns the specs of outs with the batch axes in front.
func batched(vshape Shape, outs []spec) []spec {
	specs := make([]spec, len(outs))
	for i, s := range outs {
		specs[i] = spec{shape: append(vshape.Clone(), s.shape...), dtype: s.dtype}
	}
	return specs
}

func shifted(axes []int, k int) []int {
	out := seq(0, k)
	for _, a := range axes {
		out = append(out, a+k)
	}
	return out
}

func init() {
	batchRules[reduceOp] = func(k int, vshape Shape, outs []spec, attr any, args []*Tensor) []*Tensor {
		a := attr.(reduceAttr)
		moved := make([]int, len(a.axes))
		for i, x := range a.axes {
			moved[i] = x + k
		}
		return reduceOp.apply(batched(vshape, outs), reduceAttr{a.kind, moved}, args...)
	}
	batchRules[transposeOp] = func(k int, vshape Shape, outs []spec, attr any, args []*Tensor) []*Tensor {
		perm := shifted(attr.(transposeAttr).perm, k)
		return transposeOp.apply(batched(vshape, outs), transposeAttr{perm}, args...)
	}
	batchRules[reshapeOp] = func(k int, vshape Shape, outs []spec, attr any, args []*Tensor) []*Tensor {
		return reshapeOp.apply(batched(vshape, outs), attr, args...)
	}
	batchRules[broadcastOp] = func(k int, vshape Shape, outs []spec, attr any, args []*Tensor) []*Tensor {
		axes := shifted(attr.(broadcastAttr).axes, k)
		return broadcastOp.apply(batched(vshape, outs), broadcastAttr{axes}, args...)
	}
	batchRules[argReduceOp] = func(k int, vshape Shape, outs []spec, attr any, args []*Tensor) []*Tensor {
		a := attr.(argAttr)
		if a.axis < 0 {
			// Over the whole tensor: flatten each entry first.
			in := args[0]
			flat := Reshape(in, append(vshape.Clone(), in.Size()/vshape.Size())...)
			a.axis = k
			return argReduceOp.apply(batched(vshape, outs), a, flat)
		}
		a.axis += k
		return argReduceOp.apply(batched(vshape, outs), a, args...)
	}
}

func seq(lo, hi int) []int {
	s := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		s = append(s, i)
	}
	return s
}

// sortedPerm returns the permutation that sorts keys ascending.
func sortedPerm(keys []int) []int {
	perm := seq(0, len(keys))
	for i := 1; i < len(perm); i++ {
		for j := i; j > 0 && keys[perm[j]] < keys[perm[j-1]]; j-- {
			perm[j], perm[j-1] = perm[j-1], perm[j]
		}
	}
	return perm
}

func isIdentity(perm []int) bool {
	for i, p := range perm {
		if i != p {
			return false
		}
	}
	return true
}

// Vmap returns a function that maps fn over an axis of its tensor arguments:
// inAxes gives, for each argument of fn in order, the axis to map over, or -1
// to pass it whole to every call. fn is written for one example; the result
// takes batches and returns its results batched along axis 0. It is built on
// Vectorize, so the batch runs as whole-tensor operations where it can.
//
// fn's arguments and results may be tensors or containers of tensors; a mapped
// container maps every tensor it holds over the same axis.
func Vmap[F any](fn F, inAxes ...int) F {
	fv := reflect.ValueOf(fn)
	ft := fv.Type()
	if ft.Kind() != reflect.Func {
		panic(&Error{Op: "nx.Vmap", Msg: fmt.Sprintf("want a function, got %T", fn)})
	}
	if len(inAxes) != ft.NumIn() {
		panic(&Error{Op: "nx.Vmap", Msg: fmt.Sprintf("got %d axes for a function of %d arguments", len(inAxes), ft.NumIn())})
	}
	name := fmt.Sprintf("vmap%d", vmapCount.Add(1))
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		in := make([]reflect.Value, len(args))
		for i, a := range args {
			in[i] = a
			if inAxes[i] < 0 {
				continue
			}
			var leaves []*Tensor
			var sig strings.Builder
			flatten(a, &leaves, &sig)
			for j, l := range leaves {
				ax := normAxis("nx.Vmap", l, inAxes[i], l.Rank())
				perm := append([]int{ax}, seq(0, l.Rank())...)
				perm = append(perm[:ax+1], perm[ax+2:]...)
				leaves[j] = Vectorize(Transpose(l, Axes(perm...)), name)
			}
			in[i] = rebuild(a, &leaves)
		}
		out := fv.Call(in)
		for i, o := range out {
			var leaves []*Tensor
			var sig strings.Builder
			flatten(o, &leaves, &sig)
			for j, l := range leaves {
				leaves[j] = devectorizeOver(l, name)
			}
			out[i] = rebuild(o, &leaves)
		}
		return out
	}).Interface().(F)
}

// devectorizeOver turns the vectorized axis name of t into its leading axis,
// keeping any other vectorized axes vectorized.
func devectorizeOver(t *Tensor, name string) *Tensor {
	idx := -1
	for i, v := range t.vec {
		if v.Name == name {
			idx = i
		}
	}
	if idx < 0 {
		return t
	}
	p := Devectorize(t)
	if idx != 0 {
		perm := append([]int{idx}, seq(0, p.Rank())...)
		perm = append(perm[:idx+1], perm[idx+2:]...)
		p = Transpose(p, Axes(perm...))
	}
	var rest []VecAxis
	for i, v := range t.vec {
		if i != idx {
			rest = append(rest, v)
		}
	}
	if len(rest) == 0 {
		return p
	}
	// Keep the other vectorized axes vectorized: they lead, the mapped axis follows.
	perm := append(seq(1, len(rest)+1), 0)
	perm = append(perm, seq(len(rest)+1, p.Rank())...)
	return vectorizeAs(Transpose(p, Axes(perm...)), rest)
}
