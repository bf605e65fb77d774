package linalg

import (
	"math"
	"math/cmplx"

	"github.com/gonx-dev/gonx/nx"
)

// QR returns the QR decomposition a = q·r of a matrix a (m×n) or a batch of
// them over the leading axes: q has orthonormal columns (unitary, if complex)
// and r is upper triangular. With k = min(m, n), the Reduced mode (the default)
// gives q of shape m×k and r of shape k×n; Mode(Complete) gives m×m and m×n.
//
// As in Nx, it uses Householder reflections; a real column that is already
// zero below the diagonal is left as it is, and the other diagonal entries of
// r come out positive. Entries with |x| <= eps (the Eps option, default 1e-10)
// are set to 0. Results have a's floating-point type (integers give f32).
//
// It traces (nx.Jit, nx.Grad). Real matrices of full rank have gradients
// through q and r in every shape: tall and square ones with the usual rule,
// ā = (q̄ + q·copyltu(r·r̄ᵀ - q̄ᵀ·q))·r⁻ᵀ, wide ones by splitting a = [x | y]
// with x square. The extra columns of a complete q (m > n) are an arbitrary
// orthonormal basis of the complement; their gradient is exact for functions
// that do not depend on that choice (such as the projection q₂·q₂ᵀ).
//
// Options: Mode, Eps.
func QR(a *nx.Tensor, opts ...Option) (q, r *nx.Tensor) {
	const op = "linalg.QR"
	checkTensor(op, a)
	o := parseOptions(op, a, opts, "Mode", "Eps")
	if !o.given["Eps"] {
		o.eps = 1e-10
	}
	if o.mode != Reduced && o.mode != Complete {
		fail(op, []*nx.Tensor{a}, "invalid mode %d: want Reduced or Complete", o.mode)
	}
	batch, m, n := matrixBatch(op, a)
	qc, rr := m, m // columns of q, rows of r
	if o.mode == Reduced {
		qc, rr = min(m, n), min(m, n)
	}
	dt := floatType(a.DType())
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		if dt.IsComplex() {
			return qrBatch[complex128](args[0], batch, m, n, qc, rr, o.eps)
		}
		return qrBatch[float64](args[0], batch, m, n, qc, rr, o.eps)
	}
	res := []nx.Result{result(dt, withShape(a.Shape(), m, qc)...), result(dt, withShape(a.Shape(), rr, n)...)}
	out := apply(op, eval, qrGrad, res, a)
	return out[0], out[1]
}

func qrBatch[T scalar](a *nx.Tensor, batch, m, n, qc, rr int, eps float64) []*nx.Tensor {
	data := values[T](a)
	qs := make([]T, 0, batch*m*qc)
	rs := make([]T, 0, batch*rr*n)
	for b := 0; b < batch; b++ {
		qm, rm := householderQR(data[b*m*n:(b+1)*m*n], m, n, eps)
		for i := 0; i < m; i++ {
			qs = append(qs, qm[i*m:i*m+qc]...)
		}
		rs = append(rs, rm[:rr*n]...)
	}
	dt := floatType(a.DType())
	return []*nx.Tensor{build(qs, dt, withShape(a.Shape(), m, qc)...), build(rs, dt, withShape(a.Shape(), rr, n)...)}
}

// householderQR factors the m×n matrix r in place and returns the complete
// m×m q and r.
func householderQR[T scalar](r []T, m, n int, eps float64) (q, rOut []T) {
	q = eye[T](m)
	v := make([]T, m)
	for i := 0; i < min(m, n); i++ {
		scale, ok := reflector(r, v, m, n, i, eps)
		if !ok {
			continue
		}
		// r = r - scale·v·(vᴴ·r), over rows i.. (v is zero above i).
		for c := i; c < n; c++ {
			var s T
			for j := i; j < m; j++ {
				s += conj(v[j]) * r[j*n+c]
			}
			s *= scale
			for j := i; j < m; j++ {
				r[j*n+c] -= v[j] * s
			}
		}
		for j := i + 1; j < m; j++ {
			r[j*n+i] = 0
		}
		// q = q - scale·(q·v)·vᴴ.
		for row := 0; row < m; row++ {
			qr := q[row*m : (row+1)*m]
			var s T
			for j := i; j < m; j++ {
				s += qr[j] * v[j]
			}
			s *= scale
			for j := i; j < m; j++ {
				qr[j] -= s * conj(v[j])
			}
		}
	}
	approximateZeros(q, eps)
	approximateZeros(r, eps)
	return q, r
}

// reflector fills v with the Householder vector that zeroes column i of the
// m×n matrix r below its diagonal, and returns the scale of I - scale·v·vᴴ.
// It reports false when no reflection is needed.
func reflector[T scalar](r, v []T, m, n, i int, eps float64) (T, bool) {
	var zero T
	clear(v)
	xi := r[i*n+i]
	below := 0.0 // sum of |x_j|² for j > i
	for j := i + 1; j < m; j++ {
		below += abs2(r[j*n+i])
	}
	norm := math.Sqrt(below + abs2(xi))
	if c, ok := any(xi).(complex128); ok {
		// u = x + e^{i·phase(x_i)}·|x|·e_i, normalized; H = I - 2uuᴴ.
		alpha := cmplx.Rect(norm, cmplx.Phase(c))
		v[i] = any(c + alpha).(T)
		nu := abs2(v[i]) + below
		if nu < eps {
			return zero, false
		}
		inv := fromReal[T](1 / math.Sqrt(nu))
		v[i] *= inv
		for j := i + 1; j < m; j++ {
			v[j] = r[j*n+i] * inv
		}
		return fromReal[T](2), true
	}
	if below < eps {
		return zero, false
	}
	x := re(xi)
	var v0 float64
	if x <= 0 {
		v0 = x - norm
	} else {
		v0 = -below / (x + norm)
	}
	v[i] = fromReal[T](1)
	vv := 1.0
	for j := i + 1; j < m; j++ {
		v[j] = r[j*n+i] / fromReal[T](v0)
		vv += abs2(v[j])
	}
	return fromReal[T](2 / vv), true
}

// approximateZeros sets the entries of m with |x| <= eps to 0.
func approximateZeros[T scalar](m []T, eps float64) {
	for i, x := range m {
		if absv(x) <= eps {
			m[i] = 0
		}
	}
}
