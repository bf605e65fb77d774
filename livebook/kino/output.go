package kino

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"strings"
	"sync"
)

// Output is one rich output in the form the notebook receives it.
type Output struct {
	// Type says what the output is, and how the notebook shows it: one of the Type
	// constants.
	Type string `json:"type"`
	// MIME is the media type of Text or Data.
	MIME string `json:"mime,omitempty"`
	// Text is the content of textual outputs: the text, the Markdown source, the
	// table or the chart as JSON.
	Text string `json:"text,omitempty"`
	// Data is the content of binary outputs (an image's encoded bytes); base64 in
	// JSON.
	Data []byte `json:"data,omitempty"`
	// ID identifies a frame: outputs of type TypeFrame with the same ID update one
	// place in the notebook.
	ID string `json:"id,omitempty"`
	// Outputs is a frame's content: it replaces what the frame showed, or, when Append
	// is set, follows it.
	Outputs []Output `json:"outputs,omitempty"`
	// Append marks a frame update that adds to the frame's content.
	Append bool `json:"append,omitempty"`
}

// Types of Output.
const (
	// TypeText: plain text in Text, shown as printed.
	TypeText = "text"
	// TypeMarkdown: Markdown source in Text (MIME text/markdown).
	TypeMarkdown = "markdown"
	// TypeTable: a table as JSON in Text (MIME application/json):
	// {"title": ..., "columns": [names], "rows": [[cells]], "total": rows before MaxRows
	// cut them}, cells being JSON numbers, strings, booleans or null; title and total
	// are left out when empty.
	TypeTable = "table"
	// TypeImage: an encoded image in Data, of media type MIME.
	TypeImage = "image"
	// TypeVegaLite: a Vega-Lite specification as JSON in Text (MIME
	// application/vnd.vegalite.v5+json).
	TypeVegaLite = "vega-lite"
	// TypeFrame: an update of the frame ID, whose content becomes Outputs (or
	// gets Outputs added, when Append is set).
	TypeFrame = "frame"
)

// Marker framing: see the package documentation.
const (
	// Prefix starts an Output's marker.
	Prefix = "\x1b_gonx-kino/1;"
	// Suffix ends an Output's marker.
	Suffix = "\x1b\\"
)

// String returns o's marker: Prefix, the base64 of o as JSON, Suffix. fmt's %v and %s
// print the same.
func (o Output) String() string {
	data, err := json.Marshal(o)
	if err != nil { // cannot happen: every field marshals
		panic(fmt.Sprintf("kino: encoding %s output: %v", o.Type, err))
	}
	var b strings.Builder
	b.Grow(len(Prefix) + base64.StdEncoding.EncodedLen(len(data)) + len(Suffix))
	b.WriteString(Prefix)
	b.WriteString(base64.StdEncoding.EncodeToString(data))
	b.WriteString(Suffix)
	return b.String()
}

// ErrMarker is returned by Parse for text that is not one well-formed marker.
var ErrMarker = errors.New("kino: not an output marker")

// Parse decodes the marker of one Output, as String writes it. Surrounding text, a
// trailing newline included, is an error.
func Parse(marker string) (Output, error) {
	payload, ok := strings.CutPrefix(marker, Prefix)
	if ok {
		payload, ok = strings.CutSuffix(payload, Suffix)
	}
	if !ok {
		return Output{}, ErrMarker
	}
	data, err := base64.StdEncoding.Strict().DecodeString(payload)
	if err != nil {
		return Output{}, fmt.Errorf("%w: %v", ErrMarker, err)
	}
	var o Output
	if err := json.Unmarshal(data, &o); err != nil {
		return Output{}, fmt.Errorf("%w: %v", ErrMarker, err)
	}
	if o.Type == "" {
		return Output{}, fmt.Errorf("%w: no type", ErrMarker)
	}
	return o, nil
}

// Markdown returns an output that shows text as Markdown.
func Markdown(text string) Output {
	return Output{Type: TypeMarkdown, MIME: "text/markdown", Text: text}
}

// Text returns an output that shows text as it is, as if printed; useful as a frame's
// content.
func Text(text string) Output {
	return Output{Type: TypeText, Text: text}
}

// out is where Render writes; os.Stdout when nil (tests replace it).
var (
	outMu sync.Mutex
	out   io.Writer
)

// write writes o's marker and a newline in one call.
func write(o Output) {
	outMu.Lock()
	defer outMu.Unlock()
	var w io.Writer = os.Stdout
	if out != nil {
		w = out
	}
	_, _ = io.WriteString(w, o.String()+"\n")
}

// Render shows x in the cell's output now, after what the cell printed so far. x is
// an Output, a *Frame or *Chart (placed here with its current content), an *Input (its
// control), an image.Image (shown
// as PNG), or anything else, shown as text as fmt's %v prints it.
func Render(x any) {
	write(toOutput(x))
}

// toOutput converts what Render and frames accept.
func toOutput(x any) Output {
	switch x := x.(type) {
	case Output:
		return x
	case *Output:
		if x != nil {
			return *x
		}
	case *Frame:
		if x != nil {
			return x.output()
		}
	case *Chart:
		if x != nil {
			return x.output()
		}
	case *Input:
		if x != nil {
			return x.output()
		}
	case image.Image:
		if x != nil {
			return Image(x)
		}
	case string:
		return Text(x)
	}
	return Text(fmt.Sprint(x))
}
