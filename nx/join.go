package nx

var concatOp = &opDef{name: "concatenate", writesAll: true, cpu: func(c *call) {
	axis := c.attr.(int)
	out := c.outs[0]
	data := c.outOverwrite(0)
	var ob, tb [maxFastRank]int
	ost := stridesTo(ob[:], out.shape)
	offset := 0
	for _, t := range c.args {
		moveBox(data, offset*ost[axis], ost, t.data, 0, stridesTo(tb[:], t.shape), t.shape)
		offset += t.shape[axis]
	}
}}

// Concatenate joins tensors along an existing axis (the Axis option, 0 by
// default). They must have the same rank and the same sizes on every other
// axis; their types merge as in binary operations. A single tensor is returned
// as it is.
func Concatenate(ts []*Tensor, opts ...Option) *Tensor {
	const op = "nx.Concatenate"
	first := checkJoin(op, ts)
	o := parseOptions(op, first, opts, "Axis")
	if first.Rank() == 0 {
		panicf(op, ts, "cannot concatenate scalars (use nx.Stack)")
	}
	axis := normAxis(op, first, o.axis, first.Rank())
	shape := first.Shape()
	for _, t := range ts[1:] {
		ok := t.Rank() == first.Rank()
		for d := 0; ok && d < t.Rank(); d++ {
			ok = d == axis || t.shape[d] == first.shape[d]
		}
		if !ok {
			panicf(op, ts, "shapes must match except on axis %d", axis)
		}
		shape[axis] += t.shape[axis]
	}
	if len(ts) == 1 {
		return first
	}
	dt := joinType(ts)
	args := make([]*Tensor, len(ts))
	for i, t := range ts {
		args[i] = AsType(t, dt)
	}
	return concatOp.apply1(shape, dt, axis, args...)
}

// checkJoin checks that ts is a non-empty list of tensors and returns the first.
func checkJoin(op string, ts []*Tensor) *Tensor {
	if len(ts) == 0 {
		panicf(op, nil, "want at least one tensor")
	}
	for i, t := range ts {
		if t == nil {
			panicf(op, ts, "tensor %d is nil", i)
		}
	}
	return ts[0]
}

// joinType merges the types of ts as successive binary operations would.
func joinType(ts []*Tensor) DType {
	acc := &Tensor{dtype: ts[0].dtype, weak: ts[0].weak}
	for _, t := range ts[1:] {
		acc = &Tensor{dtype: mergeTypes(acc, t), weak: acc.weak && t.weak}
	}
	return acc.dtype
}

// Stack joins tensors of one shape along a new axis (the Axis option, 0 by
// default; negative counts from the end of the result): n tensors of shape
// [a, b] stacked on axis 1 give [a, n, b]. Their types merge.
func Stack(ts []*Tensor, opts ...Option) *Tensor {
	const op = "nx.Stack"
	first := checkJoin(op, ts)
	o := parseOptions(op, first, opts, "Axis")
	axis := normAxis(op, first, o.axis, first.Rank()+1)
	parts := make([]*Tensor, len(ts))
	for i, t := range ts {
		if !t.shape.Equal(first.shape) {
			panicf(op, ts, "all tensors must have the same shape")
		}
		parts[i] = NewAxis(t, axis)
	}
	if len(ts) == 1 {
		return parts[0]
	}
	return Concatenate(parts, Axis(axis))
}

// Split cuts t along one axis (the Axis option, 0 by default) into pieces of
// the given sizes, which must add up to the axis size; one size may be -1, to
// be inferred. Nx's split(t, 2) is Split(t, []int{2, -1}).
func Split(t *Tensor, sizes []int, opts ...Option) []*Tensor {
	const op = "nx.Split"
	o := parseOptions(op, t, opts, "Axis")
	if t.Rank() == 0 {
		panicf(op, []*Tensor{t}, "cannot split a scalar")
	}
	axis := normAxis(op, t, o.axis, t.Rank())
	n := t.shape[axis]
	sizes = append([]int{}, sizes...)
	infer, sum := -1, 0
	for i, s := range sizes {
		switch {
		case s == -1 && infer < 0:
			infer = i
		case s < 0:
			panicf(op, []*Tensor{t}, "invalid sizes %v: want sizes >= 0 and at most one -1", sizes)
		default:
			sum += s
		}
	}
	if infer >= 0 && sum <= n {
		sizes[infer] = n - sum
		sum = n
	}
	if sum != n {
		panicf(op, []*Tensor{t}, "sizes %v must add up to %d, the size of axis %d", sizes, n, axis)
	}
	return splitSizes(op, t, sizes, axis)
}

// SplitN cuts t into n pieces of equal size along one axis (the Axis option, 0
// by default), whose size n must divide.
func SplitN(t *Tensor, n int, opts ...Option) []*Tensor {
	const op = "nx.SplitN"
	o := parseOptions(op, t, opts, "Axis")
	if t.Rank() == 0 {
		panicf(op, []*Tensor{t}, "cannot split a scalar")
	}
	axis := normAxis(op, t, o.axis, t.Rank())
	if n < 1 || t.shape[axis]%n != 0 {
		panicf(op, []*Tensor{t}, "cannot split axis %d of size %d into %d equal pieces", axis, t.shape[axis], n)
	}
	sizes := make([]int, n)
	for i := range sizes {
		sizes[i] = t.shape[axis] / n
	}
	return splitSizes(op, t, sizes, axis)
}

func splitSizes(op string, t *Tensor, sizes []int, axis int) []*Tensor {
	defer rename(op)
	out := make([]*Tensor, len(sizes))
	start := 0
	for i, s := range sizes {
		out[i] = SliceAlongAxis(t, start, s, Axis(axis))
		start += s
	}
	return out
}
