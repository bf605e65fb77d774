package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"time"
)

// shutdownTimeout bounds how long Serve waits for requests in flight when its
// context ends.
const shutdownTimeout = 10 * time.Second

// Server is the notebook server: HTTP handlers for the JSON API, websockets,
// /healthz and /metrics, over the sessions of the notebooks under one root.
type Server struct {
	cfg      Config
	store    *Store
	sessions *Manager
	metrics  *Metrics
	auth     *auth
	log      *slog.Logger
	handler  http.Handler
}

// New returns a server for cfg. It opens the notebooks root and checks that the
// default runtime exists; it does not listen (see Serve).
func New(cfg Config) (*Server, error) {
	cfg = cfg.withDefaults()
	rt, ok := cfg.Runtimes[cfg.DefaultRuntime]
	if !ok {
		names := make([]string, 0, len(cfg.Runtimes))
		for n := range cfg.Runtimes {
			names = append(names, n)
		}
		slices.Sort(names)
		return nil, fmt.Errorf("server: no runtime named %q (have %q)", cfg.DefaultRuntime, names)
	}
	store, err := OpenStore(cfg.Home)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:     cfg,
		store:   store,
		metrics: NewMetrics(),
		auth:    newAuth(cfg),
		log:     cfg.Logger,
	}
	s.sessions = newManager(store, s.metrics, s.log, cfg.Autosave, cfg.DefaultRuntime, rt)
	s.sessions.runtimes = cfg.Runtimes
	s.handler = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// Sessions returns the server's sessions.
func (s *Server) Sessions() *Manager { return s.sessions }

// Store returns the notebooks root.
func (s *Server) Store() *Store { return s.store }

// Token returns the access token, or "" when the server uses a password or no
// authentication.
func (s *Server) Token() string {
	if s.auth.mode != authToken {
		return ""
	}
	return s.auth.secret
}

// URL returns the address users open for a server listening on addr: with the
// token in the query when the server uses one.
func (s *Server) URL(addr net.Addr) string {
	host, port := "localhost", ""
	if ta, ok := addr.(*net.TCPAddr); ok {
		port = strconv.Itoa(ta.Port)
		if !ta.IP.IsUnspecified() {
			host = ta.IP.String()
		}
	} else if h, p, err := net.SplitHostPort(addr.String()); err == nil {
		host, port = h, p
	}
	u := "http://" + net.JoinHostPort(host, port) + "/"
	if tok := s.Token(); tok != "" {
		u += "?token=" + tok
	}
	return u
}

// Serve serves HTTP on ln until ctx ends, then shuts down gracefully: it stops
// accepting connections, waits (up to ten seconds) for requests in flight, and
// closes every session, saving its notebook. It returns nil after a shutdown
// caused by ctx.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	var err error
	select {
	case err = <-served:
	case <-ctx.Done():
		s.log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		err = hs.Shutdown(sctx)
		cancel()
		<-served
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	err = errors.Join(err, s.Close())
	s.log.Info("stopped", "err", err)
	return err
}

// Close closes every session, saving their notebooks, and the notebooks root.
func (s *Server) Close() error {
	err := s.sessions.Close()
	return errors.Join(err, s.store.Close())
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	private := func(pattern string, h http.HandlerFunc) {
		mux.Handle(pattern, s.auth.require(h))
	}
	mux.HandleFunc("GET /healthz", handleHealth)
	mux.HandleFunc("GET /authenticate", s.auth.handleLoginForm)
	mux.HandleFunc("POST /authenticate", s.auth.handleAuthenticate)
	if s.cfg.PublicMetrics {
		mux.HandleFunc("GET /metrics", s.handleMetrics)
	} else {
		private("GET /metrics", s.handleMetrics)
	}
	private("GET /{$}", s.handleIndex)
	private("GET /assets/", s.handleAsset)
	private("GET /api/notebooks", s.handleListNotebooks)
	private("POST /api/notebooks", s.handleCreateNotebook)
	private("POST /api/notebooks/import", s.handleImport)
	private("GET /api/export/livemd/{path...}", s.handleExportLivemd)
	private("GET /api/export/go/{path...}", s.handleExportGo)
	private("DELETE /api/notebooks/{path...}", s.handleDeleteNotebook)
	private("GET /api/sessions", s.handleListSessions)
	private("POST /api/sessions", s.handleOpenSession)
	private("GET /api/sessions/{id}", s.handleGetSession)
	private("DELETE /api/sessions/{id}", s.handleCloseSession)
	private("POST /api/sessions/{id}/ops", s.handleApply)
	private("POST /api/sessions/{id}/assist", s.handleAssist)
	private("GET /api/sessions/{id}/ws", s.handleWS)
	return s.recoverPanics(mux)
}

// recoverPanics turns a panic in a handler into a 500 response and a log entry.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic in handler", "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			writeError(w, http.StatusInternalServerError, errors.New("internal server error"))
		}()
		next.ServeHTTP(w, r)
	})
}

func handleHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok"))
}

func (s *Server) handleMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = s.metrics.WriteTo(w)
}

func joinHostPort(host string, port int) string {
	return net.JoinHostPort(host, strconv.Itoa(port))
}
