package main

import (
	"context"
	"fmt"
	"iter"
	"math"
	"slices"
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

// nxTrainer is one model's training loop in nx, compiled once and timed in
// every round.
type nxTrainer struct {
	loop  *axon.TrainLoop
	state *axon.ModelState
	x, y  *nx.Tensor
	err   string // why the model cannot be timed
}

// newNxTrainer builds the loop of model and runs its first step, which
// traces and compiles it.
func newNxTrainer(ctx context.Context, model *axon.Node, x, y *nx.Tensor) *nxTrainer {
	tr := &nxTrainer{loop: axon.Trainer(model, losses.SoftmaxCrossEntropy, optim.Adam(1e-3), axon.Progress(nil)), x: x, y: y}
	init, _ := model.Build()
	if msg := try(func() { tr.state = init(random.Key(1), x) }); msg != "" {
		tr.err = msg
		return tr
	}
	var err error
	if tr.state, err = tr.loop.Run(ctx, repeatBatch(x, y, 1), tr.state); err != nil {
		tr.err = err.Error()
	}
	return tr
}

// measure returns the time of one training step of the model in nx: the whole
// step (forward, gradient, Adam update, loss average) is one compiled call.
func (tr *nxTrainer) measure(ctx context.Context, c *config) bench.Result {
	res := bench.Result{System: "nx", Samples: float64(c.trainBatch)}
	if tr.err != "" {
		res.Unavailable = tr.err
		return res
	}
	steps := trainStepsPerCall(c)
	var err error
	perCall := c.proto.Measure(func() {
		if err == nil {
			tr.state, err = tr.loop.Run(ctx, repeatBatch(tr.x, tr.y, steps), tr.state)
		}
	})
	if err != nil {
		tr.err = err.Error()
		res.Unavailable = tr.err
		return res
	}
	res.PerOp = perCall / time.Duration(steps)
	return res
}

// trainNx returns the time of one training step of model in nx.
func trainNx(ctx context.Context, c *config, model *axon.Node, x, y *nx.Tensor) bench.Result {
	return newNxTrainer(ctx, model, x, y).measure(ctx, c)
}

// trainTable measures the training throughput of the MNIST models: nx against
// PyTorch as OpenBLAS detects the CPU and with each forced core type. The
// systems take turns for -train-rounds rounds (nx, then each PyTorch run),
// so that the load of a shared machine falls on all of them alike; the cells
// are the medians over the rounds, the ratio the median of each round's
// ratio.
func trainTable(ctx context.Context, c *config, peers *bench.Runner) *bench.Table {
	b := c.trainBatch
	t := &bench.Table{
		Title:    fmt.Sprintf("training step of the MNIST models, batch %d: forward, softmax cross-entropy, gradient, Adam 1e-3 (dropout active)", b),
		Baseline: "nx",
		Systems:  []string{"torch"},
	}
	systems := []string{"torch"}
	env := map[string][]string{"torch": nil}
	for _, ct := range c.coretypes {
		systems = append(systems, "torch "+ct)
		env["torch "+ct] = []string{"OPENBLAS_CORETYPE=" + ct}
	}
	t.Systems = systems
	x, k := random.Uniform(random.Key(0), 0, 1, nx.Shape{b, 1, 28, 28}, nx.F32)
	y, _ := random.RandInt(k, 0, 10, nx.Shape{b}, nx.U8)
	models := make([]string, len(trainModels))
	trainers := make([]*nxTrainer, len(trainModels))
	goals := map[string][2]float64{}
	for i, m := range trainModels {
		models[i] = m.name
		goals[trainCase(m.name, b)] = [2]float64{m.goal, m.extra}
		trainers[i] = newNxTrainer(ctx, m.model(), x, y)
	}
	args := []string{"--models", strings.Join(models, ","), "--batch", fmt.Sprint(b)}
	pyErr := peers.CheckPython(ctx, "torch")

	// results[case][system] holds each round's result; ratios[case] each
	// round's nx ÷ best torch.
	results := map[string]map[string][]bench.Result{}
	ratios := map[string][]float64{}
	add := func(r bench.Result) {
		if results[r.Case] == nil {
			results[r.Case] = map[string][]bench.Result{}
		}
		results[r.Case][r.System] = append(results[r.Case][r.System], r)
	}
	rounds := max(c.trainRounds, 1)
	for round := 0; round < rounds && ctx.Err() == nil; round++ {
		rt := &bench.Table{Baseline: "nx"}
		for i, m := range trainModels {
			res := trainers[i].measure(ctx, c)
			res.Case = trainCase(m.name, b)
			rt.Add(res)
		}
		for _, system := range systems {
			var out *bench.PeerOutput
			err := pyErr
			if err == nil {
				out, err = peers.RunPython(ctx, "train.py", env[system], append(args, "--system", system)...)
			}
			hint := ""
			if err != nil && strings.Contains(err.Error(), "illegal instruction") && strings.HasSuffix(system, " SkylakeX") && hasAVX512() == no {
				hint = " (SkylakeX kernels need AVX-512, which this CPU lacks)"
			}
			var cases []peerCase
			for _, m := range models {
				cases = append(cases, peerCase{name: trainCase(m, b), samples: float64(b), check: math.NaN()})
			}
			addPeer(rt, out, err, hint, system, cases, 0)
			if round == 0 {
				for _, n := range rt.Notes {
					if !slices.Contains(t.Notes, n) {
						t.Notes = append(t.Notes, n)
					}
				}
			}
			rt.Notes = nil
		}
		for _, r := range rt.Results() {
			add(r)
		}
		for _, m := range models {
			if r, ok := trainRatio(rt, trainCase(m, b)); ok {
				ratios[trainCase(m, b)] = append(ratios[trainCase(m, b)], r)
			}
		}
	}
	for _, m := range models {
		name := trainCase(m, b)
		for _, system := range append([]string{"nx"}, systems...) {
			if rs := results[name][system]; len(rs) > 0 {
				t.Add(medianResult(rs))
			}
		}
	}

	ratioCell := func(c string) (float64, bool) {
		if len(ratios[c]) == 0 {
			return 0, false
		}
		return median(ratios[c]), true
	}
	t.Extra = []bench.Column{
		{Head: "nx ÷ best torch", Cell: func(_ *bench.Table, c string) string {
			r, ok := ratioCell(c)
			if !ok {
				return "n/a"
			}
			return fmt.Sprintf("%.2f×", r)
		}},
		{Head: "goal", Cell: func(_ *bench.Table, c string) string {
			return goalCell(goals[c], ratioCell)(c)
		}},
	}
	t.AddNote("%d round(s), the systems in turn within each (nx, torch, torch with each forced core); each cell is the median over the rounds, nx ÷ best torch the median of the rounds' ratios of nx's samples/s to the fastest torch column's; the peers' notes are the first round's", rounds)
	t.AddNote("nx: axon.Trainer, each step one nx.Jit call; timed as loop.Run over %d batch(es) per call, the time per step reported", trainStepsPerCall(c))
	t.AddNote("torch: the same models in PyTorch (peers/train.py), zero_grad + forward + loss + backward + Adam step, timed at every thread count from 1 to -threads, the fastest kept")
	t.AddNote("the inputs are random images and labels; no check value (the two systems initialize their parameters differently)")
	return t
}

// goalCell returns the goal column's cell function: the goal, the stretch
// goal and whether the ratio met them.
func goalCell(g [2]float64, ratio func(string) (float64, bool)) func(string) string {
	return func(c string) string {
		s := fmt.Sprintf("≥ %.1f×", g[0])
		if g[1] > 0 {
			s += fmt.Sprintf(" (stretch %.1f×)", g[1])
		}
		r, ok := ratio(c)
		switch {
		case !ok:
			return s
		case g[1] > 0 && r >= g[1]:
			return s + " stretch met"
		case r >= g[0]:
			return s + " met"
		}
		return s + " not met"
	}
}

// medianResult returns the result of the median time among rs (one case and
// system over several rounds); unavailable when every round was.
func medianResult(rs []bench.Result) bench.Result {
	var times []time.Duration
	var last bench.Result
	for _, r := range rs {
		if r.Unavailable == "" {
			times = append(times, r.PerOp)
			last = r
		}
	}
	if len(times) == 0 {
		return rs[len(rs)-1]
	}
	last.PerOp = bench.Median(times)
	return last
}

// median returns the median of v (not empty).
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
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
