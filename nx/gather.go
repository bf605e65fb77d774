package nx

// indexAttr holds the static parameters of gather and the indexed updates: the
// axes of the tensor that the last axis of indices addresses, and the public
// operation's name for error messages.
type indexAttr struct {
	op   string
	axes []int
}

// indexOffsetsTo reads the index tuples of idx (whose last axis lists one
// index per axis in axes) and returns, for each tuple, the flat offset it
// addresses in t, in buf when it has the capacity (a compiled step's state
// keeps it from call to call). Indices out of bounds panic, as in Nx's
// binary backend.
func indexOffsetsTo(buf []int, op string, t, idx *Tensor, axes []int) []int {
	rows := idx.shape[:idx.Rank()-1].Size()
	if cap(buf) < rows {
		buf = make([]int, rows)
	}
	offsets := buf[:rows]
	var sb [maxFastRank]int
	st := stridesTo(sb[:], t.shape)
	switch v := idx.data.(type) {
	case []int64:
		indexOffsetsOf(offsets, op, t, idx, axes, st, v)
	case []int32:
		indexOffsetsOf(offsets, op, t, idx, axes, st, v)
	default:
		indexOffsetsOf(offsets, op, t, idx, axes, st, idx.Int64s())
	}
	return offsets
}

func indexOffsetsOf[I int32 | int64](offsets []int, op string, t, idx *Tensor, axes, st []int, vals []I) {
	k := len(axes)
	for r := range offsets {
		off := 0
		for j, a := range axes {
			v := int64(vals[r*k+j])
			if v < 0 || v >= int64(t.shape[a]) {
				panicf(op, []*Tensor{t, idx}, "index %d is out of bounds for axis %d of size %d", v, a, t.shape[a])
			}
			off += int(v) * st[a]
		}
		offsets[r] = off
	}
}

// windowTo returns the shape and strides (in t, of shape shape) of the axes
// not in axes, in wb and sb when they are long enough.
func windowTo(wb, sb []int, shape Shape, axes []int) (Shape, []int) {
	var st [maxFastRank]int
	strides := stridesTo(st[:], shape)
	w, ws := Shape(wb[:0]), sb[:0]
	if len(shape) > len(wb) || len(shape) > len(sb) {
		w, ws = nil, nil
	}
	for d, n := range shape {
		if !containsInt(axes, d) {
			w = append(w, n)
			ws = append(ws, strides[d])
		}
	}
	return w, ws
}

// indexState is what a gather or an indexed update keeps between runs of a
// compiled step: its offsets buffer, and a gather's job.
type indexState struct {
	offsets []int
	job     gatherJob
}

// gatherJob is a gather's work: the slabs of offsets, copied as words of
// size bytes, over ranges of offsets.
type gatherJob struct {
	dst, src []byte
	size     int
	offsets  []int
	slab     int
	g        boxGeom
}

func (j *gatherJob) runRange(lo, hi int) {
	w, dws, ws := j.g.get()
	switch j.size {
	case 1:
		gatherRowsOf(j.dst, j.src, j.offsets, j.slab, w, dws, ws, lo, hi)
	case 2:
		gatherRowsOf(asWords[uint16](j.dst), asWords[uint16](j.src), j.offsets, j.slab, w, dws, ws, lo, hi)
	case 4:
		gatherRowsOf(asWords[uint32](j.dst), asWords[uint32](j.src), j.offsets, j.slab, w, dws, ws, lo, hi)
	case 8:
		gatherRowsOf(asWords[uint64](j.dst), asWords[uint64](j.src), j.offsets, j.slab, w, dws, ws, lo, hi)
	case 16:
		gatherRowsOf(asWords[word128](j.dst), asWords[word128](j.src), j.offsets, j.slab, w, dws, ws, lo, hi)
	}
}

// windowOf returns the shape and strides of t's axes that are not in axes.
func windowOf(shape Shape, axes []int) (Shape, []int) {
	st := shape.Strides()
	var w Shape
	var ws []int
	for d, n := range shape {
		if !containsInt(axes, d) {
			w = append(w, n)
			ws = append(ws, st[d])
		}
	}
	return w, ws
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

var gatherOp = &opDef{name: "gather", cpu: func(c *call) {
	a := c.attr.(indexAttr)
	t, idx := c.args[0], c.args[1]
	st := stateOf[indexState](&c.state)
	offsets := indexOffsetsTo(st.offsets, a.op, t, idx, a.axes)
	st.offsets = offsets
	var wb, sb, db [maxFastRank]int
	w, ws := windowTo(wb[:], sb[:], t.shape, a.axes)
	slab := w.Size()
	out := c.out(0)
	if slab == 0 || len(offsets) == 0 {
		return
	}
	g := collapseBox(w, stridesTo(db[:], w), ws)
	// The job is kept with the step, so that splitting it between threads
	// allocates nothing (parallelRanges runs it on the caller when small).
	st.job = gatherJob{dst: dataBytes(out), src: dataBytes(t.data), size: t.dtype.Size(), offsets: offsets, slab: slab, g: g}
	parallelRanges(len(offsets), max(1, parallelGrain/slab), &st.job)
	st.job = gatherJob{} // keep no operand alive
}}

// gatherRowsOf copies the windows of offsets [lo, hi).
func gatherRowsOf[W any](dst, src []W, offsets []int, slab int, w Shape, dws, ws []int, lo, hi int) {
	rows := 1
	if len(w) > 0 {
		rows = w.Size() / w[len(w)-1]
	}
	for i := lo; i < hi; i++ {
		if len(w) == 0 {
			dst[i] = src[offsets[i]]
			continue
		}
		moveRows(dst, i*slab, dws, src, offsets[i], ws, w, 0, rows)
	}
}

// indexAxes resolves the Axes option of an indexed operation: the axes of t
// that the last axis of indices (of size n) addresses, strictly increasing; the
// leading n axes by default.
func indexAxes(op string, t, indices *Tensor, o options, n int) []int {
	if !o.given["Axes"] {
		if n > t.Rank() {
			panicf(op, []*Tensor{t, indices}, "the last axis of indices has size %d, more than the tensor's rank %d", n, t.Rank())
		}
		axes := make([]int, n)
		for i := range axes {
			axes[i] = i
		}
		return axes
	}
	axes := normAxes(op, t, o.axes)
	for i := 1; i < len(axes); i++ {
		if axes[i] <= axes[i-1] {
			panicf(op, []*Tensor{t, indices}, "axes %v must be in increasing order", o.axes)
		}
	}
	if len(axes) != n {
		panicf(op, []*Tensor{t, indices}, "got %d axes, want %d (the size of the last axis of indices)", len(axes), n)
	}
	return axes
}

func checkIndices(op string, t, indices *Tensor) {
	if indices == nil {
		panicf(op, []*Tensor{t, indices}, "indices is nil")
	}
	if !indices.dtype.IsInteger() {
		panicf(op, []*Tensor{t, indices}, "indices must be an integer tensor, got %s", indices.dtype)
	}
}

// Gather builds a tensor from the slices of t addressed by indices. The last
// axis of indices holds one index per axis in the Axes option (strictly
// increasing; by default the leading axes of t, as many as that axis is long);
// the other axes of indices lay out the results. The result's shape is the
// shape of indices without its last axis, followed by t's axes not in Axes.
//
// Indices must lie inside t: an index out of bounds panics with an *Error, as
// in Nx's binary backend.
func Gather(t, indices *Tensor, opts ...Option) *Tensor {
	const op = "nx.Gather"
	return gather(op, t, indices, opts)
}

func gather(op string, t, indices *Tensor, opts []Option) *Tensor {
	o := parseOptions(op, t, opts, "Axes")
	checkIndices(op, t, indices)
	if indices.Rank() == 0 {
		panicf(op, []*Tensor{t, indices}, "indices must have rank 1 or more")
	}
	axes := indexAxes(op, t, indices, o, indices.Axis(-1))
	w, _ := windowOf(t.shape, axes)
	shape := append(indices.shape[:indices.Rank()-1].Clone(), w...)
	return gatherOp.apply1(shape, t.dtype, indexAttr{op, axes}, t, indices)
}

// Take picks slices of t along one axis (the Axis option, 0 by default) at
// the positions in indices, an integer tensor of any shape: that axis of t is
// replaced by the axes of indices. Indices out of bounds panic.
func Take(t, indices *Tensor, opts ...Option) *Tensor {
	const op = "nx.Take"
	o := parseOptions(op, t, opts, "Axis")
	checkIndices(op, t, indices)
	if t.Rank() == 0 {
		panicf(op, []*Tensor{t, indices}, "cannot take from a scalar")
	}
	axis := normAxis(op, t, o.axis, t.Rank())
	g := gather(op, t, NewAxis(indices, indices.Rank()), []Option{Axes(axis)})
	// g has indices' axes first, then t's other axes; move indices' axes to axis.
	ri := indices.Rank()
	perm := make([]int, 0, g.Rank())
	for d := range axis {
		perm = append(perm, ri+d)
	}
	for d := range ri {
		perm = append(perm, d)
	}
	for d := ri + axis; d < g.Rank(); d++ {
		perm = append(perm, d)
	}
	return Transpose(g, Axes(perm...))
}

// TakeAlongAxis picks elements of t along one axis (the Axis option, 0 by
// default): indices has t's shape except on that axis, and the result has
// indices' shape, with out[..., i, ...] = t[..., indices[..., i, ...], ...].
// It sorts a tensor with the indices of Argsort. Indices out of bounds panic.
func TakeAlongAxis(t, indices *Tensor, opts ...Option) *Tensor {
	const op = "nx.TakeAlongAxis"
	o := parseOptions(op, t, opts, "Axis")
	checkIndices(op, t, indices)
	if t.Rank() == 0 {
		panicf(op, []*Tensor{t, indices}, "cannot take from a scalar")
	}
	axis := normAxis(op, t, o.axis, t.Rank())
	if indices.Rank() != t.Rank() {
		panicf(op, []*Tensor{t, indices}, "indices must have the tensor's rank %d, got %d", t.Rank(), indices.Rank())
	}
	for d := range t.shape {
		if d != axis && indices.shape[d] != t.shape[d] {
			panicf(op, []*Tensor{t, indices}, "indices must match the tensor's shape except on axis %d", axis)
		}
	}
	full := append(indices.Shape(), 1)
	parts := make([]*Tensor, t.Rank())
	for d := range parts {
		if d == axis {
			parts[d] = Reshape(AsType(indices, S64), full...)
		} else {
			parts[d] = Iota(full, Axis(d))
		}
	}
	return gather(op, t, Concatenate(parts, Axis(-1)), nil)
}

var indexedPutOp = &opDef{name: "indexed_put", cpu: func(c *call) { indexedUpdate(c, false) }}

var indexedAddOp = &opDef{name: "indexed_add", cpu: func(c *call) { indexedUpdate(c, true) }}

// indexedUpdate writes (or adds) each row of updates into the window of the
// target that its index row addresses, in order: later rows win for puts and
// every row accumulates for adds.
func indexedUpdate(c *call, add bool) {
	a := c.attr.(indexAttr)
	t, idx, upd := c.args[0], c.args[1], c.args[2]
	st := stateOf[indexState](&c.state)
	offsets := indexOffsetsTo(st.offsets, a.op, t, idx, a.axes)
	st.offsets = offsets
	out := c.outOverwrite(0)
	copy(dataBytes(out), dataBytes(t.data))
	var wb, sb, ub [maxFastRank]int
	_, ws := windowTo(wb[:], sb[:], t.shape, a.axes)
	w := upd.shape[1:]
	slab := w.Size()
	if slab == 0 {
		return
	}
	g := collapseBox(w, ws, stridesTo(ub[:], w))
	w, ws, us := g.get()
	if !add {
		for i, off := range offsets {
			moveBox(out, off, ws, upd.data, i*slab, us, w)
		}
		return
	}
	switch o := out.(type) {
	case []uint8:
		addSlabs(o, upd.data.([]uint8), offsets, slab, w, ws, us)
	case []uint16:
		addSlabs(o, upd.data.([]uint16), offsets, slab, w, ws, us)
	case []uint32:
		addSlabs(o, upd.data.([]uint32), offsets, slab, w, ws, us)
	case []uint64:
		addSlabs(o, upd.data.([]uint64), offsets, slab, w, ws, us)
	case []int8:
		addSlabs(o, upd.data.([]int8), offsets, slab, w, ws, us)
	case []int16:
		addSlabs(o, upd.data.([]int16), offsets, slab, w, ws, us)
	case []int32:
		addSlabs(o, upd.data.([]int32), offsets, slab, w, ws, us)
	case []int64:
		addSlabs(o, upd.data.([]int64), offsets, slab, w, ws, us)
	case []float32:
		addSlabs(o, upd.data.([]float32), offsets, slab, w, ws, us)
	case []float64:
		addSlabs(o, upd.data.([]float64), offsets, slab, w, ws, us)
	case []complex64:
		addSlabs(o, upd.data.([]complex64), offsets, slab, w, ws, us)
	case []complex128:
		addSlabs(o, upd.data.([]complex128), offsets, slab, w, ws, us)
	case []Float16, []BFloat16:
		// Accumulate in f32 and round once.
		acc := convertData(o, F32).([]float32)
		addSlabs(acc, convertData(upd.data, F32).([]float32), offsets, slab, w, ws, us)
		convertInto(out, acc)
	}
}

// addSlabs adds update row i (slab elements, laid out over the box w with
// strides us) into dst at offsets[i] with strides ws.
func addSlabs[T native | ~complex64 | ~complex128](dst, upd []T, offsets []int, slab int, w Shape, ws, us []int) {
	if len(w) == 0 {
		for i, off := range offsets {
			dst[off] += upd[i]
		}
		return
	}
	rank := len(w)
	inner, wi, ui := w[rank-1], ws[rank-1], us[rank-1]
	outer := w[:rank-1]
	var ib [maxFastRank]int
	idx := axisIndex(ib[:], len(outer))
	for i, off := range offsets {
		dp, up := off, i*slab
		for range w.Size() / inner {
			for j, p, q := 0, dp, up; j < inner; j, p, q = j+1, p+wi, q+ui {
				dst[p] += upd[q]
			}
			for d := len(outer) - 1; d >= 0; d-- {
				idx[d]++
				dp += ws[d]
				up += us[d]
				if idx[d] < outer[d] {
					break
				}
				dp -= idx[d] * ws[d]
				up -= idx[d] * us[d]
				idx[d] = 0
			}
		}
	}
}

// IndexedAdd returns t with updates added at indices. indices is an integer
// tensor of shape [n, k]: row i addresses the axes in the Axes option (k of
// them, strictly increasing; the leading axes by default), and updates has
// shape [n, ...] with one window per row over t's remaining axes, no larger
// than them and placed at their start. Repeated indices accumulate. As a
// shorthand, indices of shape [rank] with a scalar update add one element.
// The result has the merged type of t and updates; indices out of bounds panic.
func IndexedAdd(t, indices, updates *Tensor, opts ...Option) *Tensor {
	return indexed("nx.IndexedAdd", indexedAddOp, t, indices, updates, opts)
}

// IndexedPut returns t with updates written at indices, laid out as for
// IndexedAdd. When an index repeats, the last of its updates wins.
func IndexedPut(t, indices, updates *Tensor, opts ...Option) *Tensor {
	return indexed("nx.IndexedPut", indexedPutOp, t, indices, updates, opts)
}

func indexed(op string, prim *opDef, t, indices, updates *Tensor, opts []Option) *Tensor {
	o := parseOptions(op, t, opts, "Axes")
	checkIndices(op, t, indices)
	if updates == nil {
		panicf(op, []*Tensor{t, indices, updates}, "updates is nil")
	}
	operands := []*Tensor{t, indices, updates}
	dt := mergeTypes(t, updates)
	if indices.Rank() == 1 {
		if indices.shape[0] != t.Rank() || updates.Rank() != 0 {
			panicf(op, operands, "with indices of rank 1, want %d indices (one per axis) and a scalar update", t.Rank())
		}
		indices, updates = NewAxis(indices, 0), NewAxis(updates, 0)
	}
	if indices.Rank() != 2 {
		panicf(op, operands, "indices must have rank 1 or 2, got %d", indices.Rank())
	}
	axes := indexAxes(op, t, indices, o, indices.shape[1])
	if updates.Rank() == 0 || updates.shape[0] != indices.shape[0] {
		panicf(op, operands, "updates must have a leading axis of size %d, one update per index row", indices.shape[0])
	}
	w, _ := windowOf(t.shape, axes)
	if updates.Rank()-1 != len(w) {
		panicf(op, operands, "updates must have rank %d: the index rows, then one axis per axis of the tensor not indexed", len(w)+1)
	}
	for d, n := range updates.shape[1:] {
		if n > w[d] {
			panicf(op, operands, "update windows %v must be no larger than the tensor's non-indexed axes %v", []int(updates.shape[1:]), []int(w))
		}
	}
	return prim.apply1(t.shape.Clone(), dt, indexAttr{op, axes}, AsType(t, dt), indices, AsType(updates, dt))
}
