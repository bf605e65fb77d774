package axon

import "github.com/gonx-dev/gonx/nx"

// valueAndGradAux is nx.ValueAndGrad for a function that also returns other
// values (JAX's has_aux): the predictions and layer state a training step
// needs besides the loss, computed in the same pass as the gradients.
//
// The auxiliary values travel out as gradients: the loss gets an added term
// that is 0 but whose custom gradient with respect to extra zero "probe"
// arguments is the values themselves. A first trace on symbolic stand-ins
// (which computes nothing) learns their shapes.
func valueAndGradAux[P any](fn func(P) (*nx.Tensor, []*nx.Tensor)) func(P) (*nx.Tensor, P, []*nx.Tensor) {
	return func(p P) (*nx.Tensor, P, []*nx.Tensor) {
		leaves := nx.Leaves(p)
		sym := make([]*nx.Tensor, len(leaves))
		for i, l := range leaves {
			sym[i] = nx.Parameter("aux probe", l.DType(), l.Shape()...)
		}
		_, template := fn(nx.Replace(p, sym))
		probes := make([]*nx.Tensor, len(template))
		for i, t := range template {
			probes[i] = nx.Zeros(auxType(t.DType()), t.Shape()...)
		}
		vg := nx.ValueAndGrad(func(a []any) *nx.Tensor {
			loss, aux := fn(a[0].(P))
			ps := a[1].([]*nx.Tensor)
			if len(aux) == 0 {
				return loss
			}
			out := make([]*nx.Tensor, len(aux))
			for i, t := range aux {
				out[i] = nx.AsType(t, ps[i].DType())
			}
			carrier := nx.CustomGrad(nx.Zeros(loss.DType()), ps, func(*nx.Tensor) []*nx.Tensor { return out })
			return nx.Add(loss, carrier)
		})
		value, grads := vg([]any{p, probes})
		aux := grads[1].([]*nx.Tensor)
		for i, t := range template {
			if aux[i].DType() != t.DType() {
				aux[i] = nx.AsType(aux[i], t.DType())
			}
		}
		return value, grads[0].(P), aux
	}
}

// auxType is the float type that carries an auxiliary value of type dt.
func auxType(dt nx.DType) nx.DType {
	if dt.IsFloat() {
		return dt
	}
	return nx.F64
}
