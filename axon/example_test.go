package axon_test

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/axon/initializers"
	"github.com/gonx-dev/gonx/axon/losses"
	"github.com/gonx-dev/gonx/axon/metrics"
	"github.com/gonx-dev/gonx/axon/optim"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

func ExampleReLU() {
	x := nx.FromSlice([]float32{-2, -0.5, 0, 1.5})
	fmt.Println(axon.ReLU(x).Value())
	// Output: [0 0 0 1.5]
}

func ExampleSoftmax() {
	x := nx.FromSlice([]float64{1, 1, 1, 1}, 1, 4)
	fmt.Println(axon.Softmax(x).Value())
	// Output: [[0.25 0.25 0.25 0.25]]
}

func ExampleActivationByName() {
	act, ok := axon.ActivationByName("hard_tanh")
	fmt.Println(ok, act(nx.FromSlice([]float64{-3, 0.5, 3})).Value())
	// Output: true [-1 0.5 1]
}

func ExampleNode_Build() {
	model := axon.Input("x", -1, 4).Dense(8, axon.ReLU).Dense(3, axon.Softmax)
	init, predict := model.Build()
	state := init(random.Key(42), nil) // the declared shapes, -1 read as 1
	fmt.Print(state)
	y := predict(state, nx.Ones(nx.F32, 2, 4))
	fmt.Println(y.Shape(), nx.Sum(y, nx.Axes(1)).Value())
	// Output:
	// param dense_0.bias f32[8]
	// param dense_0.kernel f32[4][8]
	// param dense_1.bias f32[3]
	// param dense_1.kernel f32[8][3]
	// [2][3] [1 1]
}

func ExampleTrainer() {
	// Learn y = 2x - 1 from 64 examples.
	x := nx.Reshape(nx.Linspace(-1, 1, 64, nx.Type(nx.F32)), 64, 1)
	y := nx.Subtract(nx.Multiply(x, nx.Number(2.0)), nx.Number(1.0))
	model := axon.Input("x", -1, 1).Dense(1)
	loop := axon.Trainer(model, losses.MeanSquaredError, optim.Adam(0.1),
		axon.WithMetric("mae", metrics.MeanAbsoluteError), axon.Progress(nil))
	state, err := loop.Run(context.Background(), axon.Batches(x, y, 16), nil, axon.Epochs(40))
	if err != nil {
		fmt.Println(err)
		return
	}
	k := state.Params["dense_0"]["kernel"].Float64s()[0]
	b := state.Params["dense_0"]["bias"].Float64s()[0]
	fmt.Printf("y = %.2fx %+.2f, final mae < 0.01: %v\n", k, b, loop.History()[39]["mae"] < 0.01)
	// Output: y = 2.00x -1.00, final mae < 0.01: true
}

func ExampleEvaluator() {
	model := axon.Input("x", -1, 2).Nx(func(x *nx.Tensor) *nx.Tensor { return x }) // logits = x
	x := nx.FromSlice([]float32{2, 1, 0, 3, 5, 4, 1, 0}, 4, 2)
	labels := nx.FromSlice([]int64{0, 1, 1, 1})
	ev := axon.Evaluator(model, axon.WithMetric("accuracy", metrics.Accuracy), axon.Progress(nil))
	m, _ := ev.Run(context.Background(), axon.Batches(x, labels, 2), &axon.ModelState{})
	fmt.Println(m)
	// Output: map[accuracy:0.5]
}

func ExampleLayer() {
	// A layer that scales each feature by a trainable factor, starting at 1.
	x := axon.Input("x", -1, 3)
	scale := axon.Param("scale", func(in ...nx.Shape) nx.Shape { return in[0][1:] }, initializers.Ones())
	model := axon.Layer("scale", func(c *axon.Call) *nx.Tensor {
		return nx.Multiply(c.Input(0), c.Param("scale"))
	}, []*axon.Node{x}, []*axon.Parameter{scale})
	init, predict := model.Build()
	state := init(random.Key(0), nil)
	fmt.Println(predict(state, nx.FromSlice([]float32{1, 2, 3}, 1, 3)).Value())
	// Output: [[1 2 3]]
}

func ExampleContainer() {
	x := axon.Input("x", -1, 4)
	hidden := x.Dense(8, axon.ReLU)
	model := axon.Container(map[string]*axon.Node{
		"class": hidden.Dense(3),
		"score": hidden.Dense(1, axon.Sigmoid),
	})
	init, predict := model.BuildContainer()
	out := predict(init(random.Key(0), nil), nx.Ones(nx.F32, 5, 4))
	fmt.Println(out["class"].Shape(), out["score"].Shape())
	// Output: [5][3] [5][1]
}

func ExampleNode_LSTM() {
	x := axon.Input("sequence", -1, 10, 4) // [batch][time][features]
	seq, hidden, _ := x.LSTM(16)
	init, predict := axon.Container(map[string]*axon.Node{"seq": seq, "h": hidden}).BuildContainer()
	out := predict(init(random.Key(0), nil), nx.Ones(nx.F32, 2, 10, 4))
	fmt.Println(out["seq"].Shape(), out["h"].Shape())
	// Output: [2][10][16] [2][16]
}

func ExampleNode_Conv() {
	model := axon.Input("image", -1, 1, 28, 28).
		Conv(8, 3, axon.ReLU, nx.Same).
		MaxPool(2).
		Conv(16, 3, axon.ReLU).
		GlobalAvgPool().
		Dense(10)
	init, predict := model.Build()
	state := init(random.Key(0), nil)
	fmt.Println(predict(state, nx.Zeros(nx.F32, 4, 1, 28, 28)).Shape(), state.Size())
	// Output: [4][10] 1418
}

func ExampleModelState_Freeze() {
	model := axon.Input("x", -1, 2).Dense(4, axon.Name("base")).Dense(1, axon.Name("head"))
	init, _ := model.Build()
	state := init(random.Key(0), nil).Freeze("base")
	fmt.Print(state)
	// Output:
	// param base.bias f32[4] (frozen)
	// param base.kernel f32[2][4] (frozen)
	// param head.bias f32[1]
	// param head.kernel f32[4][1]
}

func ExampleSave() {
	model := axon.Input("x", -1, 2).Dense(1)
	init, _ := model.Build()
	var buf bytes.Buffer
	if err := axon.Save(&buf, init(random.Key(0), nil), map[string]string{"note": "demo"}); err != nil {
		fmt.Println(err)
		return
	}
	state, meta, err := axon.Load(&buf)
	fmt.Println(state.Params["dense_0"]["kernel"].Shape(), meta, err)
	// Output: [2][1] map[note:demo] <nil>
}

func ExampleBatches() {
	x := nx.Iota(nx.Shape{5, 2})
	for b := range axon.Batches(x, nil, 2).Batches(0) {
		fmt.Println(b.X.(*nx.Tensor).Value())
	}
	// Output:
	// [[0 1] [2 3]]
	// [[4 5] [6 7]]
	// [[8 9]]
}

func ExampleNode_Summary() {
	model := axon.Input("image", -1, 1, 28, 28).
		Flatten().
		Dense(128, axon.ReLU).
		Dropout(0.2).
		Dense(10)
	fmt.Print(model.Summary())
	// Output:
	// +---------------------------------------+--------------------+----------------------+--------+
	// | Layer                                 | Output shape       | Parameters           |   Size |
	// +=======================================+====================+======================+========+
	// | image ( input )                       | f32[-1][1][28][28] |                      |        |
	// +---------------------------------------+--------------------+----------------------+--------+
	// | flatten_0 ( flatten["image"] )        | f32[-1][784]       |                      |        |
	// +---------------------------------------+--------------------+----------------------+--------+
	// | dense_0 ( dense["flatten_0"] )        | f32[-1][128]       | kernel f32[784][128] | 100480 |
	// |                                       |                    | bias f32[128]        |        |
	// +---------------------------------------+--------------------+----------------------+--------+
	// | activation_0 ( relu["dense_0"] )      | f32[-1][128]       |                      |        |
	// +---------------------------------------+--------------------+----------------------+--------+
	// | dropout_0 ( dropout["activation_0"] ) | f32[-1][128]       |                      |        |
	// +---------------------------------------+--------------------+----------------------+--------+
	// | dense_1 ( dense["dropout_0"] )        | f32[-1][10]        | kernel f32[128][10]  |   1290 |
	// |                                       |                    | bias f32[10]         |        |
	// +---------------------------------------+--------------------+----------------------+--------+
	// Total parameters: 101770 (407080 bytes)
}

func ExampleSummary_Fprint() {
	seq, _, _ := axon.Input("tokens", -1, -1).InputType(nx.S64).Embedding(100, 8).LSTM(16)
	model := seq.LayerNorm()
	s := model.Summary()
	fmt.Println(s.Trainable, "trainable parameters")
	s.Fprint(os.Stdout)
	// Output:
	// 2432 trainable parameters
	// +-------------------------------------------+----------------------+------------------------------+------+
	// | Layer                                     | Output shape         | Parameters                   | Size |
	// +===========================================+======================+==============================+======+
	// | tokens ( input )                          | s64[-1][-1]          |                              |      |
	// +-------------------------------------------+----------------------+------------------------------+------+
	// | embedding_0 ( embedding["tokens"] )       | f32[-1][-1][8]       | kernel f32[100][8]           |  800 |
	// +-------------------------------------------+----------------------+------------------------------+------+
	// | lstm_0 ( lstm["embedding_0"] )            | seq: f32[-1][-1][16] | kernel f32[8][64]            | 1600 |
	// |                                           | h: f32[-1][16]       | recurrent_kernel f32[16][64] |      |
	// |                                           | c: f32[-1][16]       | bias f32[64]                 |      |
	// +-------------------------------------------+----------------------+------------------------------+------+
	// | layer_norm_0 ( layer_norm["lstm_0.seq"] ) | f32[-1][-1][16]      | gamma f32[16]                |   32 |
	// |                                           |                      | beta f32[16]                 |      |
	// +-------------------------------------------+----------------------+------------------------------+------+
	// Total parameters: 2432 (9728 bytes)
}
