package linalg

import (
	"github.com/gonx-dev/gonx/nx"
)

// Gradients (VJP rules) of the decompositions, for real matrices and batches
// of them. Each returns ā, the gradient of the operand, given the operand, the
// results and the gradients of the results (zeros for results that take no
// part in the differentiated function).

// choleskyGrad: with l·lᵀ = a, m = l⁻ᵀ·Φ(lᵀ·l̄)·l⁻¹ where Φ keeps the lower
// triangle and halves the diagonal. sym(m) is the gradient with respect to a
// symmetric a; as only the lower triangle of a is read, that gradient is
// folded onto it: tril(m + mᵀ) - diag(m).
func choleskyGrad(args, results, grads []*nx.Tensor) []*nx.Tensor {
	realGrad("linalg.Cholesky", args, results)
	l, g := results[0], grads[0]
	x := mm(mT(l), g)
	phi := nx.Subtract(nx.Tril(x, 0), nx.Multiply(diagPart(x), nx.Number(0.5)))
	y := TriangularSolve(l, phi, TransformA(Transposed))
	m := TriangularSolve(l, y, LeftSide(false))
	return []*nx.Tensor{nx.Subtract(nx.Tril(nx.Add(m, mT(m)), 0), diagPart(m))}
}

// qrGrad handles the three shapes of a = q·r (m×n): tall or square with a
// reduced q, tall with a complete q (whose extra columns q₂ span the
// complement: they move as dq₂ = -q₁·dq₁ᵀ·q₂, which folds their gradient into
// that of q₁), and wide, where a = [x | y] with x = q·u square and the rest of
// r is v = qᵀ·y.
func qrGrad(args, results, grads []*nx.Tensor) []*nx.Tensor {
	realGrad("linalg.QR", args, results)
	q, r, gq, gr := results[0], results[1], grads[0], grads[1]
	m, n := args[0].Axis(-2), args[0].Axis(-1)
	if m < n {
		y := nx.AsType(cols(args[0], m, n-m), q.DType())
		u, gu, gv := cols(r, 0, m), cols(gr, 0, m), cols(gr, m, n-m)
		gx := qrTallGrad(q, u, nx.Add(gq, mm(y, mT(gv))), gu)
		return []*nx.Tensor{nx.Concatenate([]*nx.Tensor{gx, mm(q, gv)}, nx.Axis(-1))}
	}
	if q.Axis(-1) > n {
		q1, q2 := cols(q, 0, n), cols(q, n, m-n)
		gq = nx.Subtract(cols(gq, 0, n), mm(q2, mm(mT(cols(gq, n, m-n)), q1)))
		q, r, gr = q1, rows(r, 0, n), rows(gr, 0, n)
	}
	return []*nx.Tensor{qrTallGrad(q, r, gq, gr)}
}

// qrTallGrad is the gradient of a = q·r for m >= n with q m×n and r n×n:
// (q̄ + q·copyltu(r·r̄ᵀ - q̄ᵀ·q))·r⁻ᵀ, where copyltu mirrors the lower triangle
// onto the upper one.
func qrTallGrad(q, r, gq, gr *nx.Tensor) *nx.Tensor {
	m := nx.Subtract(mm(r, mT(gr)), mm(mT(gq), q))
	c := nx.Add(nx.Tril(m, 0), mT(nx.Tril(m, -1)))
	b := nx.Add(gq, mm(q, c))
	return TriangularSolve(r, b, LeftSide(false), Lower(false), TransformA(Transposed))
}

// luGrad: with a = p·l·u and x = l⁻¹·pᵀ·da·u⁻¹, dl = l·tril(x, -1) and
// du = triu(x)·u, so ā = p·l⁻ᵀ·(tril(lᵀ·l̄, -1) + triu(ū·uᵀ))·u⁻ᵀ. p is
// piecewise constant and gets no gradient.
func luGrad(args, results, grads []*nx.Tensor) []*nx.Tensor {
	realGrad("linalg.LU", args, results)
	p, l, u := results[0], results[1], results[2]
	gl, gu := grads[1], grads[2]
	phi := nx.Add(nx.Tril(mm(mT(l), gl), -1), nx.Triu(mm(gu, mT(u)), 0))
	y := TriangularSolve(l, phi, TransformA(Transposed))
	z := TriangularSolve(u, y, LeftSide(false), Lower(false), TransformA(Transposed))
	return []*nx.Tensor{mm(nx.AsType(p, z.DType()), z)}
}

// eighGrad: ā = v·(diag(w̄) + F∘(vᵀ·v̄))·vᵀ with F[i][j] = 1/(w[j] - w[i]) off
// the diagonal (0 where the eigenvalues are equal), symmetrized because Eigh
// decomposes the symmetric part of a.
func eighGrad(args, results, grads []*nx.Tensor) []*nx.Tensor {
	realGrad("linalg.Eigh", args, results)
	w, v, gw, gv := results[0], results[1], grads[0], grads[1]
	f := safeInverse(nx.Subtract(row(w), col(w)))
	inner := nx.Add(nx.MakeDiagonal(gw, 0), nx.Multiply(f, mm(mT(v), gv)))
	return []*nx.Tensor{symmetrize(mm(v, mm(inner, mT(v))))}
}

// svdGrad is the rule of JAX and PyTorch for a = u·diag(s)·vt with k = min(m,
// n) singular values: with skew(x) = x - xᵀ and E[j][i] = s[i]² - s[j]²,
//
//	inner = (skew(uᵀ·ū)·diag(s) + diag(s)·skew(vt·v̄tᵀ))/E + diag(s̄)
//	ā = u·inner·vt + (I - u·uᵀ)·ū·diag(1/s)·vt + u·diag(1/s)·v̄t·(I - vtᵀ·vt)
//
// where the last two terms only appear for tall (m > n) and wide (m < n)
// matrices. Divisions by zero (repeated or zero singular values) count as 0.
// The columns of a full u beyond k (rows of a full vt) span the complement of
// the others and fold into their gradient as in qrGrad.
func svdGrad(args, results, grads []*nx.Tensor) []*nx.Tensor {
	realGrad("linalg.SVD", args, results)
	u, s, vt := results[0], results[1], results[2]
	gu, gs, gvt := grads[0], grads[1], grads[2]
	m, n := args[0].Axis(-2), args[0].Axis(-1)
	k := min(m, n)
	if u.Axis(-1) > k {
		u1, u2 := cols(u, 0, k), cols(u, k, m-k)
		gu = nx.Subtract(cols(gu, 0, k), mm(u2, mm(mT(cols(gu, k, m-k)), u1)))
		u = u1
	}
	if vt.Axis(-2) > k {
		vt1, vt2 := rows(vt, 0, k), rows(vt, k, n-k)
		gvt = nx.Subtract(rows(gvt, 0, k), mm(vt1, mm(mT(rows(gvt, k, n-k)), vt2)))
		vt = vt1
	}
	skew := func(x *nx.Tensor) *nx.Tensor { return nx.Subtract(x, mT(x)) }
	uu := skew(mm(mT(u), gu))
	vv := skew(mm(vt, mT(gvt)))
	s2 := nx.Multiply(s, s)
	e := safeInverse(nx.Subtract(row(s2), col(s2)))
	inner := nx.Multiply(nx.Add(nx.Multiply(uu, row(s)), nx.Multiply(col(s), vv)), e)
	inner = nx.Add(inner, nx.MakeDiagonal(gs, 0))
	sinv := safeInverse(s)
	var ga *nx.Tensor
	switch {
	case m > n:
		extra := nx.Multiply(nx.Subtract(gu, mm(u, mm(mT(u), gu))), row(sinv))
		ga = mm(nx.Add(mm(u, inner), extra), vt)
	case m < n:
		extra := nx.Multiply(col(sinv), nx.Subtract(gvt, mm(mm(gvt, mT(vt)), vt)))
		ga = mm(u, nx.Add(mm(inner, vt), extra))
	default:
		ga = mm(u, mm(inner, vt))
	}
	return []*nx.Tensor{ga}
}
