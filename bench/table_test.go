package bench

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// lines prints t and returns its lines without trailing spaces.
func lines(t *testing.T, tb *Table) []string {
	t.Helper()
	var b strings.Builder
	if err := tb.Fprint(&b); err != nil {
		t.Fatal(err)
	}
	out := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for i, l := range out {
		out[i] = strings.TrimRight(l, " ")
	}
	return out
}

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
	want := []string{
		"GEMM (ratios: time / nx time)",
		"case     nx   gonum",
		"f32 256  1ms  3ms (3.00×)",
		"f32 512  8ms  -",
		"  note: nx (f32 512): 2 threads",
	}
	checkLines(t, lines(t, tb), want)
}

func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestTableRatesUnavailableAndNotes(t *testing.T) {
	tb := &Table{Title: "GEMM", Baseline: "nx", Systems: []string{"OpenBLAS", "OpenBLAS SkylakeX"}}
	const flops = 2e9 // 2 GFLOP per run
	// Peers first, Go systems last: the column order still follows Systems.
	for _, c := range []string{"f32 256", "f64 256"} {
		tb.Add(Result{Case: c, System: "gonum", PerOp: 400 * time.Millisecond, Flops: flops})
		tb.Add(Result{Case: c, System: "OpenBLAS SkylakeX", Unavailable: "signal: illegal instruction"})
		tb.Add(Result{Case: c, System: "OpenBLAS", PerOp: 100 * time.Millisecond, Flops: flops})
	}
	tb.Add(Result{Case: "f32 256", System: "nx", PerOp: 200 * time.Millisecond, Flops: flops})
	tb.Add(Result{Case: "f64 256", System: "nx", Unavailable: "no f64 kernel", Flops: flops})
	tb.Add(Result{Case: "f64 256", System: "gonum", PerOp: 500 * time.Millisecond, Flops: flops, Note: "slow run"})
	tb.AddNote("OpenBLAS: core %s", "Zen")

	if _, ok := tb.Ratio("f64 256", "gonum"); ok {
		t.Error("Ratio against an unavailable baseline reported ok")
	}
	if _, ok := tb.Ratio("f32 256", "OpenBLAS SkylakeX"); ok {
		t.Error("Ratio of an unavailable cell reported ok")
	}
	want := []string{
		"GEMM (ratios: time / nx time)",
		"case     nx             OpenBLAS               OpenBLAS SkylakeX  gonum",
		"f32 256  200ms 10 GF/s  100ms 20 GF/s (0.50×)  n/a                400ms 5 GF/s (2.00×)",
		"f64 256  n/a            100ms 20 GF/s          n/a                500ms 4 GF/s",
		"  note: OpenBLAS SkylakeX (all cases): n/a: signal: illegal instruction",
		"  note: nx (f64 256): n/a: no f64 kernel",
		"  note: gonum (f64 256): slow run",
		"  note: OpenBLAS: core Zen",
	}
	checkLines(t, lines(t, tb), want)
	if n := len(tb.Results()); n != 8 {
		t.Errorf("Results() has %d results, want 8 (Add replaces a case's result)", n)
	}
}

func TestGFLOPS(t *testing.T) {
	for _, c := range []struct {
		r    Result
		want float64
	}{
		{Result{PerOp: time.Second, Flops: 3e9}, 3},
		{Result{PerOp: time.Millisecond, Flops: 1e6}, 1},
		{Result{PerOp: time.Second}, 0},
		{Result{Flops: 1e9}, 0},
		{Result{PerOp: time.Second, Flops: 1e9, Unavailable: "x"}, 0},
	} {
		if got := c.r.GFLOPS(); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%+v.GFLOPS() = %v, want %v", c.r, got, c.want)
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

func TestFormatGFLOPS(t *testing.T) {
	for _, c := range []struct {
		g    float64
		want string
	}{
		{0.5, "0.5 GF/s"},
		{5.614, "5.61 GF/s"},
		{27.06, "27.1 GF/s"},
		{156.4, "156 GF/s"},
		{1234.5, "1234 GF/s"},
	} {
		if got := FormatGFLOPS(c.g); got != c.want {
			t.Errorf("FormatGFLOPS(%v) = %q, want %q", c.g, got, c.want)
		}
	}
}

func ExampleTable() {
	t := &Table{Title: "f32 GEMM", Baseline: "nx"}
	t.Add(Result{Case: "512", System: "nx", PerOp: 20 * time.Millisecond, Flops: 2 * 512 * 512 * 512})
	t.Add(Result{Case: "512", System: "OpenBLAS", PerOp: 5 * time.Millisecond, Flops: 2 * 512 * 512 * 512})
	t.Add(Result{Case: "512", System: "gonum", Unavailable: "not installed"})
	var b strings.Builder
	_ = t.Fprint(&b)
	for l := range strings.Lines(b.String()) {
		fmt.Println(strings.TrimRight(l, " \n"))
	}
	// Output:
	// f32 GEMM (ratios: time / nx time)
	// case  nx              OpenBLAS               gonum
	// 512   20ms 13.4 GF/s  5ms 53.7 GF/s (0.25×)  n/a
	//   note: gonum (512): n/a: not installed
}

func TestTableSamplesAndExtraColumns(t *testing.T) {
	tb := &Table{Title: "training", Baseline: "nx", Extra: []Column{{Head: "goal", Cell: func(t *Table, c string) string {
		r, _ := t.Lookup(c, "torch")
		return fmt.Sprintf("torch %.0f/s", r.SamplesPerSec())
	}}}}
	tb.Add(Result{Case: "mlp", System: "nx", PerOp: 4 * time.Millisecond, Samples: 128})
	tb.Add(Result{Case: "mlp", System: "torch", PerOp: 2 * time.Millisecond, Samples: 128})
	tb.Add(Result{Case: "cnn", System: "nx", PerOp: time.Second, Samples: 128})
	tb.Add(Result{Case: "cnn", System: "torch", Samples: 128, Unavailable: "died"})
	want := []string{
		"training (ratios: time / nx time)",
		"case  nx                       torch                            goal",
		"mlp   4ms 32k samples/s        2ms 64k samples/s (0.50×)        torch 64000/s",
		"cnn   1s 128 samples/s         n/a                              torch 0/s",
		"  note: torch (cnn): n/a: died",
	}
	got := lines(t, tb)
	if len(got) == len(want) {
		// Column widths come from tabwriter; compare the fields.
		for i := range got {
			got[i], want[i] = strings.Join(strings.Fields(got[i]), " "), strings.Join(strings.Fields(want[i]), " ")
		}
	}
	checkLines(t, got, want)
	if n := (Result{PerOp: time.Second, Samples: 10, Unavailable: "x"}).SamplesPerSec(); n != 0 {
		t.Errorf("SamplesPerSec of an unavailable result = %v", n)
	}
}

func TestFormatSamples(t *testing.T) {
	for n, want := range map[float64]string{141.2: "141 samples/s", 40250: "40.2k samples/s", 1000: "1k samples/s"} {
		if got := FormatSamples(n); got != want {
			t.Errorf("FormatSamples(%v) = %q, want %q", n, got, want)
		}
	}
}

func ExampleColumn() {
	t := &Table{Title: "training step", Baseline: "nx", Extra: []Column{{
		Head: "nx ÷ torch",
		Cell: func(t *Table, c string) string {
			a, _ := t.Lookup(c, "nx")
			b, _ := t.Lookup(c, "torch")
			return fmt.Sprintf("%.2f×", a.SamplesPerSec()/b.SamplesPerSec())
		},
	}}}
	t.Add(Result{Case: "mlp", System: "nx", PerOp: 4 * time.Millisecond, Samples: 128})
	t.Add(Result{Case: "mlp", System: "torch", PerOp: 2 * time.Millisecond, Samples: 128})
	var b strings.Builder
	_ = t.Fprint(&b)
	for l := range strings.Lines(b.String()) {
		fmt.Println(strings.TrimRight(l, " \n"))
	}
	// Output:
	// training step (ratios: time / nx time)
	// case  nx                 torch                      nx ÷ torch
	// mlp   4ms 32k samples/s  2ms 64k samples/s (0.50×)  0.50×
}

func ExampleFormatSamples() {
	fmt.Println(FormatSamples(141.2), FormatSamples(40250))
	// Output: 141 samples/s 40.2k samples/s
}
