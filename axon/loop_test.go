package axon

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/axon/losses"
	"github.com/gonx-dev/gonx/axon/metrics"
	"github.com/gonx-dev/gonx/axon/optim"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// regression returns n examples of y = 3·x0 - 2·x1 + 1.
func regression(n int) (x, y *nx.Tensor) {
	x, _ = random.Uniform(random.Key(11), -1, 1, nx.Shape{n, 2}, nx.F32)
	w := nx.FromSlice([]float32{3, -2}, 2, 1)
	return x, nx.Add(nx.Dot(x, w), nx.Number(1.0))
}

func TestTrainerLinearRegression(t *testing.T) {
	x, y := regression(256)
	model := Input("x", -1, 2).Dense(1)
	loop := Trainer(model, losses.MeanSquaredError, optim.SGD(0.1, optim.Momentum(0.9)), Progress(nil),
		WithMetric("mae", metrics.MeanAbsoluteError))
	state, err := loop.Run(context.Background(), Batches(x, y, 32, Shuffle(1)), nil, Epochs(20))
	if err != nil {
		t.Fatal(err)
	}
	assertValues(t, "kernel", state.Params["dense_0"]["kernel"], []float64{3, -2}, 1e-3)
	assertValues(t, "bias", state.Params["dense_0"]["bias"], []float64{1}, 1e-3)
	h := loop.History()
	if len(h) != 20 || h[19]["loss"] > 1e-6 || h[19]["mae"] > 1e-3 || h[0]["loss"] < h[19]["loss"] {
		t.Errorf("history: first %v, last %v", h[0], h[len(h)-1])
	}
}

// classification returns n examples of two Gaussian blobs with labels 0 and 1
// and one-hot targets.
func classification(n int) (x, labels *nx.Tensor) {
	k := random.Key(3)
	x, k = random.Normal(k, 0, 1, nx.Shape{n, 4}, nx.F32)
	l, _ := random.RandInt(k, 0, 2, nx.Shape{n}, nx.S64)
	shift := nx.Multiply(nx.NewAxis(nx.AsType(l, nx.F32), 1), nx.Number(3.0))
	return nx.Add(x, shift), l
}

func TestTrainerClassificationWithValidation(t *testing.T) {
	x, l := classification(512)
	model := Input("x", -1, 4).Dense(16, ReLU).Dropout(0.1).Dense(2)
	loop := Trainer(model, losses.SoftmaxCrossEntropy, optim.Adam(0.01), Progress(nil),
		WithMetric("accuracy", metrics.Accuracy),
		Validation(Batches(x, l, 128)))
	_, err := loop.Run(context.Background(), Batches(x, l, 64, Shuffle(2)), nil, Epochs(3))
	if err != nil {
		t.Fatal(err)
	}
	last := loop.History()[2]
	if last["validation_accuracy"] < 0.95 || last["accuracy"] < 0.9 || last["validation_loss"] > last["loss"]+0.2 {
		t.Errorf("last epoch: %v", last)
	}
}

func TestLoopEventsAndHalting(t *testing.T) {
	x, y := regression(40)
	counts := map[Event]int{}
	count := func(ev Event) LoopOption {
		return OnEvent(ev, func(*LoopState) Action { counts[ev]++; return Continue })
	}
	opts := []LoopOption{Progress(nil)}
	for ev := Started; ev <= Completed; ev++ {
		opts = append(opts, count(ev))
	}
	// Halt the second epoch after 2 iterations, and the loop in the third.
	opts = append(opts, OnEvent(IterationCompleted, func(s *LoopState) Action {
		switch {
		case s.Epoch == 1 && s.Iteration == 2:
			return HaltEpoch
		case s.Epoch == 2 && s.Iteration == 1:
			return HaltLoop
		}
		return Continue
	}))
	loop := Trainer(Input("x", -1, 2).Dense(1), losses.MeanSquaredError, optim.SGD(0.01), opts...)
	state, err := loop.Run(context.Background(), Batches(x, y, 10), nil, Epochs(5))
	if err != nil || state == nil {
		t.Fatal(state, err)
	}
	want := map[Event]int{Started: 1, EpochStarted: 3, IterationStarted: 7, IterationCompleted: 7,
		EpochHalted: 1, EpochCompleted: 2, Halted: 1, Completed: 0}
	for ev, n := range want {
		if counts[ev] != n {
			t.Errorf("%s: %d times, want %d (all: %v)", ev, counts[ev], n, counts)
		}
	}
	if ev := EpochCompleted.String(); ev != "epoch_completed" {
		t.Errorf("EpochCompleted.String() = %q", ev)
	}
}

func TestEarlyStoppingAndReduceLR(t *testing.T) {
	x, y := regression(40)
	var scales []float64
	// A learning rate of 0 never improves the loss: the plateau handler
	// lowers the scale every 2 epochs, early stopping ends after 3.
	loop := Trainer(Input("x", -1, 2).Dense(1), losses.MeanSquaredError, optim.SGD(0), Progress(nil),
		ReduceLROnPlateau("loss", 0.5, 2),
		EarlyStopping("loss", 3),
		OnEvent(EpochCompleted, func(s *LoopState) Action { scales = append(scales, s.LRScale); return Continue }))
	_, err := loop.Run(context.Background(), Batches(x, y, 10), nil, Epochs(10))
	if err != nil {
		t.Fatal(err)
	}
	if got := len(loop.History()); got != 4 {
		t.Errorf("ran %d epochs, want 4 (the first, then 3 without improvement)", got)
	}
	want := []float64{1, 1, 0.5, 0.5}
	for i := range want {
		if i >= len(scales) || scales[i] != want[i] {
			t.Fatalf("LR scales %v, want %v", scales, want)
		}
	}
	// A monitored metric the loop does not report is an error.
	bad := Trainer(Input("x", -1, 2).Dense(1), losses.MeanSquaredError, optim.SGD(0), Progress(nil), EarlyStopping("nope", 1))
	if _, err := bad.Run(context.Background(), Batches(x, y, 10), nil); err == nil {
		t.Error("EarlyStopping on a missing metric: no error")
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	x, y := regression(100)
	ctx, cancel := context.WithCancel(context.Background())
	loop := Trainer(Input("x", -1, 2).Dense(1), losses.MeanSquaredError, optim.SGD(0.1), Progress(nil),
		OnEvent(IterationCompleted, func(s *LoopState) Action {
			if s.Step == 3 {
				cancel()
			}
			return Continue
		}))
	state, err := loop.Run(ctx, Batches(x, y, 10), nil, Epochs(3))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if state == nil || state.Params["dense_0"]["kernel"] == nil {
		t.Fatal("no state after cancellation")
	}
}

func TestFrozenParametersStay(t *testing.T) {
	x, y := regression(64)
	model := Input("x", -1, 2).Dense(8, ReLU).Named("hidden").Dense(1)
	init, _ := model.Build()
	state := init(random.Key(4), nil).Freeze("hidden")
	loop := Trainer(model, losses.MeanSquaredError, optim.Adam(0.01), Progress(nil))
	final, err := loop.Run(context.Background(), Batches(x, y, 16), state, Epochs(2))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"kernel", "bias"} {
		assertClose(t, "frozen hidden."+p, final.Params["hidden"][p], state.Params["hidden"][p], 0)
	}
	if d := nx.Sum(nx.Abs(nx.Subtract(final.Params["dense_0"]["kernel"], state.Params["dense_0"]["kernel"]))).Float64(); d == 0 {
		t.Error("the trainable layer did not change")
	}
	if !final.IsFrozen("hidden", "kernel") || final.IsFrozen("dense_0", "kernel") {
		t.Errorf("frozen set after training: %v", final.Frozen)
	}
	if s := final.Unfreeze(); s.Frozen != nil {
		t.Errorf("Unfreeze(): %v", s.Frozen)
	}
	// Freezing from the graph.
	st, _ := Input("x", -1, 2).Dense(2).Freeze().Dense(1).Build()
	if s := st(random.Key(1), nil); !s.IsFrozen("dense_0", "kernel") || s.IsFrozen("dense_1", "kernel") {
		t.Errorf("Node.Freeze: frozen %v", s.Frozen)
	}
}

func TestRegularizationPenalty(t *testing.T) {
	model := Input("x", -1, 2).Dense(2, KernelRegularizer(L2(0.5)), BiasRegularizer(L1(0.25)))
	state := &ModelState{Params: map[string]map[string]*nx.Tensor{"dense_0": {
		"kernel": nx.FromSlice([]float32{1, -2, 3, 0}, 2, 2),
		"bias":   nx.FromSlice([]float32{-1, 2}),
	}}}
	// 0.5·(1+4+9) + 0.25·(1+2)
	if got := model.Penalty(state).Float64(); got != 7.75 {
		t.Errorf("Penalty = %v, want 7.75", got)
	}
	if got := L1L2(1, 2)(nx.FromSlice([]float64{1, -2})).Float64(); got != 13 {
		t.Errorf("L1L2(1, 2)([1 -2]) = %v, want 13", got)
	}
	// Strong L2 shrinks the kernel towards 0 while fitting.
	x, y := regression(64)
	reg := Input("x", -1, 2).Dense(1, KernelRegularizer(L2(10)))
	state2, err := Trainer(reg, losses.MeanSquaredError, optim.SGD(0.01), Progress(nil)).
		Run(context.Background(), Batches(x, y, 16), nil, Epochs(20))
	if err != nil {
		t.Fatal(err)
	}
	if n := nx.Sum(nx.Abs(state2.Params["dense_0"]["kernel"])).Float64(); n > 1 {
		t.Errorf("|kernel| = %v with a strong L2 penalty, want < 1", n)
	}
}

func TestCheckpointAndResume(t *testing.T) {
	dir := t.TempDir()
	x, y := regression(64)
	model := Input("x", -1, 2).Dense(1)
	loop := Trainer(model, losses.MeanSquaredError, optim.SGD(0.05), Progress(nil),
		Checkpoint(filepath.Join(dir, "ckpt-{epoch}.safetensors")))
	state, err := loop.Run(context.Background(), Batches(x, y, 16), nil, Epochs(2))
	if err != nil {
		t.Fatal(err)
	}
	loaded, meta, err := LoadFile(filepath.Join(dir, "ckpt-2.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	assertClose(t, "checkpoint", loaded.Params["dense_0"]["kernel"], state.Params["dense_0"]["kernel"], 0)
	if meta["epoch"] != "2" || meta["loss"] == "" {
		t.Errorf("checkpoint metadata %v", meta)
	}
	if _, err := os.Stat(filepath.Join(dir, "ckpt-1.safetensors")); err != nil {
		t.Error(err)
	}
	// Resuming from the checkpoint goes on lowering the loss.
	before := loop.History()[1]["loss"]
	if _, err := loop.Run(context.Background(), Batches(x, y, 16), loaded, Epochs(1)); err != nil {
		t.Fatal(err)
	}
	if after := loop.History()[0]["loss"]; after >= before {
		t.Errorf("resumed loss %v, want below %v", after, before)
	}
}

func TestEvaluator(t *testing.T) {
	// A fixed model: logits = x, so the prediction is the argmax of x.
	model := Input("x", -1, 2).Nx(func(x *nx.Tensor) *nx.Tensor { return x })
	x := nx.FromSlice([]float32{1, 0, 0, 1, 1, 0, 0, 1, 2, 1}, 5, 2)
	labels := nx.FromSlice([]int64{0, 1, 1, 1, 1})
	ev := Evaluator(model, WithMetric("accuracy", metrics.Accuracy), EvalLoss(losses.SoftmaxCrossEntropy), Progress(nil))
	m, err := ev.Run(context.Background(), Batches(x, labels, 5), &ModelState{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m["accuracy"]-0.6) > 1e-6 {
		t.Errorf("accuracy %v, want 0.6", m["accuracy"])
	}
	// softmax cross-entropy of the rows, as NumPy computes it.
	want := (0.31326168751822286*2 + 1.3132616875182228 + 0.31326168751822286 + 1.3132616875182228) / 5
	if math.Abs(m["loss"]-want) > 1e-6 {
		t.Errorf("loss %v, want %v", m["loss"], want)
	}
}

func TestMultiInputAndContainerOutputs(t *testing.T) {
	a, b := Input("a", -1, 3), Input("b", -1, 2)
	joined := Concatenate([]*Node{a.Dense(4), b})
	model := Container(map[string]*Node{"sum": joined.Dense(1), "class": joined.Dense(2)})
	init, predict := model.BuildContainer()
	xa, _ := random.Normal(random.Key(1), 0, 1, nx.Shape{32, 3}, nx.F32)
	xb, _ := random.Normal(random.Key(2), 0, 1, nx.Shape{32, 2}, nx.F32)
	inputs := map[string]*nx.Tensor{"a": xa, "b": xb}
	state := init(random.Key(0), inputs)
	out := predict(state, inputs)
	if !out["sum"].Shape().Equal(nx.Shape{32, 1}) || !out["class"].Shape().Equal(nx.Shape{32, 2}) {
		t.Fatalf("outputs %v %v", out["sum"].Shape(), out["class"].Shape())
	}
	targets := map[string]*nx.Tensor{
		"sum":   nx.Sum(nx.Concatenate([]*nx.Tensor{xa, xb}, nx.Axis(1)), nx.Axes(1), nx.KeepAxes()),
		"class": nx.AsType(nx.Greater(nx.Sum(xa, nx.Axes(1)), nx.Number(0.0)), nx.S64),
	}
	data := DatasetFunc(func(int) iter.Seq[Batch] {
		return func(yield func(Batch) bool) {
			for i := 0; i < 4; i++ {
				if !yield(Batch{X: inputs, Y: targets}) {
					return
				}
			}
		}
	})
	loop := Trainer(model, nil, optim.Adam(0.05), Progress(nil),
		OutputLoss("sum", losses.MeanSquaredError, 1), OutputLoss("class", losses.SoftmaxCrossEntropy, 0.5))
	if _, err := loop.Run(context.Background(), data, state, Epochs(10)); err != nil {
		t.Fatal(err)
	}
	h := loop.History()
	if h[9]["loss"] >= h[0]["loss"]/2 {
		t.Errorf("loss went from %v to %v", h[0]["loss"], h[9]["loss"])
	}
	// Feeding a map with a wrong name is an error naming the inputs.
	err := nx.Try(func() { predict(state, map[string]*nx.Tensor{"a": xa, "c": xb}) })
	if err == nil {
		t.Error("unknown input name: no error")
	}
}

// TestStepCompilesOncePerShape checks that the whole training step is one
// compiled function, traced once per batch shape and reused.
func TestStepCompilesOncePerShape(t *testing.T) {
	x, y := regression(50)
	loop := Trainer(Input("x", -1, 2).Dense(4, ReLU).Dense(1), losses.MeanSquaredError, optim.Adam(0.01), Progress(nil))
	if _, err := loop.Run(context.Background(), Batches(x, y, 10), nil, Epochs(3)); err != nil {
		t.Fatal(err)
	}
	if n := loop.compiles.Load(); n != 1 {
		t.Errorf("%d compilations for 15 steps of one shape, want 1", n)
	}
	// A last batch of another size adds one signature.
	if _, err := loop.Run(context.Background(), Batches(x, y, 16), nil, Epochs(2)); err != nil {
		t.Fatal(err)
	}
	if n := loop.compiles.Load(); n != 3 {
		t.Errorf("%d compilations after batches of 16 and 2, want 3", n)
	}
}

func TestTrainerUpdatesLayerState(t *testing.T) {
	x, y := regression(64)
	x = nx.Add(nx.Multiply(x, nx.Number(2.0)), nx.Number(5.0)) // mean 5, so the running mean moves
	model := Input("x", -1, 2).BatchNorm(Axis(1)).Dense(1)
	var progress bytes.Buffer
	loop := Trainer(model, losses.MeanSquaredError, optim.Adam(0.01), Progress(&progress))
	state, err := loop.Run(context.Background(), Batches(x, y, 16), nil, Epochs(3), Iterations(3))
	if err != nil {
		t.Fatal(err)
	}
	mean := state.State["batch_norm_0"]["mean"].Float64s()
	// After 9 updates with momentum 0.1 the running mean is about
	// 5·(1 - 0.9⁹) ≈ 3.06.
	for _, m := range mean {
		if m < 2.5 || m > 3.6 {
			t.Errorf("running mean %v, want about 3.06", mean)
		}
	}
	lines := strings.Split(strings.TrimSpace(progress.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[2], "Epoch 3/3: 3 batches in ") || !strings.Contains(lines[2], "loss ") {
		t.Errorf("progress output:\n%s", progress.String())
	}
}

func TestOptionalInputAndConstant(t *testing.T) {
	x := Input("x", -1, 2)
	extra := Input("extra", -1, 2).Optional()
	model := Layer("maybe_add", func(c *Call) *nx.Tensor {
		if c.Input(1) == nil {
			return nx.Add(c.Input(0), c.Input(2))
		}
		return nx.Add(c.Input(0), c.Input(1))
	}, []*Node{x, extra, Constant(nx.FromSlice([]float32{10, 20}))}, nil)
	_, predict := model.Build()
	one := nx.Ones(nx.F32, 1, 2)
	assertValues(t, "without extra", predict(&ModelState{}, map[string]*nx.Tensor{"x": one}), []float64{11, 21}, 0)
	assertValues(t, "with extra", predict(&ModelState{}, map[string]*nx.Tensor{"x": one, "extra": one}), []float64{2, 2}, 0)
	if err := nx.Try(func() { predict(&ModelState{}, one) }); err == nil {
		t.Error("a single tensor for a model with two inputs: no error")
	}
}

func TestOptionErrors(t *testing.T) {
	cases := map[string]func(){
		"unknown option type": func() { Input("x", -1, 2).Dense(3, 42) },
		"option not accepted": func() { Input("x", -1, 2).Dense(3, Strides(2)) },
		"unknown activation":  func() { Input("x", -1, 2).Dense(3, "nope") },
		"bad dropout rate":    func() { Input("x", -1, 2).Dropout(1) },
		"duplicate layer name": func() {
			Add([]*Node{Input("x", -1, 2).Dense(2, Name("a")), Input("x", -1, 2).Dense(2, Name("a"))}).Build()
		},
		"wrong input shape": func() {
			_, p := Input("x", -1, 3).Dense(2).Build()
			p(&ModelState{}, nx.Ones(nx.F32, 1, 2))
		},
	}
	for name, fn := range cases {
		if err := nx.Try(fn); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
