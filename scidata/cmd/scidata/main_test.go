package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run executes the command with args and returns its output and error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newRootCmd(&out, &errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func TestCommands(t *testing.T) {
	iris, err := os.ReadFile(filepath.Join("..", "..", "testdata", "iris.data"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/iris/iris.data" {
			http.NotFound(w, r)
			return
		}
		w.Write(iris)
	}))
	defer srv.Close()
	cache := t.TempDir()
	flags := []string{"--cache-dir", cache, "--base-url", srv.URL}
	irisFile := filepath.Join(cache, "iris", "iris.data")

	tests := []struct {
		name    string
		args    []string
		setup   func()
		wantOut []string
		wantErr string // "" for success
	}{
		{name: "list before", args: []string{"list"}, wantOut: []string{"NAME", "mnist", "cifar100", "iris", "no"}},
		{name: "path root", args: []string{"path"}, wantOut: []string{cache}},
		{name: "path iris", args: []string{"path", "iris"}, wantOut: []string{filepath.Join(cache, "iris")}},
		{name: "path unknown", args: []string{"path", "nosuch"}, wantErr: "unknown data set"},
		{name: "download offline", args: []string{"download", "--offline", "iris"}, wantErr: "not in the cache"},
		{name: "download", args: []string{"download", "--quiet", "iris"}, wantOut: []string{"iris: verified in " + filepath.Join(cache, "iris")}},
		{name: "download needs a name", args: []string{"download"}, wantErr: "requires at least 1 arg"},
		{name: "list after", args: []string{"list"}, wantOut: []string{"yes"}},
		{name: "verify one", args: []string{"verify", "iris"}, wantOut: []string{"ok       iris/iris.data"}},
		{name: "verify all", args: []string{"verify"}, wantOut: []string{"ok       iris/iris.data", "missing  mnist/train-images-idx3-ubyte.gz"}},
		{name: "verify bad", args: []string{"verify", "iris"},
			setup:   func() { os.WriteFile(irisFile, []byte("not iris"), 0o644) },
			wantOut: []string{"BAD      iris/iris.data", "checksum mismatch"}, wantErr: "failed verification"},
		{name: "verify after delete", args: []string{"verify", "iris"}, wantOut: []string{"missing  iris/iris.data"}},
		{name: "download with progress", args: []string{"download", "iris"}, wantOut: []string{"verified"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.setup != nil {
				tt.setup()
			}
			out, errOut, err := run(t, append(tt.args, flags...)...)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("error %v\n%s", err, errOut)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output %q lacks %q", out, w)
				}
			}
		})
	}
}
