package axon

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// Summary describes a model layer by layer, as Axon.Display does: each
// layer's name, operation and inputs, the shape of its output and its
// parameters. Print it (it is a fmt.Stringer) for a table:
//
//	fmt.Println(model.Summary())
//
// Sizes that follow an input axis declared -1 (the batch) read -1.
type Summary struct {
	// Layers lists the layers in the order the model runs them, inputs
	// first. Selections of one output of a recurrent layer or a container
	// (Node.Get) are not rows of their own: layers that take them name
	// them "layer.key" among their inputs.
	Layers []LayerSummary
	// Trainable, Frozen and State count the elements of the trainable
	// parameters, of the frozen ones and of the layers' state.
	Trainable, Frozen, State int
	// Bytes is the memory all of them take.
	Bytes int
}

// LayerSummary is one layer of a Summary.
type LayerSummary struct {
	Name string // the name parameters are stored under: "dense_0"
	// Op is the layer's operation ("dense", "conv", ...), or the name of
	// the activation for built-in activations ("relu").
	Op      string
	Inputs  []string        // the layers it takes its inputs from
	Outputs []TensorSummary // one without a key, or one per output of a recurrent layer or container
	Params  []ParamSummary
}

// TensorSummary is the type and shape of one output of a layer.
type TensorSummary struct {
	Key   string // the output's key for layers with several outputs, else ""
	DType nx.DType
	Shape []int // -1 where the size follows a -1 of the inputs
}

// String formats the output as nx does types and shapes: "f32[-1][128]",
// preceded by "key: " when it has a key.
func (t TensorSummary) String() string {
	s := t.DType.String() + shapeString(t.Shape)
	if t.Key != "" {
		return t.Key + ": " + s
	}
	return s
}

// ParamSummary is one parameter of a layer.
type ParamSummary struct {
	Name   string // "kernel"
	DType  nx.DType
	Shape  []int
	State  bool // layer state (such as batch normalization statistics), not trained
	Frozen bool // trainable, but frozen from the start
}

// Size returns the number of elements of the parameter.
func (p ParamSummary) Size() int { return nx.Shape(p.Shape).Size() }

// String formats the parameter: "kernel f32[784][128]", with " (state)" or
// " (frozen)" after it.
func (p ParamSummary) String() string {
	s := p.Name + " " + p.DType.String() + shapeString(p.Shape)
	switch {
	case p.State:
		s += " (state)"
	case p.Frozen:
		s += " (frozen)"
	}
	return s
}

// Size returns the number of parameter and state elements of the layer.
func (l LayerSummary) Size() int {
	n := 0
	for _, p := range l.Params {
		n += p.Size()
	}
	return n
}

func shapeString(shape []int) string {
	var b strings.Builder
	for _, d := range shape {
		fmt.Fprintf(&b, "[%d]", d)
	}
	return b.String()
}

// Summary returns the summary of the model whose output is n, for inputs of
// the declared shapes. Output sizes that follow an input axis declared -1
// read -1 (the model's shapes are worked out for sizes 1 and 2 there, on
// symbolic tensors: nothing is computed and no parameter is allocated).
func (n *Node) Summary() *Summary {
	g := compileGraph(n)
	shapes := func(size int) map[*Node]*nx.Tensor {
		feed := map[*Node]*nx.Tensor{}
		for _, in := range g.inputs {
			shape := slices.Clone(in.shape)
			for i, d := range shape {
				if d == -1 {
					shape[i] = size
				}
			}
			feed[in] = nx.Parameter(g.names[in], in.dtype, shape...)
		}
		return feed
	}
	one := g.summarize(shapes(1))
	var two *Summary
	if err := nx.Try(func() { two = g.summarize(shapes(2)) }); err != nil {
		return one // the model takes no other size: the sizes for 1 stand
	}
	for i := range one.Layers {
		for j := range one.Layers[i].Outputs {
			a, b := one.Layers[i].Outputs[j].Shape, two.Layers[i].Outputs[j].Shape
			for k := range a {
				if k < len(b) && a[k] != b[k] {
					a[k] = -1
				}
			}
		}
	}
	return one
}

// SummaryFor returns the summary of the model whose output is n for inputs
// of the shapes and types of inputs (a *nx.Tensor or a map[string]*nx.Tensor,
// as for predict; only shapes and types are read).
func (n *Node) SummaryFor(inputs any) *Summary {
	g := compileGraph(n)
	feed := g.feed("axon.Summary", inputs)
	for in, t := range feed {
		feed[in] = nx.Parameter(g.names[in], t.DType(), t.Shape()...)
	}
	return g.summarize(feed)
}

// summarize runs the graph on symbolic inputs and parameters and records
// every layer's outputs and parameters.
func (g *graph) summarize(feed map[*Node]*nx.Tensor) *Summary {
	s := &Summary{}
	params := map[*Node][]ParamSummary{}
	g.observe = func(n *Node, v any) {
		if n.op == "get" {
			return
		}
		row := LayerSummary{Name: g.names[n], Op: n.op, Params: params[n]}
		if n.act != "" {
			row.Op = n.act
		}
		for _, in := range n.inputs {
			name := g.names[in]
			if in.op == "get" {
				name = g.names[in.inputs[0]] + "." + in.key
			}
			row.Inputs = append(row.Inputs, name)
		}
		switch t := v.(type) {
		case *nx.Tensor:
			if t != nil {
				row.Outputs = []TensorSummary{{DType: t.DType(), Shape: slices.Clone([]int(t.Shape()))}}
			}
		case map[string]*nx.Tensor:
			keys := n.keys // a recurrent layer's outputs in their order, a container's sorted
			if len(keys) != len(t) {
				keys = sortedKeys(t)
			}
			for _, k := range keys {
				row.Outputs = append(row.Outputs, TensorSummary{Key: k, DType: t[k].DType(), Shape: slices.Clone([]int(t[k].Shape()))})
			}
		}
		s.Layers = append(s.Layers, row)
	}
	defer func() { g.observe = nil }()
	g.run(feed, false, nil, func(n *Node, name string, p *Parameter, inputs []*nx.Tensor) *nx.Tensor {
		shapes := make([]nx.Shape, len(inputs))
		for i, in := range inputs {
			if in != nil {
				shapes[i] = in.Shape()
			}
		}
		shape := p.shape(shapes...)
		ps := ParamSummary{Name: p.name, DType: p.dtype, Shape: slices.Clone([]int(shape)), State: p.state,
			Frozen: !p.state && (n.frozen || p.frozen)}
		params[n] = append(params[n], ps)
		switch {
		case ps.State:
			s.State += ps.Size()
		case ps.Frozen:
			s.Frozen += ps.Size()
		default:
			s.Trainable += ps.Size()
		}
		s.Bytes += ps.Size() * p.dtype.Size()
		return nx.Parameter(name+"."+p.name, p.dtype, shape...)
	})
	return s
}

// String returns the summary as a table, as Fprint writes it.
func (s *Summary) String() string {
	var b strings.Builder
	_ = s.Fprint(&b)
	return b.String()
}

// Fprint writes the summary to w as a table with a row per layer (its name,
// operation and inputs; its output shapes; its parameters; their number of
// elements) and the totals under it.
func (s *Summary) Fprint(w io.Writer) error {
	header := []string{"Layer", "Output shape", "Parameters", "Size"}
	rows := make([][][]string, len(s.Layers))
	for i, l := range s.Layers {
		var in string
		if len(l.Inputs) > 0 {
			in = `["` + strings.Join(l.Inputs, `", "`) + `"]`
		}
		cells := [][]string{{fmt.Sprintf("%s ( %s%s )", l.Name, l.Op, in)}, nil, nil, nil}
		for _, o := range l.Outputs {
			cells[1] = append(cells[1], o.String())
		}
		for _, p := range l.Params {
			cells[2] = append(cells[2], p.String())
		}
		if len(l.Params) > 0 {
			cells[3] = []string{fmt.Sprint(l.Size())}
		}
		rows[i] = cells
	}
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = len(h)
	}
	for _, r := range rows {
		for i, c := range r {
			for _, line := range c {
				widths[i] = max(widths[i], len([]rune(line)))
			}
		}
	}
	var b strings.Builder
	rule := func(ch string) {
		b.WriteString("+")
		for _, w := range widths {
			b.WriteString(strings.Repeat(ch, w+2) + "+")
		}
		b.WriteString("\n")
	}
	line := func(cells [][]string) {
		height := 1
		for _, c := range cells {
			height = max(height, len(c))
		}
		for k := 0; k < height; k++ {
			b.WriteString("|")
			for i, c := range cells {
				text := ""
				if k < len(c) {
					text = c[k]
				}
				pad := strings.Repeat(" ", widths[i]-len([]rune(text)))
				if i == len(cells)-1 {
					b.WriteString(" " + pad + text + " |") // sizes align right
				} else {
					b.WriteString(" " + text + pad + " |")
				}
			}
			b.WriteString("\n")
		}
	}
	rule("-")
	line([][]string{{header[0]}, {header[1]}, {header[2]}, {header[3]}})
	rule("=")
	for _, r := range rows {
		line(r)
		rule("-")
	}
	total := s.Trainable + s.Frozen + s.State
	fmt.Fprintf(&b, "Total parameters: %d (%d bytes)\n", total, s.Bytes)
	if s.Frozen > 0 || s.State > 0 {
		fmt.Fprintf(&b, "  trainable %d, frozen %d, layer state %d\n", s.Trainable, s.Frozen, s.State)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
