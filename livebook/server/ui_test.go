package server

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

func TestUIServed(t *testing.T) {
	e := newEnv(t, nil)
	get := func(path string, auth bool) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", e.http.URL+path, nil)
		if auth {
			req.Header.Set("Authorization", "Bearer "+testToken)
		}
		resp, err := e.http.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(body)
	}

	resp, page := get("/", true)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("GET /: Content-Security-Policy %q", csp)
	}
	if !strings.Contains(page, `<div id="app">`) {
		t.Errorf("GET /: not the UI's page:\n%s", page)
	}

	assets := regexp.MustCompile(`"(/assets/[^"]+)"`).FindAllStringSubmatch(page, -1)
	if len(assets) != 2 {
		t.Fatalf("the page loads %d assets, want 2 (script and styles)", len(assets))
	}
	for _, m := range assets {
		resp, body := get(m[1], true)
		if resp.StatusCode != 200 || len(body) == 0 {
			t.Errorf("GET %s: %d, %d bytes", m[1], resp.StatusCode, len(body))
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: Cache-Control %q", m[1], cc)
		}
		want := map[bool]string{true: "text/javascript", false: "text/css"}[strings.HasSuffix(m[1], ".js")]
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, want) {
			t.Errorf("GET %s: Content-Type %q, want %s", m[1], ct, want)
		}
		if resp, _ := get(m[1], false); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET %s without auth: %d, want 401", m[1], resp.StatusCode)
		}
	}
	for _, path := range []string{"/assets/", "/assets/nope.js", "/assets/../index.html"} {
		if resp, _ := get(path, true); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
}
