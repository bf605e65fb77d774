package nx

// Gradient rule of the batched matrix product behind Dot and DotGeneral: for
// C = A·B, ∂A = G·Bᵀ and ∂B = Aᵀ·G, each produced directly in the layout its
// operand is stored in (transposed or not), by the same primitive.

func init() {
	matmulOp.vjp = func(g *gradCall) []*Tensor {
		attr := g.attr.(matmulAttr)
		a, b, grad := g.args[0], g.args[1], g.g()
		mm := func(x, y *Tensor, transX, transY bool, shape Shape) *Tensor {
			return matmulOp.apply1(shape, grad.dtype, matmulAttr{transA: transX, transB: transY}, x, y)
		}
		var da, db *Tensor
		if attr.transA {
			da = mm(b, grad, attr.transB, true, a.shape) // (G·Bᵀ)ᵀ = B·Gᵀ
		} else {
			da = mm(grad, b, false, !attr.transB, a.shape)
		}
		if attr.transB {
			db = mm(grad, a, true, attr.transA, b.shape) // (Aᵀ·G)ᵀ = Gᵀ·A
		} else {
			db = mm(a, grad, !attr.transA, false, b.shape)
		}
		return []*Tensor{da, db}
	}
}
