package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// ErrSessionClosed is returned for requests to a session that has closed.
var ErrSessionClosed = errors.New("session closed")

// Session is an open notebook: the single owner of its state. One goroutine applies
// operations, from clients, the API and the session's evaluations, one at a time in
// the order they arrive, broadcasts each to every connected client with the next
// version number, and saves the notebook when it has changed.
type Session struct {
	id   string
	path string // relative to the root

	store    *Store
	metrics  *Metrics
	log      *slog.Logger
	autosave time.Duration
	runtime  string

	cmds     chan func()
	stop     chan struct{} // closed by Close: refuse new commands, shut down
	done     chan struct{} // closed when the goroutine has finished
	stopOnce sync.Once
	closeErr error // the final save's error, set before done closes

	// Owned by the session goroutine.
	doc      *doc
	version  int64
	dirty    bool
	saveErr  string
	warnings []string
	clients  map[*client]struct{}
	nextSeq  int64
	runner   *runner
	stream   *streamer
	stale    []string // the cells last broadcast as stale
	inputs   *inputStore
}

// sessionOptions are what a Manager gives a new session.
type sessionOptions struct {
	id, path    string
	nb          *livemd.Notebook
	warnings    []string
	store       *Store
	metrics     *Metrics
	log         *slog.Logger
	autosave    time.Duration
	runtimeName string
	runtime     Runtime
}

func newSession(o sessionOptions) *Session {
	s := &Session{
		id:       o.id,
		path:     o.path,
		store:    o.store,
		metrics:  o.metrics,
		log:      o.log.With("session", o.id, "path", o.path),
		autosave: o.autosave,
		runtime:  o.runtimeName,
		cmds:     make(chan func(), 64),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
		doc:      newDoc(o.nb),
		inputs:   loadInputs(o.nb),
		warnings: o.warnings,
		clients:  map[*client]struct{}{},
	}
	abs := o.store.Abs(o.path)
	s.stream = newStreamer(s.do, s.applyStreamed)
	s.runner = &runner{
		rt: o.runtime,
		info: StartInfo{SessionID: o.id, Path: abs, Dir: filepath.Dir(abs), Output: s.stream.add,
			Inputs: s.inputs.values},
		metrics:  o.metrics,
		log:      s.log,
		post:     s.do,
		started:  s.evalStarted,
		finished: s.evalFinished,
		stream:   s.stream,
	}
	s.runner.start()
	s.metrics.sessionOpened()
	go s.loop()
	return s
}

// ID returns the session's id.
func (s *Session) ID() string { return s.id }

// Path returns the notebook's path relative to the notebooks root.
func (s *Session) Path() string { return s.path }

// Done returns a channel closed once the session has closed.
func (s *Session) Done() <-chan struct{} { return s.done }

// do runs f on the session goroutine, reporting false when the session is closing.
func (s *Session) do(f func()) bool {
	select {
	case <-s.stop:
		return false
	default:
	}
	select {
	case s.cmds <- f:
		return true
	case <-s.stop:
		return false
	}
}

// call runs f on the session goroutine and waits for it.
func (s *Session) call(ctx context.Context, f func()) error {
	ran := make(chan struct{})
	if !s.do(func() { f(); close(ran) }) {
		return ErrSessionClosed
	}
	select {
	case <-ran:
		return nil
	case <-s.done:
		return ErrSessionClosed
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Snapshot returns the session's state.
func (s *Session) Snapshot(ctx context.Context) (Snapshot, error) {
	var snap Snapshot
	err := s.call(ctx, func() { snap = s.snapshot() })
	return snap, err
}

// Apply applies op as if a client without a connection had sent it, and returns
// the version it was given. It fails with an ErrInvalidOp error when op does not
// apply.
func (s *Session) Apply(ctx context.Context, op Op) (int64, error) {
	var (
		version int64
		err     error
	)
	if cerr := s.call(ctx, func() { version, err = s.applyOp(&op, nil) }); cerr != nil {
		return 0, cerr
	}
	return version, err
}

// Close saves the notebook if it changed, aborts evaluations, stops the runtime
// and disconnects the clients. It returns the save's error; closing again returns
// the same.
func (s *Session) Close() error {
	s.stopOnce.Do(func() { close(s.stop) })
	<-s.done
	return s.closeErr
}

func (s *Session) loop() {
	var tick <-chan time.Time
	if s.autosave > 0 {
		t := time.NewTicker(s.autosave)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case f := <-s.cmds:
			s.run(f)
		case <-tick:
			if s.dirty {
				s.save()
			}
		case <-s.stop:
			s.shutdown()
			return
		}
	}
}

// run runs a command; a panic in it, a bug, is logged rather than taking the
// server down.
func (s *Session) run(f func()) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("panic in session", "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		}
	}()
	f()
}

func (s *Session) shutdown() {
	defer close(s.done)
	for drained := false; !drained; {
		select {
		case f := <-s.cmds:
			s.run(f)
		default:
			drained = true
		}
	}
	if s.dirty {
		if err := s.save(); err != nil {
			s.closeErr = err
		}
	}
	s.runner.close()
	for c := range s.clients {
		s.disconnect(c, closeGoingAway, "session closed")
	}
	s.metrics.sessionClosed()
}

// save writes the notebook and tells the clients.
func (s *Session) save() error {
	err := s.store.Write(s.path, livemd.Format(s.doc.nb))
	s.metrics.saved(err)
	op := &Op{Op: OpNotebookSaved}
	if err != nil {
		s.log.Error("saving notebook", "err", err)
		s.saveErr, op.Error = err.Error(), err.Error()
	} else {
		s.dirty, s.saveErr = false, ""
	}
	s.broadcast(op)
	return err
}

func (s *Session) snapshot() Snapshot {
	snap := s.doc.snapshot()
	snap.Session, snap.Path, snap.Version = s.id, s.path, s.version
	snap.Dirty, snap.SaveError, snap.Runtime = s.dirty, s.saveErr, s.runtime
	snap.Warnings = s.warnings
	snap.Inputs = s.inputs.values()
	snap.Clients = make([]string, 0, len(s.clients))
	snap.Users = make([]User, 0, len(s.clients))
	for c := range s.clients {
		snap.Clients = append(snap.Clients, c.id)
		snap.Users = append(snap.Users, c.user)
	}
	slices.Sort(snap.Clients)
	slices.SortFunc(snap.Users, func(a, b User) int { return strings.Compare(a.ID, b.ID) })
	return snap
}

// applyOp applies an operation from client c (nil for the API) and broadcasts it.
func (s *Session) applyOp(op *Op, c *client) (int64, error) {
	op.Client = ""
	if c != nil {
		op.Client = c.id
	}
	op.Status, op.Outputs, op.Error, op.DurationMS = "", nil, "", 0
	op.CellIDs, op.Defined, op.Used, op.User = nil, nil, nil, nil
	if op.Op != OpCellUpdate && op.Op != OpPullUpdates {
		op.DocVersion, op.Updates = 0, nil
	}
	if op.Op == OpSetCellSource {
		op.Source = normalizeLines(op.Source)
	}
	switch op.Op {
	case OpCellUpdate:
		return s.cellUpdate(op)
	case OpPullUpdates:
		return s.version, s.pullUpdates(op, c)
	case OpPresence:
		return s.version, s.setPresence(op, c)
	case OpSetUser:
		return s.version, s.setUser(op, c)
	case OpSetInput:
		return s.setInput(op)
	case OpEvaluateCell:
		if err := s.queueEval(op); err != nil {
			return s.version, err
		}
	case OpEvaluateStale:
		return s.evaluateStale(op)
	case OpInterrupt:
		if _, ok := s.doc.cells[op.CellID]; op.CellID != "" && !ok {
			return s.version, invalid("no cell %q", op.CellID)
		}
		s.broadcast(op)
		s.interrupt(op.CellID)
		s.updateStale()
		return s.version, nil
	case OpRestartRuntime:
		s.runner.restart()
		s.broadcast(op)
		s.markAllStale("")
		s.updateStale()
		return s.version, nil
	case OpEvaluationStarted, OpEvaluationOutput, OpEvaluationFinished, OpCellsStale,
		OpClientJoined, OpClientLeft, OpNotebookSaved:
		return s.version, invalid("%q is sent by the server only", op.Op)
	default:
		doomed := s.pendingEvals(op)
		changed := s.changedNames(op)
		if err := s.doc.apply(op); err != nil {
			return s.version, err
		}
		for _, seq := range doomed {
			s.runner.abort(seq)
		}
		s.touch()
		s.broadcast(op)
		s.markDependents(changed, "")
		s.updateStale()
		return s.version, nil
	}
	s.broadcast(op)
	s.updateStale()
	return s.version, nil
}

// touch marks the notebook changed. A hub stamp signs the file as it was, so it
// goes.
func (s *Session) touch() {
	s.dirty = true
	s.doc.nb.Stamp = nil
}

// pendingEvals returns the queued and running evaluations of the cells that op
// deletes.
func (s *Session) pendingEvals(op *Op) []int64 {
	var ids []string
	switch op.Op {
	case OpDeleteCell:
		ids = []string{op.CellID}
	case OpDeleteSection:
		if sec, ok := s.doc.sections[op.SectionID]; ok {
			for _, c := range sec.Cells {
				ids = append(ids, s.doc.ids[c])
			}
		}
	}
	var seqs []int64
	for _, id := range ids {
		if e, ok := s.doc.evals[id]; ok && pending(e.state.Status) {
			seqs = append(seqs, e.seq)
		}
	}
	return seqs
}

// pending reports whether an evaluation with status has yet to finish.
func pending(status string) bool {
	return status == StatusQueued || status == StatusEvaluating
}

// queueEval queues the cell op names for evaluation.
func (s *Session) queueEval(op *Op) error {
	src, err := s.doc.evaluable(op.CellID)
	if err != nil {
		return err
	}
	if e, ok := s.doc.evals[op.CellID]; ok && pending(e.state.Status) {
		s.runner.abort(e.seq)
	}
	s.nextSeq++
	j := job{seq: s.nextSeq, cellID: op.CellID, source: src}
	if !s.runner.enqueue(j) {
		return errors.New("too many evaluations queued")
	}
	s.doc.evals[op.CellID] = &evalEntry{seq: j.seq, source: src, state: EvalState{Status: StatusQueued}}
	op.Status = StatusQueued
	return nil
}

// evaluateStale queues every stale cell, in notebook order, and broadcasts an
// evaluate_cell operation for each; with none stale it does nothing.
func (s *Session) evaluateStale(op *Op) (int64, error) {
	for _, id := range s.staleCells() {
		q := *op
		q.Op, q.CellID = OpEvaluateCell, id
		if err := s.queueEval(&q); err != nil {
			s.updateStale()
			return s.version, err
		}
		s.broadcast(&q)
	}
	s.updateStale()
	return s.version, nil
}

// interrupt stops the evaluation of cell, or, for "", every queued and running
// evaluation. Queued ones end at once; the runtime stops a running cell by
// stopping its kernel, and the cells evaluated before then go stale.
func (s *Session) interrupt(cell string) {
	var seqs []int64
	for _, c := range s.doc.allCells() {
		id := s.doc.ids[c]
		e, ok := s.doc.evals[id]
		if !ok || !pending(e.state.Status) || (cell != "" && cell != id) {
			continue
		}
		seqs = append(seqs, e.seq)
		if e.state.Status == StatusQueued {
			e.state = EvalState{Status: StatusAborted}
			s.broadcast(&Op{Op: OpEvaluationFinished, CellID: id, Status: StatusAborted})
		}
	}
	// The latest first, so that none starts when the one before it stops.
	slices.Sort(seqs)
	slices.Reverse(seqs)
	for _, seq := range seqs {
		s.runner.abort(seq)
	}
}

// evalStarted and evalFinished run on the session goroutine when the runner
// reports; reports about a cell that was deleted or evaluated again since are
// dropped, except that a restart of the runtime makes every evaluated cell stale.
func (s *Session) evalStarted(j job) {
	e, ok := s.doc.evals[j.cellID]
	if !ok || e.seq != j.seq || e.state.Status == StatusAborted {
		return
	}
	e.state.Status = StatusEvaluating
	s.broadcast(&Op{Op: OpEvaluationStarted, CellID: j.cellID, Status: StatusEvaluating})
}

func (s *Session) evalFinished(j job, o outcome) {
	e, ok := s.doc.evals[j.cellID]
	if !ok || e.seq != j.seq || e.state.Status == StatusAborted && o.state.Status == StatusAborted {
		// Gone, evaluated again since, or reported aborted already.
		if o.restarted {
			s.markAllStale("")
			s.updateStale()
		}
		return
	}
	st := o.state
	if o.streamed {
		s.applyStreamed(s.stream.take())
		st.Outputs = e.state.Outputs
	}
	e.state, e.streamed, e.depStale = st, 0, false
	if st.Status == StatusOK && s.doc.nb.Metadata.Bool("persist_outputs") {
		if c := s.doc.cells[j.cellID]; c != nil {
			c.Outputs = toPersisted(st.Outputs)
			s.touch()
		}
	}
	s.broadcast(&Op{
		Op: OpEvaluationFinished, CellID: j.cellID, Status: st.Status,
		Outputs: st.Outputs, Error: st.Error, DurationMS: st.DurationMS,
		Defined: st.Defined, Used: st.Used,
	})
	if o.restarted {
		s.markAllStale(j.cellID)
	}
	if finished(st.Status) {
		s.markDependents(st.Defined, j.cellID)
	}
	s.updateStale()
}

// join connects c: everyone else learns that it joined, then c receives the
// snapshot, which includes that.
func (s *Session) join(c *client) error {
	ok := s.do(func() {
		s.newUser(c, c.user.Name, c.user.Avatar)
		u := c.user
		s.broadcast(&Op{Op: OpClientJoined, Client: c.id, User: &u})
		s.clients[c] = struct{}{}
		snap := s.snapshot()
		s.send(c, &Message{Type: "snapshot", Version: s.version, Snapshot: &snap, Client: c.id})
	})
	if !ok {
		return ErrSessionClosed
	}
	return nil
}

// leave disconnects c, if it is still connected.
func (s *Session) leave(c *client) {
	s.do(func() {
		if _, ok := s.clients[c]; ok {
			s.disconnect(c, closeNormal, "")
			s.broadcast(&Op{Op: OpClientLeft, Client: c.id})
		}
	})
}

// submit applies an operation from c; if it fails, c alone gets the error.
func (s *Session) submit(c *client, op Op) error {
	ok := s.do(func() {
		if _, ok := s.clients[c]; !ok {
			return
		}
		if _, err := s.applyOp(&op, c); err != nil {
			s.send(c, &Message{Type: "error", Version: s.version, Ref: op.Ref, Error: err.Error(), Code: errorCode(err)})
		}
	})
	if !ok {
		return ErrSessionClosed
	}
	return nil
}

// reject tells c that a message it sent could not be read.
func (s *Session) reject(c *client, err error) {
	s.do(func() {
		if _, ok := s.clients[c]; ok {
			s.send(c, &Message{Type: "error", Version: s.version, Error: err.Error()})
		}
	})
}

// broadcast gives op the next version and queues it for every client. Clients
// whose queue is full are disconnected afterwards, and that is broadcast in turn,
// so every client sees versions in order.
func (s *Session) broadcast(op *Op) {
	s.version++
	data := encode(&Message{Type: "op", Version: s.version, Op: op})
	var slow []*client
	for c := range s.clients {
		if !tryQueue(c, data) {
			slow = append(slow, c)
		}
	}
	for _, c := range slow {
		s.dropSlow(c)
	}
}

// send queues m for c alone.
func (s *Session) send(c *client, m *Message) {
	if !tryQueue(c, encode(m)) {
		s.dropSlow(c)
	}
}

// tryQueue queues data for c without waiting, reporting false when c's queue is
// full.
func tryQueue(c *client, data []byte) bool {
	select {
	case c.send <- data:
		return true
	default:
		return false
	}
}

// dropSlow disconnects a client that does not keep up with the session.
func (s *Session) dropSlow(c *client) {
	if _, ok := s.clients[c]; !ok {
		return
	}
	s.metrics.clientDropped()
	s.log.Warn("disconnecting a slow client", "client", c.id)
	s.disconnect(c, closeTryAgainLater, "too slow: message queue full")
	s.broadcast(&Op{Op: OpClientLeft, Client: c.id})
}

// disconnect removes c and closes its queue; its writer then closes the connection
// with code and reason.
func (s *Session) disconnect(c *client, code int, reason string) {
	delete(s.clients, c)
	c.closeCode, c.closeReason = code, reason
	close(c.send)
}

func encode(m *Message) []byte {
	data, err := json.Marshal(m)
	if err != nil { // only for outputs that cannot be JSON, which Output has not
		panic("server: encoding a message: " + err.Error())
	}
	return data
}
