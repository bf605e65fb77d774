package server

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// maxQueued bounds a session's queue of evaluations.
const maxQueued = 256

// stopGrace is how long an evaluation whose context ended may take to return
// before the runner abandons it, closing its evaluator.
const stopGrace = time.Second

// job is a queued evaluation.
type job struct {
	seq    int64 // the session's number for this request
	gen    int64 // the runner generation it was queued in
	cellID string
	source string
}

// outcome is how an evaluation ended.
type outcome struct {
	state EvalState
	// restarted: the runtime lost the names bound by earlier cells.
	restarted bool
	// streamed: the evaluator gave no result (it was abandoned), so the outputs
	// the cell streamed are all there is.
	streamed bool
}

// runner evaluates a session's cells one at a time, in order, through the session's
// Evaluator, which it starts on first use and again after a restart or a crash.
// It reports back through post, which runs a function on the session goroutine.
type runner struct {
	rt       Runtime
	info     StartInfo
	metrics  *Metrics
	log      *slog.Logger
	post     func(func()) bool
	started  func(j job)
	finished func(j job, o outcome)
	stream   *streamer     // may be nil
	grace    time.Duration // stopGrace unless set

	jobs chan job
	ctx  context.Context // cancelled by close
	stop context.CancelFunc
	wg   sync.WaitGroup

	startMu sync.Mutex // held while an evaluator starts

	mu      sync.Mutex
	ev      Evaluator
	gen     int64
	aborted map[int64]bool // queued jobs to skip, by seq
	current int64          // seq of the running job, or 0
	cancel  context.CancelFunc
}

func (r *runner) start() {
	r.jobs = make(chan job, maxQueued)
	r.aborted = map[int64]bool{}
	if r.grace == 0 {
		r.grace = stopGrace
	}
	r.ctx, r.stop = context.WithCancel(context.Background())
	r.wg.Add(1)
	go r.work()
}

// enqueue queues j, reporting false when the queue is full.
func (r *runner) enqueue(j job) bool {
	r.mu.Lock()
	j.gen = r.gen
	r.mu.Unlock()
	select {
	case r.jobs <- j:
		return true
	default:
		return false
	}
}

// abort cancels the evaluation seq, queued or running.
func (r *runner) abort(seq int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.current == seq && r.cancel != nil {
		r.cancel()
		return
	}
	r.aborted[seq] = true
}

// restart aborts every queued and running evaluation and stops the evaluator; the
// next evaluation starts a new one.
func (r *runner) restart() {
	r.mu.Lock()
	r.gen++
	clear(r.aborted)
	if r.cancel != nil {
		r.cancel()
	}
	ev := r.ev
	r.ev = nil
	r.mu.Unlock()
	if ev != nil {
		r.metrics.kernelRestarted()
		r.closeEvaluator(ev)
	}
}

// closeEvaluator closes ev in the background, so a slow kernel does not hold up the
// session; close waits for it.
func (r *runner) closeEvaluator(ev Evaluator) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if err := ev.Close(); err != nil {
			r.log.Warn("closing runtime", "session", r.info.SessionID, "err", err)
		}
	}()
}

// close aborts all evaluations, stops the evaluator and waits for the runner to
// finish.
func (r *runner) close() {
	r.stop()
	r.mu.Lock()
	ev := r.ev
	r.ev = nil
	r.mu.Unlock()
	if ev != nil {
		r.closeEvaluator(ev)
	}
	r.wg.Wait()
}

func (r *runner) work() {
	defer r.wg.Done()
	for {
		select {
		case <-r.ctx.Done():
			for {
				select {
				case j := <-r.jobs:
					r.finish(j, outcome{state: EvalState{Status: StatusAborted}}, false)
				default:
					return
				}
			}
		case j := <-r.jobs:
			r.run(j)
		}
	}
}

func (r *runner) run(j job) {
	aborted := outcome{state: EvalState{Status: StatusAborted}}
	r.mu.Lock()
	if j.gen != r.gen || r.aborted[j.seq] || r.ctx.Err() != nil {
		delete(r.aborted, j.seq)
		r.mu.Unlock()
		r.finish(j, aborted, false)
		return
	}
	ctx, cancel := context.WithCancel(r.ctx)
	defer cancel()
	r.current, r.cancel = j.seq, cancel
	ev := r.ev
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		r.current, r.cancel = 0, nil
		r.mu.Unlock()
	}()

	if ev == nil {
		var o *outcome
		if ev, o = r.startFor(ctx, j); o != nil {
			r.finish(j, *o, false)
			return
		}
	}

	r.post(func() { r.started(j) })
	t0 := time.Now()
	out, ok := r.eval(ctx, ev, j)
	res, err := out.res, out.err
	took := time.Since(t0)
	if !ok {
		// The cell did not stop: abandon the evaluator, which takes the names
		// of earlier cells with it.
		r.log.Warn("an evaluation did not stop; closing its runtime", "session", r.info.SessionID, "cell", j.cellID)
		r.drop(ev)
		aborted.state.DurationMS = float64(took.Microseconds()) / 1000
		aborted.restarted, aborted.streamed = true, true
		r.finish(j, aborted, true)
		return
	}
	if r.stream != nil {
		r.stream.discard(j.cellID) // the result holds it
	}
	o := outcome{
		state: EvalState{
			Outputs: res.Outputs, Error: res.Error, Defined: res.Defined, Used: res.Used,
			DurationMS: float64(took.Microseconds()) / 1000,
		},
		restarted: res.Restarted,
	}
	st := &o.state
	switch {
	case ctx.Err() != nil:
		st.Status = StatusAborted
		st.Defined, st.Used = nil, nil
	case err != nil:
		st.Status, st.Error = StatusCrashed, "runtime failed: "+err.Error()
		o.restarted = true
		r.drop(ev)
	case res.Error != "":
		st.Status = StatusError
	default:
		st.Status = StatusOK
	}
	r.finish(j, o, true)
}

// startFor starts the evaluator for job j, unless one started meanwhile (for an
// Assistant), and returns it, or the outcome of j when it cannot run.
func (r *runner) startFor(ctx context.Context, j job) (Evaluator, *outcome) {
	r.startMu.Lock()
	defer r.startMu.Unlock()
	r.mu.Lock()
	ev := r.ev
	r.mu.Unlock()
	if ev != nil {
		return ev, nil
	}
	ev, err := r.rt.Start(r.ctx, r.info)
	if err != nil {
		return nil, &outcome{state: EvalState{Status: StatusError, Error: "starting the runtime: " + err.Error()}}
	}
	r.mu.Lock()
	if j.gen != r.gen || ctx.Err() != nil { // restarted or closed meanwhile
		r.mu.Unlock()
		r.closeEvaluator(ev)
		return nil, &outcome{state: EvalState{Status: StatusAborted}}
	}
	r.ev = ev
	r.mu.Unlock()
	return ev, nil
}

// evalResult is what Evaluator.Eval returned.
type evalResult struct {
	res Result
	err error
}

// eval runs the evaluation, and reports false when its context ended and it did
// not return within the grace period.
func (r *runner) eval(ctx context.Context, ev Evaluator, j job) (evalResult, bool) {
	done := make(chan evalResult, 1)
	go func() {
		res, err := ev.Eval(ctx, j.cellID, j.source)
		done <- evalResult{res, err}
	}()
	select {
	case out := <-done:
		return out, true
	case <-ctx.Done():
	}
	timer := time.NewTimer(r.grace)
	defer timer.Stop()
	select {
	case out := <-done:
		return out, true
	case <-timer.C:
		return evalResult{}, false
	}
}

// drop forgets ev, if it is still the session's evaluator, and closes it; the next
// evaluation starts a new one.
func (r *runner) drop(ev Evaluator) {
	r.mu.Lock()
	mine := r.ev == ev
	if mine {
		r.ev = nil
	}
	r.mu.Unlock()
	if mine {
		r.metrics.kernelRestarted()
		r.closeEvaluator(ev)
	}
}

// finish records an evaluation's end and reports it to the session.
func (r *runner) finish(j job, o outcome, ran bool) {
	r.metrics.evaluated(o.state.Status, time.Duration(o.state.DurationMS*float64(time.Millisecond)), ran)
	r.post(func() { r.finished(j, o) })
}
