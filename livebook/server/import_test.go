package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const importedNotebook = "# Imported\n\n## Section\n\n```go\nx := 1\n```\n"

// origin serves the files an import test fetches, on loopback.
func origin(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/nb/hello.livemd", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(importedNotebook))
	})
	mux.HandleFunc("/commented.livemd", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("<!-- livebook:{\"persist_outputs\":true} -->\n\n" + importedNotebook))
	})
	mux.HandleFunc("/big.livemd", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("# Big\n\n" + strings.Repeat("x", 4096)))
	})
	mux.HandleFunc("/big-chunked.livemd", func(w http.ResponseWriter, _ *http.Request) {
		// No Content-Length: the limit must hold while reading.
		for range 8 {
			_, _ = w.Write([]byte(strings.Repeat("y", 1024)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/slow.livemd", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("# Slow\n"))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/page.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><body><h1>Not a notebook</h1></body></html>\n"))
	})
	mux.HandleFunc("/binary.livemd", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("# T\n\x00\xff\xfe"))
	})
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/to-ok", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/nb/hello.livemd", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func TestImportURL(t *testing.T) {
	src := origin(t)
	e := newEnv(t, func(c *Config) {
		c.ImportMaxBytes = 2048
		c.ImportTimeout = 300 * time.Millisecond
	})
	tests := []struct {
		name, url, path string
		status          int
		want            string // the saved path, or a part of the error
	}{
		{name: "ok", url: src.URL + "/nb/hello.livemd", status: 201, want: "hello.livemd"},
		{name: "ok again gets a new name", url: src.URL + "/nb/hello.livemd", status: 201, want: "hello-2.livemd"},
		{name: "ok through a redirect", url: src.URL + "/to-ok", status: 201, want: "to-ok.livemd"},
		{name: "ok with metadata first", url: src.URL + "/commented.livemd", status: 201, want: "commented.livemd"},
		{name: "ok with a chosen path", url: src.URL + "/nb/hello.livemd", path: "mine.livemd", status: 201, want: "mine.livemd"},
		{name: "chosen path taken", url: src.URL + "/nb/hello.livemd", path: "mine.livemd", status: 409, want: "exists"},
		{name: "chosen path outside", url: src.URL + "/nb/hello.livemd", path: "../x.livemd", status: 400, want: "not allowed"},
		{name: "too big", url: src.URL + "/big.livemd", status: 413, want: "over the limit of 2048"},
		{name: "too big without length", url: src.URL + "/big-chunked.livemd", status: 413, want: "over the limit of 2048 bytes"},
		{name: "too slow", url: src.URL + "/slow.livemd", status: 504, want: "time limit"},
		{name: "wrong scheme", url: "file:///etc/passwd", status: 400, want: `scheme "file" of`},
		{name: "ftp", url: "ftp://" + strings.TrimPrefix(src.URL, "http://") + "/x.livemd", status: 400, want: `scheme "ftp"`},
		{name: "no scheme", url: "example.com/x.livemd", status: 400, want: "no scheme"},
		{name: "credentials", url: "http://u:p@" + strings.TrimPrefix(src.URL, "http://") + "/nb/hello.livemd", status: 400, want: "credentials"},
		{name: "redirect to a bad scheme", url: src.URL + "/to-file", status: 400, want: `whose scheme "file" is not allowed`},
		{name: "redirect loop", url: src.URL + "/loop", status: 502, want: "more than 10 redirects"},
		{name: "not livemd", url: src.URL + "/page.html", status: 422, want: "does not start with"},
		{name: "not text", url: src.URL + "/binary.livemd", status: 422, want: "not UTF-8"},
		{name: "not found", url: src.URL + "/missing.livemd", status: 502, want: "404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := map[string]string{"url": tt.url}
			if tt.path != "" {
				body["path"] = tt.path
			}
			status, data := e.do("POST", "/api/notebooks/import", body)
			if status != tt.status {
				t.Fatalf("status %d, want %d: %s", status, tt.status, data)
			}
			var resp struct{ Path, Error string }
			if err := json.Unmarshal(data, &resp); err != nil {
				t.Fatal(err)
			}
			if status != 201 {
				if !strings.Contains(resp.Error, tt.want) {
					t.Fatalf("error %q does not mention %q", resp.Error, tt.want)
				}
				return
			}
			if resp.Path != tt.want {
				t.Fatalf("saved as %q, want %q", resp.Path, tt.want)
			}
			got, err := os.ReadFile(filepath.Join(e.root, resp.Path))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(got), importedNotebook) {
				t.Fatalf("saved %q", got)
			}
		})
	}
	// Nothing but the imported notebooks: no temporary files, nothing from failures.
	entries, err := os.ReadDir(e.root)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range entries {
		names = append(names, de.Name())
	}
	if want := "commented.livemd hello-2.livemd hello.livemd mine.livemd to-ok.livemd"; strings.Join(names, " ") != want {
		t.Fatalf("root holds %v, want %s", names, want)
	}
}

func TestImportBase(t *testing.T) {
	tests := []struct{ url, title, want string }{
		{"http://h/a/My Notebook!.livemd", "T", "my-notebook"},
		{"http://h/", "Élan vital: notes", "lan-vital-notes"},
		{"http://h/", "!!!", "imported"},
		{"http://h/raw/main/x_y.livemd?token=1", "T", "x_y"},
		{"http://h/" + strings.Repeat("a", 100), "T", strings.Repeat("a", 60)},
	}
	for _, tt := range tests {
		u, err := checkImportURL(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		nb, _ := checkNotebook([]byte("# " + tt.title + "\n"))
		if got := importBase(u, nb); got != tt.want {
			t.Errorf("%s, %q: got %q, want %q", tt.url, tt.title, got, tt.want)
		}
	}
}

func TestCheckNotebook(t *testing.T) {
	for _, ok := range []string{
		"# T\n",
		"\ufeff# T\n",
		"\n\n<!-- a -->\n<!-- livebook:{\"x\":1} -->\n# T\n\n## S\n",
	} {
		if _, err := checkNotebook([]byte(ok)); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "## S\n", "#T\n", "# \n", "<!-- open\n# T\n", "{\"a\": 1}", "<html>"} {
		if _, err := checkNotebook([]byte(bad)); !errors.Is(err, ErrNotNotebook) {
			t.Errorf("%q: %v, want ErrNotNotebook", bad, err)
		}
	}
}

// FuzzCheckNotebook checks that the content check never panics and that what it
// accepts starts with a title.
func FuzzCheckNotebook(f *testing.F) {
	for _, seed := range []string{importedNotebook, "<!-- c -->\n# T\n", "<!DOCTYPE html>", "# T\n\x00", "<!--", "\ufeff# T"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := checkNotebook(data)
		if err == nil && (nb == nil || !startsWithTitle(data)) {
			t.Fatalf("accepted %q", data)
		}
	})
}
