package bench

import (
	"strings"
	"testing"
	"time"
)

func TestTableRatiosAndLayout(t *testing.T) {
	tb := &Table{Title: "GEMM", Baseline: "nx"}
	tb.Add(Result{Case: "f32 256", System: "gonum", PerOp: 3 * time.Millisecond})
	tb.Add(Result{Case: "f32 256", System: "nx", PerOp: time.Millisecond})
	tb.Add(Result{Case: "f32 512", System: "nx", PerOp: 8 * time.Millisecond, Note: "2 threads"})

	if r, ok := tb.Ratio("f32 256", "gonum"); !ok || r != 3 {
		t.Errorf("Ratio(f32 256, gonum) = %v, %v; want 3, true", r, ok)
	}
	if _, ok := tb.Ratio("f32 512", "gonum"); ok {
		t.Error("Ratio of an unmeasured cell reported ok")
	}
	var b strings.Builder
	if err := tb.Fprint(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	want := []string{
		"GEMM (ratios: time / nx time)",
		"case     nx   gonum",
		"f32 256  1ms  3ms (3.00×)",
		"f32 512  8ms  -",
		"  note: f32 512, nx: 2 threads",
	}
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(want), out)
	}
	for i := range want {
		if strings.TrimRight(lines[i], " ") != want[i] {
			t.Errorf("line %d = %q, want %q", i, strings.TrimRight(lines[i], " "), want[i])
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{1500 * time.Millisecond, "1.5s"},
		{2500 * time.Microsecond, "2.5ms"},
		{12345 * time.Nanosecond, "12.3µs"},
		{999, "999ns"},
	} {
		if got := FormatDuration(c.d); got != c.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
