package runtime

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testGopls returns the gopls the tests use, found as FindGopls finds it with the
// checkout's .tools, or skips the test.
func testGopls(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	p := FindGopls(Options{GonxRoot: filepath.Dir(filepath.Dir(wd))})
	if p == "" {
		t.Skip("gopls is not installed (make setup installs it)")
	}
	return p
}

// TestKernelAssist checks completion, hover and signature help against gopls, for
// the standard library and for the names earlier cells bound, with one kernel and
// one gopls for all of it.
func TestKernelAssist(t *testing.T) {
	gopls := testGopls(t)
	k := startKernel(t, Options{Gopls: gopls})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	labels := func(c Completion) []string {
		var out []string
		for _, it := range c.Items {
			out = append(out, it.Label)
		}
		return out
	}
	find := func(c Completion, label string) *CompletionItem {
		for i := range c.Items {
			if c.Items[i].Label == label {
				return &c.Items[i]
			}
		}
		return nil
	}

	t.Run("stdlib", func(t *testing.T) {
		src := "s := \"𝔸\"\nfmt.Pri"
		c, err := k.Complete(ctx, src, utf16Len(src))
		if err != nil {
			t.Fatal(err)
		}
		it := find(c, "Println")
		if it == nil {
			t.Fatalf("no Println among %q", labels(c))
		}
		if it.Kind != "function" || !strings.Contains(it.Doc, "Println formats") || !strings.HasPrefix(it.Detail, "func(a ...any)") {
			t.Errorf("Println: %+v", it)
		}
		// "𝔸" is two UTF-16 code units: the cell's "Pri" is at 14..17.
		if c.From != 14 || c.To != 17 {
			t.Errorf("range %d..%d, want 14..17", c.From, c.To)
		}
	})

	for _, cell := range []string{
		"answer := 42",
		"type point struct{ x, y int }\n\n// norm is the squared length.\nfunc (p point) norm() int { return p.x*p.x + p.y*p.y }",
		"const limit = 10\n\nfunc double(n int) int { return 2 * n }",
	} {
		if res, err := k.Eval(ctx, "c", cell); err != nil {
			t.Fatalf("Eval(%q): %v (%q)", cell, err, res.Output)
		}
	}

	t.Run("earlier cells", func(t *testing.T) {
		c, err := k.Complete(ctx, "x := 1\nans", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Items) == 0 || c.Items[0].Label != "answer" || c.Items[0].Kind != "variable" || c.Items[0].Detail != "int" {
			t.Fatalf("completions %+v, want answer first", c.Items)
		}
		if c.From != 7 || c.To != 10 {
			t.Errorf("range %d..%d, want 7..10", c.From, c.To)
		}
		src := "p := point{3, 4}\np."
		c, err = k.Complete(ctx, src, utf16Len(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"x", "y", "norm"} {
			if find(c, want) == nil {
				t.Errorf("no %s among %q", want, labels(c))
			}
		}
		if it := find(c, "norm"); it != nil && (it.Kind != "method" || strings.Contains(it.Detail+it.Insert, "Ξ")) {
			t.Errorf("norm: %+v", it)
		}
		// The members of earlier cells' types, as the cell spells them.
		src = "p := point{3, 4}\nn := p.norm() + p.x\np.no"
		c, err = k.Complete(ctx, src, utf16Len(src))
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Items) == 0 || c.Items[0].Label != "norm" || c.From != utf16Len(src)-2 {
			t.Errorf("completing p.no: %+v from %d", c.Items, c.From)
		}
		h, err := k.Hover(ctx, src, strings.Index(src, "norm")+1)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h.Doc, "func (p point) norm() int") ||
			h.From != strings.Index(src, "norm") || h.To != strings.Index(src, "norm")+4 {
			t.Errorf("hover over norm: %+v", h)
		}
		h, err = k.Hover(ctx, src, strings.Index(src, "point"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h.Doc, "```go\ntype point struct {\n\tx, y int\n}") || strings.Contains(h.Doc, "json") {
			t.Errorf("hover over point: %q", h.Doc)
		}
		sig, err := k.Signature(ctx, "p := point{}\np.norm(", 20)
		if err != nil || sig.Label != "norm() int" {
			t.Errorf("signature of a method of an earlier cell's type: %+v, %v", sig, err)
		}
	})

	t.Run("hover", func(t *testing.T) {
		src := "double(answer) + limit"
		h, err := k.Hover(ctx, src, 9)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h.Doc, "var answer int") || h.From != 7 || h.To != 13 {
			t.Errorf("hover over answer: %+v", h)
		}
		h, err = k.Hover(ctx, "strings.ToUpper(\"x\")", 10)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(h.Doc, "func strings.ToUpper(s string) string") || !strings.Contains(h.Doc, "ToUpper returns s with all Unicode letters mapped to their upper case") {
			t.Errorf("hover over ToUpper: %+v", h)
		}
		h, err = k.Hover(ctx, "   ", 1)
		if err != nil || h.Doc != "" {
			t.Errorf("hover over blanks: %+v, %v", h, err)
		}
	})

	t.Run("signature", func(t *testing.T) {
		src := "strings.Repeat(\"é\", "
		sig, err := k.Signature(ctx, src, utf16Len(src))
		if err != nil {
			t.Fatal(err)
		}
		if sig.Label != "Repeat(s string, count int) string" || len(sig.Params) != 2 || sig.Params[1] != [2]int{17, 26} || sig.Active != 1 {
			t.Errorf("signature %+v", sig)
		}
		src = "double("
		sig, err = k.Signature(ctx, src, len(src))
		if err != nil || sig.Label != "double(n int) int" || sig.Active != 0 {
			t.Errorf("signature of an earlier cell's function: %+v, %v", sig, err)
		}
		h, err := k.Hover(ctx, "double(2)", 1)
		if err != nil || !strings.HasPrefix(h.Doc, "```go\nfunc double(n int) int") {
			t.Errorf("hover over an earlier cell's function: %q, %v", h.Doc, err)
		}
		sig, err = k.Signature(ctx, "x := 1", 3)
		if err != nil || sig.Label != "" || sig.Active != -1 {
			t.Errorf("outside a call: %+v, %v", sig, err)
		}
	})

	// A restarted kernel has a new scratch module, and no names.
	if err := k.Restart(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := k.Complete(ctx, "ans", 3)
	if err != nil {
		t.Fatal(err)
	}
	if find(c, "answer") != nil {
		t.Errorf("after a restart, answer is still offered")
	}
	k.Close()
	if _, err := k.Complete(ctx, "ans", 3); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

// TestAssistWithoutGopls checks that without gopls the Assistant's methods say so
// and cells still run.
func TestAssistWithoutGopls(t *testing.T) {
	a := &assistant{}
	if _, err := a.complete(context.Background(), "fmt.P", 5); !errors.Is(err, ErrNoGopls) {
		t.Errorf("complete without gopls: %v", err)
	}
	k := startKernel(t, Options{Gopls: filepath.Join(t.TempDir(), "gopls")})
	_, err := k.Hover(context.Background(), "fmt.Println", 5)
	if err == nil || !strings.Contains(err.Error(), "starting gopls") {
		t.Errorf("a gopls that does not exist: %v", err)
	}
	step{name: "still runs", src: "1 + 1", value: "2"}.run(t, k)
}

// BenchmarkComplete measures a warm completion over the gonx workspace: the view of
// a cell sent to gopls, completion at its end, the answer mapped back. gopls starts
// before the timer.
func BenchmarkComplete(b *testing.B) {
	root := filepath.Dir(filepath.Dir(mustGetwdB(b)))
	gopls := FindGopls(Options{GonxRoot: root})
	if gopls == "" {
		b.Skip("gopls is not installed (make setup installs it)")
	}
	k, err := Start(context.Background(), Options{GonxRoot: root, Gopls: gopls})
	if errors.Is(err, ErrUnsupported) {
		b.Skip(err)
	}
	if err != nil {
		b.Fatal(err)
	}
	defer k.Close()
	ctx := context.Background()
	if _, err := k.Eval(ctx, "c1", "answer := 42"); err != nil {
		b.Fatal(err)
	}
	src := "x := answer + 1\nfmt.Pri"
	start := time.Now()
	if _, err := k.Complete(ctx, src, len(src)); err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	for b.Loop() {
		c, err := k.Complete(ctx, src, len(src))
		if err != nil || len(c.Items) == 0 || c.Items[0].Label != "Print" && c.Items[0].Label != "Println" && c.Items[0].Label != "Printf" {
			b.Fatalf("%+v, %v", c.Items, err)
		}
	}
	b.ReportMetric(float64(first.Milliseconds()), "first-ms")
}

func mustGetwdB(b *testing.B) string {
	wd, err := os.Getwd()
	if err != nil {
		b.Fatal(err)
	}
	return wd
}
