// Package optim holds gradient-based optimizers and learning-rate schedules,
// after Elixir's Polaris (Polaris.Optimizers, Polaris.Updates,
// Polaris.Schedules).
//
// An [Optimizer] is a chain of [Transform]s. Each transform turns the updates
// it receives (first the gradients) into new ones, keeping state of its own
// (moments, step counts); the last one scales by minus the learning rate, so
// updates are added to the parameters:
//
//	opt := optim.Adam(1e-3)
//	state := opt.Init(params)
//	updates, state := opt.Update(grads, state, params)
//	params = optim.Apply(params, updates)
//
// Parameters, gradients and updates are lists of tensors in the same order
// (nx.Leaves of a container gives one); [Step] does the above for any
// container. Everything is nx code: optimizers run eagerly and inside the
// compiled training step.
package optim

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
)

// Transform is one stage of an optimizer, Polaris's {init_fn, update_fn}: Init
// makes its state for the parameters; Update maps updates (with the state and
// the parameters) to new updates and a new state.
type Transform struct {
	Init   func(params []*nx.Tensor) []*nx.Tensor
	Update func(updates, state, params []*nx.Tensor) (next, nextState []*nx.Tensor)
}

// Optimizer is a chain of transforms applied in order.
type Optimizer struct {
	stages []Transform
}

// State is an optimizer's state: one list of tensors per transform. It is an
// nx container (for nx.Jit).
type State [][]*nx.Tensor

// Chain returns the optimizer that applies ts in order (Polaris's compose).
func Chain(ts ...Transform) Optimizer { return Optimizer{stages: ts} }

// Then returns o followed by more transforms.
func (o Optimizer) Then(ts ...Transform) Optimizer {
	return Optimizer{stages: append(append([]Transform(nil), o.stages...), ts...)}
}

// Init returns the initial state for params.
func (o Optimizer) Init(params []*nx.Tensor) State {
	s := make(State, len(o.stages))
	for i, t := range o.stages {
		if t.Init != nil {
			s[i] = t.Init(params)
		}
		if s[i] == nil {
			s[i] = []*nx.Tensor{}
		}
	}
	return s
}

// Update returns the updates for grads and the next state.
func (o Optimizer) Update(grads []*nx.Tensor, state State, params []*nx.Tensor) ([]*nx.Tensor, State) {
	if len(state) != len(o.stages) {
		panic(&nx.Error{Op: "optim.Update", Msg: fmt.Sprintf("the state has %d parts for an optimizer of %d transforms (was it made by this optimizer's Init?)", len(state), len(o.stages))})
	}
	if len(grads) != len(params) {
		panic(&nx.Error{Op: "optim.Update", Msg: fmt.Sprintf("%d gradients for %d parameters", len(grads), len(params))})
	}
	u := grads
	next := make(State, len(state))
	for i, t := range o.stages {
		u, next[i] = t.Update(u, state[i], params)
		if next[i] == nil {
			next[i] = []*nx.Tensor{}
		}
	}
	return u, next
}

// Apply returns params plus updates, each sum in its parameter's type.
func Apply(params, updates []*nx.Tensor) []*nx.Tensor {
	if len(params) != len(updates) {
		panic(&nx.Error{Op: "optim.Apply", Msg: fmt.Sprintf("%d updates for %d parameters", len(updates), len(params))})
	}
	out := make([]*nx.Tensor, len(params))
	for i, p := range params {
		out[i] = nx.AsType(nx.Add(p, updates[i]), p.DType())
	}
	return out
}

// Step runs one optimizer step on a container of parameters (a map, a struct,
// a slice ... as nx.Leaves takes them) and the gradients of the same
// structure, returning the new parameters and state. A nil state is
// initialized first.
func Step[T any](o Optimizer, params, grads T, state State) (T, State) {
	p, g := nx.Leaves(params), nx.Leaves(grads)
	if state == nil {
		state = o.Init(p)
	}
	u, state := o.Update(g, state, p)
	return nx.Replace(params, Apply(p, u)), state
}

// each maps fn over a list of tensors.
func each(ts []*nx.Tensor, fn func(i int, t *nx.Tensor) *nx.Tensor) []*nx.Tensor {
	out := make([]*nx.Tensor, len(ts))
	for i, t := range ts {
		out[i] = fn(i, t)
	}
	return out
}

// fulls returns tensors of value v, one per parameter, of its shape and of
// its state type.
func fulls(params []*nx.Tensor, v float64) []*nx.Tensor {
	return each(params, func(_ int, p *nx.Tensor) *nx.Tensor { return nx.Full(v, stateType(p.DType()), p.Shape()...) })
}

// stateType is the type updates and optimizer state are computed in for
// parameters of type dt: f64 for f64, f32 for every other type (so that f16
// and bf16 parameters get f32 moments).
func stateType(dt nx.DType) nx.DType {
	if dt == nx.F64 {
		return nx.F64
	}
	return nx.F32
}

func num(v float64) *nx.Tensor { return nx.Number(v) }

// f32 converts an update to its state type (f32, or f64 for f64).
func f32(t *nx.Tensor) *nx.Tensor { return nx.AsType(t, stateType(t.DType())) }

// counter returns the initial step count, an s64 scalar.
func counter() *nx.Tensor { return nx.Scalar(int64(0)) }

// moment returns decay·m + (1-decay)·g^order.
func moment(g, m *nx.Tensor, decay float64, order int) *nx.Tensor {
	if order == 2 {
		g = nx.Square(g)
	}
	return nx.Add(nx.Multiply(g, num(1-decay)), nx.Multiply(m, num(decay)))
}

// correct divides m by 1 - decay^count (bias correction).
func correct(m *nx.Tensor, decay float64, count *nx.Tensor) *nx.Tensor {
	factor := nx.Subtract(num(1), nx.Pow(nx.Scalar(decay), nx.AsType(count, nx.F64)))
	return nx.Divide(m, nx.AsType(factor, m.DType()))
}
