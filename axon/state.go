package axon

import (
	"fmt"
	"maps"
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// ModelState holds a model's parameters: the trainable ones and the layers'
// state (batch normalization statistics), each keyed by layer name, then
// parameter name. Init makes one; training returns new ones (a ModelState is
// never changed in place by this package).
//
// A ModelState is an nx container: pass it to nx.Jit, nx.Grad or nx.Leaves.
type ModelState struct {
	// Params holds the trainable parameters: Params["dense_0"]["kernel"].
	Params map[string]map[string]*nx.Tensor
	// State holds the layers' own state, which training does not differentiate.
	State map[string]map[string]*nx.Tensor
	// Frozen names the parameters ("layer.param") that training leaves
	// unchanged.
	Frozen map[string]bool
}

// Clone returns a copy of s with maps of its own (the tensors, immutable, are
// shared).
func (s *ModelState) Clone() *ModelState {
	c := &ModelState{Params: cloneNested(s.Params), State: cloneNested(s.State)}
	if len(s.Frozen) > 0 {
		c.Frozen = maps.Clone(s.Frozen)
	}
	return c
}

func cloneNested(m map[string]map[string]*nx.Tensor) map[string]map[string]*nx.Tensor {
	out := make(map[string]map[string]*nx.Tensor, len(m))
	for k, v := range m {
		out[k] = maps.Clone(v)
	}
	return out
}

// withState returns a copy of s with the layer state updates applied.
func (s *ModelState) withState(updates map[string]map[string]*nx.Tensor) *ModelState {
	if len(updates) == 0 {
		return s
	}
	c := &ModelState{Params: s.Params, State: cloneNested(s.State), Frozen: s.Frozen}
	for layer, u := range updates {
		if c.State[layer] == nil {
			c.State[layer] = map[string]*nx.Tensor{}
		}
		maps.Copy(c.State[layer], u)
	}
	return c
}

// Freeze returns a copy of s with the named parameters frozen. A name is a
// layer ("dense_0": all its parameters) or one parameter ("dense_0.kernel").
// With no names every parameter is frozen.
func (s *ModelState) Freeze(names ...string) *ModelState { return s.setFrozen(true, names) }

// Unfreeze returns a copy of s with the named parameters (as for Freeze)
// trainable again; with no names, every parameter.
func (s *ModelState) Unfreeze(names ...string) *ModelState { return s.setFrozen(false, names) }

func (s *ModelState) setFrozen(frozen bool, names []string) *ModelState {
	c := s.Clone()
	if c.Frozen == nil {
		c.Frozen = map[string]bool{}
	}
	match := func(layer, param string) bool {
		if len(names) == 0 {
			return true
		}
		for _, n := range names {
			if n == layer || n == layer+"."+param {
				return true
			}
		}
		return false
	}
	found := map[string]bool{}
	for layer, ps := range c.Params {
		for p := range ps {
			if match(layer, p) {
				found[layer], found[layer+"."+p] = true, true
				if frozen {
					c.Frozen[layer+"."+p] = true
				} else {
					delete(c.Frozen, layer+"."+p)
				}
			}
		}
	}
	for _, n := range names {
		if !found[n] {
			panic(&nx.Error{Op: "axon.ModelState.Freeze", Msg: fmt.Sprintf("no parameter or layer %q", n)})
		}
	}
	if len(c.Frozen) == 0 {
		c.Frozen = nil
	}
	return c
}

// IsFrozen reports whether the parameter layer.param is frozen.
func (s *ModelState) IsFrozen(layer, param string) bool { return s.Frozen[layer+"."+param] }

// split returns the trainable parameters that are not frozen and those that
// are.
func (s *ModelState) split() (trainable, frozen map[string]map[string]*nx.Tensor) {
	if len(s.Frozen) == 0 {
		return s.Params, nil
	}
	trainable = map[string]map[string]*nx.Tensor{}
	frozen = map[string]map[string]*nx.Tensor{}
	for layer, ps := range s.Params {
		for p, t := range ps {
			dst := trainable
			if s.Frozen[layer+"."+p] {
				dst = frozen
			}
			if dst[layer] == nil {
				dst[layer] = map[string]*nx.Tensor{}
			}
			dst[layer][p] = t
		}
	}
	return trainable, frozen
}

// merge returns the parameters of a and b together.
func merge(a, b map[string]map[string]*nx.Tensor) map[string]map[string]*nx.Tensor {
	if len(b) == 0 {
		return a
	}
	out := cloneNested(a)
	for layer, ps := range b {
		if out[layer] == nil {
			out[layer] = map[string]*nx.Tensor{}
		}
		maps.Copy(out[layer], ps)
	}
	return out
}

// Tensors returns every tensor of s keyed "layer.param", trainable parameters
// and state together: the names s is saved under.
func (s *ModelState) Tensors() map[string]*nx.Tensor {
	out := map[string]*nx.Tensor{}
	for _, m := range []map[string]map[string]*nx.Tensor{s.Params, s.State} {
		for layer, ps := range m {
			for p, t := range ps {
				out[layer+"."+p] = t
			}
		}
	}
	return out
}

// Size returns the number of elements of the trainable parameters.
func (s *ModelState) Size() int {
	n := 0
	for _, ps := range s.Params {
		for _, t := range ps {
			n += t.Size()
		}
	}
	return n
}

// String lists the parameters and state of s, one per line, sorted.
func (s *ModelState) String() string {
	var b strings.Builder
	for _, part := range []struct {
		what string
		m    map[string]map[string]*nx.Tensor
	}{{"param", s.Params}, {"state", s.State}} {
		for _, layer := range sortedKeys(part.m) {
			for _, p := range sortedKeys(part.m[layer]) {
				t := part.m[layer][p]
				frozen := ""
				if s.Frozen[layer+"."+p] {
					frozen = " (frozen)"
				}
				fmt.Fprintf(&b, "%s %s.%s %s%v%s\n", part.what, layer, p, t.DType(), t.Shape(), frozen)
			}
		}
	}
	return b.String()
}
