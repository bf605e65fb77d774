package runtime

import (
	"context"
	"errors"
	"testing"
)

// TestEmbedded runs cells in the test process: names persist, output is captured, a
// panic leaves the evaluator usable, and cells render with package kino (which this
// process does not link). One test makes all the cells: a process can load the
// plugins of only one embedded evaluator, whose cells' package paths are the same.
func TestEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("builds plugins for the test process")
	}
	var st streamed
	opts := st.options(checkout())
	opts.TempDir = t.TempDir()
	e, err := NewEmbedded(context.Background(), opts)
	if errors.Is(err, ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	for _, s := range []step{{
		name:   "define",
		src:    "type pair struct{ a, b int }\nv := pair{2, 3}\nfmt.Printf(\"%+v\\n\", v)",
		output: "{a:2 b:3}\n",
	}, {
		name: "use", src: "v.a * v.b", value: "6", typ: "int",
	}, {
		name: "panic", src: "panic(fmt.Sprint(v.b))",
		kind: KindPanic, line: 1, msg: "panic: 3",
	}} {
		t.Run(s.name, func(t *testing.T) { s.run(t, e) })
	}
	t.Run("complete", func(t *testing.T) {
		if FindGopls(opts) == "" {
			t.Skip("gopls is not installed (make setup installs it)")
		}
		c, err := e.Complete(context.Background(), "v.", 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Items) != 2 || c.Items[0].Label != "a" || c.Items[1].Label != "b" || c.From != 2 || c.To != 2 {
			t.Errorf("completions of v.: %+v", c)
		}
	})
	if opts.GonxRoot == "" {
		t.Skip("not in a gonx checkout: cells cannot import kino")
	}
	st.take()
	richCells(t, e, &st)
}

// TestTwoEmbeddedSessions runs the same cells in two embedded evaluators of one
// process, as two notebooks of a server with the embedded runtime do.
func TestTwoEmbeddedSessions(t *testing.T) {
	if testing.Short() {
		t.Skip("builds plugins for the test process")
	}
	for i := 0; i < 2; i++ {
		e, err := NewEmbedded(context.Background(), Options{TempDir: t.TempDir()})
		if errors.Is(err, ErrUnsupported) {
			t.Skip(err)
		}
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Eval(context.Background(), "c1", "x := 40\nx + 2")
		e.Close()
		if err != nil || res.Value != "42" {
			t.Fatalf("session %d: %+v, %v", i, res, err)
		}
	}
}
