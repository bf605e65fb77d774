package nx

// Dot returns the dot product of a and b, following Nx.dot/2:
//
//   - if either is a scalar, it is Multiply(a, b);
//   - two vectors give the sum of their elementwise product (a scalar);
//   - two matrices give their matrix product;
//   - otherwise the last axis of a is contracted with the last axis of b when
//     b is a vector, and with the second-to-last axis of b when it has rank 2 or
//     more. The result has a's other axes followed by b's other axes.
//
// The operands' types merge as in Add; integer products stay integers and
// wrap around in their type, as in Nx. Complex operands are not conjugated.
func Dot(a, b *Tensor) *Tensor {
	ra, rb := a.Rank(), b.Rank()
	switch {
	case ra == 0 || rb == 0:
		return Multiply(a, b)
	case rb == 1:
		return dotGeneral("nx.Dot", a, []int{ra - 1}, nil, b, []int{0}, nil)
	default:
		return dotGeneral("nx.Dot", a, []int{ra - 1}, nil, b, []int{rb - 2}, nil)
	}
}

// DotGeneral returns the generalized dot product of a and b, following
// Nx.dot/6: axis contractA[i] of a is contracted with axis contractB[i] of b
// (their sizes must match), and batchA[i] of a is paired with batchB[i] of b
// as a batch axis. As in Nx, batch axes must be the leading axes of both
// operands, in order (0, 1, ...), with equal sizes; they may not be contracted.
// Negative axes count from the end.
//
// The result's axes are the batch axes, then a's remaining axes, then b's
// remaining axes, each in their original order. With no contraction and no
// batch axes it is the outer product of every element of a with every element
// of b. Types merge as in Dot.
func DotGeneral(a *Tensor, contractA, batchA []int, b *Tensor, contractB, batchB []int) *Tensor {
	return dotGeneral("nx.DotGeneral", a, contractA, batchA, b, contractB, batchB)
}

// Outer returns the outer product of a and b as a matrix: both are flattened,
// and element (i, j) of the result is a[i]·b[j], so the shape is
// [a.Size()][b.Size()]. As in Nx, b is conjugated when the result is complex.
func Outer(a, b *Tensor) *Tensor {
	dt := mergeTypes(a, b)
	x, y := AsType(a, dt), AsType(b, dt)
	if dt.IsComplex() {
		y = Conjugate(y)
	}
	return Multiply(Reshape(x, x.Size(), 1), Reshape(y, 1, y.Size()))
}

func dotGeneral(name string, a *Tensor, contractA, batchA []int, b *Tensor, contractB, batchB []int) *Tensor {
	ops := []*Tensor{a, b}
	ca := dotAxes(name, ops, a, "contraction", "a", contractA)
	cb := dotAxes(name, ops, b, "contraction", "b", contractB)
	ba := dotAxes(name, ops, a, "batch", "a", batchA)
	bb := dotAxes(name, ops, b, "batch", "b", batchB)
	if len(ca) != len(cb) {
		panicf(name, ops, "got %d contraction axes for a (%v) and %d for b (%v): want the same number", len(ca), contractA, len(cb), contractB)
	}
	if len(ba) != len(bb) {
		panicf(name, ops, "got %d batch axes for a (%v) and %d for b (%v): want the same number", len(ba), batchA, len(bb), batchB)
	}
	for i := range ba {
		if ba[i] != i || bb[i] != i {
			panicf(name, ops, "batch axes %v and %v must be the leading axes of both operands, in order (0, 1, ...)", batchA, batchB)
		}
		if a.shape[i] != b.shape[i] {
			panicf(name, ops, "batch axis %d has size %d in a and %d in b: want equal sizes", i, a.shape[i], b.shape[i])
		}
	}
	for i := range ca {
		if a.shape[ca[i]] != b.shape[cb[i]] {
			panicf(name, ops, "contraction axis %d of a (size %d) does not match axis %d of b (size %d)", ca[i], a.shape[ca[i]], cb[i], b.shape[cb[i]])
		}
		for _, x := range ba {
			if ca[i] == x {
				panicf(name, ops, "axis %d of a is both a batch and a contraction axis", x)
			}
		}
		for _, x := range bb {
			if cb[i] == x {
				panicf(name, ops, "axis %d of b is both a batch and a contraction axis", x)
			}
		}
	}

	freeA := dotFree(a.Rank(), ca, ba)
	freeB := dotFree(b.Rank(), cb, bb)
	dims := func(t *Tensor, axes []int) (Shape, int) {
		s := Shape{}
		for _, x := range axes {
			s = append(s, t.shape[x])
		}
		return s, s.Size()
	}
	batchShape, nb := dims(a, ba)
	freeAShape, m := dims(a, freeA)
	freeBShape, n := dims(b, freeB)
	_, k := dims(a, ca)

	dt := mergeTypes(a, b)
	a, b = AsType(a, dt), AsType(b, dt)
	// Lay a out as [B][M][K] (or [B][K][M], transposed) and b as [B][K][N] (or
	// [B][N][K]) without copying when their axes already allow it.
	a3, transA := dotArrange(a, ba, freeA, ca, nb, m, k)
	b3, transB := dotArrange(b, bb, cb, freeB, nb, k, n)
	out := matmulOp.apply1(Shape{nb, m, n}, dt, matmulAttr{transA: transA, transB: transB}, a3, b3)
	shape := append(append(batchShape.Clone(), freeAShape...), freeBShape...)
	return Reshape(out, shape...)
}

// dotArrange returns t as a 3-D tensor [nb][rows][cols] whose axes come from
// groups batch, first and second, and false; or, when that would need a copy
// but [nb][cols][rows] would not, that tensor and true.
func dotArrange(t *Tensor, batch, first, second []int, nb, rows, cols int) (*Tensor, bool) {
	perm := append(append(append([]int{}, batch...), first...), second...)
	if dotInOrder(t.shape, perm) {
		return Reshape(t, nb, rows, cols), false
	}
	alt := append(append(append([]int{}, batch...), second...), first...)
	if dotInOrder(t.shape, alt) {
		return Reshape(t, nb, cols, rows), true
	}
	return Reshape(Transpose(t, Axes(perm...)), nb, rows, cols), false
}

// dotInOrder reports whether permuting shape by perm keeps the row-major order
// of the elements: the axes of size other than 1 appear in increasing order.
func dotInOrder(shape Shape, perm []int) bool {
	last := -1
	for _, p := range perm {
		if shape[p] == 1 {
			continue
		}
		if p < last {
			return false
		}
		last = p
	}
	return true
}

// dotAxes normalizes the axes of t given for role, panicking on duplicates or
// axes out of range.
func dotAxes(name string, ops []*Tensor, t *Tensor, role, which string, axes []int) []int {
	out := make([]int, len(axes))
	for i, x := range axes {
		y := x
		if y < 0 {
			y += t.Rank()
		}
		if y < 0 || y >= t.Rank() {
			panicf(name, ops, "%s axis %d of %s is out of range for rank %d", role, x, which, t.Rank())
		}
		for _, z := range out[:i] {
			if z == y {
				panicf(name, ops, "%s axis %d of %s is given twice in %v", role, x, which, axes)
			}
		}
		out[i] = y
	}
	return out
}

// dotFree returns the axes of a rank-r tensor that are in neither list, in order.
func dotFree(r int, lists ...[]int) []int {
	used := make([]bool, r)
	for _, l := range lists {
		for _, x := range l {
			used[x] = true
		}
	}
	var free []int
	for x := 0; x < r; x++ {
		if !used[x] {
			free = append(free, x)
		}
	}
	return free
}
