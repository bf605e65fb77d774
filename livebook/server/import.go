package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// Defaults of the import from a URL.
const (
	// DefaultImportMaxBytes bounds the size of a notebook imported from a URL.
	DefaultImportMaxBytes = 10 << 20
	// DefaultImportTimeout bounds the whole download of a notebook imported from a
	// URL, redirects and body included.
	DefaultImportTimeout = 30 * time.Second
	// maxRedirects bounds the redirects an import follows.
	maxRedirects = 10
)

// Errors of ImportURL; callers branch on them with errors.Is (the API answers 400,
// 413, 422, 502 and 504).
var (
	// ErrImportURL: the URL is malformed or its scheme is not http or https (also
	// when a redirect leads to such a URL).
	ErrImportURL = errors.New("import: only http and https URLs can be imported")
	// ErrImportTooLarge: the notebook is larger than the configured limit.
	ErrImportTooLarge = errors.New("import: the notebook is too large")
	// ErrImportTimeout: the download took longer than the configured limit.
	ErrImportTimeout = errors.New("import: the download took too long")
	// ErrImportFetch: the server at the URL could not be reached or did not answer
	// 200 OK.
	ErrImportFetch = errors.New("import: the URL could not be fetched")
	// ErrNotNotebook: what the URL holds is not a .livemd notebook.
	ErrNotNotebook = errors.New("import: not a .livemd notebook")
)

// ImportURL downloads the .livemd notebook at rawURL and saves it under the notebooks
// root as name, or, when name is empty, under a name made from the URL's file name
// (or the notebook's title), with -2, -3... added if it is taken. It returns the
// notebook's path relative to the root.
//
// Only http and https URLs are fetched, redirects included; the download is bounded
// by Config.ImportMaxBytes and Config.ImportTimeout; the content must be UTF-8 text
// that starts, after blank lines and HTML comments, with a "# Title" heading and
// parses as a notebook. The file is written atomically and never replaces one.
//
// The fetch is made by the server, to any host the server reaches: users who can
// import can also run code in cells, so this grants nothing new; put the server
// behind a proxy policy if its network must be fenced.
func (s *Server) ImportURL(ctx context.Context, rawURL, name string) (string, error) {
	u, err := checkImportURL(rawURL)
	if err != nil {
		return "", err
	}
	if name != "" {
		if name, err = s.store.Resolve(name); err != nil {
			return "", err
		}
	}
	data, err := s.fetch(ctx, u)
	if err != nil {
		return "", err
	}
	nb, err := checkNotebook(data)
	if err != nil {
		return "", err
	}
	if name != "" {
		if err := s.store.Create(name, data); err != nil {
			return "", err
		}
		return name, nil
	}
	base := importBase(u, nb)
	for n := 1; n <= 100; n++ {
		cand := base + Extension
		if n > 1 {
			cand = fmt.Sprintf("%s-%d%s", base, n, Extension)
		}
		err := s.store.Create(cand, data)
		if err == nil {
			return cand, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("import: %s%s and 99 others exist already: %w", base, Extension, fs.ErrExist)
}

// checkImportURL parses rawURL and refuses anything but an absolute http or https URL.
func checkImportURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %v", ErrImportURL, rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		scheme := u.Scheme
		if scheme == "" {
			return nil, fmt.Errorf("%w: %q has no scheme (write http:// or https://)", ErrImportURL, rawURL)
		}
		return nil, fmt.Errorf("%w: the scheme %q of %q is not allowed", ErrImportURL, scheme, rawURL)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%w: %q has no host", ErrImportURL, rawURL)
	}
	if u.User != nil {
		return nil, fmt.Errorf("%w: %q carries credentials; they are not sent", ErrImportURL, u.Redacted())
	}
	return u, nil
}

// fetch downloads u within the configured size and time limits.
func (s *Server) fetch(ctx context.Context, u *url.URL) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ImportTimeout)
	defer cancel()
	client := &http.Client{
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("%w: more than %d redirects", ErrImportFetch, maxRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("%w: %s redirects to %q, whose scheme %q is not allowed",
					ErrImportURL, via[len(via)-1].URL.Redacted(), req.URL.Redacted(), req.URL.Scheme)
			}
			return nil
		},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrImportURL, err)
	}
	req.Header.Set("Accept", "text/markdown, text/plain;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fetchError(ctx, u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%w: %s answered %s", ErrImportFetch, u.Redacted(), resp.Status)
	}
	max := s.cfg.ImportMaxBytes
	if resp.ContentLength > max {
		return nil, fmt.Errorf("%w: %s is %d bytes, over the limit of %d", ErrImportTooLarge, u.Redacted(), resp.ContentLength, max)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fetchError(ctx, u, err)
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%w: %s is over the limit of %d bytes", ErrImportTooLarge, u.Redacted(), max)
	}
	return data, nil
}

// fetchError explains a failed download: the time limit, a refused redirect, or the
// network error.
func fetchError(ctx context.Context, u *url.URL, err error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("%w: %s did not answer in full within the time limit", ErrImportTimeout, u.Redacted())
	case errors.Is(err, ErrImportURL), errors.Is(err, ErrImportFetch):
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err
		}
		return err
	case ctx.Err() != nil:
		return ctx.Err()
	}
	return fmt.Errorf("%w: %v", ErrImportFetch, err)
}

// checkNotebook checks that data is a .livemd notebook and returns it parsed. Parse
// accepts any text (it reads plain Markdown as a notebook), so the content must also
// look like one: UTF-8 without NUL bytes, and a "# Title" first (after blank lines,
// HTML comments and Livebook metadata).
func checkNotebook(data []byte) (*livemd.Notebook, error) {
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, fmt.Errorf("%w: the content is not UTF-8 text", ErrNotNotebook)
	}
	if !startsWithTitle(data) {
		return nil, fmt.Errorf("%w: it does not start with a \"# Title\" heading (is it an HTML page?)", ErrNotNotebook)
	}
	nb, err := livemd.Parse(data)
	var perr *livemd.ParseError
	if err != nil && !errors.As(err, &perr) {
		return nil, fmt.Errorf("%w: %v", ErrNotNotebook, err)
	}
	return nb, nil
}

// startsWithTitle reports whether the first line that is not blank and not inside an
// HTML comment is a level-1 heading.
func startsWithTitle(data []byte) bool {
	text := strings.TrimPrefix(string(data), "\ufeff")
	for text != "" {
		trimmed := strings.TrimLeft(text, " \t\r\n")
		if strings.HasPrefix(trimmed, "<!--") {
			end := strings.Index(trimmed, "-->")
			if end < 0 {
				return false
			}
			text = trimmed[end+3:]
			continue
		}
		line, _, _ := strings.Cut(trimmed, "\n")
		return strings.HasPrefix(line, "# ") && strings.TrimSpace(line[2:]) != ""
	}
	return false
}

// importBase is the file name, without extension, that an imported notebook gets: the
// URL's file name, or the notebook's title, made safe (lower-case letters, digits,
// dashes and underscores).
func importBase(u *url.URL, nb *livemd.Notebook) string {
	if base := safeName(strings.TrimSuffix(path.Base(u.Path), Extension)); base != "" && base != "-" {
		return base
	}
	if base := safeName(nb.Name); base != "" {
		return base
	}
	return "imported"
}

// safeName reduces s to lower-case ASCII letters, digits, '_' and single '-', at
// most 60 bytes, without leading or trailing dashes.
func safeName(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	return b.String()
}

// handleImport serves POST /api/notebooks/import {"url": "https://...", "path":
// "optional/name.livemd"}: it imports the notebook (see ImportURL) and answers
// 201 {"path": ...}.
func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) {
	var req struct {
		URL  string `json:"url"`
		Path string `json:"path"`
	}
	if err := readJSON(w, r, &req); err != nil {
		writeError(w, statusOf(err), err)
		return
	}
	name, err := s.ImportURL(r.Context(), req.URL, req.Path)
	if err != nil {
		s.log.Info("import failed", "url", req.URL, "err", err)
		writeError(w, importStatus(err), err)
		return
	}
	s.log.Info("imported", "url", req.URL, "path", name)
	writeJSON(w, http.StatusCreated, map[string]string{"path": name})
}

// importStatus maps an import error to an HTTP status.
func importStatus(err error) int {
	switch {
	case errors.Is(err, ErrImportURL):
		return http.StatusBadRequest
	case errors.Is(err, ErrImportTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrNotNotebook):
		return http.StatusUnprocessableEntity
	case errors.Is(err, ErrImportTimeout):
		return http.StatusGatewayTimeout
	case errors.Is(err, ErrImportFetch):
		return http.StatusBadGateway
	}
	return statusOf(err)
}
