package nx

// Gradient rule of the convolution primitive. Convolutions without input
// dilation or groups, of f32 or f64, take the backward primitives of
// conv_backward.go (im2col products, no work on padding or stride zeros);
// every other one takes the standard transposition used
// by XLA, JAX and Nx, written with Conv itself so that it traces, compiles and
// differentiates again. Every option of the primitive is covered: strides,
// Same or explicit (also negative) padding, input and kernel dilation, feature
// groups and batch groups.
//
// Along one spatial axis, with input size n dilated by the input dilation D to
// ñ = (n-1)·D+1, kernel size k dilated by the kernel dilation R to k̃, stride S,
// low padding lo and output size m (dilated by S to m̃ = (m-1)·S+1):
//
//   - ∂input is the convolution of the output gradient, dilated by S, with the
//     spatially reversed kernel whose input and output channels are swapped
//     (per group), stepping by D, padded by (k̃-lo-1, ñ+k̃-1-m̃-(k̃-lo-1)).
//   - ∂kernel is the convolution of the input, with its batch and channel
//     axes swapped, by the output gradient, with its batch and channel axes
//     swapped, used as a kernel dilated by S, stepping by R, the input dilated
//     by D and padded by (lo, m̃+k̃-ñ-1-lo); feature groups of the forward
//     convolution become batch groups and batch groups become feature groups.
//
// The padding of the gradients depends only on the low padding and on the
// sizes, so Same padding needs no special case, and pads may come out negative
// (they crop), which Conv accepts.

func init() {
	convOp.vjp = func(g *gradCall) []*Tensor {
		a := g.attr.(convAttr)
		x, k, grad := g.args[0], g.args[1], g.g()
		if x.Size() == 0 || k.Size() == 0 || grad.Size() == 0 {
			return []*Tensor{Zeros(grad.dtype, x.shape...), Zeros(grad.dtype, k.shape...)}
		}
		// Operands that are not traced get no gradient: skip their work.
		var gx, gk *Tensor
		if convBackEligible(a, grad.dtype) && x.dtype == grad.dtype && k.dtype == grad.dtype {
			if x.expr != nil {
				gx = convBackInput(grad, k, a, x.shape)
			}
			if k.expr != nil {
				gk = convBackKernel(x, grad, a, k.shape)
			}
			return []*Tensor{gx, gk}
		}
		if x.expr != nil {
			gx = convInputGrad(x, k, grad, a)
		}
		if k.expr != nil {
			gk = convKernelGrad(x, k, grad, a)
		}
		return []*Tensor{gx, gk}
	}
}

// swapLeading returns the permutation of rank axes that swaps the first two.
func swapLeading(rank int) []int {
	perm := make([]int, rank)
	for i := range perm {
		perm[i] = i
	}
	perm[0], perm[1] = 1, 0
	return perm
}

// convInputGrad returns the gradient of a convolution with respect to its
// input x, given the gradient grad of its result.
func convInputGrad(x, k, grad *Tensor, a convAttr) *Tensor {
	ns := x.Rank() - 2
	groups := max(a.featGroups, a.batchGroups)
	// Kernel [O][C][sp] → [G][O/G][C][sp] → [G][C][O/G][sp] → [G·C][O/G][sp]:
	// each group's input and output channels swap places, the groups stay
	// in order along the new output channels.
	o, c, sp := k.shape[0], k.shape[1], k.shape[2:]
	kt := Reshape(k, append([]int{groups, o / groups, c}, sp...)...)
	perm := append([]int{0, 2, 1}, seq(3, ns+3)...)
	kt = Transpose(kt, Axes(perm...))
	kt = Reshape(kt, append([]int{groups * c, o / groups}, sp...)...)
	kt = Reverse(kt, Axes(seq(2, ns+2)...))

	pads := make([][2]int, ns)
	for d := range ns {
		in := dilateSize(x.shape[d+2], a.inDil[d])
		kd := dilateSize(sp[d], a.kDil[d])
		out := dilateSize(grad.shape[d+2], a.strides[d])
		before := kd - a.lo[d] - 1
		pads[d] = [2]int{before, in + kd - 1 - out - before}
	}
	gx := Conv(grad, kt, Strides(a.inDil...), Padded(Pads(pads...)), InputDilation(a.strides...),
		KernelDilation(a.kDil...), FeatureGroups(groups))
	if a.batchGroups > 1 {
		// [B/G][G·C][sp] → [B/G][G][C][sp] → [G][B/G][C][sp] → [B][C][sp]:
		// batch group g holds the items g·B/G ... (g+1)·B/G-1.
		bg := a.batchGroups
		n := gx.shape[0]
		gx = Reshape(gx, append([]int{n, bg, c}, x.shape[2:]...)...)
		gx = Transpose(gx, Axes(append([]int{1, 0, 2}, seq(3, ns+3)...)...))
		gx = Reshape(gx, x.shape...)
	}
	return gx
}

// convKernelGrad returns the gradient of a convolution with respect to its
// kernel k, given the gradient grad of its result.
func convKernelGrad(x, k, grad *Tensor, a convAttr) *Tensor {
	ns := x.Rank() - 2
	swap := Axes(swapLeading(ns + 2)...)
	pads := make([][2]int, ns)
	for d := range ns {
		in := dilateSize(x.shape[d+2], a.inDil[d])
		kd := dilateSize(k.shape[d+2], a.kDil[d])
		out := dilateSize(grad.shape[d+2], a.strides[d])
		pads[d] = [2]int{a.lo[d], out + kd - in - 1 - a.lo[d]}
	}
	opts := []Option{Strides(a.kDil...), Padded(Pads(pads...)), InputDilation(a.inDil...), KernelDilation(a.strides...)}
	switch {
	case a.featGroups > 1:
		opts = append(opts, BatchGroups(a.featGroups))
	case a.batchGroups > 1:
		opts = append(opts, FeatureGroups(a.batchGroups))
	}
	// Input [C][B][sp] convolved with kernel [O][B][out sp] gives [C/G][O][sp].
	gk := Conv(Transpose(x, swap), Transpose(grad, swap), opts...)
	return Transpose(gk, swap)
}
