package server

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// get sends an authenticated GET and returns the response with its body read.
func (e *testEnv) get(path string) (*http.Response, []byte) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.http.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp, data
}

func TestExportLivemd(t *testing.T) {
	e := newEnv(t, nil)
	const nb = "# Down\n\n## S\n\n```go\nx := 1\n```\n"
	e.write("dir/down.livemd", nb)
	resp, data := e.get("/api/export/livemd/dir/down.livemd")
	if resp.StatusCode != 200 || string(data) != nb {
		t.Fatalf("%d %q", resp.StatusCode, data)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="down.livemd"` {
		t.Fatalf("Content-Disposition %q", cd)
	}
	// An open session's edits are in the download before they are saved.
	id := e.open("dir/down.livemd")
	snap := e.snapshot(id)
	e.apply(id, Op{Op: OpSetCellSource, CellID: snap.Sections[0].Cells[0].ID, Source: "x := 2"})
	if _, data = e.get("/api/export/livemd/dir/down.livemd"); !strings.Contains(string(data), "x := 2") {
		t.Fatalf("the session's edit is missing:\n%s", data)
	}
	for path, status := range map[string]int{
		"/api/export/livemd/missing.livemd": 404,
		"/api/export/livemd/dir/x.txt":      400,
		"/api/export/livemd/../secret":      404, // cleaned by the mux: not a notebook route
	} {
		if resp, data := e.get(path); resp.StatusCode != status {
			t.Errorf("%s: %d %s, want %d", path, resp.StatusCode, data, status)
		}
	}
}

func TestExportGo(t *testing.T) {
	var gotModule string
	var gotCells []string
	e := newEnv(t, func(c *Config) {
		c.ExportGo = func(_ context.Context, nb *livemd.Notebook, module string) ([]ExportFile, error) {
			gotModule = module
			for _, s := range nb.Sections {
				for _, c := range s.Cells {
					gotCells = append(gotCells, c.Source)
				}
			}
			if strings.Contains(gotCells[0], "bad") {
				return nil, errors.New(`cell "S/1": undefined: bad`)
			}
			return []ExportFile{{Name: "main.go", Data: []byte("package main\n")}, {Name: "go.mod", Data: []byte("module " + module + "\n")}}, nil
		}
	})
	e.write("My Tour.livemd", "# T\n\n## S\n\n```go\nx := 1\n```\n")
	resp, data := e.get("/api/export/go/My%20Tour.livemd")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}
	if gotModule != "my-tour" || len(gotCells) != 1 || gotCells[0] != "x := 1" {
		t.Fatalf("exported module %q cells %q", gotModule, gotCells)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if strings.Join(names, " ") != "my-tour/main.go my-tour/go.mod" {
		t.Fatalf("zip holds %v", names)
	}

	e.write("bad.livemd", "# T\n\n## S\n\n```go\nbad\n```\n")
	gotCells = nil
	if resp, data := e.get("/api/export/go/bad.livemd"); resp.StatusCode != 422 || !strings.Contains(string(data), "undefined: bad") {
		t.Fatalf("%d %s", resp.StatusCode, data)
	}

	plain := newEnv(t, nil)
	plain.write("a.livemd", "# A\n")
	if resp, _ := plain.get("/api/export/go/a.livemd"); resp.StatusCode != http.StatusNotImplemented {
		t.Fatalf("without an exporter: %d", resp.StatusCode)
	}
}
