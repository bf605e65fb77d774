package main

import (
	"context"
	"fmt"
	"iter"
	"math"
	"strings"
	"time"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/axon/losses"
	"github.com/gonx-dev/gonx/axon/optim"
	"github.com/gonx-dev/gonx/bench"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// trainModels are the models of the training table, as examples/mnist builds
// them and peers/train.py builds them in PyTorch.
var trainModels = []struct {
	name        string
	model       func() *axon.Node
	goal, extra float64 // nx ÷ torch throughput to reach, and the stretch goal (0: none)
}{
	{"mlp", func() *axon.Node {
		return axon.Input("image", -1, 1, 28, 28).Flatten().Dense(128, axon.ReLU).Dense(10)
	}, 1.0, 1.5},
	{"cnn", func() *axon.Node {
		return axon.Input("image", -1, 1, 28, 28).
			Conv(32, 3, axon.ReLU).Conv(64, 3, axon.ReLU).MaxPool(2).Dropout(0.25).
			Flatten().Dense(128, axon.ReLU).Dropout(0.5).Dense(10)
	}, 0.7, 0},
}

// trainStepsPerCall is the number of training steps one timed call runs (one
// loop.Run over that many batches), so the loop's set-up is a small part of
// the time; the table reports the time of one step. -quick runs one.
func trainStepsPerCall(c *config) int {
	if c.quick {
		return 1
	}
	return 4
}

// trainCase names a model's case as peers/train.py does.
func trainCase(model string, batch int) string {
	return fmt.Sprintf("%s train step, batch %d", model, batch)
}

// repeatBatch is a dataset of n copies of one batch.
func repeatBatch(x, y *nx.Tensor, n int) axon.Dataset {
	return axon.DatasetFunc(func(int) iter.Seq[axon.Batch] {
		return func(yield func(axon.Batch) bool) {
			for range n {
				if !yield(axon.Batch{X: x, Y: y}) {
					return
				}
			}
		}
	})
}

// trainNx returns the time of one training step of model in nx: the whole
// step (forward, gradient, Adam update, loss average) is one compiled call.
func trainNx(ctx context.Context, c *config, model *axon.Node, x, y *nx.Tensor) bench.Result {
	res := bench.Result{System: "nx", Samples: float64(c.trainBatch)}
	loop := axon.Trainer(model, losses.SoftmaxCrossEntropy, optim.Adam(1e-3), axon.Progress(nil))
	init, _ := model.Build()
	var state *axon.ModelState
	var err error
	if msg := try(func() { state = init(random.Key(1), x) }); msg != "" {
		res.Unavailable = msg
		return res
	}
	// The first call traces and compiles the step; the protocol's warm-up
	// call then runs warm.
	if state, err = loop.Run(ctx, repeatBatch(x, y, 1), state); err != nil {
		res.Unavailable = err.Error()
		return res
	}
	steps := trainStepsPerCall(c)
	perCall := c.proto.Measure(func() {
		if err == nil {
			state, err = loop.Run(ctx, repeatBatch(x, y, steps), state)
		}
	})
	if err != nil {
		res.Unavailable = err.Error()
		return res
	}
	res.PerOp = perCall / time.Duration(steps)
	return res
}

// trainTable measures the training throughput of the MNIST models: nx against
// PyTorch as OpenBLAS detects the CPU and with each forced core type.
func trainTable(ctx context.Context, c *config, peers *bench.Runner) *bench.Table {
	b := c.trainBatch
	t := &bench.Table{
		Title:    fmt.Sprintf("training step of the MNIST models, batch %d: forward, softmax cross-entropy, gradient, Adam 1e-3 (dropout active)", b),
		Baseline: "nx",
		Systems:  []string{"torch"},
	}
	for _, ct := range c.coretypes {
		t.Systems = append(t.Systems, "torch "+ct)
	}
	x, k := random.Uniform(random.Key(0), 0, 1, nx.Shape{b, 1, 28, 28}, nx.F32)
	y, _ := random.RandInt(k, 0, 10, nx.Shape{b}, nx.U8)
	var cases []peerCase
	goals := map[string][2]float64{}
	for _, m := range trainModels {
		if ctx.Err() != nil {
			return t
		}
		name := trainCase(m.name, b)
		cases = append(cases, peerCase{name: name, samples: float64(b), check: math.NaN()})
		goals[name] = [2]float64{m.goal, m.extra}
		res := trainNx(ctx, c, m.model(), x, y)
		res.Case = name
		t.Add(res)
	}

	models := make([]string, len(trainModels))
	for i, m := range trainModels {
		models[i] = m.name
	}
	args := []string{"--models", strings.Join(models, ","), "--batch", fmt.Sprint(b)}
	err := peers.CheckPython(ctx, "torch")
	var out *bench.PeerOutput
	if err == nil {
		out, err = peers.RunPython(ctx, "train.py", nil, args...)
	}
	addPeer(t, out, err, "", "torch", cases, 0)
	for _, ct := range c.coretypes {
		system := "torch " + ct
		var out *bench.PeerOutput
		err := peers.CheckPython(ctx, "torch")
		if err == nil {
			out, err = peers.RunPython(ctx, "train.py", []string{"OPENBLAS_CORETYPE=" + ct}, append(args, "--system", system)...)
		}
		hint := ""
		if err != nil && strings.Contains(err.Error(), "illegal instruction") && strings.EqualFold(ct, "SkylakeX") && hasAVX512() == no {
			hint = " (SkylakeX kernels need AVX-512, which this CPU lacks)"
		}
		addPeer(t, out, err, hint, system, cases, 0)
	}

	t.Extra = []bench.Column{
		{Head: "nx ÷ best torch", Cell: func(t *bench.Table, c string) string {
			r, ok := trainRatio(t, c)
			if !ok {
				return "n/a"
			}
			return fmt.Sprintf("%.2f×", r)
		}},
		{Head: "goal", Cell: func(t *bench.Table, c string) string {
			g := goals[c]
			s := fmt.Sprintf("≥ %.1f×", g[0])
			if g[1] > 0 {
				s += fmt.Sprintf(" (stretch %.1f×)", g[1])
			}
			r, ok := trainRatio(t, c)
			switch {
			case !ok:
				return s
			case g[1] > 0 && r >= g[1]:
				return s + " stretch met"
			case r >= g[0]:
				return s + " met"
			}
			return s + " not met"
		}},
	}
	t.AddNote("nx: axon.Trainer, each step one nx.Jit call; timed as loop.Run over %d batch(es) per call, the time per step reported", trainStepsPerCall(c))
	t.AddNote("torch: the same models in PyTorch (peers/train.py), zero_grad + forward + loss + backward + Adam step, timed at every thread count from 1 to -threads, the fastest kept")
	t.AddNote("nx ÷ best torch: nx's samples/s over the fastest torch column's; the inputs are random images and labels (no check: the two systems initialize differently)")
	return t
}

// trainRatio returns nx's throughput on case c over the best torch column's.
func trainRatio(t *bench.Table, c string) (float64, bool) {
	nxRes, ok := t.Lookup(c, "nx")
	if !ok || nxRes.SamplesPerSec() == 0 {
		return 0, false
	}
	best := 0.0
	for _, r := range t.Results() {
		if r.Case == c && strings.HasPrefix(r.System, "torch") {
			best = max(best, r.SamplesPerSec())
		}
	}
	if best == 0 {
		return 0, false
	}
	return nxRes.SamplesPerSec() / best, true
}
