package nx

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// ctrConvCases were computed with a hand-written correlation in NumPy
// (dilate, pad, slide, multiply and sum) on inputs ctrVals(n, 3, 11, 5) and
// kernels ctrVals(n, 5, 7, 3).
var ctrConvCases = []struct {
	name          string
	input, kernel []int
	opts          []Option
	shape         []int
	want          []float64
}{
	{"1d valid", []int{2, 3, 7}, []int{4, 3, 3}, nil, []int{2, 4, 5}, []float64{-2, 28, 14, -66, 19, 25, -14, -20, 29, 12, -60, 7, 30, -2, -23, 30, 7, -60, 16, 26, -32, -2, 28, 14, -66, 20, 25, -14, -20, 29, 16, -60, 7, 30, -2, -2, 30, 7, -60, 16}},
	{"1d strides pads", []int{2, 3, 7}, []int{4, 3, 3}, []Option{Strides(2), Padded(Pads([2]int{1, 2}))}, []int{2, 4, 4}, []float64{-18, 28, -66, 17, 16, -14, 29, -13, 15, 7, -2, 13, 0, 7, 16, -10, 22, -2, 14, 18, -46, 25, -20, 9, 19, -60, 30, -21, -21, 30, -60, 19}},
	{"2d same strides", []int{1, 2, 5, 5}, []int{3, 2, 3, 3}, []Option{Strides(2), Padded(Same)}, []int{1, 3, 3, 3}, []float64{-2, -11, -30, 11, -8, 30, -25, 2, -7, -28, 36, -27, 13, 12, -8, -17, -36, 34, -19, -15, 4, -27, 18, -11, 19, -18, -9}},
	{"2d same even kernel", []int{1, 1, 4, 5}, []int{2, 1, 2, 2}, []Option{Padded(Same)}, []int{1, 2, 4, 5}, []float64{7, -2, 11, -20, 12, 17, 8, -23, 1, 0, -17, 7, -2, 11, -12, 10, 7, 4, -21, 9, -22, -22, 11, 11, -12, 11, 22, 11, -22, -4, 11, -22, -22, 11, 15, -13, -1, 11, 12, -9}},
	{"2d dilations", []int{2, 2, 4, 5}, []int{2, 2, 2, 3}, []Option{KernelDilation(2, 1), InputDilation(1, 2), Padded(Pads([2]int{1, 0}, [2]int{2, 1}))}, []int{2, 2, 3, 10}, []float64{11, -11, -8, 14, -2, 17, -7, -13, 21, -10, -6, 5, 10, -28, 10, 5, -12, 27, -12, 5, 7, -28, 10, 5, -12, 27, -12, 5, 10, -28, 2, 8, -18, -8, 6, -2, 19, 4, -12, 10, 9, -1, 23, 5, 3, 0, -39, -16, 18, 1, 7, 7, 0, 2, -42, -14, 15, 3, 17, 9, 7, -12, -10, 13, -4, 16, -9, -14, 19, -11, -12, 27, -12, 5, 10, -28, 10, 5, -12, 5, 1, -28, 10, 5, -12, 27, -12, 5, 10, -28, 4, 6, -15, -10, 9, -4, 22, 2, -9, 8, -18, -14, 15, 3, 17, 9, -3, 4, -12, -1, 13, 5, 3, 0, -39, -16, 18, 1, 20, 7}},
	{"2d negative pads", []int{1, 2, 5, 6}, []int{2, 2, 2, 2}, []Option{Padded(Pads([2]int{-1, 1}, [2]int{0, -2})), Strides(1, 2)}, []int{1, 2, 4, 2}, []float64{1, 27, 24, -60, -30, 18, 9, 5, 25, -18, -16, 18, -2, 10, 10, -11}},
	{"3d", []int{1, 2, 4, 4, 3}, []int{2, 2, 2, 3, 2}, []Option{Strides(1, 2, 1), Padded(Pads([2]int{0, 1}, [2]int{1, 1}, [2]int{0, 0}))}, []int{1, 2, 4, 2, 2}, []float64{18, -15, -40, 23, -15, 18, 23, -24, 18, -26, -24, 17, 8, 27, 2, -37, -21, 7, 16, -11, 7, 13, -11, -16, 13, -25, -16, 56, 1, -21, 29, -39}},
	{"3d same dilated", []int{2, 1, 3, 4, 4}, []int{1, 1, 2, 2, 3}, []Option{Padded(Same), KernelDilation(1, 2, 1), Strides(2, 1, 2)}, []int{2, 1, 2, 4, 2}, []float64{-4, 17, -2, -6, 4, 27, -1, 12, 8, 7, 18, 20, -9, 21, 10, 9, 1, 9, 4, 27, -23, 27, 0, 9, 12, 9, -9, 21, -3, 22, -10, 8}},
	{"feature groups", []int{2, 4, 5, 5}, []int{6, 2, 3, 3}, []Option{FeatureGroups(2)}, []int{2, 6, 3, 3}, []float64{35, 59, 6, 23, -8, -28, -55, 35, 59, -10, 1, 1, -21, 12, 56, -10, -10, 1, -69, 6, 59, -2, 18, -28, 21, -69, 6, -18, -21, 42, -44, -3, 5, -4, -18, -21, -40, 21, -6, 23, -26, -42, -13, -40, 21, -6, 21, -40, 41, -42, -26, -22, -6, 21, 59, 6, -69, -8, -28, 18, 35, 59, 6, 1, 1, -10, 12, 56, 12, -10, 1, 1, 6, 59, 35, 18, -28, -8, -69, 6, 59, -21, 42, 39, -3, 5, 24, -18, -21, 42, 21, -6, -22, -26, -42, 41, -40, 21, -6, 21, -40, -13, -42, -26, 23, -6, 21, -40}},
	{"depthwise", []int{1, 3, 4, 4}, []int{3, 1, 2, 2}, []Option{FeatureGroups(3), Padded(Same)}, []int{1, 3, 4, 4}, []float64{13, 4, -5, -12, 10, 1, 14, -15, 7, -2, -11, 15, 8, 5, -20, 12, -10, 23, 23, -7, -10, 12, -10, -5, -10, 12, -10, -3, 11, 12, -9, 0, -14, -5, 4, -2, -11, -2, 7, -2, 14, 1, 10, -2, -10, -4, 2, 8}},
	{"batch groups", []int{4, 2, 5}, []int{6, 2, 3}, []Option{BatchGroups(2)}, []int{2, 6, 3}, []float64{24, 16, -14, 24, -12, -15, -18, -5, 19, -12, 16, -11, 10, -12, 10, -10, -5, -11, -12, 24, 16, 16, 24, -12, 2, -18, -5, -7, -12, 16, -12, 10, -12, 18, -10, -5}},
	{"batch groups 2d", []int{6, 1, 3, 3}, []int{3, 1, 2, 2}, []Option{BatchGroups(3), Strides(1, 2)}, []int{2, 3, 2, 1}, []float64{19, -30, 24, -9, 19, 13, 4, 10, 2, 2, 1, -27}},
}

func TestConvNumPy(t *testing.T) {
	for _, tc := range ctrConvCases {
		iv := ctrVals(Shape(tc.input).Size(), 3, 11, 5)
		kv := ctrVals(Shape(tc.kernel).Size(), 5, 7, 3)
		for _, dt := range []DType{F32, F64, F16, C64, S32} {
			want := dt
			if dt == S32 {
				want = F32
			}
			got := Conv(ctrTensor(dt, iv, tc.input...), ctrTensor(dt, kv, tc.kernel...), tc.opts...)
			ctrWant(t, tc.name+" "+dt.String(), got, want, tc.shape, tc.want, 0)
		}
		// A wide kernel type, a narrow input type: they merge.
		got := Conv(ctrTensor(S8, iv, tc.input...), ctrTensor(F64, kv, tc.kernel...), tc.opts...)
		ctrWant(t, tc.name+" s8*f64", got, F64, tc.shape, tc.want, 0)
	}
}

func TestConvKnownValues(t *testing.T) {
	// Nx.conv documentation.
	got := Conv(Iota(Shape{1, 1, 3, 3}), Iota(Shape{4, 1, 1, 1}), Strides(1, 1))
	want := make([]float64, 0, 36)
	for f := 0; f < 4; f++ {
		for i := 0; i < 9; i++ {
			want = append(want, float64(f*i))
		}
	}
	ctrWant(t, "iota", got, F32, []int{1, 4, 3, 3}, want, 0)
	got = Conv(Iota(Shape{1, 1, 3, 3}), Iota(Shape{4, 1, 2, 1}), Strides(2), Padded(Same), KernelDilation(2, 1))
	ctrWant(t, "same strides dilation", got, F32, []int{1, 4, 2, 2},
		[]float64{3, 5, 0, 0, 9, 15, 6, 10, 15, 25, 12, 20, 21, 35, 18, 30}, 0)
	c := Conv(FromSlice([]complex64{1 + 1i, 2, 3 - 3i}, 1, 1, 3), FromSlice([]complex64{1, 2i, 3i}, 1, 1, 3), Padded(Pads([2]int{2, 2})))
	wantC := []complex128{-3 + 3i, -2 + 8i, 10 + 14i, 8 + 6i, 3 - 3i}
	if c.DType() != C64 || !c.shape.Equal(Shape{1, 1, 5}) {
		t.Fatalf("complex conv: %s%v", c.DType(), c.shape)
	}
	for i, v := range c.Complex128s() {
		if v != wantC[i] {
			t.Fatalf("complex conv = %v, want %v", c.Complex128s(), wantC)
		}
	}
}

// ctrDirectConv is a direct (loop) convolution, independent of im2col: the
// second implementation the GEMM path is checked against.
func ctrDirectConv(in, ker []float64, is, ks []int, strides, lo, idil, kdil []int, fg, bg int, os []int) []float64 {
	ns := len(is) - 2
	n, c, o, kc := is[0], is[1], ks[0], ks[1]
	g := fg * bg
	og := o / g
	outN := n / bg
	out := make([]float64, outN*o*Shape(os).Size())
	ksp, osp, isp := Shape(ks[2:]), Shape(os), Shape(is[2:])
	ist := isp.Strides()
	for i := 0; i < outN; i++ {
		for oc := 0; oc < o; oc++ {
			grp := oc / og
			b, c0 := i, 0
			if bg > 1 {
				b = i + grp*outN
			}
			if fg > 1 {
				c0 = grp * kc
			}
			for p := 0; p < osp.Size(); p++ {
				var s float64
				for ch := 0; ch < kc; ch++ {
					for kp := 0; kp < ksp.Size(); kp++ {
						off, ok := 0, true
						rp, rk := p, kp
						for d := ns - 1; d >= 0; d-- {
							od, kd := rp%os[d], rk%ks[d+2]
							rp, rk = rp/os[d], rk/ks[d+2]
							q := od*strides[d] + kd*kdil[d] - lo[d]
							if q < 0 || q%idil[d] != 0 || q/idil[d] >= is[d+2] {
								ok = false
								break
							}
							off += q / idil[d] * ist[d]
						}
						if ok {
							s += in[((b*c)+c0+ch)*isp.Size()+off] * ker[(oc*kc+ch)*ksp.Size()+kp]
						}
					}
				}
				out[(i*o+oc)*osp.Size()+p] = s
			}
		}
	}
	return out
}

func TestConvRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	saved := convColLimit
	defer func() { convColLimit = saved }()
	checked := 0
	for iter := 0; iter < 80; iter++ {
		if iter%3 == 0 {
			convColLimit = 7 // split the im2col matrix into column chunks
		} else {
			convColLimit = saved
		}
		ns := 1 + r.IntN(3)
		fg, bg := 1, 1
		switch r.IntN(4) {
		case 0:
			fg = 1 + r.IntN(3)
		case 1:
			bg = 1 + r.IntN(3)
		}
		kc := 1 + r.IntN(3)
		o := fg * bg * (1 + r.IntN(3))
		is := []int{bg * (1 + r.IntN(3)), kc * fg}
		ks := []int{o, kc}
		strides, lo, hi, idil, kdil := make([]int, ns), make([]int, ns), make([]int, ns), make([]int, ns), make([]int, ns)
		var pads [][2]int
		os := make([]int, ns)
		for d := 0; d < ns; d++ {
			is = append(is, 1+r.IntN(6))
			ks = append(ks, 1+r.IntN(3))
			strides[d], idil[d], kdil[d] = 1+r.IntN(2), 1+r.IntN(2), 1+r.IntN(2)
			lo[d], hi[d] = r.IntN(4)-1, r.IntN(4)-1
			pads = append(pads, [2]int{lo[d], hi[d]})
		}
		valid := true
		for d := 0; d < ns; d++ {
			din, kd := dilateSize(is[d+2], idil[d]), dilateSize(ks[d+2], kdil[d])
			if din+lo[d]+hi[d] < kd {
				valid = false
				break
			}
			os[d] = (din+lo[d]+hi[d]-kd)/strides[d] + 1
		}
		if !valid {
			continue
		}
		checked++
		in := ctrVals(Shape(is).Size(), 7, 13, 6)
		ker := ctrVals(Shape(ks).Size(), 3, 5, 2)
		want := ctrDirectConv(in, ker, is, ks, strides, lo, idil, kdil, fg, bg, os)
		opts := []Option{Strides(strides...), Padded(Pads(pads...)), InputDilation(idil...), KernelDilation(kdil...), FeatureGroups(fg), BatchGroups(bg)}
		name := fmt.Sprintf("case %d: %v * %v strides %v pads %v idil %v kdil %v fg %d bg %d", iter, is, ks, strides, pads, idil, kdil, fg, bg)
		for _, dt := range []DType{F32, C128} {
			got := Conv(ctrTensor(dt, in, is...), ctrTensor(dt, ker, ks...), opts...)
			ctrWant(t, name+" "+dt.String(), got, dt, append([]int{is[0] / bg, o}, os...), want, 0)
		}
	}
	if checked < 40 {
		t.Fatalf("only %d random cases were valid convolutions", checked)
	}
}

func TestConvLarge(t *testing.T) {
	// Big enough for the packed GEMM and goroutines: 2×16×20×20 by 32×16×3×3.
	is, ks := []int{2, 16, 20, 20}, []int{32, 16, 3, 3}
	in, ker := ctrVals(Shape(is).Size(), 7, 13, 6), ctrVals(Shape(ks).Size(), 3, 5, 2)
	os := []int{20, 20}
	want := ctrDirectConv(in, ker, is, ks, []int{1, 1}, []int{1, 1}, []int{1, 1}, []int{1, 1}, 1, 1, os)
	got := Conv(ctrTensor(F64, in, is...), ctrTensor(F64, ker, ks...), Padded(Same))
	ctrWant(t, "large", got, F64, []int{2, 32, 20, 20}, want, 0)
	// Depthwise with many groups runs the groups in parallel.
	ks = []int{16, 1, 3, 3}
	ker = ctrVals(Shape(ks).Size(), 3, 5, 2)
	want = ctrDirectConv(in, ker, is, ks, []int{2, 2}, []int{0, 0}, []int{1, 1}, []int{1, 1}, 16, 1, []int{9, 9})
	got = Conv(ctrTensor(F32, in, is...), ctrTensor(F32, ker, ks...), FeatureGroups(16), Strides(2))
	ctrWant(t, "depthwise", got, F32, []int{2, 16, 9, 9}, want, 0)
}

func TestConvErrors(t *testing.T) {
	x := Ones(F32, 2, 4, 5, 5)
	tests := []struct {
		name string
		fn   func()
		want []string
	}{
		{"rank", func() { Conv(Ones(F32, 4, 5), Ones(F32, 4, 5)) }, []string{"f32[4][5], f32[4][5]", "input must have rank 3 or more"}},
		{"kernel rank", func() { Conv(x, Ones(F32, 2, 4, 3)) }, []string{"kernel must have the input's rank 4"}},
		{"channels", func() { Conv(x, Ones(F32, 2, 3, 3, 3)) }, []string{"input's 4 channels must equal the kernel's 3 input channels times FeatureGroups (1)"}},
		{"groups channels", func() { Conv(x, Ones(F32, 2, 4, 3, 3), FeatureGroups(2)) }, []string{"input's 4 channels must equal the kernel's 4 input channels times FeatureGroups (2)"}},
		{"groups outputs", func() { Conv(x, Ones(F32, 3, 2, 3, 3), FeatureGroups(2)) }, []string{"FeatureGroups (2) must divide the kernel's 3 output channels"}},
		{"both groups", func() { Conv(x, Ones(F32, 4, 2, 3, 3), FeatureGroups(2), BatchGroups(2)) }, []string{"cannot both exceed 1"}},
		{"batch groups", func() { Conv(x, Ones(F32, 3, 4, 3, 3), BatchGroups(3)) }, []string{"BatchGroups (3) must divide the batch size 2"}},
		{"batch group outputs", func() { Conv(x, Ones(F32, 3, 4, 3, 3), BatchGroups(2)) }, []string{"BatchGroups (2) must divide the kernel's 3 output channels"}},
		{"zero groups", func() { Conv(x, Ones(F32, 3, 4, 3, 3), FeatureGroups(0)) }, []string{"at least 1"}},
		{"strides", func() { Conv(x, Ones(F32, 2, 4, 3, 3), Strides(1, 2, 3)) }, []string{"Strides has 3 values [1 2 3]: want 1 or 2"}},
		{"zero stride", func() { Conv(x, Ones(F32, 2, 4, 3, 3), Strides(0)) }, []string{"each value must be at least 1"}},
		{"dilation", func() { Conv(x, Ones(F32, 2, 4, 3, 3), KernelDilation(0, 1)) }, []string{"KernelDilation [0 1]"}},
		{"pads", func() { Conv(x, Ones(F32, 2, 4, 3, 3), Padded(Pads([2]int{1, 1}))) }, []string{"1 (low, high) pairs", "one per spatial axis (2)"}},
		{"too big", func() { Conv(x, Ones(F32, 2, 4, 6, 3)) }, []string{"kernel (size 6 along axis 2, dilated) does not fit in the padded input (size 5)"}},
		{"dilated too big", func() { Conv(x, Ones(F32, 2, 4, 3, 3), KernelDilation(3)) }, []string{"size 7 along axis 2"}},
		{"option", func() { Conv(x, Ones(F32, 2, 4, 3, 3), Axes(0)) }, []string{"option Axes is not supported"}},
	}
	for _, tc := range tests {
		ctrPanics(t, tc.name, tc.fn, "nx.Conv", tc.want...)
	}
}
