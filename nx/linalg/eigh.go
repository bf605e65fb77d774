package linalg

import (
	"math"
	"math/cmplx"
	"sort"

	"github.com/gonx-dev/gonx/nx"
)

// Eigh returns the eigenvalues w and eigenvectors v of a real symmetric or
// complex Hermitian matrix a, or of each matrix of a batch over the leading
// axes, so that a·v = v·diag(w) with v orthonormal (unitary). a is assumed
// Hermitian: its Hermitian part (a + aᴴ)/2 is what gets decomposed.
//
// As in Nx, the eigenvalues are sorted by absolute value, largest first (NumPy
// sorts them ascending); column i of v belongs to w[i], scaled so that its
// entry of largest magnitude is real and positive. w has the real type of a's
// floating-point type and v that type (integers give f32).
//
// It uses cyclic Jacobi rotations, which converge to full precision.
//
// It traces (nx.Jit, nx.Grad). Real matrices have gradients through w and v:
// ā = v·(diag(w̄) + F∘(vᵀ·v̄))·vᵀ with F[i][j] = 1/(w[j] - w[i]), symmetrized
// as the input is. They are exact for distinct eigenvalues; where two are
// equal their eigenvectors are not unique and F is taken as 0 there (which
// keeps the gradient of functions of w alone exact).
func Eigh(a *nx.Tensor) (w, v *nx.Tensor) {
	const op = "linalg.Eigh"
	batch, n := squareBatch(op, a)
	dt := floatType(a.DType())
	shape := a.Shape()
	eval := func(args []*nx.Tensor) []*nx.Tensor {
		var ws []float64
		var vt *nx.Tensor
		if dt.IsComplex() {
			var vs []complex128
			ws, vs = eighBatch[complex128](args[0], batch, n)
			vt = build(vs, dt, shape...)
		} else {
			var vs []float64
			ws, vs = eighBatch[float64](args[0], batch, n)
			vt = build(vs, dt, shape...)
		}
		return []*nx.Tensor{build(ws, nx.RealOf(dt), shape[:len(shape)-1]...), vt}
	}
	res := []nx.Result{result(nx.RealOf(dt), shape[:len(shape)-1]...), result(dt, shape...)}
	out := apply(op, eval, eighGrad, res, a)
	return out[0], out[1]
}

func eighBatch[T scalar](a *nx.Tensor, batch, n int) ([]float64, []T) {
	data := values[T](a)
	ws := make([]float64, 0, batch*n)
	vs := make([]T, 0, batch*n*n)
	for b := 0; b < batch; b++ {
		w, v := jacobiEigen(data[b*n*n:(b+1)*n*n], n)
		ws, vs = append(ws, w...), append(vs, v...)
	}
	return ws, vs
}

// jacobiEigen diagonalizes the Hermitian part of the n×n matrix a (overwritten)
// and returns its eigenvalues, sorted by decreasing magnitude, and the matching
// eigenvectors as the columns of an n×n matrix.
func jacobiEigen[T scalar](a []T, n int) ([]float64, []T) {
	two := fromReal[T](2)
	for i := 0; i < n; i++ {
		a[i*n+i] = fromReal[T](re(a[i*n+i]))
		for j := i + 1; j < n; j++ {
			h := (a[i*n+j] + conj(a[j*n+i])) / two
			a[i*n+j], a[j*n+i] = h, conj(h)
		}
	}
	frob := 0.0
	for _, x := range a {
		frob += abs2(x)
	}
	floor := 1e-17 * math.Sqrt(frob) // off-diagonal entries below it count as zero
	v := eye[T](n)
	for sweep := 0; sweep < 100; sweep++ {
		rotated := false
		for p := 0; p < n; p++ {
			for q := p + 1; q < n; q++ {
				if jacobiRotate(a, v, n, p, q, floor) {
					rotated = true
				}
			}
		}
		if !rotated {
			break
		}
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = re(a[i*n+i])
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return math.Abs(w[order[x]]) > math.Abs(w[order[y]]) })
	ws := make([]float64, n)
	vs := make([]T, n*n)
	for k, j := range order {
		ws[k] = w[j]
		// Scale the column so that its largest entry is real and positive.
		big := 0.0
		for i := 0; i < n; i++ {
			big = max(big, absv(v[i*n+j]))
		}
		phase := fromReal[T](1)
		for i := 0; i < n; i++ {
			if x := v[i*n+j]; absv(x) >= big*(1-1e-9) && big > 0 {
				phase = conj(x) / fromReal[T](absv(x))
				break
			}
		}
		for i := 0; i < n; i++ {
			vs[i*n+k] = v[i*n+j] * phase
		}
	}
	return ws, vs
}

// jacobiRotate applies the rotation that zeroes a[p][q] (and a[q][p]) of the
// Hermitian matrix a, accumulating it into v. It reports false when a[p][q] is
// already negligible: at most floor, or tiny next to the diagonal entries.
func jacobiRotate[T scalar](a, v []T, n, p, q int, floor float64) bool {
	g := a[p*n+q]
	absg := absv(g)
	app, aqq := re(a[p*n+p]), re(a[q*n+q])
	if absg <= floor || absg <= 1e-18*math.Sqrt(math.Abs(app))*math.Sqrt(math.Abs(aqq)) {
		if absg != 0 {
			a[p*n+q], a[q*n+p] = 0, 0
		}
		return false
	}
	// With e = g/|g| and D = diag(1, conj(e)) on (p, q), Dᴴ·a·D has the real
	// entry |g| at (p, q); the classic real rotation R = [[c, s], [-s, c]]
	// zeroes it. J = D·R.
	e := g / fromReal[T](absg)
	if c, ok := any(e).(complex128); ok {
		// Renormalize: |e| = 1 exactly matters for unitarity.
		e = any(c / complex(cmplx.Abs(c), 0)).(T)
	}
	eb := conj(e)
	theta := (aqq - app) / (2 * absg)
	t := 1 / (math.Abs(theta) + math.Hypot(1, theta))
	if theta < 0 {
		t = -t
	}
	cr := 1 / math.Sqrt(1+t*t)
	c, s := fromReal[T](cr), fromReal[T](t*cr)
	// a ← a·J (columns p, q), then a ← Jᴴ·a (rows p, q); v ← v·J.
	for k := 0; k < n; k++ {
		x, y := a[k*n+p], a[k*n+q]
		a[k*n+p] = c*x - s*eb*y
		a[k*n+q] = s*x + c*eb*y
		x, y = v[k*n+p], v[k*n+q]
		v[k*n+p] = c*x - s*eb*y
		v[k*n+q] = s*x + c*eb*y
	}
	for k := 0; k < n; k++ {
		x, y := a[p*n+k], a[q*n+k]
		a[p*n+k] = c*x - s*e*y
		a[q*n+k] = s*x + c*e*y
	}
	a[p*n+q], a[q*n+p] = 0, 0
	a[p*n+p] = fromReal[T](re(a[p*n+p]))
	a[q*n+q] = fromReal[T](re(a[q*n+q]))
	return true
}
