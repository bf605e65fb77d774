package scidata_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/scidata"
)

// sharedData returns the project's folder of real data, or skips the test when
// it is absent.
func sharedData(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared data folder %s not found: %v", dir, err)
	}
	return dir
}

// fileServer serves files as a mirror laid out as /DATASET/FILE, with Range
// support, and can fail on purpose.
type fileServer struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte // by URL path
	fail     map[string]int    // answer this many requests with 500 first
	cut      map[string]int    // cut the connection after this many bytes, once
	delay    time.Duration     // wait before answering each request
	requests []string          // "PATH RANGE" of every request
}

// newFileServer starts a server on loopback; it stops when the test ends.
func newFileServer(t testing.TB) *fileServer {
	s := &fileServer{files: map[string][]byte{}, fail: map[string]int{}, cut: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// add serves data at /dataset/name.
func (s *fileServer) add(dataset, name string, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files["/"+dataset+"/"+name] = data
}

// addFile serves the file at path as /dataset/BASENAME.
func (s *fileServer) addFile(t testing.TB, dataset, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s.add(dataset, filepath.Base(path), data)
}

// set changes the server's failure settings under its lock.
func (s *fileServer) set(fn func(s *fileServer)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s)
}

// log returns the requests served so far.
func (s *fileServer) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// count returns how many requests asked for path (without a Range header when
// full is true).
func (s *fileServer) count(path string, full bool) int {
	n := 0
	for _, r := range s.log() {
		p, rng, _ := strings.Cut(r, " ")
		if p == path && (!full || rng == "") {
			n++
		}
	}
	return n
}

func (s *fileServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.requests = append(s.requests, r.URL.Path+" "+r.Header.Get("Range"))
	data, ok := s.files[r.URL.Path]
	fail := s.fail[r.URL.Path]
	if fail > 0 {
		s.fail[r.URL.Path]--
	}
	cut := s.cut[r.URL.Path]
	delete(s.cut, r.URL.Path)
	delay := s.delay
	s.mu.Unlock()
	time.Sleep(delay)
	switch {
	case !ok:
		http.NotFound(w, r)
	case fail > 0:
		http.Error(w, "injected failure", http.StatusInternalServerError)
	case cut > 0:
		// Promise the whole file, send part of it, then drop the connection.
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:cut])
		w.(http.Flusher).Flush()
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	default:
		http.ServeContent(w, r, filepath.Base(r.URL.Path), time.Time{}, bytes.NewReader(data))
	}
}

// sha returns the hex SHA-256 of b.
func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// fileOf describes data as a published file with its real checksum.
func fileOf(name string, data []byte) scidata.File {
	return scidata.File{Name: name, Size: int64(len(data)), SHA256: sha(data),
		URLs: []string{"https://publisher.invalid/" + name}}
}

// opts returns the options every test uses: a fresh cache, the test server as
// mirror, no progress output and quick retries.
func opts(t testing.TB, s *fileServer, more ...scidata.Option) []scidata.Option {
	return append([]scidata.Option{scidata.CacheDir(t.TempDir()), scidata.BaseURL(s.URL),
		scidata.Quiet(), scidata.Retry(3, time.Millisecond)}, more...)
}
