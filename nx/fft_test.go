package nx

import (
	"math"
	"math/cmplx"
	"testing"
)

// fftClose fails unless got has type dt and the given shape, and every element
// is within tol·max(1, max|want|) of want.
func fftClose(t *testing.T, name string, got *Tensor, dt DType, shape Shape, want []complex128, tol float64) {
	t.Helper()
	if got.DType() != dt || !got.Shape().Equal(shape) {
		t.Fatalf("%s: got %s, want %s%s", name, got.describe(), dt, shape)
	}
	scale := 1.0
	for _, w := range want {
		scale = max(scale, cmplx.Abs(w))
	}
	g := got.Complex128s()
	for i, w := range want {
		if d := cmplx.Abs(g[i] - w); !(d <= tol*scale) {
			t.Fatalf("%s: element %d is %v, want %v (off by %.3g, tolerance %.3g)", name, i, g[i], w, d, tol*scale)
		}
	}
}

// refDFT is the direct O(n²) discrete Fourier transform (inverse: with the
// conjugate twiddles, divided by n), the reference for FFT and IFFT.
func refDFT(x []complex128, inverse bool) []complex128 {
	n := len(x)
	sign := -1.0
	if inverse {
		sign = 1
	}
	tw := make([]complex128, n)
	for k := range tw {
		s, c := math.Sincos(sign * 2 * math.Pi * float64(k) / float64(n))
		tw[k] = complex(c, s)
	}
	out := make([]complex128, n)
	for k := range out {
		var s complex128
		for j, v := range x {
			s += v * tw[j*k%n]
		}
		if inverse {
			s /= complex(float64(n), 0)
		}
		out[k] = s
	}
	return out
}

// fftInput is a deterministic complex test signal (also used for the NumPy values).
func fftInput(n int) []complex128 {
	x := make([]complex128, n)
	for j := range x {
		x[j] = complex(math.Sin(0.37*float64(j))+0.1*float64(j%3), math.Cos(1.3*float64(j)))
	}
	return x
}

func TestFFTNxExamples(t *testing.T) {
	c := func(v ...complex128) []complex128 { return v }
	const tol = 1e-6
	fftClose(t, "fft", FFT(FromSlice([]int32{1, 1, 0, 0})), C64, Shape{4}, c(2, 1-1i, 0, 1+1i), tol)
	fftClose(t, "fft 6", FFT(FromSlice([]int32{1, 1, 1, 0, 1, 1})), C64, Shape{6}, c(5, 1, -1, 1, -1, 1), tol)
	m := FromSlice([]int32{1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1}, 2, 6)
	fftClose(t, "axis -1", FFT(m, Axis(-1)), C64, Shape{2, 6}, c(5, 1, -1, 1, -1, 1, 5, 1, -1, 1, -1, 1), tol)
	fftClose(t, "axis -2", FFT(m, Axis(-2)), C64, Shape{2, 6}, c(2, 2, 2, 0, 2, 2, 0, 0, 0, 0, 0, 0), tol)
	fftClose(t, "pad", FFT(FromSlice([]int32{1, 1}), Length(4)), C64, Shape{4}, c(2, 1-1i, 0, 1+1i), tol)
	fftClose(t, "power of two", FFT(FromSlice([]int32{1, 1, 0}), Length(PowerOfTwo)), C64, Shape{4}, c(2, 1-1i, 0, 1+1i), tol)
	fftClose(t, "cut", FFT(FromSlice([]int32{1, 1, 0, 0, 2, 3}), Length(4)), C64, Shape{4}, c(2, 1-1i, 0, 1+1i), tol)
	fftClose(t, "2d cut", FFT(FromSlice([]int32{1, 1, 0, 0, 2, 3, 1, 0, 0, 0, 2, 3}, 2, 6), Length(4)), C64, Shape{2, 4},
		c(2, 1-1i, 0, 1+1i, 1, 1, 1, 1), tol)
	fftClose(t, "ifft", IFFT(FromSlice([]complex64{2, 1 - 1i, 0, 1 + 1i})), C64, Shape{4}, c(1, 1, 0, 0), tol)

	fftClose(t, "fft2", FFT2(FromSlice([]int32{1, 0, 1, 0, 1, 1, 1, 1}, 2, 4)), C64, Shape{2, 4}, c(6, 0, 2, 0, -2, 0, 2, 0), tol)
	b := FromSlice([]int32{1, 0, 1, 0, 1, 1, 1, 1}, 2, 1, 4)
	fftClose(t, "fft2 axes 0 -1", FFT2(b, Axes(0, -1)), C64, Shape{2, 1, 4}, c(6, 0, 2, 0, -2, 0, 2, 0), tol)
	fftClose(t, "fft2 axes -2 -1", FFT2(b, Axes(-2, -1)), C64, Shape{2, 1, 4}, c(2, 0, 2, 0, 4, 0, 0, 0), tol)
	sq := FromSlice([]int32{1, 1, 1, 0}, 2, 2)
	fftClose(t, "fft2 lengths 2 4", FFT2(sq, Lengths(2, 4)), C64, Shape{2, 4}, c(3, 2-1i, 1, 2+1i, 1, -1i, -1, 1i), tol)
	fftClose(t, "fft2 lengths 4 2", FFT2(sq, Lengths(4, 2)), C64, Shape{4, 2}, c(3, 1, 2-1i, -1i, 1, -1, 2+1i, 1i), tol)
	p2 := FromSlice([]int32{1, 1, 0, 1, 1, 0, 1, 1, -1}, 3, 3)
	fftClose(t, "fft2 powers of two", FFT2(p2, Lengths(PowerOfTwo, PowerOfTwo)), C64, Shape{4, 4},
		c(5, 4-3i, -1, 4+3i, 1-2i, -2-1i, 1, -1i, 1, 2-1i, -1, 2+1i, 1+2i, 1i, 1, -2+1i), tol)
	fftClose(t, "fft2 axes 0 2 lengths", FFT2(FromSlice([]int32{1, 1, 0, 0, 2, 3}, 1, 1, 6), Axes(0, 2), Lengths(2, 4)), C64, Shape{2, 1, 4},
		c(2, 1-1i, 0, 1+1i, 2, 1-1i, 0, 1+1i), tol)
	fftClose(t, "ifft2", IFFT2(FromSlice([]int32{6, 0, 2, 0, -2, 0, 2, 0}, 2, 4)), C64, Shape{2, 4}, c(1, 0, 1, 0, 1, 1, 1, 1), tol)
}

func TestFFTNumPy(t *testing.T) {
	// np.fft.fft / ifft / fft2 / ifft2 of float64 inputs.
	r := FromSlice([]float64{1, 2, 3, 4, 5, 6, 7})
	fftClose(t, "fft 7", FFT(r), C128, Shape{7}, []complex128{complex(28.0, 0.0), complex(-3.5000000000000018, 7.267824888003178), complex(-3.500000000000001, 2.7911568610884143), complex(-3.5000000000000013, 0.7988521603655251), complex(-3.5000000000000013, -0.7988521603655251), complex(-3.500000000000001, -2.7911568610884143), complex(-3.5000000000000018, -7.267824888003178)}, 1e-14)
	fftClose(t, "ifft 7", IFFT(r), C128, Shape{7}, []complex128{complex(4.0, 0.0), complex(-0.5000000000000002, -1.0382606982861682), complex(-0.5000000000000001, -0.398736694441202), complex(-0.5000000000000001, -0.11412173719507501), complex(-0.5000000000000001, 0.11412173719507501), complex(-0.5000000000000001, 0.398736694441202), complex(-0.5000000000000002, 1.0382606982861682)}, 1e-14)
	fftClose(t, "fft 7 pad 8", FFT(r, Length(8)), C128, Shape{8}, []complex128{complex(28.0, 0.0), complex(-9.65685424949238, 4.0), complex(-4.0, -4.0), complex(1.6568542494923806, -4.0), complex(4.0, 0.0), complex(1.6568542494923806, 4.0), complex(-4.0, 4.0), complex(-9.65685424949238, -4.0)}, 1e-14)
	fftClose(t, "fft 7 cut 3", FFT(r, Length(3)), C128, Shape{3}, []complex128{complex(6.0, 0.0), complex(-1.5, 0.8660254037844386), complex(-1.5, -0.8660254037844386)}, 1e-14)
	fftClose(t, "fft 7 f32", FFT(AsType(r, F32)), C64, Shape{7}, []complex128{complex(28.0, 0.0), complex(-3.5000000000000018, 7.267824888003178), complex(-3.500000000000001, 2.7911568610884143), complex(-3.5000000000000013, 0.7988521603655251), complex(-3.5000000000000013, -0.7988521603655251), complex(-3.500000000000001, -2.7911568610884143), complex(-3.5000000000000018, -7.267824888003178)}, 1e-6)
	m := FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	fftClose(t, "fft2", FFT2(m), C128, Shape{2, 3}, []complex128{complex(21.0, 0.0), complex(-3.0, 1.7320508075688772), complex(-3.0, -1.7320508075688772), complex(-9.0, 0.0), complex(0.0, 0.0), complex(0.0, 0.0)}, 1e-14)
	fftClose(t, "ifft2", IFFT2(m), C128, Shape{2, 3}, []complex128{complex(3.5, 0.0), complex(-0.5, -0.28867513459481287), complex(-0.5, 0.28867513459481287), complex(-1.5, 0.0), complex(0.0, 0.0), complex(0.0, 0.0)}, 1e-14)

	// Spot values of np.fft.fft(fftInput(n)) for the DFT, radix-2-free
	// composite and Bluestein paths.
	spots := []struct {
		n       int
		inverse bool
		at      []int
		want    []complex128
	}{
		{5, false, []int{0, 1, 2, 4}, []complex128{complex(3.3274828738107947, 0.1531944423558771), complex(-1.2188100176056258, 3.1237776231438596), complex(-0.7066933570217976, 0.2678813459623919), complex(-0.6825028202407903, 1.8921632413123515)}},
		{6, false, []int{0, 1, 2, 5}, []complex128{complex(4.488758076786095, 1.1297820680839008), complex(-2.8312614262006717, 3.3399898173104097), complex(-0.367085153626164, 0.2602285361600719), complex(0.692585933615053, 1.7443333275110515)}},
		{100, false, []int{0, 1, 33, 99}, []complex128{complex(10.848535518344832, 0.07189838301827844), complex(0.8085336109668315, 0.37567281039676903), complex(-3.0690676049373247, -1.3190082247797235), complex(0.9260553825654485, -0.23518089697812872)}},
		{1000, false, []int{0, 1, 333, 999}, []complex128{complex(100.86714563988653, -0.2889392519654548), complex(0.8665356353816849, -0.2589628832551387), complex(-40.97477910599496, -23.626561374517124), complex(0.8681289697982153, -0.318936199152573)}},
		{100, true, []int{0, 1, 33, 99}, []complex128{complex(0.10848535518344832, 0.0007189838301827845), complex(0.009260553825654477, -0.002351808969781306), complex(-0.04668216786399828, 0.03882439972979644), complex(0.008085336109668297, 0.0037567281039676817)}},
	}
	for _, s := range spots {
		op := FFT
		if s.inverse {
			op = IFFT
		}
		got := op(FromSlice(fftInput(s.n))).Complex128s()
		for i, k := range s.at {
			if d := cmplx.Abs(got[k] - s.want[i]); d > 1e-12*max(1, cmplx.Abs(s.want[i])) {
				t.Errorf("n=%d inverse=%v: X[%d] = %v, NumPy %v", s.n, s.inverse, k, got[k], s.want[i])
			}
		}
	}
}

// TestFFTAgainstDFT compares every algorithm (radix-2, direct DFT, Bluestein)
// with the direct transform, in c128 and c64, forward, inverse and round trip.
func TestFFTAgainstDFT(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 7, 8, 16, 31, 32, 63, 64, 65, 96, 100, 127, 128, 255, 256, 500, 512} {
		x := fftInput(n)
		want, wantInv := refDFT(x, false), refDFT(x, true)
		c128 := FromSlice(x)
		fftClose(t, "c128 fft", FFT(c128), C128, Shape{n}, want, 1e-12)
		fftClose(t, "c128 ifft", IFFT(c128), C128, Shape{n}, wantInv, 1e-12)
		fftClose(t, "c128 round trip", IFFT(FFT(c128)), C128, Shape{n}, x, 1e-12)
		c64 := AsType(c128, C64)
		fftClose(t, "c64 fft", FFT(c64), C64, Shape{n}, want, 1e-5)
		fftClose(t, "c64 ifft", IFFT(c64), C64, Shape{n}, wantInv, 1e-5)
	}
}

func TestFFTBatchesAndTypes(t *testing.T) {
	// A batch along a middle axis matches the transforms of each lane.
	const a, n, b = 3, 45, 4
	x := FromSlice(fftInput(a*n*b), a, n, b)
	got := FFT(x, Axis(1), Length(50)).Complex128s()
	lanes := Transpose(x, Axes(0, 2, 1)).Complex128s()
	for i := 0; i < a; i++ {
		for k := 0; k < b; k++ {
			lane := append(append([]complex128{}, lanes[(i*b+k)*n:(i*b+k+1)*n]...), make([]complex128, 5)...)
			want := refDFT(lane, false)
			for j, w := range want {
				if g := got[(i*50+j)*b+k]; cmplx.Abs(g-w) > 1e-12*50 {
					t.Fatalf("lane (%d, %d) X[%d] = %v, want %v", i, k, j, g, w)
				}
			}
		}
	}
	// Many lanes, transformed in parallel, match one-lane transforms.
	rows := FromSlice(fftInput(64*256), 64, 256)
	all := IFFT(rows).Complex128s()
	for r := 0; r < 64; r++ {
		one := FromSlice(append([]complex128{}, rows.Complex128s()[r*256:(r+1)*256]...))
		fftClose(t, "parallel lanes", FromSlice(all[r*256:(r+1)*256]), C128, Shape{256}, IFFT(one).Complex128s(), 0)
	}
	types := []struct{ in, out DType }{
		{U8, C64}, {S64, C64}, {F16, C64}, {BF16, C64}, {F32, C64}, {F64, C128}, {C64, C64}, {C128, C128},
	}
	for _, tc := range types {
		in := AsType(FromSlice([]float64{1, 1, 0, 0}), tc.in)
		fftClose(t, "type "+tc.in.String(), FFT(in), tc.out, Shape{4}, []complex128{2, 1 - 1i, 0, 1 + 1i}, 1e-6)
		fftClose(t, "ifft type "+tc.in.String(), IFFT(in), tc.out, Shape{4}, []complex128{0.5, 0.25 + 0.25i, 0, 0.25 - 0.25i}, 1e-6)
	}
	// Empty batches, and an empty axis padded by Length.
	fftClose(t, "empty batch", FFT(Zeros(F32, 0, 8)), C64, Shape{0, 8}, nil, 0)
	fftClose(t, "padded empty axis", FFT(Zeros(F64, 2, 0), Length(3)), C128, Shape{2, 3}, make([]complex128, 6), 0)
}

func TestFFTErrors(t *testing.T) {
	v := FromSlice([]float32{1, 2, 3})
	tests := []struct {
		name  string
		fn    func()
		parts []string
	}{
		{"fft scalar", func() { FFT(Scalar(1.0)) }, []string{"nx.FFT(f64)", "want a tensor of rank 1 or more"}},
		{"fft zero length", func() { FFT(v, Length(0)) }, []string{"nx.FFT(f32[3])", "length 0: want a positive length or nx.PowerOfTwo"}},
		{"ifft negative length", func() { IFFT(v, Length(-3)) }, []string{"nx.IFFT(f32[3])", "length -3"}},
		{"fft empty axis", func() { FFT(Zeros(F32, 3, 0)) }, []string{"nx.FFT(f32[3][0])", "axis 1 is empty"}},
		{"fft empty power of two", func() { FFT(Zeros(F32, 0), Length(PowerOfTwo)) }, []string{"cannot pad an empty axis"}},
		{"fft bad axis", func() { FFT(v, Axis(1)) }, []string{"nx.FFT(f32[3])", "axis 1 is out of range"}},
		{"fft bad option", func() { FFT(v, Axes(0)) }, []string{"option Axes is not supported (takes: Axis, Length)"}},
		{"fft2 rank 1", func() { FFT2(v) }, []string{"nx.FFT2(f32[3])", "want a tensor of rank 2 or more"}},
		{"fft2 one axis", func() { FFT2(Zeros(F32, 2, 2), Axes(0)) }, []string{"nx.FFT2(f32[2][2])", "axes [0]: want 2 axes"}},
		{"ifft2 same axis", func() { IFFT2(Zeros(F32, 2, 2), Axes(1, -1)) }, []string{"nx.IFFT2(f32[2][2])", "given twice"}},
		{"fft2 bad length", func() { FFT2(Zeros(F32, 2, 2), Lengths(2, 0)) }, []string{"nx.FFT2(f32[2][2])", "length 0"}},
		{"fft2 bad option", func() { FFT2(Zeros(F32, 2, 2), Length(2)) }, []string{"option Length is not supported (takes: Axes, Lengths)"}},
	}
	for _, tc := range tests {
		ordPanics(t, tc.name, tc.fn, tc.parts...)
	}
}

func TestFFTGrad(t *testing.T) {
	// Linear functionals of transforms of real inputs: Real(Σ w·FFT(x)).
	x := []float64{0.3, -1.2, 2.5, 0.9, -0.4}
	w := func(n int) *Tensor { return FromSlice(fftInput(n)) }
	for _, tc := range []struct {
		name string
		fn   func(*Tensor, ...Option) *Tensor
		n    int
		opts []Option
	}{
		{"FFT", FFT, 5, nil}, {"IFFT", IFFT, 5, nil},
		{"FFT pad", FFT, 8, []Option{Length(8)}}, {"IFFT cut", IFFT, 3, []Option{Length(3)}},
	} {
		ordGradCheck(t, tc.name, func(x *Tensor) *Tensor {
			return Real(Sum(Multiply(tc.fn(x, tc.opts...), w(tc.n))))
		}, x)
	}
	ordGradCheck(t, "FFT axis 0", func(x *Tensor) *Tensor {
		return Real(Sum(Multiply(FFT(x, Axis(0), Length(2)), Reshape(w(8), 2, 4))))
	}, []float64{0.3, -1.2, 2.5, 0.9, -0.4, 1.7, 0.2, -2, 1, 1, 1, 3}, 3, 4)
	ordGradCheck(t, "FFT2", func(x *Tensor) *Tensor {
		return Real(Sum(Multiply(FFT2(x, Lengths(4, 3)), Reshape(w(12), 4, 3))))
	}, []float64{0.3, -1.2, 2.5, 0.9, -0.4, 1.7, 0.2, -2, 1, 1, 1, 3}, 3, 4)
}
