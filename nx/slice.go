package nx

import "unsafe"

// sliceAttr holds the static parameters of the slice primitive. starts is nil
// when the start indices are tensors (the primitive's arguments after the
// sliced tensor); they are then read and clamped when the primitive runs.
type sliceAttr struct {
	starts  []int
	lengths []int
	strides []int
}

var sliceOp = &opDef{name: "slice", cpu: func(c *call) {
	a := c.attr.(sliceAttr)
	t := c.args[0]
	starts := a.starts
	var buf [maxFastRank]int
	if starts == nil {
		starts = dynamicStarts(buf[:], t.shape, c.args[1:], a.lengths)
	}
	var sb, tb [maxFastRank]int
	st := stridesTo(sb[:], t.shape)
	strides := stridesTo(tb[:], t.shape) // overwritten
	offset := 0
	for d := range st {
		offset += starts[d] * st[d]
		strides[d] = st[d] * a.strides[d]
	}
	stridedCopy(c, c.out(0), t.data, c.outs[0].shape, strides, offset)
}}

// dynamicStarts reads scalar start index tensors and clamps each so that a
// window of the given lengths stays inside shape, as Nx does.
func dynamicStarts(buf []int, shape Shape, idx []*Tensor, lengths []int) []int {
	starts := buf[:0]
	if len(idx) > len(buf) {
		starts = make([]int, 0, len(idx))
	}
	starts = starts[:len(idx)]
	for d, s := range idx {
		v := scalarInt64(s)
		hi := int64(shape[d] - lengths[d])
		starts[d] = int(max(0, min(v, hi)))
	}
	return starts
}

// Slice returns the window of t that starts at starts and has the given
// lengths, one of each per axis. A start too large for its length is moved back
// so that the window fits in t, as in Nx: slicing [2] elements from index 2 of
// an axis of size 3 starts at 1. The Strides option (one per axis, or a single
// stride for all axes) keeps every s-th element, giving ceil(length/s) of them.
//
// Slicing a scalar with empty starts and lengths returns it unchanged.
func Slice(t *Tensor, starts, lengths []int, opts ...Option) *Tensor {
	const op = "nx.Slice"
	strides := sliceStrides(op, t, opts)
	checkSliceLengths(op, t, len(starts), lengths, strides)
	clamped := make([]int, len(starts))
	for d, s := range starts {
		if s < 0 {
			panicf(op, []*Tensor{t}, "start index %d on axis %d is negative", s, d)
		}
		clamped[d] = min(s, t.shape[d]-lengths[d])
	}
	return slice(t, clamped, nil, lengths, strides)
}

// SliceDynamic is Slice with start indices given as scalar integer tensors, so
// that they may be computed (and traced). Each start is clamped to
// [0, size-length] of its axis, so the result always has the requested lengths.
func SliceDynamic(t *Tensor, starts []*Tensor, lengths []int, opts ...Option) *Tensor {
	const op = "nx.SliceDynamic"
	strides := sliceStrides(op, t, opts)
	checkSliceLengths(op, t, len(starts), lengths, strides)
	checkStartTensors(op, t, starts)
	return slice(t, nil, starts, lengths, strides)
}

// SliceAlongAxis slices length elements of t starting at start along one axis
// (the Axis option, 0 by default) and keeps the other axes whole. The Strides
// option, a single stride, keeps every s-th element along that axis.
func SliceAlongAxis(t *Tensor, start, length int, opts ...Option) *Tensor {
	const op = "nx.SliceAlongAxis"
	o := parseOptions(op, t, opts, "Axis", "Strides")
	if t.Rank() == 0 {
		panicf(op, []*Tensor{t}, "cannot slice a scalar along an axis")
	}
	axis := normAxis(op, t, o.axis, t.Rank())
	stride := 1
	if o.given["Strides"] {
		if len(o.strides) != 1 {
			panicf(op, []*Tensor{t}, "want a single stride, got %v", o.strides)
		}
		stride = o.strides[0]
	}
	starts := make([]int, t.Rank())
	lengths := t.Shape()
	strides := make([]int, t.Rank())
	for i := range strides {
		strides[i] = 1
	}
	starts[axis], lengths[axis], strides[axis] = start, length, stride
	defer rename(op)
	return Slice(t, starts, lengths, Strides(strides...))
}

// rename, deferred, rewrites the operation named in an *Error panic to op, so
// that composite functions report themselves rather than their parts.
func rename(op string) {
	if r := recover(); r != nil {
		if e, ok := r.(*Error); ok {
			e.Op = op
		}
		panic(r)
	}
}

// slice applies the slice primitive; exactly one of starts and dyn is set.
func slice(t *Tensor, starts []int, dyn []*Tensor, lengths, strides []int) *Tensor {
	shape := make(Shape, len(lengths))
	identity := dyn == nil
	for d, n := range lengths {
		shape[d] = (n + strides[d] - 1) / strides[d]
		identity = identity && starts[d] == 0 && n == t.shape[d] && strides[d] == 1
	}
	if identity {
		return t
	}
	attr := sliceAttr{starts: starts, lengths: append([]int{}, lengths...), strides: strides}
	return sliceOp.apply1(shape, t.dtype, attr, append([]*Tensor{t}, dyn...)...)
}

// sliceStrides parses the Strides option of a slice: one stride per axis, or a
// single stride for all of them; 1 by default.
func sliceStrides(op string, t *Tensor, opts []Option) []int {
	o := parseOptions(op, t, opts, "Strides")
	strides := make([]int, t.Rank())
	for d := range strides {
		strides[d] = 1
	}
	if o.given["Strides"] {
		switch {
		case len(o.strides) == 1:
			for d := range strides {
				strides[d] = o.strides[0]
			}
		case len(o.strides) == t.Rank():
			copy(strides, o.strides)
		default:
			panicf(op, []*Tensor{t}, "got %d strides, want %d (one per axis) or 1", len(o.strides), t.Rank())
		}
	}
	for d, s := range strides {
		if s < 1 {
			panicf(op, []*Tensor{t}, "stride %d on axis %d must be at least 1", s, d)
		}
	}
	return strides
}

func checkSliceLengths(op string, t *Tensor, nStarts int, lengths, strides []int) {
	if nStarts != t.Rank() || len(lengths) != t.Rank() {
		panicf(op, []*Tensor{t}, "got %d start indices and %d lengths, want %d of each (the rank)", nStarts, len(lengths), t.Rank())
	}
	for d, n := range lengths {
		if n < 0 || n > t.shape[d] {
			panicf(op, []*Tensor{t}, "length %d on axis %d must be between 0 and the axis size %d", n, d, t.shape[d])
		}
	}
}

// checkStartTensors checks that dynamic start indices are scalar integers.
func checkStartTensors(op string, t *Tensor, starts []*Tensor) {
	for d, s := range starts {
		switch {
		case s == nil:
			panicf(op, []*Tensor{t}, "start index for axis %d is nil", d)
		case s.Rank() != 0:
			panicf(op, []*Tensor{t, s}, "start index for axis %d must be a scalar, got shape %v", d, []int(s.shape))
		case !s.dtype.IsInteger():
			panicf(op, []*Tensor{t, s}, "start index for axis %d must be an integer, got %s", d, s.dtype)
		}
	}
}

type putSliceAttr struct{ starts []int }

var putSliceOp = &opDef{name: "put_slice", cpu: func(c *call) {
	t, s := c.args[0], c.args[1]
	starts := c.attr.(putSliceAttr).starts
	var buf, tb, sb [maxFastRank]int
	if starts == nil {
		starts = dynamicStarts(buf[:], t.shape, c.args[2:], s.shape)
	}
	out := c.outOverwrite(0)
	copy(dataBytes(out), dataBytes(t.data))
	st := stridesTo(tb[:], t.shape)
	offset := 0
	for d := range st {
		offset += starts[d] * st[d]
	}
	moveBox(out, offset, st, s.data, 0, stridesTo(sb[:], s.shape), s.shape)
}}

// scalarInt64 returns the value of a one-element integer tensor (an index).
func scalarInt64(t *Tensor) int64 {
	switch d := t.data.(type) {
	case []int8:
		return int64(d[0])
	case []int16:
		return int64(d[0])
	case []int32:
		return int64(d[0])
	case []int64:
		return d[0]
	case []uint8:
		return int64(d[0])
	case []uint16:
		return int64(d[0])
	case []uint32:
		return int64(d[0])
	case []uint64:
		return int64(d[0])
	}
	return t.Int64()
}

// PutSlice returns t with slice written over the window that starts at starts
// (one index per axis). slice has t's rank and no axis longer than t's; a start
// too large for the slice is moved back so that the whole slice fits, as in Nx.
// The result has t's shape and the merged type of t and slice.
func PutSlice(t *Tensor, starts []int, slice *Tensor) *Tensor {
	const op = "nx.PutSlice"
	checkPutSlice(op, t, len(starts), slice)
	clamped := make([]int, len(starts))
	for d, s := range starts {
		if s < 0 {
			panicf(op, []*Tensor{t, slice}, "start index %d on axis %d is negative", s, d)
		}
		clamped[d] = min(s, t.shape[d]-slice.shape[d])
	}
	return putSlice(t, clamped, nil, slice)
}

// PutSliceDynamic is PutSlice with start indices given as scalar integer
// tensors; each is clamped to [0, size-slice size] of its axis.
func PutSliceDynamic(t *Tensor, starts []*Tensor, slice *Tensor) *Tensor {
	const op = "nx.PutSliceDynamic"
	checkPutSlice(op, t, len(starts), slice)
	checkStartTensors(op, t, starts)
	return putSlice(t, nil, starts, slice)
}

func checkPutSlice(op string, t *Tensor, nStarts int, slice *Tensor) {
	if slice == nil {
		panicf(op, []*Tensor{t, slice}, "slice is nil")
	}
	if slice.Rank() != t.Rank() || nStarts != t.Rank() {
		panicf(op, []*Tensor{t, slice}, "got a slice of rank %d and %d start indices, want rank %d and %d indices", slice.Rank(), nStarts, t.Rank(), t.Rank())
	}
	for d := range t.shape {
		if slice.shape[d] > t.shape[d] {
			panicf(op, []*Tensor{t, slice}, "slice shape %v must be no larger than the tensor's %v", []int(slice.shape), []int(t.shape))
		}
	}
}

func putSlice(t *Tensor, starts []int, dyn []*Tensor, slice *Tensor) *Tensor {
	dt := mergeTypes(t, slice)
	args := append([]*Tensor{AsType(t, dt), AsType(slice, dt)}, dyn...)
	return putSliceOp.apply1(t.shape.Clone(), dt, putSliceAttr{starts}, args...)
}

// word128 is a 16-byte element: the word that moves a complex128.
type word128 [2]uint64

// asWords reinterprets b, the bytes of a data slice, as elements of type W.
func asWords[W any](b []byte) []W {
	var w W
	return unsafe.Slice((*W)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/int(unsafe.Sizeof(w)))
}

// moveBox copies a box of the given shape from src to dst, data slices of one
// element type: element idx goes from src[sOff+Σ idx[d]·sStr[d]] to
// dst[dOff+Σ idx[d]·dStr[d]]. Data movement does not depend on the element's
// meaning, so every dtype moves as a word of its size.
func moveBox(dst any, dOff int, dStr []int, src any, sOff int, sStr []int, shape Shape) {
	if shape.Size() == 0 {
		return
	}
	g := collapseBox(shape, dStr, sStr)
	db, sb := dataBytes(dst), dataBytes(src)
	switch dtypeOfData(dst).Size() {
	case 1:
		moveBoxWords(db, dOff, sb, sOff, &g)
	case 2:
		moveBoxWords(asWords[uint16](db), dOff, asWords[uint16](sb), sOff, &g)
	case 4:
		moveBoxWords(asWords[uint32](db), dOff, asWords[uint32](sb), sOff, &g)
	case 8:
		moveBoxWords(asWords[uint64](db), dOff, asWords[uint64](sb), sOff, &g)
	case 16:
		moveBoxWords(asWords[word128](db), dOff, asWords[word128](sb), sOff, &g)
	}
}

// boxGeom is the shape of a box and its strides in the destination and the
// source, in arrays up to maxFastRank axes so that a move allocates nothing.
type boxGeom struct {
	rank          int
	shape, dS, sS [maxFastRank]int
	big           [3][]int // shape, dS, sS beyond maxFastRank axes
}

func (g *boxGeom) get() (Shape, []int, []int) {
	if g.big[0] != nil {
		return g.big[0][:g.rank], g.big[1][:g.rank], g.big[2][:g.rank]
	}
	return g.shape[:g.rank], g.dS[:g.rank], g.sS[:g.rank]
}

// collapseBox drops axes of size 1 and merges neighbouring axes that are
// contiguous in both layouts, so that inner copies are as long as possible.
func collapseBox(shape Shape, dStr, sStr []int) boxGeom {
	var g boxGeom
	s, ds, ss := g.shape[:], g.dS[:], g.sS[:]
	if len(shape) > maxFastRank {
		g.big = [3][]int{make([]int, len(shape)), make([]int, len(shape)), make([]int, len(shape))}
		s, ds, ss = g.big[0], g.big[1], g.big[2]
	}
	for d, n := range shape {
		if n == 1 {
			continue
		}
		if k := g.rank - 1; k >= 0 && ds[k] == dStr[d]*n && ss[k] == sStr[d]*n {
			s[k] *= n
			ds[k], ss[k] = dStr[d], sStr[d]
			continue
		}
		s[g.rank], ds[g.rank], ss[g.rank] = n, dStr[d], sStr[d]
		g.rank++
	}
	return g
}

func moveBoxWords[W any](dst []W, dOff int, src []W, sOff int, g *boxGeom) {
	shape, dStr, sStr := g.get()
	rank := len(shape)
	if rank == 0 {
		dst[dOff] = src[sOff]
		return
	}
	inner := shape[rank-1]
	rows := shape.Size() / inner
	grain := max(1, parallelGrain/inner)
	if serial(rows, grain) {
		moveRows(dst, dOff, dStr, src, sOff, sStr, shape, 0, rows)
		return
	}
	geom := *g
	parallelFor(rows, grain, func(lo, hi int) {
		shape, dStr, sStr := geom.get()
		moveRows(dst, dOff, dStr, src, sOff, sStr, shape, lo, hi)
	})
}

// moveRows moves rows [lo, hi) of a box whose last axis is a row.
func moveRows[W any](dst []W, dOff int, dStr []int, src []W, sOff int, sStr []int, shape Shape, lo, hi int) {
	rank := len(shape)
	inner, di, si := shape[rank-1], dStr[rank-1], sStr[rank-1]
	outer := shape[:rank-1]
	var ib [maxFastRank]int
	idx := ib[:0]
	if len(outer) > len(ib) {
		idx = make([]int, 0, len(outer))
	}
	idx = idx[:len(outer)]
	dp, sp := dOff, sOff
	r := lo
	for d := len(outer) - 1; d >= 0; d-- {
		idx[d] = r % outer[d]
		r /= outer[d]
		dp += idx[d] * dStr[d]
		sp += idx[d] * sStr[d]
	}
	for row := lo; row < hi; row++ {
		if di == 1 && si == 1 {
			copy(dst[dp:dp+inner], src[sp:sp+inner])
		} else {
			for i, p, q := 0, dp, sp; i < inner; i, p, q = i+1, p+di, q+si {
				dst[p] = src[q]
			}
		}
		for d := len(outer) - 1; d >= 0; d-- {
			idx[d]++
			dp += dStr[d]
			sp += sStr[d]
			if idx[d] < outer[d] {
				break
			}
			dp -= idx[d] * dStr[d]
			sp -= idx[d] * sStr[d]
			idx[d] = 0
		}
	}
}
