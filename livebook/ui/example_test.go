package ui_test

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/gonx-dev/gonx/livebook/ui"
)

// Serving the page and its assets with net/http (livebook/server does this
// with authentication and caching headers).
func ExampleDist() {
	dist := ui.Dist()
	page, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(page) })
	mux.Handle("GET /assets/", http.FileServerFS(dist))

	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	fmt.Println(rec.Code, strings.Contains(rec.Body.String(), `<div id="app">`))
	// Output: 200 true
}
