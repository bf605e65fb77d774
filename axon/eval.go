package axon

import (
	"context"
	"fmt"
	"time"

	"github.com/gonx-dev/gonx/nx"
)

// EvalLoop evaluates a model; make one with Evaluator.
type EvalLoop struct {
	cfg  loopConfig
	g    *graph
	loss LossFunc
	step func(s evalState, x, y any) evalState
}

// evalState is what the compiled evaluation step carries between batches.
type evalState struct {
	Params  map[string]map[string]*nx.Tensor
	Layers  map[string]map[string]*nx.Tensor
	Metrics map[string]*nx.Tensor
	Seen    *nx.Tensor
}

// Evaluator returns a loop that runs the model whose output is model in
// inference mode over a dataset and reports its metrics (options WithMetric,
// WithMetricSum, WithRunningMetric, OnEvent, Progress; with OutputLoss or
// EvalLoss also the loss).
// Each batch is one call of a function compiled with nx.Jit.
func Evaluator(model *Node, opts ...LoopOption) *EvalLoop {
	return newEvaluator(compileGraph(model), nil, opts...)
}

// EvalLoss makes an Evaluator report the mean of loss as "loss".
func EvalLoss(loss LossFunc) LoopOption {
	return func(c *loopConfig) { c.evalLoss = loss }
}

func newEvaluator(g *graph, loss LossFunc, opts ...LoopOption) *EvalLoop {
	l := &EvalLoop{g: g, loss: loss}
	for _, o := range opts {
		o(&l.cfg)
	}
	if l.cfg.evalLoss != nil {
		l.loss = l.cfg.evalLoss
	}
	l.step = nx.Jit(l.evalStep)
	return l
}

func (l *EvalLoop) evalStep(s evalState, x, y any) evalState {
	out, _ := l.g.run(l.g.feed("axon.Evaluator", x), false, nil, layerParams(s.Params, s.Layers))
	loss := nx.Scalar(float32(0))
	if l.loss != nil || l.cfg.outputLosses != nil {
		loss = objective(l.loss, l.cfg.outputLosses, y, out)
	}
	return evalState{Params: s.Params, Layers: s.Layers, Seen: nx.Add(s.Seen, nx.Number(1)),
		Metrics: updateMetrics(l.cfg.metrics, s.Metrics, s.Seen, loss, y, out)}
}

// Run evaluates state on every batch of data (one epoch, or the iterations
// RunOption Iterations allows) and returns the metrics: their running
// averages (sums for WithMetricSum, what the accumulator makes for
// WithRunningMetric), and "loss" when the loop has one. It
// stops early, returning the metrics so far, when ctx is done (the error wraps
// ctx.Err()) or a handler halts it.
func (l *EvalLoop) Run(ctx context.Context, data Dataset, state *ModelState, opts ...RunOption) (metrics map[string]float64, err error) {
	rc := runConfig{}
	for _, o := range opts {
		o(&rc)
	}
	defer recoverLoop(&err)
	if state == nil {
		return nil, fmt.Errorf("axon: evaluator: the model state is nil")
	}
	layers := state.State
	if layers == nil {
		layers = map[string]map[string]*nx.Tensor{}
	}
	s := evalState{Params: state.Params, Layers: layers, Metrics: zeroMetrics(l.cfg.metrics), Seen: nx.Scalar(float32(0))}
	ls := &LoopState{Epochs: 1, LRScale: 1, Metrics: map[string]float64{}}
	h := l.cfg.handlers
	bar := newProgress(l.cfg.progress, l.cfg.progressSet, "eval")
	total := numBatches(data)
	if rc.iterations > 0 && (total == 0 || rc.iterations < total) {
		total = rc.iterations
	}
	start := time.Now()
	action := max(fire(h, Started, ls), fire(h, EpochStarted, ls))
	bar.start(0, 1, total)
	for b := range data.Batches(0) {
		if action != Continue || rc.iterations > 0 && ls.Iteration >= rc.iterations {
			break
		}
		if err := ctx.Err(); err != nil {
			readMetrics(ls.Metrics, s.Metrics)
			l.dropLoss(ls.Metrics)
			return ls.Metrics, fmt.Errorf("axon: evaluation stopped at iteration %d: %w", ls.Iteration, err)
		}
		if action = fire(h, IterationStarted, ls); action != Continue {
			break
		}
		s = l.step(s, b.X, b.Y)
		ls.Iteration++
		ls.Step++
		ls.Samples += batchSize(b.X)
		readMetrics(ls.Metrics, s.Metrics)
		l.dropLoss(ls.Metrics)
		ls.Elapsed = time.Since(start)
		bar.update(ls)
		action = fire(h, IterationCompleted, ls)
	}
	readMetrics(ls.Metrics, s.Metrics)
	l.dropLoss(ls.Metrics)
	ls.Elapsed = time.Since(start)
	bar.finish(ls, ls.Elapsed)
	if action == HaltLoop {
		fire(h, Halted, ls)
	} else {
		fire(h, EpochCompleted, ls)
		fire(h, Completed, ls)
	}
	return ls.Metrics, nil
}

// dropLoss removes the placeholder loss of an evaluator that has none.
func (l *EvalLoop) dropLoss(m map[string]float64) {
	if l.loss == nil && l.cfg.outputLosses == nil {
		delete(m, "loss")
	}
}
