package kino

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"reflect"
	"strings"
	"testing"
)

// goldenMarker is the marker of Markdown("# Hi"). The runtime's marker parser is
// tested against the same bytes (livebook/runtime/rich_test.go): the two must agree,
// and neither imports the other.
const goldenMarker = "\x1b_gonx-kino/1;eyJ0eXBlIjoibWFya2Rvd24iLCJtaW1lIjoidGV4dC9tYXJrZG93biIsInRleHQiOiIjIEhpIn0=\x1b\\"

func TestMarkerGolden(t *testing.T) {
	if Prefix != "\x1b_gonx-kino/1;" || Suffix != "\x1b\\" {
		t.Fatalf("marker framing changed: %q %q; change the runtime's parser with it", Prefix, Suffix)
	}
	if got := Markdown("# Hi").String(); got != goldenMarker {
		t.Errorf("marker %q, want %q", got, goldenMarker)
	}
}

// captureRender redirects what Render writes for the length of a test.
func captureRender(t *testing.T) *bytes.Buffer {
	t.Helper()
	var b bytes.Buffer
	outMu.Lock()
	out = &b
	outMu.Unlock()
	t.Cleanup(func() {
		outMu.Lock()
		out = nil
		outMu.Unlock()
	})
	return &b
}

// TestMarkerRoundTrip checks that every kind of output parses back to itself.
func TestMarkerRoundTrip(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 2, 1))
	img.SetGray(1, 0, color.Gray{Y: 200})
	outs := []Output{
		Markdown("# Title\n\n*emphasis* <b>raw</b> \x1b\\ ESC inside"),
		Text("plain\ttext\n"),
		Text(""),
		Table([]struct{ A int }{{1}, {2}}),
		Image(img),
		ImageData([]byte{0, 1, 2, 0x1b, '\\'}, "image/jpeg"),
		VegaLite(`{"mark":"line"}`, nil),
		{Type: TypeFrame, ID: "f1", Outputs: []Output{Text("a"), Markdown("b")}, Append: true},
		{Type: "custom", MIME: "application/x-whatever", Text: "Ξ ünïcode ✓", Data: []byte{}},
	}
	for _, o := range outs {
		m := o.String()
		if !strings.HasPrefix(m, Prefix) || !strings.HasSuffix(m, Suffix) || strings.ContainsAny(m[len(Prefix):len(m)-len(Suffix)], "\x1b\n") {
			t.Errorf("%s: malformed marker %q", o.Type, m)
		}
		got, err := Parse(m)
		if err != nil {
			t.Errorf("%s: Parse: %v", o.Type, err)
			continue
		}
		if len(o.Data) == 0 {
			o.Data = nil // empty data is left out
		}
		if !reflect.DeepEqual(got, o) {
			t.Errorf("%s: round trip gave %+v, want %+v", o.Type, got, o)
		}
	}
}

// TestPrint checks that fmt prints outputs, and pointers to them, as their markers.
func TestPrint(t *testing.T) {
	o := Markdown("# Hi")
	for _, got := range []string{fmt.Sprint(o), fmt.Sprintf("%v", &o), fmt.Sprintf("%+v", o)} {
		if got != goldenMarker {
			t.Errorf("printed %q, want the marker", got)
		}
	}
	if got := fmt.Sprintf("%s|%s", o, &o); got != goldenMarker+"|"+goldenMarker {
		t.Errorf("%%s printed %q, want the marker", got)
	}
	if got, want := fmt.Sprint([]Output{o, o}), "["+goldenMarker+" "+goldenMarker+"]"; got != want {
		t.Errorf("slice printed %q, want %q", got, want)
	}
}

func TestParseRejects(t *testing.T) {
	body := goldenMarker[len(Prefix) : len(goldenMarker)-len(Suffix)]
	for _, s := range []string{
		"",
		"# Hi",
		goldenMarker + "\n",
		" " + goldenMarker,
		Prefix + body,                        // no suffix
		body + Suffix,                        // no prefix
		Prefix + body[:len(body)-1] + Suffix, // bad base64 padding
		Prefix + "!!!!" + Suffix,
		Prefix + "bnVsbA==" + Suffix,         // null
		Prefix + "e30=" + Suffix,             // {}: no type
		Prefix + "WzFd" + Suffix,             // [1]
		Prefix + "eyJ0eXBlIjoxfQ==" + Suffix, // {"type":1}
		"\x1b_gonx-kino/2;" + body + Suffix,
	} {
		if o, err := Parse(s); !errors.Is(err, ErrMarker) {
			t.Errorf("Parse(%q) = %+v, %v; want ErrMarker", s, o, err)
		}
	}
}

func TestRender(t *testing.T) {
	b := captureRender(t)
	img := image.NewGray(image.Rect(0, 0, 1, 1))
	f := NewFrame()
	Render(Markdown("# Hi"))
	Render(&Output{Type: TypeText, Text: "ptr"})
	Render(42)
	Render("str")
	Render(errors.New("oops"))
	Render(img)
	Render(f)
	want := []Output{Markdown("# Hi"), Text("ptr"), Text("42"), Text("str"), Text("oops"), Image(img), {Type: TypeFrame, ID: f.ID()}}
	lines := strings.SplitAfter(b.String(), "\n")
	if lines[len(lines)-1] != "" {
		t.Fatalf("output does not end with a newline: %q", b.String())
	}
	lines = lines[:len(lines)-1]
	if len(lines) != len(want) {
		t.Fatalf("Render wrote %d lines, want %d: %q", len(lines), len(want), b.String())
	}
	for i, line := range lines {
		got, err := Parse(strings.TrimSuffix(line, "\n"))
		if err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("line %d: %+v, want %+v", i, got, want[i])
		}
	}
}

// FuzzParse checks that whatever Parse accepts encodes to a marker that parses back to
// the same output.
func FuzzParse(f *testing.F) {
	f.Add(goldenMarker)
	f.Add(Prefix + "e30=" + Suffix)
	f.Add(Output{Type: TypeFrame, ID: "x", Outputs: []Output{Text("a")}}.String())
	f.Fuzz(func(t *testing.T, s string) {
		o, err := Parse(s)
		if err != nil {
			return
		}
		again, err := Parse(o.String())
		if err != nil {
			t.Fatalf("Parse(%q) = %+v, whose marker does not parse: %v", s, o, err)
		}
		if !reflect.DeepEqual(norm(again), norm(o)) {
			t.Fatalf("round trip of %+v gave %+v", o, again)
		}
	})
}

// norm makes empty slices nil, as JSON leaves them out.
func norm(o Output) Output {
	if len(o.Data) == 0 {
		o.Data = nil
	}
	if len(o.Outputs) == 0 {
		o.Outputs = nil
	}
	for i := range o.Outputs {
		o.Outputs[i] = norm(o.Outputs[i])
	}
	return o
}
