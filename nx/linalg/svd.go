package linalg

import (
	"math"
	"slices"
	"sort"

	"github.com/gonx-dev/gonx/nx"
)

// SVD returns the singular value decomposition a = u·diag(s)·vt of a real
// matrix a (m×n), or of each matrix of a batch over the leading axes. The
// singular values s (k = min(m, n) of them) are non-negative and sorted from
// highest to lowest; u and vt have orthonormal columns and rows.
//
// With FullMatrices(true) (the default) u is m×m and vt is n×n; with
// FullMatrices(false) they are m×k and k×n. Results have a's floating-point
// type (integers give f32). Complex tensors are not supported, as in Nx.
//
// It uses one-sided Jacobi rotations (Hestenes' method), accurate to the last
// digits even for small singular values. Singular vectors are unique only up to
// sign (and rotation, for repeated singular values); the columns of u that
// belong to zero singular values are completed into an orthonormal basis.
//
// It traces (nx.Jit, nx.Grad). Real matrices have gradients through s (ā =
// u·diag(s̄)·vt, exact even for repeated singular values) and through u and vt
// (the rule of JAX and PyTorch, exact for distinct non-zero singular values;
// terms that would divide by zero are dropped). The columns of a full u, or
// rows of a full vt, beyond min(m, n) are an arbitrary orthonormal basis of the
// complement; their gradient is exact for functions that do not depend on that
// choice (such as the projection u₂·u₂ᵀ).
//
// Options: FullMatrices.
func SVD(a *nx.Tensor, opts ...Option) (u, s, vt *nx.Tensor) {
	const op = "linalg.SVD"
	checkTensor(op, a)
	o := parseOptions(op, a, opts, "FullMatrices")
	batch, m, n := matrixBatch(op, a)
	rejectComplex(op, a)
	k := min(m, n)
	uc, vr := k, k
	if o.full {
		uc, vr = m, n
	}
	dt := floatType(a.DType())
	shape := a.Shape()
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		data := args[0].Float64s()
		us := make([]float64, 0, batch*m*uc)
		ss := make([]float64, 0, batch*k)
		vts := make([]float64, 0, batch*vr*n)
		for b := 0; b < batch; b++ {
			ub, sb, vtb := svdMatrix(data[b*m*n:(b+1)*m*n], m, n, o.full)
			us, ss, vts = append(us, ub...), append(ss, sb...), append(vts, vtb...)
		}
		return []*nx.Tensor{build(us, dt, withShape(shape, m, uc)...),
			build(ss, dt, withShape(shape, k)...),
			build(vts, dt, withShape(shape, vr, n)...)}
	}
	res := []nx.Result{result(dt, withShape(shape, m, uc)...), result(dt, withShape(shape, k)...),
		result(dt, withShape(shape, vr, n)...)}
	out := apply(op, eval, svdGrad, res, a)
	return out[0], out[1], out[2]
}

// svdMatrix returns the SVD of the m×n matrix a: u (m×m or m×k), s (k) and vt
// (n×n or k×n), row-major.
func svdMatrix(a []float64, m, n int, full bool) (u, s, vt []float64) {
	if m >= n {
		u, s, v := svdTall(a, m, n, full)
		return u, s, adjointOf(v, n, n)
	}
	// a = (aᵀ)ᵀ = (u'·s·v'ᵀ)ᵀ = v'·s·u'ᵀ.
	ut, s, v := svdTall(adjointOf(a, m, n), n, m, full)
	cols := m
	if full {
		cols = n
	}
	return v, s, adjointOf(ut, n, cols)
}

// svdTall returns the SVD of the m×n matrix a with m >= n: u (m×m if full, else
// m×n), s (n, descending) and v (n×n, not transposed).
func svdTall(a []float64, m, n int, full bool) (u, s, v []float64) {
	// Work on columns: col[j] is column j of a, vcol[j] column j of v.
	col := make([][]float64, n)
	vcol := make([][]float64, n)
	for j := range col {
		col[j] = make([]float64, m)
		for i := 0; i < m; i++ {
			col[j][i] = a[i*n+j]
		}
		vcol[j] = make([]float64, n)
		vcol[j][j] = 1
	}
	for sweep := 0; sweep < 100; sweep++ {
		rotated := false
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				alpha, beta, gamma := dot(col[p], col[p]), dot(col[q], col[q]), dot(col[p], col[q])
				if gamma == 0 || math.Abs(gamma) <= 1e-15*math.Sqrt(alpha)*math.Sqrt(beta) {
					continue
				}
				rotated = true
				zeta := (beta - alpha) / (2 * gamma)
				t := 1 / (math.Abs(zeta) + math.Hypot(1, zeta))
				if zeta < 0 {
					t = -t
				}
				c := 1 / math.Sqrt(1+t*t)
				sn := c * t
				rotate(col[p], col[q], c, sn)
				rotate(vcol[p], vcol[q], c, sn)
			}
		}
		if !rotated {
			break
		}
	}
	sigma := make([]float64, n)
	for j := range sigma {
		sigma[j] = math.Sqrt(dot(col[j], col[j]))
	}
	order := make([]int, n)
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(x, y int) bool { return sigma[order[x]] > sigma[order[y]] })

	uc := n
	if full {
		uc = m
	}
	s = make([]float64, n)
	v = make([]float64, n*n)
	ucol := make([][]float64, uc)
	tol := 0.0
	if n > 0 {
		tol = sigma[order[0]] * float64(m) * 0x1p-52
	}
	for k, j := range order {
		s[k] = sigma[j]
		for i := 0; i < n; i++ {
			v[i*n+k] = vcol[j][i]
		}
		if sigma[j] > tol {
			ucol[k] = col[j]
			for i := range col[j] {
				col[j][i] /= sigma[j]
			}
		}
	}
	completeBasis(ucol, m)
	u = make([]float64, m*uc)
	for k, c := range ucol {
		for i := 0; i < m; i++ {
			u[i*uc+k] = c[i]
		}
	}
	return u, s, v
}

// completeBasis fills the nil entries of cols with unit vectors of length m
// orthogonal to every other entry, which must be orthonormal: each is the
// standard basis vector with the largest part outside the span so far,
// orthogonalized twice.
func completeBasis(cols [][]float64, m int) {
	var basis [][]float64
	for _, c := range cols {
		if c != nil {
			basis = append(basis, c)
		}
	}
	for k := range cols {
		if cols[k] != nil {
			continue
		}
		var best []float64
		bestNorm := -1.0
		for i := 0; i < m; i++ {
			e := make([]float64, m)
			e[i] = 1
			for range 2 {
				for _, b := range basis {
					d := dot(b, e)
					for r := range e {
						e[r] -= d * b[r]
					}
				}
			}
			if nrm := math.Sqrt(dot(e, e)); nrm > bestNorm {
				best, bestNorm = e, nrm
			}
		}
		for r := range best {
			best[r] /= bestNorm
		}
		cols[k] = best
		basis = append(basis, best)
	}
}

func dot(x, y []float64) float64 {
	s := 0.0
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

// rotate applies the plane rotation (x, y) ← (c·x - s·y, s·x + c·y).
func rotate(x, y []float64, c, s float64) {
	for i, a := range x {
		b := y[i]
		x[i] = c*a - s*b
		y[i] = s*a + c*b
	}
}

// Pinv returns the Moore–Penrose pseudo-inverse of a: 1/a for a scalar,
// conj(a)/‖a‖² for a vector (same shape), and for a matrix (or a batch of
// them) the n×m matrix v·diag(1/s)·uᴴ from its SVD, dropping singular values
// below eps (the Eps option, default 1e-10). When every |a| <= eps the result
// is all zeros. Results have a's floating-point type (integers give f32);
// complex matrices are not supported.
//
// It traces (nx.Jit, nx.Grad). Real operands have the gradient of Golub and
// Pereyra, exact where the rank does not change:
// ā = -pᵀ·ḡ·pᵀ + (I - a·p)·ḡᵀ·p·pᵀ + pᵀ·p·ḡᵀ·(I - p·a) with p = Pinv(a).
//
// Options: Eps.
func Pinv(a *nx.Tensor, opts ...Option) *nx.Tensor {
	const op = "linalg.Pinv"
	checkTensor(op, a)
	o := parseOptions(op, a, opts, "Eps")
	if !o.given["Eps"] {
		o.eps = 1e-10
	}
	dt := floatType(a.DType())
	shape := a.Shape()
	if a.Rank() >= 2 {
		rejectComplex(op, a)
		shape = withShape(shape, a.Axis(-1), a.Axis(-2))
	}
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		a := args[0]
		if dt.IsComplex() {
			return []*nx.Tensor{build(pinvSmall(values[complex128](a), o.eps), dt, shape...)}
		}
		data := a.Float64s()
		if a.Rank() < 2 {
			return []*nx.Tensor{build(pinvSmall(data, o.eps), dt, shape...)}
		}
		batch, m, n := matrixBatch(op, a)
		out := make([]float64, 0, len(data))
		for b := 0; b < batch; b++ {
			out = append(out, pinvMatrix(data[b*m*n:(b+1)*m*n], m, n, o.eps)...)
		}
		return []*nx.Tensor{build(out, dt, shape...)}
	}
	vjp := func(args, results, grads []*nx.Tensor) []*nx.Tensor {
		realGrad(op, args, results)
		return []*nx.Tensor{pinvGrad(args[0], results[0], grads[0])}
	}
	return apply(op, eval, vjp, []nx.Result{result(dt, shape...)}, a)[0]
}

// pinvSmall returns the pseudo-inverse of a scalar or vector x.
func pinvSmall[T scalar](x []T, eps float64) []T {
	norm2 := 0.0
	zero := true
	for _, v := range x {
		norm2 += abs2(v)
		zero = zero && absv(v) <= eps
	}
	out := make([]T, len(x))
	if zero {
		return out
	}
	if len(x) == 1 && !isComplex[T]() {
		out[0] = 1 / x[0]
		return out
	}
	for i, v := range x {
		out[i] = conj(v) / fromReal[T](norm2)
	}
	return out
}

// pinvMatrix returns the n×m pseudo-inverse of the m×n matrix a.
func pinvMatrix(a []float64, m, n int, eps float64) []float64 {
	out := make([]float64, n*m)
	if !slices.ContainsFunc(a, func(x float64) bool { return math.Abs(x) > eps }) {
		return out
	}
	u, s, vt := svdMatrix(a, m, n, false)
	k := len(s)
	for kk, sv := range s {
		if math.Abs(sv) < eps {
			continue
		}
		inv := 1 / sv
		for i := 0; i < n; i++ {
			f := vt[kk*n+i] * inv
			if f == 0 {
				continue
			}
			row := out[i*m : (i+1)*m]
			for j := range row {
				row[j] += f * u[j*k+kk]
			}
		}
	}
	return out
}

// MatrixRank returns the rank of a real matrix a, or of each matrix of a batch
// over the leading axes, as a u32 tensor: the number of singular values greater
// than eps·max(m, n)·max(s), with eps the Eps option (default 1e-7). It traces
// (nx.Jit); being integer, it has no gradient.
//
// Options: Eps.
func MatrixRank(a *nx.Tensor, opts ...Option) *nx.Tensor {
	const op = "linalg.MatrixRank"
	checkTensor(op, a)
	o := parseOptions(op, a, opts, "Eps")
	if !o.given["Eps"] {
		o.eps = 1e-7
	}
	batch, m, n := matrixBatch(op, a)
	rejectComplex(op, a)
	shape := a.Shape()
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		data := args[0].Float64s()
		ranks := make([]uint32, batch)
		for b := range ranks {
			_, s, _ := svdMatrix(data[b*m*n:(b+1)*m*n], m, n, false)
			if len(s) == 0 {
				continue
			}
			tol := o.eps * float64(max(m, n)) * s[0]
			for _, v := range s {
				if v > tol {
					ranks[b]++
				}
			}
		}
		return []*nx.Tensor{nx.Reshape(nx.FromSlice(ranks), shape[:len(shape)-2]...)}
	}
	return apply(op, eval, nil, []nx.Result{result(nx.U32, shape[:len(shape)-2]...)}, a)[0]
}

// LeastSquares returns the x that minimizes ‖a·x - b‖₂ for a real m×n matrix a
// and b of shape [m] (or [m][k], one problem per column), computed as
// Pinv(a)·b with singular values below eps dropped (the Eps option, default
// 1e-15). The result has shape [n] (or [n][k]) and the floating-point type of a
// and b merged.
//
// It traces (nx.Jit, nx.Grad), with the gradients of Pinv(a)·b.
//
// Options: Eps.
func LeastSquares(a, b *nx.Tensor, opts ...Option) *nx.Tensor {
	const op = "linalg.LeastSquares"
	checkTensor(op, a, b)
	o := parseOptions(op, a, opts, "Eps")
	if !o.given["Eps"] {
		o.eps = 1e-15
	}
	if a.Rank() != 2 {
		fail(op, []*nx.Tensor{a, b}, "want a to be a matrix (rank 2)")
	}
	if a.DType().IsComplex() || b.DType().IsComplex() {
		fail(op, []*nx.Tensor{a, b}, "complex tensors are not supported")
	}
	m, n := a.Axis(0), a.Axis(1)
	if (b.Rank() != 1 && b.Rank() != 2) || b.Axis(0) != m {
		fail(op, []*nx.Tensor{a, b}, "want b of shape [%d] or [%d][k], with as many rows as a", m, m)
	}
	k := 1
	shape := []int{n}
	if b.Rank() == 2 {
		k = b.Axis(1)
		shape = append(shape, k)
	}
	dt := floatType(nx.Merge(a.DType(), b.DType()))
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		x := matmul(pinvMatrix(args[0].Float64s(), m, n, o.eps), args[1].Float64s(), n, m, k)
		return []*nx.Tensor{build(x, dt, shape...)}
	}
	vjp := func(args, results, grads []*nx.Tensor) []*nx.Tensor {
		realGrad(op, args, results)
		a, b, g := nx.AsType(args[0], dt), nx.AsType(args[1], dt), grads[0]
		if b.Rank() == 1 {
			b, g = col(b), col(g)
		}
		p := Pinv(a, Eps(o.eps))
		gb := mm(mT(p), g)
		if args[1].Rank() == 1 {
			gb = nx.Reshape(gb, m)
		}
		return []*nx.Tensor{pinvGrad(a, p, mm(g, mT(b))), gb}
	}
	return apply(op, eval, vjp, []nx.Result{result(dt, shape...)}, a, b)[0]
}
