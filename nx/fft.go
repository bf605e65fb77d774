package nx

import (
	"math"
	"math/bits"
)

// PowerOfTwo, given to Length or Lengths, pads an FFT's axis to the next power
// of two, as Nx's length: :power_of_two.
const PowerOfTwo = -1

// Lengths sets the lengths of a 2-D FFT along its two axes (each padded or cut
// to its length, or padded to a power of two with PowerOfTwo).
func Lengths(l1, l2 int) Option {
	return opt("Lengths", func(o *options) { o.lengths = []int{l1, l2} })
}

// dftMax is the largest length, not a power of two, transformed by a direct DFT;
// longer ones use Bluestein's algorithm.
const dftMax = 64

// fftPlan transforms complex vectors of one length n: by radix-2 Cooley–Tukey
// when n is a power of two, by a direct DFT when n is small, and otherwise by
// Bluestein's algorithm (a convolution done with power-of-two FFTs).
type fftPlan struct {
	n  int
	tw []complex128 // radix-2: exp(-2πik/n) for k < n/2; DFT: for k < n
	// Bluestein: chirp[k] = exp(-πik²/n), the FFT of the conjugate chirp
	// filter, and the plan of the power-of-two length m ≥ 2n-1.
	chirp  []complex128
	filter []complex128
	sub    *fftPlan
}

func isPow2(n int) bool { return n > 0 && n&(n-1) == 0 }

// cis returns exp(-2πi·k/n) for k ≥ 0. It reduces the angle to the first
// octant exactly, in integers, so that quarter and eighth turns come out exact
// and symmetric twiddles are exactly symmetric.
func cis(k, n int) complex128 {
	k %= n
	q, r := 4*k/n, 4*k%n // 2πk/n = (q + r/n)·π/2, 0 ≤ r < n
	var c, s float64     // cos and sin of (r/n)·π/2
	if 2*r <= n {
		s, c = math.Sincos(math.Pi / 2 * float64(r) / float64(n))
	} else {
		c, s = math.Sincos(math.Pi / 2 * float64(n-r) / float64(n))
	}
	switch q { // rotate by q quarter turns
	case 1:
		c, s = -s, c
	case 2:
		c, s = -c, -s
	case 3:
		c, s = s, -c
	}
	return complex(c, -s)
}

func newFFTPlan(n int) *fftPlan {
	p := &fftPlan{n: n}
	switch {
	case n <= 1:
	case isPow2(n):
		p.tw = make([]complex128, n/2)
		for k := range p.tw {
			p.tw[k] = cis(k, n)
		}
	case n <= dftMax:
		p.tw = make([]complex128, n)
		for k := range p.tw {
			p.tw[k] = cis(k, n)
		}
	default:
		m := 1 << bits.Len(uint(2*n-2))
		p.sub = newFFTPlan(m)
		p.chirp = make([]complex128, n)
		p.filter = make([]complex128, m)
		for k := range p.chirp {
			// exp(-πik²/n) = cis(k² mod 2n, 2n).
			p.chirp[k] = cis(k*k%(2*n), 2*n)
			w := complex(real(p.chirp[k]), -imag(p.chirp[k]))
			p.filter[k] = w
			if k > 0 {
				p.filter[m-k] = w
			}
		}
		p.sub.forward(p.filter, nil)
	}
	return p
}

// scratchLen is the length of the scratch slice forward needs.
func (p *fftPlan) scratchLen() int {
	switch {
	case p.sub != nil:
		return len(p.filter)
	case p.n > 1 && !isPow2(p.n):
		return p.n
	}
	return 0
}

// forward replaces x (of length n) with its DFT, X[k] = Σ x[j]·exp(-2πijk/n),
// using scratch (of length scratchLen()).
func (p *fftPlan) forward(x, scratch []complex128) {
	n := p.n
	switch {
	case n <= 1:
	case p.sub != nil:
		a := scratch
		for k := range a {
			a[k] = 0
		}
		for k, v := range x {
			a[k] = v * p.chirp[k]
		}
		p.sub.forward(a, nil)
		for k := range a {
			a[k] = cconj(a[k] * p.filter[k])
		}
		p.sub.forward(a, nil) // conj(FFT(conj(·))) is m times the inverse FFT
		inv := 1 / float64(len(a))
		for k := range x {
			x[k] = cconj(a[k]) * p.chirp[k] * complex(inv, 0)
		}
	case isPow2(n):
		p.radix2(x)
	default:
		copy(scratch, x)
		for k := range x {
			var s complex128
			for j, v := range scratch {
				s += v * p.tw[j*k%n]
			}
			x[k] = s
		}
	}
}

// radix2 is the iterative in-place Cooley–Tukey FFT for power-of-two lengths.
func (p *fftPlan) radix2(x []complex128) {
	n := p.n
	shift := 64 - bits.Len(uint(n-1))
	for i := range x {
		if j := int(bits.Reverse64(uint64(i)) >> shift); i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	for size := 2; size <= n; size <<= 1 {
		half, step := size/2, n/size
		for start := 0; start < n; start += size {
			for k := 0; k < half; k++ {
				a, b := x[start+k], x[start+k+half]*p.tw[k*step]
				x[start+k], x[start+k+half] = a+b, a-b
			}
		}
	}
}

func cconj(c complex128) complex128 { return complex(real(c), -imag(c)) }

// fftAttr is the attribute of the fft and ifft primitives: the axis and the
// transform's length n along it.
type fftAttr struct{ axis, n int }

// fftLanes transforms every lane of src along the attribute's axis into dst
// (whose axis has length n), padding with zeros or cutting each input lane.
func fftLanes[T complex64 | complex128](dst, src []T, in Shape, a fftAttr, inverse bool) {
	l := lanesOf(in, a.axis)
	p := newFFTPlan(a.n)
	keep := min(l.n, a.n)
	parallelFor(l.count(), laneGrain(4*a.n), func(lo, hi int) {
		x := make([]complex128, a.n)
		scratch := make([]complex128, p.scratchLen())
		for r := lo; r < hi; r++ {
			s, d := l.start(r, l.n), l.start(r, a.n)
			for j := range x {
				x[j] = 0
			}
			for j := 0; j < keep; j++ {
				x[j] = complex128(src[s+j*l.inner])
			}
			if inverse {
				// ifft(x) = conj(fft(conj(x))) / n.
				for j := range x {
					x[j] = cconj(x[j])
				}
				p.forward(x, scratch)
				inv := complex(1/float64(a.n), 0)
				for j := range x {
					x[j] = cconj(x[j]) * inv
				}
			} else {
				p.forward(x, scratch)
			}
			for j, v := range x {
				dst[d+j*l.inner] = T(v)
			}
		}
	})
}

func defFFT(name string, inverse bool) *opDef {
	return &opDef{name: name, cpu: func(c *call) {
		a := c.attr.(fftAttr)
		in := c.args[0]
		switch x := in.data.(type) {
		case []complex64:
			fftLanes(c.out(0).([]complex64), x, in.shape, a, inverse)
		case []complex128:
			fftLanes(c.out(0).([]complex128), x, in.shape, a, inverse)
		}
	}}
}

var (
	fftOp  = defFFT("fft", false)
	ifftOp = defFFT("ifft", true)
)

// fftLength resolves a Length value for an axis of size n.
func fftLength(name string, t *Tensor, n, length int) int {
	switch {
	case length == PowerOfTwo:
		if n == 0 {
			panicf(name, []*Tensor{t}, "cannot pad an empty axis to a power of two")
		}
		return 1 << bits.Len(uint(n-1))
	case length < 1:
		panicf(name, []*Tensor{t}, "length %d: want a positive length or nx.PowerOfTwo", length)
	}
	return length
}

func fft(name string, op *opDef, t *Tensor, opts []Option) *Tensor {
	o := parseOptions(name, t, opts, "Axis", "Length")
	if t.Rank() == 0 {
		panicf(name, []*Tensor{t}, "want a tensor of rank 1 or more")
	}
	axis := t.Rank() - 1
	if o.given["Axis"] {
		axis = normAxis(name, t, o.axis, t.Rank())
	}
	n := t.shape[axis]
	if o.given["Length"] {
		n = fftLength(name, t, n, o.length)
	} else if n == 0 {
		panicf(name, []*Tensor{t}, "axis %d is empty: give a Length to transform it", axis)
	}
	ct := AsType(t, ComplexOf(t.dtype))
	shape := t.shape.Clone()
	shape[axis] = n
	return op.apply1(shape, ct.dtype, fftAttr{axis: axis, n: n}, ct)
}

// FFT returns the discrete Fourier transform of t along the Axis option (the
// last axis by default): X[k] = Σ x[j]·exp(-2πijk/n). The Length option pads
// the axis with zeros or cuts it to a length first (PowerOfTwo pads it to the
// next power of two). Real tensors become complex: f64 gives c128, every other
// type c64. Transforms of any length take O(n log n) time (Bluestein's
// algorithm for lengths that are not powers of two); they are computed in
// complex128 and, unlike Nx's eps option, tiny values are not rounded to zero.
func FFT(t *Tensor, opts ...Option) *Tensor { return fft("nx.FFT", fftOp, t, opts) }

// IFFT returns the inverse discrete Fourier transform of t along the Axis option
// (the last axis by default): x[j] = (1/n)·Σ X[k]·exp(2πijk/n), with the options
// and types of FFT.
func IFFT(t *Tensor, opts ...Option) *Tensor { return fft("nx.IFFT", ifftOp, t, opts) }

func fft2(name string, one func(*Tensor, ...Option) *Tensor, t *Tensor, opts []Option) *Tensor {
	o := parseOptions(name, t, opts, "Axes", "Lengths")
	if t.Rank() < 2 {
		panicf(name, []*Tensor{t}, "want a tensor of rank 2 or more")
	}
	axes := []int{t.Rank() - 2, t.Rank() - 1}
	if o.given["Axes"] {
		if len(o.axes) != 2 {
			panicf(name, []*Tensor{t}, "axes %v: want 2 axes", o.axes)
		}
		axes = normAxes(name, t, o.axes)
	}
	lengths := []int{t.shape[axes[0]], t.shape[axes[1]]}
	for i, a := range axes {
		if o.given["Lengths"] {
			lengths[i] = fftLength(name, t, t.shape[a], o.lengths[i])
		} else if lengths[i] == 0 {
			panicf(name, []*Tensor{t}, "axis %d is empty: give Lengths to transform it", a)
		}
	}
	out := one(t, Axis(axes[0]), Length(lengths[0]))
	return one(out, Axis(axes[1]), Length(lengths[1]))
}

// FFT2 returns the 2-D discrete Fourier transform of t over the Axes option (the
// last two axes by default): FFT along each of them. The Lengths option pads or
// cuts the two axes first, as Length does for FFT.
func FFT2(t *Tensor, opts ...Option) *Tensor { return fft2("nx.FFT2", FFT, t, opts) }

// IFFT2 returns the 2-D inverse discrete Fourier transform of t over the Axes
// option (the last two axes by default), with the options of FFT2.
func IFFT2(t *Tensor, opts ...Option) *Tensor { return fft2("nx.IFFT2", IFFT, t, opts) }

// Gradients, as in Nx: the transform of the gradient (the DFT matrix is
// symmetric), cut back to or padded out to the operand's length.
func init() {
	fftOp.vjp = func(g *gradCall) []*Tensor { return fftGrad(g, FFT) }
	ifftOp.vjp = func(g *gradCall) []*Tensor { return fftGrad(g, IFFT) }
}

func fftGrad(g *gradCall, transform func(*Tensor, ...Option) *Tensor) []*Tensor {
	a := g.attr.(fftAttr)
	x := g.args[0]
	d := transform(g.g(), Axis(a.axis))
	switch in := x.shape[a.axis]; {
	case in < a.n:
		d = SliceAlongAxis(d, 0, in, Axis(a.axis))
	case in > a.n:
		pads := make([][3]int, x.Rank())
		pads[a.axis] = [3]int{0, in - a.n, 0}
		d = Pad(d, Zeros(d.dtype), pads...)
	}
	return []*Tensor{d}
}
