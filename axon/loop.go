package axon

import (
	"context"
	"fmt"
	"io"
	"maps"
	"sync/atomic"
	"time"

	"github.com/gonx-dev/gonx/axon/metrics"
	"github.com/gonx-dev/gonx/axon/optim"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

// LossFunc compares targets with predictions. The training loop minimizes its
// mean (a loss that returns one value per example is averaged). The functions
// of package losses are LossFuncs.
type LossFunc = func(yTrue, yPred *nx.Tensor) *nx.Tensor

// MetricFunc measures predictions against targets for one batch: a scalar. The
// functions of package metrics are MetricFuncs.
type MetricFunc = func(yTrue, yPred *nx.Tensor) *nx.Tensor

// metric is a named metric and how the loop aggregates it over an epoch.
type metric struct {
	name string
	fn   MetricFunc
	acc  metrics.Accumulator
}

// loopConfig is what the options of both loops set.
type loopConfig struct {
	metrics      []metric
	handlers     map[Event][]Handler
	validation   Dataset
	progress     io.Writer
	progressSet  bool
	seed         int64
	outputLosses map[string]weightedLoss
	evalLoss     LossFunc
}

type weightedLoss struct {
	fn     LossFunc
	weight float64
}

// LoopOption configures a Trainer or an Evaluator.
type LoopOption func(*loopConfig)

// WithMetric adds a metric, reported under name as its running average over
// the epoch's batches (metrics.RunningAverage, Axon's running_average).
func WithMetric(name string, fn MetricFunc) LoopOption {
	return WithRunningMetric(name, fn, metrics.RunningAverage)
}

// WithMetricSum adds a metric reported as its sum over the epoch's batches
// (metrics.RunningSum, Axon's running_sum), for counts such as
// metrics.TruePositives.
func WithMetricSum(name string, fn MetricFunc) LoopOption {
	return WithRunningMetric(name, fn, metrics.RunningSum)
}

// WithRunningMetric adds a metric reported under name as acc folds it over the
// epoch's batches: each batch's value (a metric that returns several values is
// averaged first) is folded, inside the compiled step, into the value over
// the batches before it.
func WithRunningMetric(name string, fn MetricFunc, acc metrics.Accumulator) LoopOption {
	if acc == nil {
		acc = metrics.RunningAverage
	}
	return func(c *loopConfig) { c.metrics = append(c.metrics, metric{name: name, fn: fn, acc: acc}) }
}

// OnEvent adds a handler run at each event ev.
func OnEvent(ev Event, h Handler) LoopOption {
	return func(c *loopConfig) {
		if c.handlers == nil {
			c.handlers = map[Event][]Handler{}
		}
		c.handlers[ev] = append(c.handlers[ev], h)
	}
}

// Validation makes the trainer evaluate the model on data after each epoch,
// with the loss and the metrics, reported as "validation_loss",
// "validation_accuracy" ...
func Validation(data Dataset) LoopOption { return func(c *loopConfig) { c.validation = data } }

// Progress makes the loop report progress to w: a live bar with the loss and
// metrics when w is a terminal, one line per epoch otherwise; nil silences it.
// By default the loop draws the bar on standard error when that is a terminal
// and is quiet otherwise.
func Progress(w io.Writer) LoopOption {
	return func(c *loopConfig) { c.progress, c.progressSet = w, true }
}

// Seed sets the seed of the key the trainer draws dropout masks (and the
// initial parameters, when Run is given no state) from; default 0.
func Seed(seed int64) LoopOption { return func(c *loopConfig) { c.seed = seed } }

// OutputLoss sets the loss of the output name of a container model, weighted
// by weight in the total (the Trainer's own loss may then be nil).
func OutputLoss(name string, fn LossFunc, weight float64) LoopOption {
	return func(c *loopConfig) {
		if c.outputLosses == nil {
			c.outputLosses = map[string]weightedLoss{}
		}
		c.outputLosses[name] = weightedLoss{fn, weight}
	}
}

// RunOption configures one Run.
type RunOption func(*runConfig)

type runConfig struct {
	epochs     int
	iterations int
}

// Epochs sets the number of epochs Run trains for (default 1).
func Epochs(n int) RunOption { return func(c *runConfig) { c.epochs = n } }

// Iterations caps the number of iterations of each epoch.
func Iterations(n int) RunOption { return func(c *runConfig) { c.iterations = n } }

// TrainLoop trains a model; make one with Trainer.
type TrainLoop struct {
	cfg     loopConfig
	g       *graph
	loss    LossFunc
	opt     optim.Optimizer
	step    func(s trainState, x, y any) trainState
	eval    *EvalLoop
	history []map[string]float64
	// compiles counts the traces of the step (one per input signature).
	compiles atomic.Int64
}

// trainState is everything the compiled training step carries from one
// iteration to the next.
type trainState struct {
	Params  map[string]map[string]*nx.Tensor // trainable and not frozen
	Frozen  map[string]map[string]*nx.Tensor
	Layers  map[string]map[string]*nx.Tensor // layer state
	Opt     optim.State
	Key     *nx.Tensor
	Metrics map[string]*nx.Tensor
	Seen    *nx.Tensor // iterations of the epoch so far (f32)
	LRScale *nx.Tensor // multiplies every update (f32)
}

// Trainer returns a loop that trains the model whose output is model to
// minimize loss with opt. Each iteration — forward pass, gradient, optimizer
// update, metrics — is one call of a function compiled with nx.Jit.
//
//	loop := axon.Trainer(model, losses.SoftmaxCrossEntropy, optim.Adam(1e-3),
//		axon.WithMetric("accuracy", metrics.Accuracy))
//	state, err := loop.Run(ctx, axon.Batches(x, y, 128), nil, axon.Epochs(5))
func Trainer(model *Node, loss LossFunc, opt optim.Optimizer, opts ...LoopOption) *TrainLoop {
	l := &TrainLoop{g: compileGraph(model), loss: loss, opt: opt}
	for _, o := range opts {
		o(&l.cfg)
	}
	if loss == nil && l.cfg.outputLosses == nil {
		panic(&nx.Error{Op: "axon.Trainer", Msg: "no loss"})
	}
	l.step = nx.Jit(l.trainStep, nx.OnCompile(func(string) { l.compiles.Add(1) }))
	// Validation reports through the trainer's epoch line, not a bar of its own.
	evalOpts := append([]LoopOption{}, opts...)
	l.eval = newEvaluator(l.g, loss, append(evalOpts, func(c *loopConfig) {
		c.handlers, c.validation, c.progress, c.progressSet = nil, nil, nil, true
	})...)
	return l
}

// History returns the metrics of each epoch of the last Run.
func (l *TrainLoop) History() []map[string]float64 {
	out := make([]map[string]float64, len(l.history))
	for i, h := range l.history {
		out[i] = maps.Clone(h)
	}
	return out
}

// objective returns the mean loss of the predictions out for targets y.
func objective(loss LossFunc, outputs map[string]weightedLoss, y, out any) *nx.Tensor {
	mean := func(l *nx.Tensor) *nx.Tensor {
		if l.Rank() > 0 {
			l = nx.Mean(l)
		}
		return nx.AsType(l, nx.FloatOf(l.DType()))
	}
	if m, ok := out.(map[string]*nx.Tensor); ok {
		ys, ok := y.(map[string]*nx.Tensor)
		if !ok {
			panic(&nx.Error{Op: "axon.Trainer", Msg: fmt.Sprintf("the model has outputs %v: want targets as a map[string]*nx.Tensor, got %T", sortedKeys(m), y)})
		}
		var total *nx.Tensor
		for _, k := range sortedKeys(m) {
			wl, ok := outputs[k]
			if !ok {
				if loss == nil {
					continue
				}
				wl = weightedLoss{loss, 1}
			}
			if ys[k] == nil {
				panic(&nx.Error{Op: "axon.Trainer", Msg: fmt.Sprintf("no targets for output %q", k)})
			}
			term := nx.Multiply(mean(wl.fn(ys[k], m[k])), nx.Number(wl.weight))
			if total == nil {
				total = term
			} else {
				total = nx.Add(total, term)
			}
		}
		if total == nil {
			panic(&nx.Error{Op: "axon.Trainer", Msg: fmt.Sprintf("no loss for any of the outputs %v (use OutputLoss)", sortedKeys(m))})
		}
		return total
	}
	yt, ok := y.(*nx.Tensor)
	if !ok {
		panic(&nx.Error{Op: "axon.Trainer", Msg: fmt.Sprintf("targets of type %T: want a *nx.Tensor", y)})
	}
	return mean(loss(yt, out.(*nx.Tensor)))
}

// updateMetrics returns the running metrics after one more batch.
func updateMetrics(ms []metric, running map[string]*nx.Tensor, seen, loss *nx.Tensor, y, out any) map[string]*nx.Tensor {
	next := make(map[string]*nx.Tensor, len(running))
	next["loss"] = metrics.RunningAverage(running["loss"], nx.AsType(loss, nx.F32), seen)
	for _, m := range ms {
		yt, ok1 := y.(*nx.Tensor)
		pred, ok2 := out.(*nx.Tensor)
		if !ok1 || !ok2 {
			panic(&nx.Error{Op: "axon", Msg: fmt.Sprintf("metric %q: metrics need a model with one output and tensor targets", m.name)})
		}
		v := nx.AsType(m.fn(yt, pred), nx.F32)
		if v.Rank() > 0 {
			v = nx.Mean(v)
		}
		next[m.name] = nx.AsType(m.acc(running[m.name], v, seen), nx.F32)
	}
	return next
}

// zeroMetrics returns the running metrics at the start of an epoch.
func zeroMetrics(ms []metric) map[string]*nx.Tensor {
	out := map[string]*nx.Tensor{"loss": nx.Scalar(float32(0))}
	for _, m := range ms {
		out[m.name] = nx.Scalar(float32(0))
	}
	return out
}

// layerParams returns the parameter lookup of a forward pass over params and
// layer state.
func layerParams(params, layers map[string]map[string]*nx.Tensor) func(*Node, string, *Parameter, []*nx.Tensor) *nx.Tensor {
	return func(_ *Node, name string, p *Parameter, _ []*nx.Tensor) *nx.Tensor {
		src := params
		if p.state {
			src = layers
		}
		t := src[name][p.name]
		if t == nil {
			panic(&nx.Error{Op: "axon", Msg: fmt.Sprintf("the model state has no parameter %s.%s (was it made by this model's init?)", name, p.name)})
		}
		return t
	}
}

// trainStep is one training iteration; Trainer compiles it with nx.Jit.
func (l *TrainLoop) trainStep(s trainState, x, y any) trainState {
	keys := random.Split(s.Key, 2)
	next, use := nx.Reshape(nx.Slice(keys, []int{0, 0}, []int{1, 2}), 2), nx.Reshape(nx.Slice(keys, []int{1, 0}, []int{1, 2}), 2)
	feed := l.g.feed("axon.Trainer", x)
	var template []any
	lossFn := func(p map[string]map[string]*nx.Tensor) (*nx.Tensor, []*nx.Tensor) {
		out, updates := l.g.run(feed, true, use, layerParams(merge(p, s.Frozen), s.Layers))
		loss := objective(l.loss, l.cfg.outputLosses, y, out)
		if pen := l.g.penalty(p); pen != nil {
			loss = nx.Add(loss, nx.AsType(pen, loss.DType()))
		}
		template = []any{out, updates}
		return loss, nx.Leaves(template)
	}
	loss, grads, aux := valueAndGradAux(lossFn)(s.Params)
	parts := nx.Replace(template, aux)
	out, updates := parts[0], parts[1].(map[string]map[string]*nx.Tensor)

	params := nx.Leaves(s.Params)
	u, opt := l.opt.Update(nx.Leaves(grads), s.Opt, params)
	for i := range u {
		u[i] = nx.Multiply(u[i], s.LRScale)
	}
	layers := s.Layers
	if len(updates) > 0 {
		layers = (&ModelState{State: s.Layers}).withState(updates).State
	}
	return trainState{
		Params:  nx.Replace(s.Params, optim.Apply(params, u)),
		Frozen:  s.Frozen,
		Layers:  layers,
		Opt:     opt,
		Key:     next,
		Metrics: updateMetrics(l.cfg.metrics, s.Metrics, s.Seen, loss, y, out),
		Seen:    nx.Add(s.Seen, nx.Number(1)),
		LRScale: s.LRScale,
	}
}

// modelState returns the ModelState that s holds.
func (s *trainState) modelState(frozen map[string]bool) *ModelState {
	return &ModelState{Params: merge(s.Params, s.Frozen), State: s.Layers, Frozen: frozen}
}

// Run trains the model on data for the epochs RunOption Epochs sets (default
// 1), starting from init (nil: the model's init with the loop's seed, on the
// shapes of the first batch), and returns the final state. The optimizer starts
// afresh.
//
// Run returns early, with the state reached so far, when a handler halts the
// loop (the error is nil) or when ctx is done (the error wraps ctx.Err()). An
// nx misuse in the model, loss or metrics comes back as an error.
func (l *TrainLoop) Run(ctx context.Context, data Dataset, init *ModelState, opts ...RunOption) (final *ModelState, err error) {
	rc := runConfig{epochs: 1}
	for _, o := range opts {
		o(&rc)
	}
	defer recoverLoop(&err)
	if init == nil {
		init = l.initFrom(data)
	}
	frozen := init.Frozen
	trainable, frozenParams := init.split()
	s := trainState{
		Params: trainable, Frozen: frozenParams, Layers: init.State,
		Opt:     l.opt.Init(nx.Leaves(trainable)),
		Key:     random.Key(l.cfg.seed),
		LRScale: nx.Scalar(float32(1)),
	}
	if s.Layers == nil {
		s.Layers = map[string]map[string]*nx.Tensor{}
	}
	ls := &LoopState{Epochs: rc.epochs, LRScale: 1, Metrics: map[string]float64{}}
	ls.model = func() *ModelState { return s.modelState(frozen) }
	l.history = nil
	bar := newProgress(l.cfg.progress, l.cfg.progressSet, "train")
	h := l.cfg.handlers
	if fire(h, Started, ls) == HaltLoop {
		return ls.Model(), nil
	}
	scale := 1.0
	total := numBatches(data)
	if rc.iterations > 0 && (total == 0 || rc.iterations < total) {
		total = rc.iterations
	}
	for ls.Epoch = 0; ls.Epoch < rc.epochs; ls.Epoch++ {
		ls.Iteration, ls.Samples = 0, 0
		clear(ls.Metrics)
		s.Metrics, s.Seen = zeroMetrics(l.cfg.metrics), nx.Scalar(float32(0))
		start := time.Now()
		action := fire(h, EpochStarted, ls)
		bar.start(ls.Epoch, rc.epochs, total)
		for b := range data.Batches(ls.Epoch) {
			if action != Continue || rc.iterations > 0 && ls.Iteration >= rc.iterations {
				break
			}
			if err := ctx.Err(); err != nil {
				bar.finish(ls, time.Since(start))
				return ls.Model(), fmt.Errorf("axon: training stopped at epoch %d, iteration %d: %w", ls.Epoch, ls.Iteration, err)
			}
			if action = fire(h, IterationStarted, ls); action != Continue {
				break
			}
			if ls.LRScale != scale {
				scale = ls.LRScale
				s.LRScale = nx.Scalar(float32(scale))
			}
			s = l.step(s, b.X, b.Y)
			ls.Iteration++
			ls.Step++
			ls.Samples += batchSize(b.X)
			readMetrics(ls.Metrics, s.Metrics)
			ls.Elapsed = time.Since(start)
			bar.update(ls)
			action = fire(h, IterationCompleted, ls)
		}
		if action == HaltLoop {
			bar.finish(ls, time.Since(start))
			fire(h, Halted, ls)
			return ls.Model(), nil
		}
		if action == HaltEpoch {
			fire(h, EpochHalted, ls)
		}
		if l.cfg.validation != nil {
			vm, err := l.eval.Run(ctx, l.cfg.validation, ls.Model())
			if err != nil {
				bar.finish(ls, time.Since(start))
				return ls.Model(), err
			}
			for k, v := range vm {
				ls.Metrics["validation_"+k] = v
			}
		}
		ls.Elapsed = time.Since(start)
		bar.finish(ls, ls.Elapsed)
		l.history = append(l.history, maps.Clone(ls.Metrics))
		if fire(h, EpochCompleted, ls) == HaltLoop {
			fire(h, Halted, ls)
			return ls.Model(), nil
		}
	}
	fire(h, Completed, ls)
	return ls.Model(), nil
}

// initFrom initializes the model on the shapes of data's first batch.
func (l *TrainLoop) initFrom(data Dataset) *ModelState {
	for b := range data.Batches(0) {
		return l.g.init(random.Key(l.cfg.seed), b.X)
	}
	return l.g.init(random.Key(l.cfg.seed), nil)
}

// readMetrics copies the running metrics into dst as float64s.
func readMetrics(dst map[string]float64, src map[string]*nx.Tensor) {
	for k, v := range src {
		dst[k] = v.Float64()
	}
}

// loopError carries an error out of a handler as a panic, for Run to return.
type loopError struct{ err error }

// recoverLoop turns a panic with an *nx.Error or a loopError into *err.
func recoverLoop(err *error) {
	if r := recover(); r != nil {
		switch e := r.(type) {
		case *nx.Error:
			*err = e
		case loopError:
			*err = e.err
		default:
			panic(r)
		}
	}
}
