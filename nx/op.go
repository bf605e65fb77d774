package nx

// opDef is a primitive operation: the unit a backend implements and, under
// tracing, the unit recorded as an expression node. Public functions check their
// operands, compute the result's shape and type, and apply a primitive; composite
// functions (Mean, Softmax-like chains, Clip, ...) are written with other public
// functions, so every backend and transformation sees only primitives.
type opDef struct {
	name string
	// cpu evaluates the primitive eagerly on Go slices: it reads c.args and
	// fills the data of every c.outs tensor.
	cpu func(c *call)
	// vjp, when set, returns the gradient of each operand given the gradients
	// of the results (nil for operands it does not differentiate); see grad.go.
	vjp func(g *gradCall) []*Tensor
	// elementwise marks primitives whose operands all have the result's shape
	// (or one element) and which compute each element on its own: vectorized
	// operands are then broadcast and the primitive runs once (see vectorize.go).
	elementwise bool
	// seesVectorized marks the primitives that take vectorized operands as they
	// are (vectorize and devectorize themselves).
	seesVectorized bool
	// effect marks primitives with side effects (Hook): the compiler never
	// folds, deduplicates or removes them.
	effect bool
	// writesAll marks kernels that write every element of the result buffers
	// they are given and read their operands only while they run: a plan may
	// give them recycled buffers and reuse their operands' buffers after them.
	writesAll bool
}

// call is one application of a primitive.
type call struct {
	op   *opDef
	args []*Tensor
	attr any       // static parameters, specific to each primitive
	outs []*Tensor // results, with shape and dtype set and data nil before eval
	// state is a primitive's scratch, kept with a compiled plan's call record
	// from one run of the step to the next (a convolution's geometry and
	// buffers, say): the step always sees operands of the same shapes. An
	// eager call starts with none.
	state any
}

// out returns output i's data slice, allocating it zeroed if needed.
func (c *call) out(i int) any {
	o := c.outs[i]
	if o.data == nil {
		o.data = makeData(o.dtype, o.shape.Size())
	}
	return o.data
}

// spec describes one result of a primitive.
type spec struct {
	shape Shape
	dtype DType
	vec   []VecAxis // vectorized axes of the result, for the primitives that set them
}

// apply runs the primitive on args and returns its results. When an operand is
// symbolic, the application is recorded instead (see trace.go).
func (op *opDef) apply(outs []spec, attr any, args ...*Tensor) []*Tensor {
	if !op.seesVectorized && vectorized(args) {
		return applyVectorized(op, outs, attr, args)
	}
	if symbolic(args) {
		return record(op, outs, attr, args)
	}
	c := &call{op: op, args: args, attr: attr, outs: make([]*Tensor, len(outs))}
	for i, s := range outs {
		c.outs[i] = &Tensor{shape: s.shape, dtype: s.dtype, vec: s.vec}
	}
	op.cpu(c)
	for i := range c.outs {
		c.out(i)
	}
	return c.outs
}

// apply1 runs a primitive with a single result.
func (op *opDef) apply1(shape Shape, dt DType, attr any, args ...*Tensor) *Tensor {
	return op.apply([]spec{{shape: shape, dtype: dt}}, attr, args...)[0]
}
