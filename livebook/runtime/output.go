package runtime

import (
	"bytes"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/gonx-dev/gonx/livebook/runtime/kernel"
)

// output splits what a kernel prints into the output of each evaluation, at the
// markers the kernel writes after each request.
type output struct {
	prefix []byte                          // start of a marker
	stream func(cellID, text string)       // Options.Output
	rich   func(cellID string, out Output) // Options.Rich
	split  splitter                        // takes rich outputs out of the stream

	mu      sync.Mutex
	pending []byte // bytes not yet attributed (may hold the start of a marker)
	text    []byte // output of the current evaluation
	cell    string // cell of the current evaluation
	done    int64  // highest request whose marker was seen
	eof     bool
	changed chan struct{} // closed and replaced whenever done or eof changes
}

func newOutput(token string, stream func(cellID, text string), rich func(cellID string, out Output)) *output {
	return &output{
		prefix:  []byte(kernel.MarkerPrefix(token)),
		stream:  stream,
		rich:    rich,
		changed: make(chan struct{}),
	}
}

// begin starts collecting the output of the evaluation of cell.
func (o *output) begin(cell string) {
	o.mu.Lock()
	o.text = o.text[:0]
	o.cell = cell
	o.mu.Unlock()
}

// write takes bytes from the kernel's output pipe.
func (o *output) write(p []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.pending = append(o.pending, p...)
	for {
		i := bytes.Index(o.pending, o.prefix)
		if i < 0 {
			// Keep back what may be the start of a marker, or of a name that is
			// demangled once whole.
			keep := 0
			if j := bytes.LastIndexByte(o.pending, 0); j >= 0 && bytes.HasPrefix(o.prefix, o.pending[j:]) {
				keep = len(o.pending) - j
			} else {
				keep = partialName(o.pending)
			}
			o.emit(o.pending[:len(o.pending)-keep])
			o.pending = append(o.pending[:0], o.pending[len(o.pending)-keep:]...)
			return
		}
		end := bytes.IndexByte(o.pending[i+len(o.prefix):], 0)
		if end < 0 {
			o.emit(o.pending[:i])
			o.pending = append(o.pending[:0], o.pending[i:]...)
			return
		}
		o.emit(o.pending[:i])
		seq, _ := strconv.ParseInt(string(o.pending[i+len(o.prefix):i+len(o.prefix)+end]), 10, 64)
		o.pending = append(o.pending[:0], o.pending[i+len(o.prefix)+end+1:]...)
		if seq > o.done {
			o.done = seq
		}
		o.signal()
	}
}

// maxHeld bounds the bytes held back from streaming while they may be a name.
const maxHeld = 64

// partialName returns the length of the tail of p that may be the start of a mangled
// name (gonxcells/cell0001.Ξx): a run of name bytes, perhaps ending in an incomplete
// rune, shorter than maxHeld.
func partialName(p []byte) int {
	n := incompleteRune(p)
	i := len(p) - n
	for i > 0 {
		r, size := utf8.DecodeLastRune(p[:i])
		if !(r == 'Ξ' || r == '_' || r == '.' || r == '/' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			break
		}
		i -= size
		if len(p)-i >= maxHeld {
			return n
		}
	}
	return len(p) - i
}

// incompleteRune returns the length of an incomplete UTF-8 sequence ending p.
func incompleteRune(p []byte) int {
	for n := 1; n <= utf8.UTFMax && n <= len(p); n++ {
		if utf8.RuneStart(p[len(p)-n]) {
			if !utf8.FullRune(p[len(p)-n:]) {
				return n
			}
			return 0
		}
	}
	return 0
}

// emit attributes text to the current evaluation.
func (o *output) emit(p []byte) {
	if len(p) == 0 {
		return
	}
	o.text = append(o.text, p...)
	if o.stream != nil || o.rich != nil {
		o.split.write([]byte(kernel.Demangle(string(p))), o.deliver)
	}
}

// deliver passes a piece of the stream to the callbacks.
func (o *output) deliver(p piece) {
	switch {
	case p.out == nil && o.stream != nil:
		o.stream(o.cell, string(p.text))
	case p.out != nil && o.rich != nil:
		o.rich(o.cell, *p.out)
	}
}

// close records the end of the pipe.
func (o *output) close() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.emit(o.pending)
	o.pending = nil
	o.split.flush(o.deliver)
	o.eof = true
	o.signal()
}

func (o *output) signal() {
	close(o.changed)
	o.changed = make(chan struct{})
}

// wait returns a channel that is closed when the marker of request seq has been seen
// or the pipe has ended, or nil if that has already happened.
func (o *output) wait(seq int64) <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.done >= seq || o.eof {
		return nil
	}
	return o.changed
}

// take returns the output of the current evaluation, which has ended: the stream
// holds nothing back for it any more.
func (o *output) take() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.split.flush(o.deliver)
	return kernel.Demangle(string(o.text))
}
