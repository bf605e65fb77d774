package nx

type padAttr struct{ config [][3]int }

var padOp = &opDef{name: "pad", writesAll: true, cpu: func(c *call) {
	config := c.attr.(padAttr).config
	t, value := c.args[0], c.args[1]
	out := c.outs[0]
	data := c.outOverwrite(0)
	fillData(data, value.data)
	var ib, ob, bb, db [maxFastRank]int
	ist, ost := stridesTo(ib[:], t.shape), stridesTo(ob[:], out.shape)
	box := Shape(axisIndex(bb[:], t.Rank()))
	dStr := axisIndex(db[:], t.Rank())
	dOff, sOff := 0, 0
	for d, cfg := range config {
		low, step := cfg[0], cfg[2]+1
		// Input element i lands at low + i·step; keep those inside [0, out).
		first := 0
		if low < 0 {
			first = (-low + step - 1) / step
		}
		last := t.shape[d] - 1
		if top := out.shape[d] - 1 - low; top < last*step {
			last = floorDiv(top, step)
		}
		if last < first {
			return
		}
		box[d] = last - first + 1
		dStr[d] = step * ost[d]
		dOff += (low + first*step) * ost[d]
		sOff += first * ist[d]
	}
	moveBox(data, dOff, dStr, t.data, sOff, ist, box)
}}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// fillData sets every element of data to the single element of value, a data
// slice of the same type.
func fillData(data, value any) {
	db, vb := dataBytes(data), dataBytes(value)
	switch len(vb) {
	case 1:
		fillWords(db, vb[0])
	case 2:
		fillWords(asWords[uint16](db), asWords[uint16](vb)[0])
	case 4:
		fillWords(asWords[uint32](db), asWords[uint32](vb)[0])
	case 8:
		fillWords(asWords[uint64](db), asWords[uint64](vb)[0])
	case 16:
		fillWords(asWords[word128](db), asWords[word128](vb)[0])
	}
}

func fillWords[W comparable](dst []W, v W) {
	var zero W
	if v == zero {
		clear(dst) // the buffer may be a reused one
		return
	}
	if serial(len(dst), parallelGrain) {
		fill(dst, v)
		return
	}
	parallelFor(len(dst), parallelGrain, func(lo, hi int) { fill(dst[lo:hi], v) })
}

// Pad returns t padded with value, a scalar, following one {low, high,
// interior} configuration per axis, as in Nx: low and high elements are added
// before and after the axis, and interior elements between each pair of
// neighbours. Negative low or high padding removes elements from that end
// instead. The result has the merged type of t and value.
//
//	nx.Pad(x, nx.Number(0), [3]int{1, 1, 0}, [3]int{0, 0, 1})
func Pad(t, value *Tensor, config ...[3]int) *Tensor {
	const op = "nx.Pad"
	if value == nil || value.Rank() != 0 {
		panicf(op, []*Tensor{t, value}, "the padding value must be a scalar tensor")
	}
	if len(config) != t.Rank() {
		panicf(op, []*Tensor{t, value}, "got %d padding configurations, want one per axis (%d)", len(config), t.Rank())
	}
	dt := mergeTypes(t, value)
	shape := make(Shape, t.Rank())
	identity := true
	for d, cfg := range config {
		if cfg[2] < 0 {
			panicf(op, []*Tensor{t, value}, "interior padding %d on axis %d must not be negative", cfg[2], d)
		}
		shape[d] = t.shape[d] + cfg[0] + cfg[1] + max(t.shape[d]-1, 0)*cfg[2]
		if shape[d] < 0 {
			panicf(op, []*Tensor{t, value}, "padding %v removes more than the %d elements of axis %d", cfg, t.shape[d], d)
		}
		identity = identity && cfg == [3]int{}
	}
	t = AsType(t, dt)
	if identity {
		return t
	}
	cfg := padAttr{append([][3]int{}, config...)}
	return padOp.apply1(shape, dt, cfg, t, AsType(value, dt))
}

type reverseAttr struct{ axes []int }

var reverseOp = &opDef{name: "reverse", cpu: func(c *call) {
	t := c.args[0]
	strides := t.shape.Strides()
	offset := 0
	for _, a := range c.attr.(reverseAttr).axes {
		offset += (t.shape[a] - 1) * strides[a]
		strides[a] = -strides[a]
	}
	stridedCopy(c, c.out(0), t.data, t.shape, strides, offset)
}}

// Reverse returns t with the order of its elements reversed along the Axes
// option (all axes by default).
func Reverse(t *Tensor, opts ...Option) *Tensor {
	const op = "nx.Reverse"
	o := parseOptions(op, t, opts, "Axes")
	axes := reduceAxes(op, t, o)
	var keep []int
	for _, a := range axes {
		if t.shape[a] > 1 {
			keep = append(keep, a)
		}
	}
	if len(keep) == 0 {
		return t
	}
	return reverseOp.apply1(t.shape.Clone(), t.dtype, reverseAttr{keep}, t)
}

// Tile repeats t reps[i] times along axis i, as NumPy's tile and Nx.tile: with
// fewer repetitions than axes the leading axes are not repeated; with more, t
// gains leading axes of size 1 first.
func Tile(t *Tensor, reps []int) *Tensor {
	const op = "nx.Tile"
	for _, r := range reps {
		if r < 0 {
			panicf(op, []*Tensor{t}, "repetitions %v must not be negative", reps)
		}
	}
	n := max(len(reps), t.Rank())
	shape := make([]int, n)
	rs := make([]int, n)
	for i := range n {
		shape[i], rs[i] = 1, 1
		if j := i - (n - t.Rank()); j >= 0 {
			shape[i] = t.shape[j]
		}
		if j := i - (n - len(reps)); j >= 0 {
			rs[i] = reps[j]
		}
	}
	// Interleave: t as [1, s0, 1, s1, ...] broadcast to [r0, s0, r1, s1, ...].
	inter := make([]int, 0, 2*n)
	target := make(Shape, 0, 2*n)
	result := make([]int, n)
	for i := range n {
		inter = append(inter, 1, shape[i])
		target = append(target, rs[i], shape[i])
		result[i] = rs[i] * shape[i]
	}
	return Reshape(Broadcast(Reshape(t, inter...), target), result...)
}
