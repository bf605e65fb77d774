package runtime

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
)

// Output is one output of a cell: text it printed, or a rich output it rendered with
// package livebook/kino (Markdown, a table, an image, a Vega-Lite chart, a frame),
// decoded from the marker kino prints. It has the fields of kino.Output.
type Output struct {
	// Type is "text" for printed text, or the kino output's type: "markdown",
	// "table", "image", "vega-lite", "frame", ...
	Type string `json:"type"`
	// MIME is the media type of Text or Data.
	MIME string `json:"mime,omitempty"`
	// Text is the content of textual outputs (JSON for tables and charts).
	Text string `json:"text,omitempty"`
	// Data is the content of binary outputs (an image's encoded bytes).
	Data []byte `json:"data,omitempty"`
	// ID identifies the frame a "frame" output updates.
	ID string `json:"id,omitempty"`
	// Outputs is a frame's content: it replaces the frame's, or, when Append is set,
	// follows it.
	Outputs []Output `json:"outputs,omitempty"`
	// Append marks a frame update that adds to the frame's content.
	Append bool `json:"append,omitempty"`
}

// The framing of package kino's markers (kino.Prefix, kino.Suffix):
//
//	ESC "_gonx-kino/1;" base64(JSON of the output) ESC "\"
//
// The runtime decodes them itself instead of importing kino: an embedded evaluator
// loads cells into this process, and a plugin may not link a package that the process
// links from other sources, so the host links nothing that cells link.
const (
	richPrefix = "\x1b_gonx-kino/1;"
	richSuffix = "\x1b\\"
	// maxRich bounds the payload of a marker held back while it arrives; a longer
	// one is taken as text.
	maxRich = 64 << 20
)

// piece is a part of what a cell printed: text, or a rich output when out is set.
type piece struct {
	text []byte
	out  *Output
}

// splitter takes kino's markers out of text that arrives in chunks. A marker is taken
// with the newline right after it; a malformed one stays text.
type splitter struct {
	held        []byte // the start of what may be a marker
	checked     int    // how much of held may start a marker
	afterMarker bool   // the last byte seen ended a marker
}

// write splits p, with what was held back before it, into pieces passed to emit in
// order, holding back what may be the start of a marker. The text given to emit is
// only valid during the call.
func (s *splitter) write(p []byte, emit func(piece)) {
	buf := p
	if len(s.held) > 0 {
		s.held = append(s.held, p...)
		buf = s.held
	}
	text := 0 // start of the text not yet emitted
	flush := func(end int) {
		if end > text {
			emit(piece{text: buf[text:end]})
		}
	}
	i := 0
	for {
		if s.afterMarker && i < len(buf) {
			s.afterMarker = false
			if buf[i] == '\n' {
				i++
				text = i
			}
		}
		j := bytes.IndexByte(buf[i:], richPrefix[0])
		if j < 0 {
			flush(len(buf))
			s.held, s.checked = s.held[:0], 0
			return
		}
		checked := 0
		if j == 0 && i == 0 {
			checked = s.checked // the marker held back
		}
		i += j
		n, out, checked := scanMarker(buf[i:], checked)
		switch {
		case n == 0: // not a marker: the escape is text
			i++
		case n < 0: // may be one: hold it back
			flush(i)
			s.held = append(s.held[:0], buf[i:]...)
			s.checked = checked
			return
		case out == nil: // a malformed marker: text
			i += n
		default:
			flush(i)
			emit(piece{out: out})
			i += n
			text = i
			s.afterMarker = true
		}
	}
}

// flush passes on what is held back, as text: the stream has ended.
func (s *splitter) flush(emit func(piece)) {
	if len(s.held) > 0 {
		emit(piece{text: s.held})
	}
	s.held = s.held[:0]
	s.checked = 0
	s.afterMarker = false
}

// scanMarker looks at b, which starts with an escape, for a marker, knowing that its
// first checked bytes may start one. It returns the marker's length and the output it
// holds (nil if malformed), 0 if b does not start with a marker, or -1 if b may be the
// start of one; then checked is how much of b may.
func scanMarker(b []byte, checked int) (n int, out *Output, newChecked int) {
	if len(b) < len(richPrefix) {
		if strings.HasPrefix(richPrefix, string(b)) {
			return -1, nil, 0
		}
		return 0, nil, 0
	}
	if string(b[:len(richPrefix)]) != richPrefix {
		return 0, nil, 0
	}
	k := max(checked, len(richPrefix))
	for k < len(b) && isBase64(b[k]) {
		k++
	}
	switch {
	case k-len(richPrefix) > maxRich:
		return 0, nil, 0
	case k == len(b):
		return -1, nil, k
	case b[k] != richSuffix[0]:
		return 0, nil, 0
	case k+1 == len(b):
		return -1, nil, k
	case b[k+1] != richSuffix[1]:
		return 0, nil, 0
	}
	return k + 2, decodeRich(b[len(richPrefix):k]), 0
}

// isBase64 reports whether c is in the standard base64 alphabet or padding.
func isBase64(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '='
}

// decodeRich decodes a marker's payload, or returns nil.
func decodeRich(payload []byte) *Output {
	data := make([]byte, base64.StdEncoding.DecodedLen(len(payload)))
	n, err := base64.StdEncoding.Strict().Decode(data, payload)
	if err != nil {
		return nil
	}
	var o Output
	if json.Unmarshal(data[:n], &o) != nil || o.Type == "" {
		return nil
	}
	return &o
}

// splitOutput takes the rich outputs out of all of what a cell printed (or of the
// value it ended with). It returns the text, and the text and rich outputs in order;
// the updates of a frame are applied to the frame where it first appears.
func splitOutput(s string) (string, []Output) {
	if !strings.Contains(s, richPrefix) {
		if s == "" {
			return "", nil
		}
		return s, []Output{{Type: "text", Text: s}}
	}
	var (
		plain   strings.Builder
		outs    []Output
		sp      splitter
		printed = -1               // index in outs of the last printed text
		frame   = map[string]int{} // index in outs of each frame
	)
	emit := func(p piece) {
		switch {
		case p.out == nil:
			plain.Write(p.text)
			if printed >= 0 && printed == len(outs)-1 {
				outs[printed].Text += string(p.text)
			} else {
				printed = len(outs)
				outs = append(outs, Output{Type: "text", Text: string(p.text)})
			}
		case p.out.Type == "frame" && p.out.ID != "":
			i, ok := frame[p.out.ID]
			if !ok {
				frame[p.out.ID] = len(outs)
				outs = append(outs, *p.out)
				return
			}
			f := &outs[i]
			if p.out.Append {
				f.Outputs = append(slices.Clip(f.Outputs), p.out.Outputs...)
			} else {
				f.Outputs, f.Append = p.out.Outputs, false
			}
		default:
			outs = append(outs, *p.out)
		}
	}
	sp.write([]byte(s), emit)
	sp.flush(emit)
	return plain.String(), outs
}

// splitRich takes the rich outputs out of r.Output and r.Value into r.Outputs and
// r.ValueOutputs.
func (r *Result) splitRich() {
	r.Output, r.Outputs = splitOutput(r.Output)
	if r.HasValue {
		r.Value, r.ValueOutputs = splitOutput(r.Value)
	}
}
