package scidata

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progressInterval is the least time between two redraws of a progress bar.
const progressInterval = 100 * time.Millisecond

// progressBar draws one download's progress on a line of a terminal. A nil
// *progressBar draws nothing.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	label string
	total int64 // bytes expected, or -1 if unknown
	done  int64 // bytes so far, including those resumed from a partial file
	base  int64 // bytes already present when this download started
	start time.Time
	last  time.Time
	width int // length of the last line drawn, to blank what a shorter one leaves
}

// newProgress returns a bar for label on w, or nil if w is nil.
func newProgress(w io.Writer, label string, total, done int64) *progressBar {
	if w == nil {
		return nil
	}
	now := time.Now()
	return &progressBar{w: w, label: label, total: total, done: done, base: done, start: now}
}

// Write counts len(b) more bytes and redraws when the last draw is old enough.
func (p *progressBar) Write(b []byte) (int, error) {
	if p == nil {
		return len(b), nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += int64(len(b))
	if now := time.Now(); now.Sub(p.last) >= progressInterval {
		p.last = now
		p.draw(now)
	}
	return len(b), nil
}

// finish draws the final state and ends the line.
func (p *progressBar) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(time.Now())
	fmt.Fprintln(p.w)
}

// draw writes the bar: label, percentage, bar, sizes and speed.
func (p *progressBar) draw(now time.Time) {
	const width = 30
	var b strings.Builder
	fmt.Fprintf(&b, "\r%-40s", p.label)
	if p.total > 0 {
		frac := min(float64(p.done)/float64(p.total), 1)
		filled := int(frac * width)
		fmt.Fprintf(&b, " %3.0f%% [%s%s] %s/%s", 100*frac,
			strings.Repeat("=", filled), strings.Repeat(" ", width-filled), byteSize(p.done), byteSize(p.total))
	} else {
		fmt.Fprintf(&b, " %s", byteSize(p.done))
	}
	if secs := now.Sub(p.start).Seconds(); secs > 0 {
		fmt.Fprintf(&b, " %s/s", byteSize(int64(float64(p.done-p.base)/secs)))
	}
	line := b.String()
	if pad := p.width - len(line); pad > 0 {
		line += strings.Repeat(" ", pad)
	}
	p.width = len(line)
	io.WriteString(p.w, line)
}

// byteSize formats n bytes with a binary unit.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// isTerminal reports whether f is a character device other than a dumb
// terminal: the test scidata uses to draw progress only where a person watches.
func isTerminal(f *os.File) bool {
	if f == nil || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
