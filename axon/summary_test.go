package axon

import (
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

func TestSummary(t *testing.T) {
	cases := []struct {
		name  string
		model func() *Node
		// rows: "name op output-shapes" of chosen layers
		rows      map[string]string
		trainable int
		frozen    int
		state     int
	}{
		{name: "mlp", model: func() *Node {
			return Input("image", -1, 1, 28, 28).Flatten().Dense(128, ReLU).Dense(10)
		}, rows: map[string]string{
			"image":        "input f32[-1][1][28][28]",
			"flatten_0":    "flatten f32[-1][784]",
			"activation_0": "relu f32[-1][128]",
			"dense_1":      "dense f32[-1][10]",
		}, trainable: 784*128 + 128 + 128*10 + 10},
		{name: "cnn", model: func() *Node {
			return Input("image", -1, 1, 28, 28).Conv(32, 3, ReLU).Conv(64, 3, ReLU, Strides(2), nx.Same).
				MaxPool(2).BatchNorm().Flatten().Dense(10, "softmax")
		}, rows: map[string]string{
			"conv_1":       "conv f32[-1][64][13][13]",
			"max_pool_0":   "max_pool f32[-1][64][6][6]",
			"batch_norm_0": "batch_norm f32[-1][64][6][6]",
			"activation_2": "softmax f32[-1][10]",
		}, trainable: 32*9 + 32 + 64*32*9 + 64 + 2*64 + 64*6*6*10 + 10, state: 2 * 64},
		{name: "sequence_any_length", model: func() *Node {
			seq, h, _ := Input("x", -1, -1, 4).LSTM(8)
			return Container(map[string]*Node{"seq": seq, "h": h.Dense(2, Frozen())})
		}, rows: map[string]string{
			"x":           "input f32[-1][-1][4]",
			"lstm_0":      "lstm seq: f32[-1][-1][8], h: f32[-1][8], c: f32[-1][8]",
			"container_0": "container h: f32[-1][2], seq: f32[-1][-1][8]",
		}, trainable: 4*32 + 8*32 + 32, frozen: 8*2 + 2},
		{name: "two_inputs_f64", model: func() *Node {
			a, b := Input("a", 5, 3), Input("b", 5, 2).InputType(nx.F64)
			return Concatenate([]*Node{a.Dense(4, ParamType(nx.F64)), b}).Activation(Tanh)
		}, rows: map[string]string{
			"b":             "input f64[5][2]",
			"concatenate_0": "concatenate f64[5][6]",
			"activation_0":  "tanh f64[5][6]",
		}, trainable: 3*4 + 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.model().Summary()
			byName := map[string]LayerSummary{}
			for _, l := range s.Layers {
				byName[l.Name] = l
			}
			for name, want := range c.rows {
				l, ok := byName[name]
				if !ok {
					t.Errorf("no row %q", name)
					continue
				}
				outs := make([]string, len(l.Outputs))
				for i, o := range l.Outputs {
					outs[i] = o.String()
				}
				if got := l.Op + " " + strings.Join(outs, ", "); got != want {
					t.Errorf("row %s: %q, want %q", name, got, want)
				}
			}
			if s.Trainable != c.trainable || s.Frozen != c.frozen || s.State != c.state {
				t.Errorf("trainable %d, frozen %d, state %d; want %d, %d, %d", s.Trainable, s.Frozen, s.State, c.trainable, c.frozen, c.state)
			}
			// A second count: the state init makes.
			init, _ := c.model().BuildContainer()
			st := init(random.Key(0), nil)
			bytes, state := 0, 0
			for _, t := range st.Tensors() {
				bytes += t.Size() * t.DType().Size()
			}
			for _, ps := range st.State {
				for _, t := range ps {
					state += t.Size()
				}
			}
			if st.Size() != s.Trainable+s.Frozen || state != s.State || bytes != s.Bytes {
				t.Errorf("init: %d parameters, %d state, %d bytes; summary: %d, %d, %d",
					st.Size(), state, bytes, s.Trainable+s.Frozen, s.State, s.Bytes)
			}
			table := s.String()
			for _, l := range s.Layers {
				if !strings.Contains(table, l.Name+" ( "+l.Op) {
					t.Errorf("the table has no row for %s:\n%s", l.Name, table)
				}
			}
		})
	}
}

func TestSummaryFor(t *testing.T) {
	seq, _ := Input("x", -1, -1, 3).GRU(5)
	s := seq.SummaryFor(nx.Zeros(nx.F32, 7, 11, 3))
	last := s.Layers[len(s.Layers)-1]
	if got := last.Outputs[0].String(); last.Op != "gru" || got != "seq: f32[7][11][5]" {
		t.Errorf("last row %s %v, want gru's outputs at batch 7, 11 steps", last.Op, last.Outputs)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic for an input of the wrong shape")
		}
	}()
	seq.SummaryFor(nx.Zeros(nx.F32, 7, 3))
}
