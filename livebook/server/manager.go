package server

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// ErrServerClosed is returned for sessions opened after the manager closed.
var ErrServerClosed = errors.New("server closed")

// Manager keeps the open sessions: one per notebook file.
type Manager struct {
	store       *Store
	metrics     *Metrics
	log         *slog.Logger
	autosave    time.Duration
	runtimeName string
	runtime     Runtime
	runtimes    map[string]Runtime // every runtime, for notebooks that name one

	mu     sync.Mutex
	byID   map[string]*Session
	byPath map[string]*Session
	closed bool
}

func newManager(store *Store, metrics *Metrics, log *slog.Logger, autosave time.Duration, name string, rt Runtime) *Manager {
	return &Manager{
		store: store, metrics: metrics, log: log, autosave: autosave,
		runtimeName: name, runtime: rt,
		byID: map[string]*Session{}, byPath: map[string]*Session{},
	}
}

// Open returns the session of the notebook at path, relative to the root, opening
// the file if no session has it open yet. It reports whether the session is new.
// A notebook that parses with warnings opens; the snapshot lists them.
func (m *Manager) Open(path string) (*Session, bool, error) {
	name, err := m.store.Resolve(path)
	if err != nil {
		return nil, false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, false, ErrServerClosed
	}
	if s := m.byPath[name]; s != nil {
		return s, false, nil
	}
	data, err := m.store.Read(name)
	if err != nil {
		return nil, false, err
	}
	nb, perr := livemd.Parse(data)
	var warnings []string
	var pe *livemd.ParseError
	if errors.As(perr, &pe) {
		for _, w := range pe.Warnings {
			warnings = append(warnings, w.Error())
		}
	}
	rtName, rt, warning := m.sessionRuntime(nb)
	if warning != "" {
		warnings = append(warnings, warning)
	}
	s := newSession(sessionOptions{
		id: "n" + randomHex(8), path: name, nb: nb, warnings: warnings,
		store: m.store, metrics: m.metrics, log: m.log,
		autosave: m.autosave, runtimeName: rtName, runtime: rt,
	})
	m.byID[s.id], m.byPath[name] = s, s
	m.log.Info("session opened", "session", s.id, "path", name)
	return s, true, nil
}

// Get returns the session with id, or nil.
func (m *Manager) Get(id string) *Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.byID[id]
}

// List returns the open sessions, ordered by path.
func (m *Manager) List() []*Session {
	m.mu.Lock()
	out := make([]*Session, 0, len(m.byID))
	for _, s := range m.byID {
		out = append(out, s)
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b *Session) int { return strings.Compare(a.path, b.path) })
	return out
}

// CloseSession closes the session with id (see Session.Close).
func (m *Manager) CloseSession(id string) error {
	m.mu.Lock()
	s := m.byID[id]
	if s != nil {
		delete(m.byID, id)
		delete(m.byPath, s.path)
	}
	m.mu.Unlock()
	if s == nil {
		return fmt.Errorf("no session %q: %w", id, ErrSessionClosed)
	}
	m.log.Info("session closed", "session", s.id, "path", s.path)
	return s.Close()
}

// Delete deletes the notebook at path, relative to the root, closing its session
// first if it has one: its clients are disconnected and find the notebook gone
// when they reconnect. The manager's lock is held throughout, so no one opens the
// notebook meanwhile.
func (m *Manager) Delete(path string) error {
	name, err := m.store.Resolve(path)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrServerClosed
	}
	if s := m.byPath[name]; s != nil {
		delete(m.byID, s.id)
		delete(m.byPath, name)
		m.log.Info("session closed", "session", s.id, "path", name)
		_ = s.Close() // its final save is deleted next
	}
	if err := m.store.Remove(name); err != nil {
		return err
	}
	m.log.Info("notebook deleted", "path", name)
	return nil
}

// Close closes every session, saving their notebooks, and refuses new ones. It
// returns the save errors.
func (m *Manager) Close() error {
	m.mu.Lock()
	m.closed = true
	sessions := make([]*Session, 0, len(m.byID))
	for _, s := range m.byID {
		sessions = append(sessions, s)
	}
	clear(m.byID)
	clear(m.byPath)
	m.mu.Unlock()

	errs := make([]error, len(sessions))
	var wg sync.WaitGroup
	for i, s := range sessions {
		wg.Go(func() { errs[i] = s.Close() })
	}
	wg.Wait()
	return errors.Join(errs...)
}
