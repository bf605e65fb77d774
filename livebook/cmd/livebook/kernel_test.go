package main

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/livebook/runtime"
	"github.com/gonx-dev/gonx/livebook/server"
)

// TestSessionOnAttachedKernel starts a kernel as livebook kernel does (runtime.Serve
// on loopback, with a secret), then a server whose "attached" runtime knows the
// secret and whose "wrong" runtime does not. A notebook whose metadata picks
// "attached" runs its cells there; one that picks "wrong" gets, for its cell, the
// kernel's refusal.
func TestSessionOnAttachedKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kernel and plugins")
	}
	if err := startErr(); err != nil {
		t.Skip(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	kctx, stopKernel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- runtime.Serve(kctx, ln, "kernel-secret", runtime.Options{}, t.Logf) }()
	defer func() {
		stopKernel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	}()
	addr := ln.Addr().String()

	root := t.TempDir()
	write := func(name, rt string) {
		nb := `<!-- livebook:{"gonx_runtime":"` + rt + `"} -->` + "\n\n# On " + rt + "\n\n## S\n\n```go\nx := 21\n```\n\n```go\nfmt.Println(x * 2)\n```\n"
		if err := os.WriteFile(filepath.Join(root, name), []byte(nb), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("attached.livemd", "attached")
	write("wrong.livemd", "wrong")
	rts := runtimes("")
	rts["attached"] = attachedRuntime(addr, "kernel-secret")
	rts["wrong"] = attachedRuntime(addr, "not-the-secret")
	srv, err := server.New(server.Config{Home: root, Runtimes: rts, DefaultRuntime: "standalone", Autosave: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	evaluate := func(name string) server.Snapshot {
		t.Helper()
		sess, _, err := srv.Sessions().Open(name)
		if err != nil {
			t.Fatal(err)
		}
		snap, err := sess.Snapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range snap.Sections[0].Cells {
			if _, err := sess.Apply(ctx, server.Op{Op: server.OpEvaluateCell, CellID: c.ID}); err != nil {
				t.Fatal(err)
			}
		}
		for {
			if snap, err = sess.Snapshot(ctx); err != nil {
				t.Fatal(err)
			}
			done := 0
			for _, c := range snap.Sections[0].Cells {
				if c.Eval != nil && c.Eval.Status != server.StatusQueued && c.Eval.Status != server.StatusEvaluating {
					done++
				}
			}
			if done == len(snap.Sections[0].Cells) {
				return snap
			}
			select {
			case <-ctx.Done():
				t.Fatalf("%s: evaluations did not finish: %+v", name, snap.Sections[0].Cells)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}

	snap := evaluate("attached.livemd")
	if snap.Runtime != "attached" {
		t.Errorf("runtime %q, want attached", snap.Runtime)
	}
	cells := snap.Sections[0].Cells
	if e := cells[0].Eval; e.Status != server.StatusOK {
		t.Fatalf("cell 1: %+v", e)
	}
	if e := cells[1].Eval; e.Status != server.StatusOK || len(e.Outputs) == 0 || e.Outputs[0].Text != "42\n" {
		t.Fatalf("cell 2: %+v, want 42", e)
	}

	snap = evaluate("wrong.livemd")
	e := snap.Sections[0].Cells[0].Eval
	if e.Status != server.StatusError || !strings.Contains(e.Error, "refused the secret") {
		t.Fatalf("wrong secret: %+v", e)
	}
}

func TestReadSecret(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "s")
	if err := os.WriteFile(file, []byte("  abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := readSecret(file, "UNSET_SECRET_VAR"); s != "abc" || err != nil {
		t.Errorf("file: %q %v", s, err)
	}
	empty := filepath.Join(dir, "e")
	_ = os.WriteFile(empty, []byte("\n"), 0o600)
	if _, err := readSecret(empty, "UNSET_SECRET_VAR"); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("empty file: %v", err)
	}
	if _, err := readSecret(filepath.Join(dir, "missing"), "X"); err == nil {
		t.Error("missing file accepted")
	}
	t.Setenv("GONX_TEST_SECRET", "from-env")
	if s, err := readSecret("", "GONX_TEST_SECRET"); s != "from-env" || err != nil {
		t.Errorf("env: %q %v", s, err)
	}
	if _, err := readSecret("", "UNSET_SECRET_VAR"); err == nil || !strings.Contains(err.Error(), "secret is required") {
		t.Errorf("none: %v", err)
	}
}

// TestKernelCommandNeedsSecret checks that livebook kernel refuses to start
// without a secret.
func TestKernelCommandNeedsSecret(t *testing.T) {
	t.Setenv(envKernelSecret, "")
	root := newRoot()
	root.SetArgs([]string{"kernel", "--listen", "127.0.0.1:0"})
	root.SetOut(&strings.Builder{})
	root.SetErr(&strings.Builder{})
	if err := root.Execute(); err == nil || !strings.Contains(err.Error(), "secret is required") {
		t.Fatalf("got %v", err)
	}
}
