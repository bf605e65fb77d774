package server

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"strings"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// ExportFile is a file of a Go program exported from a notebook.
type ExportFile struct {
	// Name is the file's slash-separated path in the program's directory.
	Name string
	// Data is its contents.
	Data []byte
}

// ExportFunc turns a notebook into a Go program in a module named module: main.go,
// go.mod and what else it needs. The livebook command uses runtime.Export, which
// compiles each cell as the kernel does.
type ExportFunc func(ctx context.Context, nb *livemd.Notebook, module string) ([]ExportFile, error)

// Source returns the notebook as the session holds it, unsaved edits included, in
// the .livemd format.
func (s *Session) Source(ctx context.Context) ([]byte, error) {
	var data []byte
	err := s.call(ctx, func() { data = livemd.Format(s.doc.nb) })
	return data, err
}

// notebookSource returns the notebook at name: from its session when one has it
// open (with unsaved edits), else from the file. It returns the canonical name.
func (s *Server) notebookSource(ctx context.Context, name string) (string, []byte, error) {
	name, err := s.store.Resolve(name)
	if err != nil {
		return "", nil, err
	}
	for _, sess := range s.sessions.List() {
		if sess.Path() == name {
			data, err := sess.Source(ctx)
			if err == nil {
				return name, data, nil
			}
			if !errors.Is(err, ErrSessionClosed) {
				return "", nil, err
			}
		}
	}
	data, err := s.store.Read(name)
	return name, data, err
}

// attachment sets the headers of a download named file.
func attachment(w http.ResponseWriter, contentType, file string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", file))
}

// handleExportLivemd serves GET /api/export/livemd/{path...}: the notebook as a
// .livemd download, with the edits of an open session.
func (s *Server) handleExportLivemd(w http.ResponseWriter, r *http.Request) {
	name, data, err := s.notebookSource(r.Context(), r.PathValue("path"))
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	attachment(w, "text/markdown; charset=utf-8", path.Base(name))
	_, _ = w.Write(data)
}

// handleExportGo serves GET /api/export/go/{path...}: the notebook as a Go program
// (Config.ExportGo), a zip of one folder named after the notebook holding main.go,
// go.mod and the rest. It answers 422 when a cell does not compile and 501 when the
// server has no exporter.
func (s *Server) handleExportGo(w http.ResponseWriter, r *http.Request) {
	if s.cfg.ExportGo == nil {
		writeError(w, http.StatusNotImplemented, errors.New("this server cannot export Go programs"))
		return
	}
	name, data, err := s.notebookSource(r.Context(), r.PathValue("path"))
	if err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	nb, err := livemd.Parse(data)
	var perr *livemd.ParseError
	if err != nil && !errors.As(err, &perr) {
		writeError(w, http.StatusUnprocessableEntity, err)
		return
	}
	module := strings.TrimSuffix(path.Base(name), Extension)
	if module = safeName(module); module == "" {
		module = "notebook"
	}
	files, err := s.cfg.ExportGo(r.Context(), nb, module)
	if err != nil {
		status := http.StatusUnprocessableEntity
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			status = http.StatusServiceUnavailable
		}
		writeError(w, status, fmt.Errorf("export %s: %w", name, err))
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		fw, err := zw.Create(module + "/" + f.Name)
		if err == nil {
			_, err = fw.Write(f.Data)
		}
		if err != nil {
			writeError(w, http.StatusInternalServerError, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		writeError(w, http.StatusInternalServerError, err)
		return
	}
	attachment(w, "application/zip", module+".zip")
	_, _ = w.Write(buf.Bytes())
}
