package nx

// MakeDiagonal returns matrices with t's last axis on their k-th diagonal and
// zeros elsewhere: t of shape [..., n] gives [..., n+|k|, n+|k|]. k > 0 is
// above the main diagonal and k < 0 below it, as Nx's :offset.
func MakeDiagonal(t *Tensor, k int) *Tensor {
	const op = "nx.MakeDiagonal"
	if t.Rank() < 1 {
		panicf(op, []*Tensor{t}, "want a tensor of rank 1 or more")
	}
	n := t.Axis(-1)
	size := n + abs(k)
	// Element i lands at flat position (i, i+k) of a size×size matrix:
	// start + i·(size+1). Interior padding spaces the elements out that way.
	start := k
	if k < 0 {
		start = -k * size
	}
	span := 0
	if n > 0 {
		span = (n-1)*(size+1) + 1
	}
	pads := make([][3]int, t.Rank())
	pads[t.Rank()-1] = [3]int{start, size*size - start - span, size}
	defer rename(op)
	flat := Pad(t, Zeros(t.dtype), pads...)
	shape := append(t.Shape()[:t.Rank()-1], size, size)
	return Reshape(flat, shape...)
}

// TakeDiagonal returns the k-th diagonal of the matrices in t's last two axes:
// [..., n, m] gives [..., d] with d the diagonal's length. k > 0 is above the
// main diagonal and k < 0 below it; as in Nx, a non-zero k must leave at least
// one element (k < m, or -k < n).
func TakeDiagonal(t *Tensor, k int) *Tensor {
	const op = "nx.TakeDiagonal"
	if t.Rank() < 2 {
		panicf(op, []*Tensor{t}, "want a tensor of rank 2 or more")
	}
	n, m := t.Axis(-2), t.Axis(-1)
	if (k > 0 && k >= m) || (k < 0 && -k >= n) {
		panicf(op, []*Tensor{t}, "offset %d is outside the %d×%d matrices", k, n, m)
	}
	r0, c0 := 0, k
	if k < 0 {
		r0, c0 = -k, 0
	}
	d := max(0, min(n-r0, m-c0))
	// The diagonal is a strided run of the flattened matrix: it starts at
	// (r0, c0) and steps m+1 elements at a time.
	length := 0
	if d > 0 {
		length = (d-1)*(m+1) + 1
	}
	defer rename(op)
	batch := t.Shape()[:t.Rank()-2]
	flat := Reshape(t, append(batch.Clone(), n*m)...)
	return SliceAlongAxis(flat, r0*m+c0, length, Axis(-1), Strides(m+1))
}
