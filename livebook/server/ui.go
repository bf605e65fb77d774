package server

import (
	"errors"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gonx-dev/gonx/livebook/ui"
)

// uiFiles is the browser UI that package ui embeds: index.html and assets/.
var uiFiles = ui.Dist()

// pageSecurity is the Content-Security-Policy of the UI's page: scripts and
// connections (the API and websockets) from this server only, images also from
// data: URLs (cell outputs), inline styles for the editor.
const pageSecurity = "default-src 'self'; script-src 'self'; connect-src 'self'; " +
	"img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; font-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// handleIndex serves the UI's page, which routes between the notebook list and
// the notebooks itself (#/notebook/PATH).
func (s *Server) handleIndex(w http.ResponseWriter, _ *http.Request) {
	page, err := fs.ReadFile(uiFiles, "index.html")
	if err != nil {
		writeError(w, http.StatusInternalServerError, errors.New("this build has no UI (livebook/ui/dist): run make ui"))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", pageSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(page)
}

// assets serves the UI's scripts and styles. Their names carry a hash of their
// content, so browsers may keep them for good.
var assets = http.FileServerFS(uiFiles)

// handleAsset serves GET /assets/NAME.
func (s *Server) handleAsset(w http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "private, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	assets.ServeHTTP(w, r)
}
