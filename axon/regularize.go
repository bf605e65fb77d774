package axon

import "github.com/gonx-dev/gonx/nx"

// Regularizer returns the penalty for a parameter's value, a scalar that
// training adds to the loss (see KernelRegularizer and BiasRegularizer).
type Regularizer func(w *nx.Tensor) *nx.Tensor

// L1 returns the regularizer λ·Σ|w|.
func L1(lambda float64) Regularizer {
	return func(w *nx.Tensor) *nx.Tensor { return nx.Multiply(nx.Sum(nx.Abs(w)), nx.Number(lambda)) }
}

// L2 returns the regularizer λ·Σw².
func L2(lambda float64) Regularizer {
	return func(w *nx.Tensor) *nx.Tensor { return nx.Multiply(nx.Sum(nx.Square(w)), nx.Number(lambda)) }
}

// L1L2 returns the regularizer l1·Σ|w| + l2·Σw².
func L1L2(l1, l2 float64) Regularizer {
	a, b := L1(l1), L2(l2)
	return func(w *nx.Tensor) *nx.Tensor { return nx.Add(a(w), b(w)) }
}

// penalty returns the sum of the regularizers' penalties on params (the
// trainable parameters that are not frozen), or nil when no parameter has one.
func (g *graph) penalty(params map[string]map[string]*nx.Tensor) *nx.Tensor {
	var total *nx.Tensor
	for _, n := range g.order {
		name := g.names[n]
		for _, p := range n.params {
			if p.reg == nil || p.state {
				continue
			}
			w := params[name][p.name]
			if w == nil {
				continue
			}
			pen := nx.AsType(p.reg(w), nx.F32)
			if total == nil {
				total = pen
			} else {
				total = nx.Add(total, pen)
			}
		}
	}
	return total
}

// Penalty returns the total penalty of the regularizers of the model whose
// output is n on the parameters of state (0 when it has none): what training
// adds to the loss.
func (n *Node) Penalty(state *ModelState) *nx.Tensor {
	g := compileGraph(n)
	trainable, _ := state.split()
	if p := g.penalty(trainable); p != nil {
		return p
	}
	return nx.Scalar(float32(0))
}
