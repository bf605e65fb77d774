package nx

// Gradient (vjp) rules of the indexing, joining and padding primitives.

func init() {
	sliceOp.vjp = func(g *gradCall) []*Tensor {
		a := g.attr.(sliceAttr)
		t := g.args[0]
		// Spread the strided result back over its window, then place the window.
		config := make([][3]int, t.Rank())
		for d, n := range g.g().shape {
			span := 0
			if n > 0 {
				span = (n-1)*a.strides[d] + 1
			}
			config[d] = [3]int{0, a.lengths[d] - span, a.strides[d] - 1}
		}
		window := Pad(g.g(), Zeros(g.g().dtype), config...)
		zero := Zeros(window.dtype, t.shape...)
		if a.starts != nil {
			return []*Tensor{PutSlice(zero, a.starts, window)}
		}
		return []*Tensor{PutSliceDynamic(zero, g.args[1:], window)}
	}
	putSliceOp.vjp = func(g *gradCall) []*Tensor {
		s := g.args[1]
		starts := g.attr.(putSliceAttr).starts
		hole := Zeros(g.g().dtype, s.shape...)
		if starts != nil {
			return []*Tensor{PutSlice(g.g(), starts, hole), Slice(g.g(), starts, s.shape)}
		}
		dyn := g.args[2:]
		return []*Tensor{PutSliceDynamic(g.g(), dyn, hole), SliceDynamic(g.g(), dyn, s.shape)}
	}
	gatherOp.vjp = func(g *gradCall) []*Tensor {
		t, idx := g.args[0], g.args[1]
		axes := g.attr.(indexAttr).axes
		k := idx.Axis(-1)
		rows := Reshape(idx, -1, k)
		upd := Reshape(g.g(), append([]int{rows.Axis(0)}, windowShape(t.shape, axes)...)...)
		return []*Tensor{IndexedAdd(Zeros(g.g().dtype, t.shape...), rows, upd, Axes(axes...))}
	}
	indexedAddOp.vjp = func(g *gradCall) []*Tensor {
		idx, upd := g.args[1], g.args[2]
		axes := g.attr.(indexAttr).axes
		return []*Tensor{g.g(), nil, Reshape(Gather(g.g(), idx, Axes(axes...)), upd.shape...)}
	}
	indexedPutOp.vjp = func(g *gradCall) []*Tensor {
		idx, upd := g.args[1], g.args[2]
		axes := g.attr.(indexAttr).axes
		cleared := IndexedPut(g.g(), idx, Zeros(g.g().dtype, upd.shape...), Axes(axes...))
		return []*Tensor{cleared, nil, Reshape(Gather(g.g(), idx, Axes(axes...)), upd.shape...)}
	}
	concatOp.vjp = func(g *gradCall) []*Tensor {
		axis := g.attr.(int)
		sizes := make([]int, len(g.args))
		for i, a := range g.args {
			sizes[i] = a.shape[axis]
		}
		return Split(g.g(), sizes, Axis(axis))
	}
	padOp.vjp = func(g *gradCall) []*Tensor {
		config := g.attr.(padAttr).config
		t := g.args[0]
		undo := make([][3]int, len(config))
		starts := make([]int, len(config))
		lengths := make([]int, len(config))
		strides := make([]int, len(config))
		for d, c := range config {
			undo[d] = [3]int{-c[0], -c[1], 0}
			lengths[d] = 0
			if t.shape[d] > 0 {
				lengths[d] = (t.shape[d]-1)*(c[2]+1) + 1
			}
			strides[d] = c[2] + 1
		}
		window := Pad(g.g(), Zeros(g.g().dtype), undo...)
		return []*Tensor{Slice(window, starts, lengths, Strides(strides...)), nil}
	}
	reverseOp.vjp = func(g *gradCall) []*Tensor {
		return []*Tensor{Reverse(g.g(), Axes(g.attr.(reverseAttr).axes...))}
	}
}

// windowShape returns shape without the given axes.
func windowShape(shape Shape, axes []int) []int {
	var w []int
	for d, n := range shape {
		if !containsInt(axes, d) {
			w = append(w, n)
		}
	}
	return w
}
