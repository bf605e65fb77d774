package main

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	"github.com/gonx-dev/gonx/livebook/runtime"
)

// TestExampleNotebooksRun evaluates every notebook of examples/notebooks with
// livebook run, importing the gonx modules of this checkout.
func TestExampleNotebooksRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds notebook cells")
	}
	repo, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(repo, "examples", "notebooks", "*.livemd"))
	if len(files) == 0 {
		t.Fatal("no notebooks in examples/notebooks")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			root := newRoot()
			var stdout, stderr bytes.Buffer
			root.SetOut(&stdout)
			root.SetErr(&stderr)
			root.SetArgs([]string{"run", "--gonx-root", repo, f})
			err := root.Execute()
			if errors.Is(err, runtime.ErrUnsupported) {
				t.Skip(err)
			}
			if err != nil {
				t.Fatalf("%v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
			}
			if stdout.Len() == 0 {
				t.Error("the notebook printed nothing")
			}
		})
	}
}
