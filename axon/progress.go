package axon

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// progress draws a loop's progress: a bar redrawn in place on a terminal, one
// line per epoch on anything else, nothing when w is nil.
type progress struct {
	w        io.Writer
	terminal bool
	kind     string
	epoch    int
	epochs   int
	total    int
	last     time.Time
}

// newProgress returns the progress writer for a loop: w when the Progress
// option was given, else standard error when it is a terminal.
func newProgress(w io.Writer, set bool, kind string) *progress {
	if !set {
		if isTerminal(os.Stderr) {
			w = os.Stderr
		} else {
			w = nil
		}
	}
	return &progress{w: w, terminal: isTerminal(w), kind: kind}
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) start(epoch, epochs, total int) {
	p.epoch, p.epochs, p.total, p.last = epoch, epochs, total, time.Time{}
}

// update redraws the bar, at most ten times a second.
func (p *progress) update(s *LoopState) {
	if p.w == nil || !p.terminal {
		return
	}
	if now := time.Now(); now.Sub(p.last) < 100*time.Millisecond && (p.total == 0 || s.Iteration < p.total) {
		return
	} else {
		p.last = now
	}
	fmt.Fprintf(p.w, "\r%s%s %s\x1b[K", p.title(), p.bar(s.Iteration), formatMetrics(s))
}

// finish ends the epoch's line.
func (p *progress) finish(s *LoopState, elapsed time.Duration) {
	if p.w == nil {
		return
	}
	rate := 0.0
	if elapsed > 0 {
		rate = float64(s.Samples) / elapsed.Seconds()
	}
	line := fmt.Sprintf("%s%d batches in %.1fs (%.0f samples/s) %s", p.title(), s.Iteration, elapsed.Seconds(), rate, formatMetrics(s))
	if p.terminal {
		fmt.Fprintf(p.w, "\r%s\x1b[K\n", line)
	} else {
		fmt.Fprintln(p.w, line)
	}
}

func (p *progress) title() string {
	if p.kind == "eval" {
		return "Eval: "
	}
	return fmt.Sprintf("Epoch %d/%d: ", p.epoch+1, p.epochs)
}

// bar draws a 30-cell bar for done of p.total batches, or a count when the
// total is unknown.
func (p *progress) bar(done int) string {
	if p.total <= 0 {
		return fmt.Sprintf("%d batches", done)
	}
	const width = 30
	n := min(width, done*width/p.total)
	return fmt.Sprintf("▕%s%s▏ %d/%d", strings.Repeat("█", n), strings.Repeat("░", width-n), done, p.total)
}

// formatMetrics lists the metrics, loss first, then the others sorted.
func formatMetrics(s *LoopState) string {
	var b strings.Builder
	if v, ok := s.Metrics["loss"]; ok {
		fmt.Fprintf(&b, "loss %.4f", v)
	}
	for _, k := range sortedKeys(s.Metrics) {
		if k == "loss" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("  ")
		}
		fmt.Fprintf(&b, "%s %.4f", k, s.Metrics[k])
	}
	return b.String()
}
