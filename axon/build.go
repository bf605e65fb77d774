package axon

import (
	"fmt"
	"slices"
	"sort"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// fixedKey is the key layers draw from when a model runs without one.
var fixedKey = random.Key(0)

func foldIn(key *nx.Tensor, data int64) *nx.Tensor { return random.FoldIn(key, data) }

// InitFunc returns a model's initial state: every parameter created with its
// initializer, drawing random numbers from key. inputs gives the shapes and
// types of the model's inputs as for predict (their values are not used); nil
// uses the shapes the inputs were declared with, -1 read as 1.
type InitFunc func(key *nx.Tensor, inputs any) *ModelState

// PredictFunc runs a model in inference mode on inputs: a *nx.Tensor for a
// model with one input, or a map[string]*nx.Tensor keyed by input name. It is
// pure nx code, so it runs eagerly or wrapped in nx.Jit.
type PredictFunc func(state *ModelState, inputs any) *nx.Tensor

// TrainFunc runs a model in training mode: dropout draws from key, batch
// normalization uses the batch's statistics. It returns the output and the
// state with the layers' updated state.
type TrainFunc func(state *ModelState, inputs any, key *nx.Tensor) (*nx.Tensor, *ModelState)

// ContainerFunc is PredictFunc for a model whose output is a [Container].
type ContainerFunc func(state *ModelState, inputs any) map[string]*nx.Tensor

// Build returns the init and predict functions of the model whose output is n.
//
//	init, predict := model.Build()
//	state := init(random.Key(42), nil)
//	y := predict(state, x)
func (n *Node) Build() (InitFunc, PredictFunc) {
	g := compileGraph(n)
	if g.output.op == "container" {
		panic(&nx.Error{Op: "axon.Build", Msg: "the model's output is a container: use BuildContainer"})
	}
	return g.init, func(state *ModelState, inputs any) *nx.Tensor {
		out, _ := g.forward(state, inputs, false, nil)
		return out.(*nx.Tensor)
	}
}

// BuildTrain returns the init function and the training-mode forward function
// of the model whose output is n.
func (n *Node) BuildTrain() (InitFunc, TrainFunc) {
	g := compileGraph(n)
	if g.output.op == "container" {
		panic(&nx.Error{Op: "axon.BuildTrain", Msg: "the model's output is a container"})
	}
	return g.init, func(state *ModelState, inputs any, key *nx.Tensor) (*nx.Tensor, *ModelState) {
		out, st := g.forward(state, inputs, true, key)
		return out.(*nx.Tensor), state.withState(st)
	}
}

// BuildContainer is Build for a model whose output is a [Container]: predict
// returns the map of its outputs.
func (n *Node) BuildContainer() (InitFunc, ContainerFunc) {
	g := compileGraph(n)
	return g.init, func(state *ModelState, inputs any) map[string]*nx.Tensor {
		out, _ := g.forward(state, inputs, false, nil)
		if m, ok := out.(map[string]*nx.Tensor); ok {
			return m
		}
		return map[string]*nx.Tensor{"output": out.(*nx.Tensor)}
	}
}

// graph is a model ready to run: its nodes in dependency order and their names.
type graph struct {
	output *Node
	order  []*Node
	names  map[*Node]string
	inputs []*Node
	byName map[string]*Node
	// observe, when set, sees the value of every node as run computes it
	// (Summary reads the shapes).
	observe func(n *Node, v any)
}

// compileGraph orders the nodes that n depends on and names them.
func compileGraph(out *Node) *graph {
	g := &graph{output: out, names: map[*Node]string{}, byName: map[string]*Node{}}
	seen := map[*Node]bool{}
	type frame struct {
		n    *Node
		next int
	}
	stack := []frame{{n: out}}
	seen[out] = true
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		if f.next < len(f.n.inputs) {
			in := f.n.inputs[f.next]
			f.next++
			if !seen[in] {
				seen[in] = true
				stack = append(stack, frame{n: in})
			}
			continue
		}
		g.order = append(g.order, f.n)
		stack = stack[:len(stack)-1]
	}
	counts := map[string]int{}
	for _, n := range g.order {
		name := n.name
		if name == "" {
			name = fmt.Sprintf("%s_%d", n.op, counts[n.op])
			counts[n.op]++
		}
		if other, dup := g.byName[name]; dup {
			panic(&nx.Error{Op: "axon.Build", Msg: fmt.Sprintf("two layers are named %q (%s and %s)", name, other.op, n.op)})
		}
		g.byName[name] = n
		g.names[n] = name
		if n.op == "input" {
			g.inputs = append(g.inputs, n)
		}
	}
	return g
}

// feed maps the model's input nodes to the tensors in inputs.
func (g *graph) feed(op string, inputs any) map[*Node]*nx.Tensor {
	vals := map[*Node]*nx.Tensor{}
	switch in := inputs.(type) {
	case *nx.Tensor:
		if len(g.inputs) != 1 {
			panic(&nx.Error{Op: op, Msg: fmt.Sprintf("the model has %d inputs (%v): feed a map[string]*nx.Tensor", len(g.inputs), g.inputNames())})
		}
		vals[g.inputs[0]] = in
	case map[string]*nx.Tensor:
		for k := range in {
			if n, ok := g.byName[k]; !ok || n.op != "input" {
				panic(&nx.Error{Op: op, Msg: fmt.Sprintf("the model has no input %q (its inputs are %v)", k, g.inputNames())})
			}
		}
		for _, n := range g.inputs {
			t, ok := in[g.names[n]]
			if !ok || t == nil {
				if n.optional {
					continue
				}
				panic(&nx.Error{Op: op, Msg: fmt.Sprintf("no tensor for input %q", g.names[n])})
			}
			vals[n] = t
		}
	case nil:
		if len(g.inputs) > 0 {
			panic(&nx.Error{Op: op, Msg: fmt.Sprintf("no inputs given; the model takes %v", g.inputNames())})
		}
	default:
		panic(&nx.Error{Op: op, Msg: fmt.Sprintf("inputs of type %T: want a *nx.Tensor or a map[string]*nx.Tensor", inputs)})
	}
	for n, t := range vals {
		checkInput(op, g.names[n], n, t)
	}
	return vals
}

// checkInput panics unless t fits the declared shape of input n.
func checkInput(op, name string, n *Node, t *nx.Tensor) {
	s := t.Shape()
	ok := len(s) == len(n.shape)
	for i := 0; ok && i < len(s); i++ {
		ok = n.shape[i] == -1 || n.shape[i] == s[i]
	}
	if !ok {
		panic(&nx.Error{Op: op, Operands: []string{fmt.Sprintf("%s%v", t.DType(), s)},
			Msg: fmt.Sprintf("input %q has shape %v, declared %v", name, []int(s), n.shape)})
	}
}

func (g *graph) inputNames() []string {
	names := make([]string, len(g.inputs))
	for i, n := range g.inputs {
		names[i] = g.names[n]
	}
	return names
}

// forward runs the graph. It returns the output (a tensor, or a map for a
// container) and the updated layer state of the layers that changed theirs.
func (g *graph) forward(state *ModelState, inputs any, training bool, key *nx.Tensor) (any, map[string]map[string]*nx.Tensor) {
	if state == nil {
		panic(&nx.Error{Op: "axon.predict", Msg: "the model state is nil"})
	}
	feed := g.feed("axon.predict", inputs)
	return g.run(feed, training, key, func(n *Node, name string, p *Parameter, _ []*nx.Tensor) *nx.Tensor {
		src := state.Params
		if p.state {
			src = state.State
		}
		t := src[name][p.name]
		if t == nil {
			panic(&nx.Error{Op: "axon.predict", Msg: fmt.Sprintf("the model state has no parameter %s.%s (was it made by this model's init?)", name, p.name)})
		}
		return t
	})
}

// run evaluates every node in order, taking the parameters of layers from
// param.
func (g *graph) run(feed map[*Node]*nx.Tensor, training bool, key *nx.Tensor,
	param func(n *Node, name string, p *Parameter, inputs []*nx.Tensor) *nx.Tensor) (any, map[string]map[string]*nx.Tensor) {
	vals := make(map[*Node]any, len(g.order))
	updates := map[string]map[string]*nx.Tensor{}
	remaining := map[*Node]int{}
	for _, n := range g.order {
		for _, in := range n.inputs {
			remaining[in]++
		}
	}
	for i, n := range g.order {
		name := g.names[n]
		switch n.op {
		case "input":
			if t, ok := feed[n]; ok {
				vals[n] = t
			} else {
				vals[n] = (*nx.Tensor)(nil)
			}
		case "container":
			m := make(map[string]*nx.Tensor, len(n.keys))
			for j, k := range n.keys {
				m[k] = tensorOf(name, vals[n.inputs[j]])
			}
			vals[n] = m
		case "get":
			vals[n] = vals[n.inputs[0]].(map[string]*nx.Tensor)[n.key]
		default:
			c := &Call{layer: name, training: training, inputs: make([]*nx.Tensor, len(n.inputs)),
				params: make(map[string]*nx.Tensor, len(n.params))}
			for j, in := range n.inputs {
				c.inputs[j] = tensorOf(name, vals[in])
			}
			for _, p := range n.params {
				c.params[p.name] = param(n, name, p, c.inputs)
			}
			c.key, c.index = key, int64(i)
			if n.multi != nil {
				vals[n] = n.multi(c)
			} else {
				out := n.fn(c)
				if out == nil {
					panic(&nx.Error{Op: "axon." + n.op, Msg: fmt.Sprintf("layer %q returned a nil tensor", name)})
				}
				vals[n] = out
			}
			if len(c.updates) > 0 {
				updates[name] = c.updates
			}
		}
		if g.observe != nil {
			g.observe(n, vals[n])
		}
		for _, in := range n.inputs {
			if remaining[in]--; remaining[in] == 0 && in != g.output {
				delete(vals, in)
			}
		}
	}
	return vals[g.output], updates
}

// tensorOf returns v as a tensor for the layer name.
func tensorOf(name string, v any) *nx.Tensor {
	switch t := v.(type) {
	case *nx.Tensor:
		return t
	case map[string]*nx.Tensor:
		panic(&nx.Error{Op: "axon", Msg: fmt.Sprintf("layer %q takes a container (%v) as input: select an entry with Get", name, sortedKeys(t))})
	}
	return nil
}

// init creates every parameter. The graph runs on symbolic stand-ins for the
// inputs, so the layers compute nothing but the shapes their parameters need.
func (g *graph) init(key *nx.Tensor, inputs any) *ModelState {
	var feed map[*Node]*nx.Tensor
	if inputs == nil {
		feed = map[*Node]*nx.Tensor{}
		for _, n := range g.inputs {
			shape := slices.Clone(n.shape)
			for i, d := range shape {
				if d == -1 {
					shape[i] = 1
				}
			}
			feed[n] = nx.Parameter(g.names[n], n.dtype, shape...)
		}
	} else {
		feed = g.feed("axon.init", inputs)
		for n, t := range feed {
			feed[n] = nx.Parameter(g.names[n], t.DType(), t.Shape()...)
		}
	}
	s := &ModelState{Params: map[string]map[string]*nx.Tensor{}, State: map[string]map[string]*nx.Tensor{}}
	layerIndex := map[*Node]int64{}
	for i, n := range g.order {
		layerIndex[n] = int64(i)
	}
	g.run(feed, false, nil, func(n *Node, name string, p *Parameter, inputs []*nx.Tensor) *nx.Tensor {
		dst := s.Params
		if p.state {
			dst = s.State
		}
		if t := dst[name][p.name]; t != nil {
			return t
		}
		// The layer's inputs are symbolic; their shapes are known.
		shapes := make([]nx.Shape, len(inputs))
		for i, in := range inputs {
			if in != nil {
				shapes[i] = in.Shape()
			}
		}
		shape := p.shape(shapes...)
		k := foldIn(foldIn(key, layerIndex[n]), int64(slices.Index(n.params, p)))
		t := p.init(k, shape, p.dtype)
		if !t.Shape().Equal(shape) || t.DType() != p.dtype {
			panic(&nx.Error{Op: "axon.init", Msg: fmt.Sprintf("the initializer of %s.%s made %s%v, want %s%v", name, p.name, t.DType(), t.Shape(), p.dtype, shape)})
		}
		if dst[name] == nil {
			dst[name] = map[string]*nx.Tensor{}
		}
		dst[name][p.name] = t
		if (n.frozen || p.frozen) && !p.state {
			if s.Frozen == nil {
				s.Frozen = map[string]bool{}
			}
			s.Frozen[name+"."+p.name] = true
		}
		return t
	})
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
