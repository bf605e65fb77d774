package server

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// noRedirect is an HTTP client that reports redirects instead of following them.
func noRedirect(jar http.CookieJar) *http.Client {
	return &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func TestAuthToken(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		name, path, accept, bearer string
		status                     int
		location                   string
	}{
		{name: "healthz is public", path: "/healthz", status: 200},
		{name: "api needs auth", path: "/api/notebooks", status: 401},
		{name: "metrics need auth", path: "/metrics", status: 401},
		{name: "websocket needs auth", path: "/api/sessions/x/ws", status: 401},
		{name: "page redirects to login", path: "/", accept: "text/html", status: 302, location: "/authenticate?return_to=%2F"},
		{name: "wrong token", path: "/api/notebooks?token=nope", status: 401},
		{name: "wrong bearer", path: "/api/notebooks", bearer: "nope", status: 401},
		{name: "bearer", path: "/api/notebooks", bearer: testToken, status: 200},
		{name: "token in query", path: "/api/notebooks?token=" + testToken, status: 200},
		{name: "token on a page", path: "/?token=" + testToken + "&x=1", accept: "text/html", status: 303, location: "/?x=1"},
		{name: "login form", path: "/authenticate", status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", e.http.URL+tt.path, nil)
			if tt.accept != "" {
				req.Header.Set("Accept", tt.accept)
			}
			if tt.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tt.bearer)
			}
			resp, err := noRedirect(nil).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if tt.location != "" && resp.Header.Get("Location") != tt.location {
				t.Errorf("Location %q, want %q", resp.Header.Get("Location"), tt.location)
			}
		})
	}
}

func TestTokenSetsCookie(t *testing.T) {
	e := newEnv(t, nil)
	jar, _ := cookiejar.New(nil)
	c := noRedirect(jar)
	resp, err := c.Get(e.http.URL + "/api/notebooks?token=" + testToken)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == cookieName {
			cookie = ck
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Value == testToken {
		t.Fatalf("cookie %+v: want HttpOnly, SameSite=Strict, not the token itself", cookie)
	}
	resp, err = c.Get(e.http.URL + "/api/notebooks") // the cookie alone now
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("with the cookie: %d", resp.StatusCode)
	}
}

func TestPasswordLogin(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Password = "hunter2" })
	if e.srv.Token() != "" {
		t.Errorf("Token() = %q in password mode", e.srv.Token())
	}
	tests := []struct {
		name, password, returnTo string
		status                   int
		location                 string
	}{
		{name: "wrong", password: "hunter3", status: 401},
		{name: "token is not the password", password: testToken, status: 401},
		{name: "right", password: "hunter2", returnTo: "/api/notebooks", status: 303, location: "/api/notebooks"},
		{name: "no open redirect", password: "hunter2", returnTo: "//evil.example/x", status: 303, location: "/"},
		{name: "no absolute redirect", password: "hunter2", returnTo: "https://evil.example/", status: 303, location: "/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jar, _ := cookiejar.New(nil)
			c := noRedirect(jar)
			resp, err := c.PostForm(e.http.URL+"/authenticate", url.Values{"password": {tt.password}, "return_to": {tt.returnTo}})
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Fatalf("got %d %q, want %d %q", resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
			resp, err = c.Get(e.http.URL + "/api/notebooks")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if want := map[bool]int{true: 200, false: 401}[tt.status == 303]; resp.StatusCode != want {
				t.Errorf("after login: %d, want %d", resp.StatusCode, want)
			}
		})
	}
}

func TestNoAuth(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.DisableToken = true; c.Token = "" })
	resp, err := http.Get(e.http.URL + "/api/notebooks")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || e.srv.Token() != "" {
		t.Errorf("status %d, token %q", resp.StatusCode, e.srv.Token())
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t, nil)
	resp, err := http.Get(e.http.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 || string(body) != "ok" {
		t.Fatalf("healthz: %d %q %v", resp.StatusCode, body, err)
	}
}

func TestOpenSessionPaths(t *testing.T) {
	e := newEnv(t, nil)
	e.write("a.livemd", simpleNotebook)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "x.livemd"), []byte("# X\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "x.livemd"), filepath.Join(e.root, "escape.livemd")); err != nil {
		t.Skip(err)
	}
	if err := os.Symlink(outside, filepath.Join(e.root, "outdir")); err != nil {
		t.Skip(err)
	}
	tests := []struct {
		path   string
		status int
	}{
		{"../x.livemd", 400},
		{"a/../../x.livemd", 400},
		{filepath.Join(outside, "x.livemd"), 400},
		{"a.txt", 400},
		{"escape.livemd", 403},
		{"outdir/x.livemd", 403},
		{"missing.livemd", 404},
		{"a.livemd", 201},
		{"./a.livemd", 200},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, body := e.do("POST", "/api/sessions", map[string]string{"path": tt.path})
			if status != tt.status {
				t.Errorf("status %d (%s), want %d", status, body, tt.status)
			}
		})
	}
	status, body := e.do("GET", "/api/sessions", nil)
	var list struct{ Sessions []SessionInfo }
	if err := json.Unmarshal(body, &list); err != nil || status != 200 || len(list.Sessions) != 1 || list.Sessions[0].Path != "a.livemd" {
		t.Errorf("sessions: %d %s", status, body)
	}
}

func TestCreateNotebook(t *testing.T) {
	e := newEnv(t, nil)
	if err := os.Mkdir(filepath.Join(e.root, "dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, name string
		status     int
	}{
		{"dir/new.livemd", "", 201},
		{"dir/new.livemd", "", 409},
		{"titled.livemd", "My notebook", 201},
		{"../new.livemd", "", 400},
		{"nodir/new.livemd", "", 404},
		{"new.txt", "", 400},
	}
	for _, tt := range tests {
		status, body := e.do("POST", "/api/notebooks", map[string]string{"path": tt.path, "name": tt.name})
		if status != tt.status {
			t.Errorf("create %q: %d %s, want %d", tt.path, status, body, tt.status)
		}
	}
	data, err := os.ReadFile(filepath.Join(e.root, "dir", "new.livemd"))
	if err != nil {
		t.Fatal(err)
	}
	nb, err := livemd.Parse(data)
	if err != nil || nb.Name != "new" || len(nb.Sections) != 1 || !nb.Sections[0].Cells[0].Runnable() {
		t.Errorf("new notebook %q: %v", data, err)
	}
	status, body := e.do("GET", "/api/notebooks", nil)
	if status != 200 || !strings.Contains(string(body), `"dir/new.livemd"`) || !strings.Contains(string(body), `"titled.livemd"`) {
		t.Errorf("list: %d %s", status, body)
	}
}

func TestDeleteNotebook(t *testing.T) {
	e := newEnv(t, nil)
	e.write("dir/a.livemd", simpleNotebook)
	e.write("b.livemd", simpleNotebook)
	id := e.open("dir/a.livemd")
	ws := e.connect(id)
	ws.read() // the snapshot
	e.apply(id, Op{Op: OpRenameNotebook, Name: "Changed"})

	tests := []struct {
		path   string
		status int
	}{
		{"dir/a.livemd", 204},
		{"dir/a.livemd", 404},
		{"missing.livemd", 404},
		{"dir/%2e%2e/b.livemd", 400},
		{"b.txt", 400},
	}
	for _, tt := range tests {
		if status, body := e.do("DELETE", "/api/notebooks/"+tt.path, nil); status != tt.status {
			t.Errorf("delete %q: %d %s, want %d", tt.path, status, body, tt.status)
		}
	}
	if _, err := os.Stat(filepath.Join(e.root, "dir", "a.livemd")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dir/a.livemd is still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.root, "b.livemd")); err != nil {
		t.Errorf("b.livemd: %v", err)
	}
	if e.srv.Sessions().Get(id) != nil {
		t.Error("the deleted notebook's session is still open")
	}
	// Its client is disconnected, and reopening finds nothing.
	_ = ws.conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for {
		if _, _, err := ws.conn.ReadMessage(); err != nil {
			break
		}
	}
	if status, _ := e.do("POST", "/api/sessions", map[string]string{"path": "dir/a.livemd"}); status != 404 {
		t.Errorf("reopening a deleted notebook: %d, want 404", status)
	}

	req, _ := http.NewRequest("DELETE", e.http.URL+"/api/notebooks/b.livemd", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Origin", "http://evil.example")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site delete: %d, want 403", resp.StatusCode)
	}
}

func TestAPIRejectsCrossSite(t *testing.T) {
	e := newEnv(t, nil)
	e.write("a.livemd", simpleNotebook)
	tests := []struct {
		name, contentType, origin string
		status                    int
	}{
		{"form post", "application/x-www-form-urlencoded", "", 400},
		{"other origin", "application/json", "http://evil.example", 403},
		{"same origin", "application/json", e.http.URL, 201},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", e.http.URL+"/api/sessions", strings.NewReader(`{"path":"a.livemd"}`))
			req.Header.Set("Authorization", "Bearer "+testToken)
			req.Header.Set("Content-Type", tt.contentType)
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
		})
	}
}

func TestRecoverPanics(t *testing.T) {
	e := newEnv(t, nil)
	h := e.srv.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptestRecorder(h, "GET", "/")
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), "internal server error") {
		t.Errorf("panic gave %d %q", rec.Code, rec.Body.String())
	}
}

func TestFixtureOpens(t *testing.T) {
	const fixture = "livebook-with_two_sections.livemd"
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "livemd", fixture))
	if err != nil {
		t.Skipf("fixtures: %v", err)
	}
	want, _ := livemd.Parse(data)
	e := newEnv(t, nil)
	e.write("guides/"+fixture, string(data))
	id := e.open("guides/" + fixture)
	snap := e.snapshot(id)
	if snap.Name != want.Name || len(snap.Sections) != len(want.Sections) || snap.Path != "guides/"+fixture {
		t.Fatalf("snapshot %+v, want %d sections named %q", snap, len(want.Sections), want.Name)
	}
	var readOnly int
	for i, s := range snap.Sections {
		if s.Name != want.Sections[i].Name || len(s.Cells) != len(want.Sections[i].Cells) {
			t.Errorf("section %d: %+v", i, s)
		}
		for j, c := range s.Cells {
			if c.Source != want.Sections[i].Cells[j].Source {
				t.Errorf("cell %s source differs", c.ID)
			}
			if c.ReadOnly != "" {
				readOnly++
			}
		}
	}
	if readOnly == 0 {
		t.Error("the fixture's Elixir cells are not marked read-only")
	}
	// Closing an unchanged notebook leaves the file as it was.
	if status, body := e.do("DELETE", "/api/sessions/"+id, nil); status != 204 {
		t.Fatalf("close: %d %s", status, body)
	}
	after, _ := os.ReadFile(filepath.Join(e.root, "guides", fixture))
	if string(after) != string(data) {
		t.Error("closing an unchanged notebook rewrote it")
	}
	if status, _ := e.do("GET", "/api/sessions/"+id, nil); status != 404 {
		t.Errorf("closed session answers %d", status)
	}
}
