package bench

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is one measurement: how long one run of a case took on one system.
type Result struct {
	Case   string        // what was measured, e.g. "f32 GEMM 512"
	System string        // who ran it, e.g. "nx" or "numpy 1.24"
	PerOp  time.Duration // time of one run
	Note   string        // anything a reader needs, e.g. "OPENBLAS_CORETYPE=SkylakeX"
}

// Table collects results and prints one row per case with one column per system,
// each cell the time and its ratio to the baseline system (ratios above 1 mean
// slower than the baseline).
type Table struct {
	Title    string
	Baseline string // the system the ratios are relative to
	results  []Result
}

// Add records a result.
func (t *Table) Add(r Result) { t.results = append(t.results, r) }

// Results returns the recorded results in the order they were added.
func (t *Table) Results() []Result { return append([]Result(nil), t.results...) }

// Ratio returns the time of system on c divided by the baseline's, and whether
// both were measured.
func (t *Table) Ratio(c, system string) (float64, bool) {
	base, ok1 := t.lookup(c, t.Baseline)
	other, ok2 := t.lookup(c, system)
	if !ok1 || !ok2 || base.PerOp <= 0 {
		return math.NaN(), false
	}
	return float64(other.PerOp) / float64(base.PerOp), true
}

func (t *Table) lookup(c, system string) (Result, bool) {
	for _, r := range t.results {
		if r.Case == c && r.System == system {
			return r, true
		}
	}
	return Result{}, false
}

// columns returns the cases and systems in first-seen order, baseline first.
func (t *Table) columns() (cases, systems []string) {
	seenC, seenS := map[string]bool{}, map[string]bool{}
	for _, r := range t.results {
		if !seenC[r.Case] {
			seenC[r.Case] = true
			cases = append(cases, r.Case)
		}
		if !seenS[r.System] {
			seenS[r.System] = true
			systems = append(systems, r.System)
		}
	}
	sort.SliceStable(systems, func(i, j int) bool { return systems[i] == t.Baseline && systems[j] != t.Baseline })
	return cases, systems
}

// Fprint writes the table to w in aligned columns.
func (t *Table) Fprint(w io.Writer) error {
	cases, systems := t.columns()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if t.Title != "" {
		fmt.Fprintf(tw, "%s (ratios: time / %s time)\n", t.Title, t.Baseline)
	}
	fmt.Fprintf(tw, "case\t%s\t\n", strings.Join(systems, "\t"))
	var notes []string
	for _, c := range cases {
		cells := make([]string, len(systems))
		for i, s := range systems {
			r, ok := t.lookup(c, s)
			if !ok {
				cells[i] = "-"
				continue
			}
			cells[i] = FormatDuration(r.PerOp)
			if s != t.Baseline {
				if ratio, ok := t.Ratio(c, s); ok {
					cells[i] += fmt.Sprintf(" (%.2f×)", ratio)
				}
			}
			if r.Note != "" {
				notes = append(notes, fmt.Sprintf("%s, %s: %s", c, s, r.Note))
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t\n", c, strings.Join(cells, "\t"))
	}
	for _, n := range notes {
		fmt.Fprintf(tw, "  note: %s\n", n)
	}
	return tw.Flush()
}

// FormatDuration prints d with three significant digits in a fitting unit.
func FormatDuration(d time.Duration) string {
	ns := float64(d)
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3gs", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3gms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3gµs", ns/1e3)
	}
	return fmt.Sprintf("%.3gns", ns)
}
