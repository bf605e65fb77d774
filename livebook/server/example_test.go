package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/gonx-dev/gonx/livebook/server"
)

// echo is an Evaluator that prints each cell's source back.
type echo struct{}

func (echo) Eval(_ context.Context, _, source string) (server.Result, error) {
	return server.Result{Outputs: []server.Output{{Type: "text", Text: "echo: " + source}}}, nil
}

func (echo) Close() error { return nil }

// A server over a directory of notebooks: open one, edit a cell through the API and
// read the session's state back.
func Example() {
	dir, err := os.MkdirTemp("", "notebooks")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	nb := "# Hello\n\n## Basics\n\n```go\nx := 1\n```\n"
	if err := os.WriteFile(filepath.Join(dir, "hello.livemd"), []byte(nb), 0o644); err != nil {
		log.Fatal(err)
	}

	srv, err := server.New(server.Config{
		Home:           dir,
		Token:          "secret",
		DefaultRuntime: "echo",
		Runtimes: map[string]server.Runtime{"echo": server.RuntimeFunc(
			func(context.Context, server.StartInfo) (server.Evaluator, error) { return echo{}, nil })},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	call := func(method, path, body string, out any) int {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer secret")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		if out != nil {
			_ = json.NewDecoder(resp.Body).Decode(out)
		}
		return resp.StatusCode
	}

	var info server.SessionInfo
	fmt.Println("open:", call("POST", "/api/sessions", `{"path":"hello.livemd"}`, &info))
	var snap server.Snapshot
	call("GET", "/api/sessions/"+info.ID, "", &snap)
	cell := snap.Sections[0].Cells[0].ID
	call("POST", "/api/sessions/"+info.ID+"/ops", `{"op":"set_cell_source","cell_id":"`+cell+`","source":"x := 2"}`, nil)
	call("GET", "/api/sessions/"+info.ID, "", &snap)
	fmt.Printf("%s / %s: %q (version %d, dirty %v)\n",
		snap.Name, snap.Sections[0].Name, snap.Sections[0].Cells[0].Source, snap.Version, snap.Dirty)
	fmt.Println("close:", call("DELETE", "/api/sessions/"+info.ID, "", nil))
	saved, _ := os.ReadFile(filepath.Join(dir, "hello.livemd"))
	fmt.Println("saved:", strings.Contains(string(saved), "x := 2"))
	// Output:
	// open: 201
	// Hello / Basics: "x := 2" (version 1, dirty true)
	// close: 204
	// saved: true
}

func ExampleConfigFromEnv() {
	env := map[string]string{"LIVEBOOK_PORT": "0", "LIVEBOOK_AUTOSAVE_INTERVAL": "10s"}
	cfg, err := server.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cfg.Addr(), cfg.Autosave, !cfg.DisableToken)
	// Output: 127.0.0.1:0 10s true
}

// Import a notebook from a URL: it is fetched (http or https only, within the size
// and time limits of the Config), checked to be a .livemd notebook and saved under
// the notebooks root with a name made from the URL.
func ExampleServer_ImportURL() {
	dir, err := os.MkdirTemp("", "notebooks")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, "# Shared notebook\n\n## Start\n\n```go\n1 + 1\n```\n")
	}))
	defer web.Close()

	srv, err := server.New(server.Config{
		Home:           dir,
		DefaultRuntime: "echo",
		Runtimes: map[string]server.Runtime{"echo": server.RuntimeFunc(
			func(context.Context, server.StartInfo) (server.Evaluator, error) { return echo{}, nil })},
		ImportMaxBytes: 1 << 20,
		Logger:         slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	name, err := srv.ImportURL(context.Background(), web.URL+"/notebooks/Shared%20Notebook.livemd", "")
	fmt.Println(name, err)
	_, err = srv.ImportURL(context.Background(), "file:///etc/passwd", "")
	fmt.Println(err)
	// Output:
	// shared-notebook.livemd <nil>
	// import: only http and https URLs can be imported: the scheme "file" of "file:///etc/passwd" is not allowed
}

func ExampleParseChangeSet() {
	// Keep 5 units, replace 1 with "42": what CodeMirror sends for that edit.
	cs, err := server.ParseChangeSet([]byte(`[5,[1,"42"]]`))
	if err != nil {
		panic(err)
	}
	text, err := cs.Apply("x := 1")
	fmt.Println(text, err)
	// Output: x := 42 <nil>
}

func ExampleReplacement() {
	cs := server.Replacement("hello world", "hello, world")
	data, _ := json.Marshal(cs)
	fmt.Println(string(data))
	// Output: [5,[0,","],6]
}
