package axon

import (
	"fmt"
	"sync/atomic"

	"github.com/gonx-dev/gonx/axon/initializers"
	"github.com/gonx-dev/gonx/nx"
)

// Node is one layer of a model graph: an input, a layer with its parameters,
// or a join of several nodes. Nodes are immutable values put together by this
// package's functions and methods; a model is the node of its output:
//
//	model := axon.Input("image", -1, 1, 28, 28).
//		Flatten().
//		Dense(128, axon.ReLU).
//		Dropout(0.2).
//		Dense(10)
//
// The methods cover the common chain (each returns a new node whose input is n);
// the functions join several nodes ([Add], [Concatenate], [Container]) and
// [Layer] makes custom layers with their own parameters. [Node.Build] turns the
// graph into init and predict functions.
type Node struct {
	id     int64
	op     string
	name   string
	inputs []*Node
	params []*Parameter
	fn     LayerFunc
	// multi, for layers with several outputs (recurrent layers), computes
	// them all; Get nodes select one.
	multi func(c *Call) map[string]*nx.Tensor

	// Inputs only.
	shape    []int
	dtype    nx.DType
	optional bool

	// Containers only: the keys of inputs, in order.
	keys []string
	// Selections from a container: the key.
	key string

	frozen bool
	// act names the activation an activation node applies, for Summary.
	act string
	// implicit marks the activation node a layer's activation option adds:
	// Named and Freeze apply to the layer under it.
	implicit bool
}

var nodeIDs atomic.Int64

// newNode makes a node for op with the given inputs.
func newNode(op, name string, fn LayerFunc, inputs []*Node, params ...*Parameter) *Node {
	for i, in := range inputs {
		if in == nil {
			panic(&nx.Error{Op: "axon." + op, Msg: fmt.Sprintf("input %d is a nil *Node", i)})
		}
	}
	return &Node{id: nodeIDs.Add(1), op: op, name: name, fn: fn, inputs: inputs, params: params}
}

// layer makes a node from a layer's configuration, appending the activation it
// names (if any) as a node of its own, as Axon does.
func layer(op string, c *config, fn LayerFunc, inputs []*Node, params ...*Parameter) *Node {
	n := newNode(op, c.name, fn, inputs, params...)
	n.frozen = c.frozen
	if c.activation != nil {
		act := c.activation
		n = newNode("activation", "", func(c *Call) *nx.Tensor { return act(c.Input(0)) }, []*Node{n})
		n.implicit = true
		n.act = activationName(act)
	}
	return n
}

// Input returns an input of the model named name, a tensor of the given shape
// in which -1 stands for a size known only when the model runs (the batch). The
// name is the key of this input when a model with several inputs is fed a map.
// Inputs are f32 unless given InputType.
func Input(name string, shape ...int) *Node {
	for _, d := range shape {
		if d < -1 || d == 0 {
			panic(&nx.Error{Op: "axon.Input", Msg: fmt.Sprintf("shape %v: want positive sizes or -1", shape)})
		}
	}
	n := newNode("input", name, nil, nil)
	n.shape = append([]int(nil), shape...)
	n.dtype = nx.F32
	return n
}

// InputType returns a copy of the input node n with elements of type dt (the
// type of the template Init uses when given no inputs).
func (n *Node) InputType(dt nx.DType) *Node {
	if n.op != "input" {
		panic(&nx.Error{Op: "axon.InputType", Msg: "the node is not an input"})
	}
	c := *n
	c.dtype = dt
	return &c
}

// Optional returns a copy of the input node n that a model may be run without:
// layers that take it receive nil in its place (see [Call.Input]).
func (n *Node) Optional() *Node {
	if n.op != "input" {
		panic(&nx.Error{Op: "axon.Optional", Msg: "the node is not an input"})
	}
	c := *n
	c.optional = true
	return &c
}

// Constant returns a node whose value is t.
func Constant(t *nx.Tensor, opts ...Option) *Node {
	c := configure("Constant", opts)
	return newNode("constant", c.name, func(*Call) *nx.Tensor { return t }, nil)
}

// Name returns the name given to n, or "" when it will be named after its
// operation when the model is built.
func (n *Node) Name() string { return n.name }

// Op returns the operation of n: "input", "dense", "conv", "activation", ...
func (n *Node) Op() string { return n.op }

// Inputs returns the nodes n takes its inputs from.
func (n *Node) Inputs() []*Node { return append([]*Node(nil), n.inputs...) }

// Named returns a copy of n named name. For a layer given an activation
// option (Dense(8, axon.ReLU)) it names the layer, not its activation.
func (n *Node) Named(name string) *Node {
	return n.modify(func(c *Node) { c.name = name })
}

// Freeze returns a copy of n whose parameters start frozen: training leaves
// them unchanged until ModelState.Unfreeze.
func (n *Node) Freeze() *Node {
	return n.modify(func(c *Node) { c.frozen = true })
}

// modify returns a copy of n (or, for an implicit activation, of the layer
// under it) changed by fn.
func (n *Node) modify(fn func(*Node)) *Node {
	if n.implicit {
		c := *n
		c.id = nodeIDs.Add(1)
		c.inputs = []*Node{n.inputs[0].modify(fn)}
		return &c
	}
	c := *n
	c.id = nodeIDs.Add(1)
	fn(&c)
	return &c
}

// LayerFunc computes a layer's output from what c holds: its inputs, its
// parameters and whether the model is training.
type LayerFunc func(c *Call) *nx.Tensor

// Call is what a layer function receives each time the model runs.
type Call struct {
	layer    string
	inputs   []*nx.Tensor
	params   map[string]*nx.Tensor
	updates  map[string]*nx.Tensor
	training bool
	key      *nx.Tensor // the step's key; each layer derives its own from it
	index    int64      // the layer's position, mixed into its keys
	keyUses  int
}

// Name returns the layer's name.
func (c *Call) Name() string { return c.layer }

// Input returns the value of the layer's i-th input (nil for an optional input
// the model was run without).
func (c *Call) Input(i int) *nx.Tensor { return c.inputs[i] }

// NumInputs returns the number of inputs of the layer.
func (c *Call) NumInputs() int { return len(c.inputs) }

// Param returns the current value of the layer's parameter name.
func (c *Call) Param(name string) *nx.Tensor {
	p, ok := c.params[name]
	if !ok {
		panic(&nx.Error{Op: "axon.Call.Param", Msg: fmt.Sprintf("layer %q has no parameter %q", c.layer, name)})
	}
	return p
}

// Training reports whether the model runs in training mode (dropout active,
// batch normalization on the batch's statistics).
func (c *Call) Training() bool { return c.training }

// Key returns a new random key for this layer and step. In inference mode,
// or when the model was not given a key, it is a fixed key.
func (c *Call) Key() *nx.Tensor {
	c.keyUses++
	key := fixedKey
	if c.key != nil {
		key = c.key
	}
	return foldIn(foldIn(key, c.index), int64(c.keyUses))
}

// Update sets the new value of the layer's state parameter name (such as a
// batch normalization's running mean); it takes effect for the next step.
func (c *Call) Update(name string, value *nx.Tensor) {
	p, ok := c.params[name]
	if !ok {
		panic(&nx.Error{Op: "axon.Call.Update", Msg: fmt.Sprintf("layer %q has no parameter %q", c.layer, name)})
	}
	if !p.Shape().Equal(value.Shape()) {
		panic(&nx.Error{Op: "axon.Call.Update", Msg: fmt.Sprintf("layer %q: new value of %q is %s%v, want shape %v", c.layer, name, value.DType(), value.Shape(), p.Shape())})
	}
	if c.updates == nil {
		c.updates = map[string]*nx.Tensor{}
	}
	c.updates[name] = nx.AsType(value, p.DType())
}

// ShapeFunc returns a parameter's shape from the shapes of its layer's inputs.
type ShapeFunc func(inputs ...nx.Shape) nx.Shape

// FixedShape returns the ShapeFunc of a parameter whose shape does not depend
// on the inputs.
func FixedShape(dims ...int) ShapeFunc {
	s := nx.Shape(append([]int(nil), dims...))
	return func(...nx.Shape) nx.Shape { return s.Clone() }
}

// Parameter describes one tensor a layer owns: its name, how its shape follows
// from the layer's inputs, its initializer and type, and whether training
// changes it (a trainable parameter) or the layer does (state, such as batch
// normalization statistics).
type Parameter struct {
	name   string
	shape  ShapeFunc
	init   initializers.Initializer
	dtype  nx.DType
	state  bool
	reg    Regularizer
	frozen bool
}

// Param returns a trainable f32 parameter named name, of the shape shape
// computes, starting from init's values.
func Param(name string, shape ShapeFunc, init initializers.Initializer) *Parameter {
	if init == nil {
		init = initializers.GlorotUniform()
	}
	return &Parameter{name: name, shape: shape, init: init, dtype: nx.F32}
}

// Name returns the parameter's name.
func (p *Parameter) Name() string { return p.name }

// AsState returns a copy of p that is layer state: not trained, and changed
// only by the layer itself with [Call.Update].
func (p *Parameter) AsState() *Parameter { c := *p; c.state = true; return &c }

// WithType returns a copy of p of type dt.
func (p *Parameter) WithType(dt nx.DType) *Parameter { c := *p; c.dtype = dt; return &c }

// WithRegularizer returns a copy of p whose penalty reg(p) is added to the
// training loss.
func (p *Parameter) WithRegularizer(reg Regularizer) *Parameter { c := *p; c.reg = reg; return &c }

// Frozen returns a copy of p that starts frozen.
func (p *Parameter) Frozen() *Parameter { c := *p; c.frozen = true; return &c }

// Layer returns a custom layer named after op whose output fn computes from the
// values of inputs and of params, each created when the model is initialized:
//
//	scale := axon.Param("scale", func(in ...nx.Shape) nx.Shape { return in[0][1:] }, initializers.Ones())
//	scaled := axon.Layer("scale", func(c *axon.Call) *nx.Tensor {
//		return nx.Multiply(c.Input(0), c.Param("scale"))
//	}, []*axon.Node{x}, scale)
//
// fn is ordinary nx code: it runs eagerly, under nx.Jit and under nx.Grad.
// Options: Name, an activation, Frozen.
func Layer(op string, fn LayerFunc, inputs []*Node, params []*Parameter, opts ...Option) *Node {
	c := configure(op, opts)
	seen := map[string]bool{}
	for _, p := range params {
		if seen[p.name] {
			panic(&nx.Error{Op: "axon.Layer", Msg: fmt.Sprintf("layer %q has two parameters named %q", op, p.name)})
		}
		seen[p.name] = true
	}
	return layer(op, c, fn, inputs, params...)
}

// Nx returns a layer without parameters that applies fn to n's value, Axon's
// Axon.nx.
func (n *Node) Nx(fn func(*nx.Tensor) *nx.Tensor, opts ...Option) *Node {
	c := configure("nx", opts)
	return layer("nx", c, func(c *Call) *nx.Tensor { return fn(c.Input(0)) }, []*Node{n})
}

// Activation returns a layer that applies act to n.
func (n *Node) Activation(act Activation, opts ...Option) *Node {
	c := configure("activation", opts)
	a := newNode("activation", c.name, func(c *Call) *nx.Tensor { return act(c.Input(0)) }, []*Node{n})
	a.act = activationName(act)
	return a
}

// Container returns a node whose value is the map of its entries' values: the
// output of a model with several outputs. Build such models with
// [Node.BuildContainer]; [Node.Get] selects one entry for further layers.
func Container(outputs map[string]*Node) *Node {
	keys := sortedKeys(outputs)
	ins := make([]*Node, len(keys))
	for i, k := range keys {
		ins[i] = outputs[k]
	}
	n := newNode("container", "", nil, ins)
	n.keys = keys
	return n
}

// Get returns a node whose value is the entry key of the container n.
func (n *Node) Get(key string) *Node {
	if n.op != "container" && n.multi == nil {
		panic(&nx.Error{Op: "axon.Get", Msg: fmt.Sprintf("node %s is not a container", n.describe())})
	}
	for _, k := range n.keys {
		if k == key {
			g := newNode("get", "", nil, []*Node{n})
			g.key = key
			return g
		}
	}
	panic(&nx.Error{Op: "axon.Get", Msg: fmt.Sprintf("the container has no entry %q (it has %v)", key, n.keys)})
}

// describe names n for messages.
func (n *Node) describe() string {
	if n.name != "" {
		return fmt.Sprintf("%s %q", n.op, n.name)
	}
	return n.op
}
