package scidata

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestStalledDownload serves half a file and then goes silent: the download
// is abandoned after the stall timeout and resumed with a Range request.
func TestStalledDownload(t *testing.T) {
	data := bytes.Repeat([]byte("scidata "), 4096)
	sum := sha256.Sum256(data)
	var mu sync.Mutex
	var ranges []string
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ranges = append(ranges, r.Header.Get("Range"))
		first := len(ranges) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Content-Length", "32768")
			w.Write(data[:10000])
			w.(http.Flusher).Flush()
			select { // stall until the client gives up (or the test ends)
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		http.ServeContent(w, r, "f", time.Time{}, bytes.NewReader(data))
	}))
	defer srv.Close()
	defer close(release)

	ds := Dataset{Name: "stall", Files: []File{{Name: "f", Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}}}
	c := newConfig([]Option{CacheDir(t.TempDir()), BaseURL(srv.URL), Quiet(), Retry(2, time.Millisecond)})
	c.stall = 100 * time.Millisecond
	path, err := c.ensure(context.Background(), ds, ds.Files[0])
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("downloaded file wrong: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ranges) != 2 || !strings.HasPrefix(ranges[1], "bytes=") || ranges[1] == "bytes=0-" {
		t.Errorf("requests with ranges %q, want a full one then a resumed one", ranges)
	}
	if filepath.Base(path) != "f" {
		t.Errorf("path %s", path)
	}
}
