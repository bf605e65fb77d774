package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/livebook/runtime"
)

// TestRunCommand runs test notebooks with livebook run: one whose cells all succeed,
// and two that fail, which must name the section, the cell and the line.
func TestRunCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds notebook cells")
	}
	for _, tc := range []struct {
		file    string
		stdout  string   // exact
		stderr  []string // substrings
		failure []string // substrings of the error; none for success
	}{{
		file:   "testdata/ok.livemd",
		stdout: "HELLO 3\n=> 30\n",
		stderr: []string{`skipping a cell of section "Basics": Elixir cell`},
	}, {
		file: "testdata/compile_error.livemd",
		failure: []string{
			`testdata/compile_error.livemd: section "Second", cell 1 does not compile:`,
			"testdata/compile_error.livemd:13:2: cell line 2: undefined: undefinedName",
		},
	}, {
		file:    "testdata/panic.livemd",
		stdout:  "before\n",
		failure: []string{`testdata/panic.livemd:11: section "Only", cell 2, line 2: panic: assignment to entry in nil map`},
	}} {
		t.Run(tc.file, func(t *testing.T) {
			root := newRoot()
			var stdout, stderr bytes.Buffer
			root.SetOut(&stdout)
			root.SetErr(&stderr)
			root.SetArgs([]string{"run", tc.file})
			err := root.Execute()
			if errors.Is(err, runtime.ErrUnsupported) {
				t.Skip(err)
			}
			if len(tc.failure) == 0 && err != nil {
				t.Fatalf("run failed: %v\nstderr: %s", err, stderr.String())
			}
			if len(tc.failure) > 0 && err == nil {
				t.Fatal("run succeeded, want a failure")
			}
			for _, want := range tc.failure {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if stdout.String() != tc.stdout {
				t.Errorf("stdout %q, want %q", stdout.String(), tc.stdout)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(stderr.String(), want) {
					t.Errorf("stderr %q lacks %q", stderr.String(), want)
				}
			}
		})
	}
}

func TestRunMissingFile(t *testing.T) {
	root := newRoot()
	root.SetOut(&bytes.Buffer{})
	root.SetErr(&bytes.Buffer{})
	root.SetArgs([]string{"run", "testdata/no-such-notebook.livemd"})
	if err := root.Execute(); err == nil {
		t.Fatal("run of a missing file succeeded")
	}
}
