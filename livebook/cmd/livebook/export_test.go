package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/livebook/runtime"
)

// TestExportMatchesRun exports notebooks as Go programs, builds each with go build
// in a temporary directory (offline: GOPROXY=off), runs it, and compares what it
// prints with what livebook run prints for the same notebook.
func TestExportMatchesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds notebook cells and programs")
	}
	repo, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "")
	for _, nb := range []string{
		"testdata/export.livemd",
		filepath.Join(repo, "examples", "notebooks", "nx_tour.livemd"),
	} {
		t.Run(filepath.Base(nb), func(t *testing.T) {
			var want, stderr bytes.Buffer
			root := newRoot()
			root.SetOut(&want)
			root.SetErr(&stderr)
			root.SetArgs([]string{"run", "--gonx-root", repo, nb})
			if err := root.Execute(); errors.Is(err, runtime.ErrUnsupported) {
				t.Skip(err)
			} else if err != nil {
				t.Fatalf("livebook run: %v\n%s", err, stderr.String())
			}

			dir := filepath.Join(t.TempDir(), "prog")
			root = newRoot()
			stderr.Reset()
			root.SetOut(&stderr)
			root.SetErr(&stderr)
			root.SetArgs([]string{"export", "--gonx-root", repo, "--out", dir, nb})
			if err := root.Execute(); err != nil {
				t.Fatalf("livebook export: %v\n%s", err, stderr.String())
			}
			mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(mod), "tidy failed") {
				t.Fatalf("go.mod:\n%s", mod)
			}

			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			build := exec.CommandContext(ctx, "go", "build", "-o", "prog", ".")
			build.Dir = dir
			build.Env = append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local")
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s\ngo.mod:\n%s", err, out, mod)
			}
			run := exec.CommandContext(ctx, filepath.Join(dir, "prog"))
			var got bytes.Buffer
			run.Stdout, run.Stderr = &got, &stderr
			if err := run.Run(); err != nil {
				t.Fatalf("running the program: %v\n%s", err, stderr.String())
			}
			if got.String() != want.String() {
				t.Fatalf("the program printed\n%s\nlivebook run printed\n%s", got.String(), want.String())
			}
			if got.Len() == 0 {
				t.Fatal("nothing printed")
			}
		})
	}
}

// TestExportCompileError checks that a cell that does not compile fails the export
// with the cell's line, and that nothing is written.
func TestExportCompileError(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks notebook cells")
	}
	dir := filepath.Join(t.TempDir(), "prog")
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs([]string{"export", "--out", dir, "testdata/compile_error.livemd"})
	err := root.Execute()
	if errors.Is(err, runtime.ErrUnsupported) {
		t.Skip(err)
	}
	if err == nil || !strings.Contains(err.Error(), "undefined: undefinedName") {
		t.Fatalf("got %v", err)
	}
	if _, serr := os.Stat(dir); !os.IsNotExist(serr) {
		t.Fatalf("%s was written", dir)
	}
}

func TestModuleName(t *testing.T) {
	for in, want := range map[string]string{
		"nx_tour.livemd":      "nx_tour",
		"My Notebook!.livemd": "my-notebook",
		"...livemd":           "notebook",
		"Ünïcode.livemd":      "n-code",
		"a.b.livemd":          "a.b",
	} {
		if got := moduleName(in); got != want {
			t.Errorf("moduleName(%q) = %q, want %q", in, got, want)
		}
	}
}
