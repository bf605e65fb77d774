package nx

// Complex returns re + im·i elementwise as a complex tensor (c64, or c128 when
// either part is f64).
func Complex(re, im *Tensor) *Tensor {
	if re.dtype.IsComplex() || im.dtype.IsComplex() {
		panicf("nx.Complex", []*Tensor{re, im}, "want real operands")
	}
	dt := ComplexOf(FloatOf(mergeTypes(re, im)))
	i := Scalar(complex(0, 1), dt)
	return Add(AsType(re, dt), Multiply(AsType(im, dt), i))
}

// Phase returns the angle of each element of t in radians: atan2(imag, real).
// Real tensors give 0 for non-negative values and π for negative ones.
func Phase(t *Tensor) *Tensor {
	return Atan2(Imag(t), Real(AsType(t, FloatOf(t.dtype))))
}

// AllClose returns u8 1 when every element of a is close to the one of b:
// |a - b| <= atol + rtol·|b|, with NaNs never close (Nx.all_close with its
// defaults rtol = 1e-5 and atol = 1e-8).
func AllClose(a, b *Tensor, rtol, atol float64) *Tensor {
	fa, fb := AsType(a, FloatOf(a.dtype)), AsType(b, FloatOf(b.dtype))
	diff := Abs(Subtract(fa, fb))
	tol := Add(Number(atol), Multiply(Number(rtol), Abs(fb)))
	close := LessEqual(diff, tol)
	// Infinities of equal sign are close although their difference is NaN.
	same := Equal(fa, fb)
	return All(LogicalOr(close, same))
}

// WeightedMean returns the mean of t weighted by weights (of t's shape, or
// broadcastable to it) over the Axes option, all axes by default.
func WeightedMean(t, weights *Tensor, opts ...Option) *Tensor {
	parseOptions("nx.WeightedMean", t, opts, "Axes", "KeepAxes")
	ft := AsType(t, FloatOf(t.dtype))
	w := Broadcast(AsType(weights, ft.dtype), ft.shape)
	return Divide(Sum(Multiply(ft, w), opts...), Sum(w, opts...))
}

// Covariance returns the covariance matrix of t, a [n, d] tensor of n
// observations of d variables (or a batch [..., n, d]); DDOF sets the delta
// degrees of freedom (0 by default, as Nx).
func Covariance(t *Tensor, opts ...Option) *Tensor {
	o := parseOptions("nx.Covariance", t, opts, "DDOF")
	if t.Rank() < 2 {
		panicf("nx.Covariance", []*Tensor{t}, "want a tensor of rank 2 or more, [..., n, d]")
	}
	ft := AsType(t, FloatOf(t.dtype))
	n := ft.Axis(-2)
	centered := Subtract(ft, Mean(ft, Axes(-2), KeepAxes()))
	r := ft.Rank()
	batch := make([]int, r-2)
	for i := range batch {
		batch[i] = i
	}
	prod := DotGeneral(conj(centered), []int{r - 2}, batch, centered, []int{r - 2}, batch)
	return Divide(prod, Scalar(float64(n)-o.ddof, RealOf(ft.dtype)))
}

// conj is Conjugate for complex tensors and the identity for real ones.
func conj(t *Tensor) *Tensor {
	if t.dtype.IsComplex() {
		return Conjugate(t)
	}
	return t
}
