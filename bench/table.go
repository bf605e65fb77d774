package bench

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is one measurement: how long one run of a case took on one system, or
// why that system could not run it.
type Result struct {
	Case   string        // what was measured, e.g. "f32 512"
	System string        // who ran it, e.g. "nx" or "numpy"
	PerOp  time.Duration // time of one run
	Flops  float64       // floating-point operations in one run; when > 0 the cell shows GFLOP/s
	// Samples is the number of examples one run processes; when > 0 the cell
	// shows samples per second.
	Samples float64
	Note    string // anything a reader needs, e.g. "2 threads"
	// Unavailable, when not empty, says why the system has no time for the case
	// (the cell shows "n/a" and the reason is printed under the table).
	Unavailable string
}

// GFLOPS returns the rate of r in billions of floating-point operations per
// second, or 0 when r has no operation count or no time.
func (r Result) GFLOPS() float64 {
	if r.Flops <= 0 || r.PerOp <= 0 || r.Unavailable != "" {
		return 0
	}
	return r.Flops / r.PerOp.Seconds() / 1e9
}

// SamplesPerSec returns the throughput of r in examples per second, or 0 when
// r has no sample count or no time.
func (r Result) SamplesPerSec() float64 {
	if r.Samples <= 0 || r.PerOp <= 0 || r.Unavailable != "" {
		return 0
	}
	return r.Samples / r.PerOp.Seconds()
}

// Column is a column a table prints after its systems' columns, computed from
// the results of one case (for example a ratio between two systems, or a goal).
type Column struct {
	Head string
	Cell func(t *Table, c string) string
}

// Table collects results and prints one row per case with one column per system,
// each cell the time (and the rate, for results with an operation count) and its
// ratio to the baseline system's time: ratios above 1 mean slower than the
// baseline, below 1 faster.
type Table struct {
	Title    string
	Baseline string   // the system the ratios are relative to; its column comes first
	Systems  []string // column order after the baseline; unlisted systems follow in first-seen order
	Notes    []string // lines printed under the table, after the results' notes
	Extra    []Column // columns after the systems' columns
	results  []Result
}

// Add records a result. A second result for the same case and system replaces
// the first.
func (t *Table) Add(r Result) {
	for i, old := range t.results {
		if old.Case == r.Case && old.System == r.System {
			t.results[i] = r
			return
		}
	}
	t.results = append(t.results, r)
}

// AddNote appends a line to the notes printed under the table.
func (t *Table) AddNote(format string, args ...any) {
	t.Notes = append(t.Notes, fmt.Sprintf(format, args...))
}

// Results returns the recorded results in the order they were added.
func (t *Table) Results() []Result { return slices.Clone(t.results) }

// Ratio returns the time of system on c divided by the baseline's, and whether
// both were measured.
func (t *Table) Ratio(c, system string) (float64, bool) {
	base, ok1 := t.lookup(c, t.Baseline)
	other, ok2 := t.lookup(c, system)
	if !ok1 || !ok2 || base.PerOp <= 0 || base.Unavailable != "" || other.Unavailable != "" {
		return math.NaN(), false
	}
	return float64(other.PerOp) / float64(base.PerOp), true
}

// Lookup returns the result of system on case c.
func (t *Table) Lookup(c, system string) (Result, bool) { return t.lookup(c, system) }

func (t *Table) lookup(c, system string) (Result, bool) {
	for _, r := range t.results {
		if r.Case == c && r.System == system {
			return r, true
		}
	}
	return Result{}, false
}

// columns returns the cases in first-seen order and the systems measured:
// the baseline, then those of t.Systems, then the others in first-seen order.
func (t *Table) columns() (cases, systems []string) {
	var seen []string
	for _, r := range t.results {
		if !slices.Contains(cases, r.Case) {
			cases = append(cases, r.Case)
		}
		if !slices.Contains(seen, r.System) {
			seen = append(seen, r.System)
		}
	}
	for _, s := range append(append([]string{t.Baseline}, t.Systems...), seen...) {
		if slices.Contains(seen, s) && !slices.Contains(systems, s) {
			systems = append(systems, s)
		}
	}
	return cases, systems
}

// cell formats one result: time, rate and ratio to the baseline.
func (t *Table) cell(r Result) string {
	if r.Unavailable != "" {
		return "n/a"
	}
	s := FormatDuration(r.PerOp)
	if g := r.GFLOPS(); g > 0 {
		s += " " + FormatGFLOPS(g)
	}
	if n := r.SamplesPerSec(); n > 0 {
		s += " " + FormatSamples(n)
	}
	if r.System != t.Baseline {
		if ratio, ok := t.Ratio(r.Case, r.System); ok {
			s += fmt.Sprintf(" (%.2f×)", ratio)
		}
	}
	return s
}

// Fprint writes the table to w in aligned columns, then its notes: the results'
// notes and reasons for n/a cells (one line per system and text, naming the
// cases it applies to), then the table's own Notes.
func (t *Table) Fprint(w io.Writer) error {
	cases, systems := t.columns()
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if t.Title != "" {
		fmt.Fprintf(tw, "%s (ratios: time / %s time)\n", t.Title, t.Baseline)
	}
	heads := slices.Clone(systems)
	for _, col := range t.Extra {
		heads = append(heads, col.Head)
	}
	fmt.Fprintf(tw, "case\t%s\t\n", strings.Join(heads, "\t"))
	type noteKey struct{ system, text string }
	var keys []noteKey
	noteCases := map[noteKey][]string{}
	note := func(system, text, c string) {
		k := noteKey{system, text}
		if _, ok := noteCases[k]; !ok {
			keys = append(keys, k)
		}
		noteCases[k] = append(noteCases[k], c)
	}
	for _, c := range cases {
		cells := make([]string, len(systems))
		for i, s := range systems {
			r, ok := t.lookup(c, s)
			if !ok {
				cells[i] = "-"
				continue
			}
			cells[i] = t.cell(r)
			if r.Unavailable != "" {
				note(s, "n/a: "+r.Unavailable, c)
			}
			if r.Note != "" {
				note(s, r.Note, c)
			}
		}
		for _, col := range t.Extra {
			cells = append(cells, col.Cell(t, c))
		}
		fmt.Fprintf(tw, "%s\t%s\t\n", c, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	var b strings.Builder
	for _, k := range keys {
		which := strings.Join(noteCases[k], ", ")
		if len(cases) > 1 && len(noteCases[k]) == len(cases) {
			which = "all cases"
		}
		fmt.Fprintf(&b, "  note: %s (%s): %s\n", k.system, which, k.text)
	}
	for _, n := range t.Notes {
		fmt.Fprintf(&b, "  note: %s\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
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

// FormatGFLOPS prints a rate in GFLOP/s with three significant digits (no
// exponent below 1000).
func FormatGFLOPS(g float64) string {
	if g >= 100 {
		return fmt.Sprintf("%.0f GF/s", g)
	}
	return fmt.Sprintf("%.3g GF/s", g)
}

// FormatSamples prints a throughput in examples per second with three
// significant digits.
func FormatSamples(n float64) string {
	if n >= 1000 {
		return fmt.Sprintf("%.3gk samples/s", n/1000)
	}
	return fmt.Sprintf("%.3g samples/s", n)
}
