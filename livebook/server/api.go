package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// maxBody bounds the JSON bodies the API reads.
const maxBody = 16 << 20

var errUnauthorized = errors.New("authentication required: open the URL with ?token= printed at start-up, log in at /authenticate, or send Authorization: Bearer")

// SessionInfo describes an open session in API responses.
type SessionInfo struct {
	// ID is the session's id.
	ID string `json:"id"`
	// Path is the notebook's path relative to the root.
	Path string `json:"path"`
	// WebSocket is the path of the session's websocket.
	WebSocket string `json:"ws"`
}

func sessionInfo(s *Session) SessionInfo {
	return SessionInfo{ID: s.id, Path: s.path, WebSocket: "/api/sessions/" + s.id + "/ws"}
}

// writeJSON writes v as a JSON response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError writes {"error": "..."}.
func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// statusOf maps an error to an HTTP status.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrBadPath), errors.Is(err, ErrInvalidOp):
		return http.StatusBadRequest
	case errors.Is(err, ErrOutsideRoot), errors.Is(err, fs.ErrPermission):
		return http.StatusForbidden
	case errors.Is(err, fs.ErrNotExist):
		return http.StatusNotFound
	case errors.Is(err, fs.ErrExist):
		return http.StatusConflict
	case errors.Is(err, ErrSessionClosed), errors.Is(err, ErrServerClosed):
		return http.StatusGone
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// readJSON decodes a JSON request body into v. It requires the JSON content type,
// which a cross-site form cannot send, and a same-origin Origin when one is given.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if !sameOrigin(r) {
		return fmt.Errorf("%w: origin %q not allowed", fs.ErrPermission, r.Header.Get("Origin"))
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return fmt.Errorf("%w: Content-Type must be application/json", ErrInvalidOp)
	}
	d := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidOp, err)
	}
	return nil
}

// handleListNotebooks serves GET /api/notebooks: {"notebooks": [NotebookInfo...]}.
func (s *Server) handleListNotebooks(w http.ResponseWriter, _ *http.Request) {
	list, err := s.store.List()
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	if list == nil {
		list = []NotebookInfo{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"notebooks": list})
}

// handleCreateNotebook serves POST /api/notebooks {"path": "a/b.livemd", "name":
// "Title"}: it creates the file with one section and an empty Go cell, and
// answers 201 {"path": ...}; 409 when the file exists.
func (s *Server) handleCreateNotebook(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Path string `json:"path"`
		Name string `json:"name"`
	}
	if err := readJSON(w, r, &req); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	name, err := s.store.Resolve(req.Path)
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	title := req.Name
	if title == "" {
		title = strings.TrimSuffix(path.Base(name), Extension)
	}
	nb := livemd.New(title)
	nb.AddSection(livemd.DefaultSectionName).AddCode(livemd.LangGo, "")
	if err := s.store.Create(name, livemd.Format(nb)); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"path": name})
}

// handleDeleteNotebook serves DELETE /api/notebooks/{path...}: it closes the
// notebook's session, if it has one, deletes the file and answers 204; 404 when
// there is no such notebook.
func (s *Server) handleDeleteNotebook(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		writeError(w, http.StatusForbidden, fmt.Errorf("origin %q not allowed", r.Header.Get("Origin")))
		return
	}
	if err := s.sessions.Delete(r.PathValue("path")); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleListSessions serves GET /api/sessions: {"sessions": [SessionInfo...]}.
func (s *Server) handleListSessions(w http.ResponseWriter, _ *http.Request) {
	list := []SessionInfo{}
	for _, sess := range s.sessions.List() {
		list = append(list, sessionInfo(sess))
	}
	writeJSON(w, http.StatusOK, map[string]any{"sessions": list})
}

// handleOpenSession serves POST /api/sessions {"path": "a/b.livemd"}: it answers
// with the notebook's SessionInfo, 201 when it opened a new session and 200 when
// the notebook was open already.
func (s *Server) handleOpenSession(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Path string `json:"path"`
	}
	if err := readJSON(w, r, &req); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	sess, created, err := s.sessions.Open(req.Path)
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, sessionInfo(sess))
}

// session returns the session named in the path, or answers 404.
func (s *Server) session(w http.ResponseWriter, r *http.Request) *Session {
	sess := s.sessions.Get(r.PathValue("id"))
	if sess == nil {
		writeError(w, http.StatusNotFound, fmt.Errorf("no session %q", r.PathValue("id")))
	}
	return sess
}

// handleGetSession serves GET /api/sessions/{id}: the session's Snapshot.
func (s *Server) handleGetSession(w http.ResponseWriter, r *http.Request) {
	sess := s.session(w, r)
	if sess == nil {
		return
	}
	snap, err := sess.Snapshot(r.Context())
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, snap)
}

// handleCloseSession serves DELETE /api/sessions/{id}: it saves the notebook and
// closes the session, answering 204.
func (s *Server) handleCloseSession(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		writeError(w, http.StatusForbidden, fmt.Errorf("origin %q not allowed", r.Header.Get("Origin")))
		return
	}
	if err := s.sessions.CloseSession(r.PathValue("id")); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleApply serves POST /api/sessions/{id}/ops with an Op: it applies the
// operation as a websocket client's would be, and answers {"version": N}. It is
// for scripts and tests; the UI uses the websocket.
func (s *Server) handleApply(w http.ResponseWriter, r *http.Request) {
	sess := s.session(w, r)
	if sess == nil {
		return
	}
	var op Op
	if err := readJSON(w, r, &op); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	version, err := sess.Apply(r.Context(), op)
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"version": version})
}
