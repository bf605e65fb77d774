package runtime

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/gonx-dev/gonx/livebook/runtime/kernel"
)

// goldenMarker is kino.Markdown("# Hi").String(), as package kino's tests check: the
// runtime does not import kino, so the two agree through these bytes.
const goldenMarker = "\x1b_gonx-kino/1;eyJ0eXBlIjoibWFya2Rvd24iLCJtaW1lIjoidGV4dC9tYXJrZG93biIsInRleHQiOiIjIEhpIn0=\x1b\\"

var goldenOutput = Output{Type: "markdown", MIME: "text/markdown", Text: "# Hi"}

// marker encodes o as package kino does.
func marker(o Output) string {
	data, err := json.Marshal(o)
	if err != nil {
		panic(err)
	}
	return richPrefix + base64.StdEncoding.EncodeToString(data) + richSuffix
}

func text(s string) Output { return Output{Type: "text", Text: s} }

func frame(id string, appendTo bool, outs ...Output) Output {
	return Output{Type: "frame", ID: id, Outputs: outs, Append: appendTo}
}

func TestMarkerGolden(t *testing.T) {
	if got := marker(goldenOutput); got != goldenMarker {
		t.Errorf("marker %q, want kino's %q", got, goldenMarker)
	}
}

func TestSplitOutput(t *testing.T) {
	img := Output{Type: "image", MIME: "image/png", Data: []byte{0x89, 'P', 'N', 'G', 0x1b, '\\', '\n'}}
	bad := func(payload string) string { return richPrefix + payload + richSuffix }
	for _, tc := range []struct {
		name, in string
		plain    string
		outs     []Output
	}{{
		name: "empty",
	}, {
		name: "text", in: "héllo\n", plain: "héllo\n", outs: []Output{text("héllo\n")},
	}, {
		name: "terminal colors stay text", in: "\x1b[31mred\x1b[0m \x1b_other\x1b\\\n", plain: "\x1b[31mred\x1b[0m \x1b_other\x1b\\\n",
		outs: []Output{text("\x1b[31mred\x1b[0m \x1b_other\x1b\\\n")},
	}, {
		name: "rendered between text", in: "before\n" + goldenMarker + "\nafter\n", plain: "before\nafter\n",
		outs: []Output{text("before\n"), goldenOutput, text("after\n")},
	}, {
		name: "in a line, one newline taken", in: "a" + goldenMarker + "b" + marker(img) + "\n\nc",
		plain: "ab\nc",
		outs:  []Output{text("a"), goldenOutput, text("b"), img, text("\nc")},
	}, {
		name: "alone, as a value", in: goldenMarker, outs: []Output{goldenOutput},
	}, {
		name: "in a printed slice", in: "[" + goldenMarker + " " + goldenMarker + "]", plain: "[ ]",
		outs: []Output{text("["), goldenOutput, text(" "), goldenOutput, text("]")},
	}, {
		name: "a text output stays apart", in: "x" + marker(text("y")) + "z", plain: "xz",
		outs: []Output{text("x"), text("y"), text("z")},
	}, {
		name:  "malformed markers are text",
		in:    bad("!!") + bad("e30=") + bad("bnVsbA==") + bad("eyJ0eXBlIjoi") + "\x1b_gonx-kino/1;e30=\x1bX" + richPrefix,
		plain: bad("!!") + bad("e30=") + bad("bnVsbA==") + bad("eyJ0eXBlIjoi") + "\x1b_gonx-kino/1;e30=\x1bX" + richPrefix,
		outs:  []Output{text(bad("!!") + bad("e30=") + bad("bnVsbA==") + bad("eyJ0eXBlIjoi") + "\x1b_gonx-kino/1;e30=\x1bX" + richPrefix)},
	}, {
		name: "a marker after a broken one", in: richPrefix + "e30" + goldenMarker + "\n", plain: richPrefix + "e30",
		outs: []Output{text(richPrefix + "e30"), goldenOutput},
	}, {
		name: "frames take their updates where they first appear",
		in: "start\n" + marker(frame("f", false, text("epoch 0"))) + "\n" +
			"log 1\n" + marker(frame("g", true, text("g0"))) + "\n" +
			marker(frame("f", false, text("epoch 1"))) + "\n" +
			"log 2\n" + marker(frame("f", true, goldenOutput)) + "\n" +
			marker(frame("g", false)) + "\n" + marker(frame("g", true, text("g1"))) + "\n" + "end\n",
		plain: "start\nlog 1\nlog 2\nend\n",
		outs: []Output{text("start\n"), frame("f", false, text("epoch 1"), goldenOutput), text("log 1\n"),
			frame("g", false, text("g1")), text("log 2\nend\n")},
	}} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			plain, outs := splitOutput(tc.in)
			if plain != tc.plain {
				t.Errorf("text %q, want %q", plain, tc.plain)
			}
			if !reflect.DeepEqual(outs, tc.outs) {
				t.Errorf("outputs\n%+v\nwant\n%+v", outs, tc.outs)
			}
			// Streamed in chunks of every size, the same pieces come out.
			want := pieces(t, tc.in, len(tc.in)+1)
			for size := 1; size <= len(tc.in); size++ {
				if got := pieces(t, tc.in, size); !reflect.DeepEqual(got, want) {
					t.Fatalf("chunks of %d: %+v, want %+v", size, got, want)
				}
			}
		})
	}
}

// pieces splits s written in chunks of size, merging adjacent text.
func pieces(t *testing.T, s string, size int) []Output {
	t.Helper()
	var outs []Output
	var sp splitter
	emit := func(p piece) {
		if p.out != nil {
			outs = append(outs, *p.out)
			return
		}
		if len(p.text) == 0 {
			t.Fatal("empty text piece")
		}
		if n := len(outs); n > 0 && outs[n-1].Type == "" {
			outs[n-1].Text += string(p.text)
		} else {
			outs = append(outs, Output{Text: string(p.text)})
		}
	}
	for data := []byte(s); len(data) > 0; {
		n := min(size, len(data))
		sp.write(bytes.Clone(data[:n]), emit)
		data = data[n:]
	}
	sp.flush(emit)
	return outs
}

// TestOutputStreamsRich feeds an evaluation's output, kino markers and the kernel's
// end marker included, in every chunk size: Options.Output gets the text, Options.Rich
// the rich outputs, in order, and take the whole output.
func TestOutputStreamsRich(t *testing.T) {
	const token = "t0k"
	f1 := frame("f", false, text("1"))
	raw := "a\n" + goldenMarker + "\n{Ξx:1} " + marker(f1) + "\n" + richPrefix + "e30" // a broken marker at the end
	for size := 1; size <= len(raw)+len(kernel.Marker(token, 1)); size++ {
		var got []string
		o := newOutput(token,
			func(cell, text string) { got = append(got, cell+" text "+text) },
			func(cell string, out Output) { got = append(got, cell+" "+out.Type+" "+out.Text) })
		o.begin("c")
		data := []byte(raw + kernel.Marker(token, 1))
		for len(data) > 0 {
			n := min(size, len(data))
			o.write(data[:n])
			data = data[n:]
		}
		if o.wait(1) != nil {
			t.Fatalf("chunks of %d: not done", size)
		}
		if out := o.take(); out != "a\n"+goldenMarker+"\n{x:1} "+marker(f1)+"\n"+richPrefix+"e30" {
			t.Fatalf("chunks of %d: take() = %q", size, out)
		}
		// Merge the text, which comes in pieces.
		var merged []string
		for _, g := range got {
			if n := len(merged); n > 0 && strings.HasPrefix(g, "c text ") && strings.HasPrefix(merged[n-1], "c text ") {
				merged[n-1] += strings.TrimPrefix(g, "c text ")
				continue
			}
			merged = append(merged, g)
		}
		want := []string{"c text a\n", "c markdown # Hi", "c text {x:1} ", "c frame ", "c text " + richPrefix + "e30"}
		if !reflect.DeepEqual(merged, want) {
			t.Fatalf("chunks of %d: streamed %q, want %q", size, merged, want)
		}
	}
}

// FuzzSplit checks the splitter on any bytes: whole or in chunks it finds the same
// outputs; text without an escape passes unchanged; and the text it returns is what
// is left of the input once the markers it found (and the newline after each) are
// taken out.
func FuzzSplit(f *testing.F) {
	f.Add([]byte("plain\n"), 3)
	f.Add([]byte("a"+goldenMarker+"\nb"), 1)
	f.Add([]byte(richPrefix+"e30"+goldenMarker+goldenMarker), 7)
	f.Add([]byte("\x1b[1m"+marker(frame("f", true, text("x")))+"\x1b"), 2)
	f.Fuzz(func(t *testing.T, data []byte, size int) {
		if size <= 0 || size > len(data) {
			size = len(data) + 1
		}
		in := string(data)
		plain, outs := splitOutput(in)
		whole := pieces(t, in, len(in)+1)
		if chunked := pieces(t, in, size); !reflect.DeepEqual(chunked, whole) {
			t.Fatalf("chunks of %d: %+v, whole: %+v", size, chunked, whole)
		}
		if !strings.Contains(in, "\x1b") && (plain != in || len(whole) > 1) {
			t.Fatalf("text without escapes changed: %q gave %q, %+v", in, plain, whole)
		}
		var printed strings.Builder
		for _, p := range whole {
			if p.Type == "" {
				printed.WriteString(p.Text)
			} else if marker(p) == "" {
				t.Fatal("unreachable")
			}
		}
		if printed.String() != plain {
			t.Fatalf("text %q, pieces' text %q", plain, printed.String())
		}
		if len(outs) > len(whole) {
			t.Fatalf("%d outputs from %d pieces", len(outs), len(whole))
		}

		// A marker rendered into text without escapes comes out whole, in its
		// place, whatever the chunks.
		clean := strings.ReplaceAll(in, "\x1b", "")
		at := size % (len(clean) + 1)
		composed := clean[:at] + goldenMarker + "\n" + clean[at:]
		plain, outs = splitOutput(composed)
		var want []Output
		if at > 0 {
			want = append(want, text(clean[:at]))
		}
		want = append(want, goldenOutput)
		if at < len(clean) {
			want = append(want, text(clean[at:]))
		}
		if plain != clean || !reflect.DeepEqual(outs, want) {
			t.Fatalf("%q gave %q, %+v; want %+v", composed, plain, outs, want)
		}
		if chunked, whole := pieces(t, composed, 1+size%7), pieces(t, composed, len(composed)+1); !reflect.DeepEqual(chunked, whole) {
			t.Fatalf("%q in chunks of %d: %+v, whole: %+v", composed, 1+size%7, chunked, whole)
		}
	})
}

// decodePNG decodes an image output.
func decodePNG(t *testing.T, o Output) (w, h int, gray []uint8) {
	t.Helper()
	if o.Type != "image" || o.MIME != "image/png" {
		t.Fatalf("output %+v, want a PNG image", o)
	}
	img, err := png.Decode(bytes.NewReader(o.Data))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, _, _, _ := img.At(x, y).RGBA()
			gray = append(gray, uint8(r>>8))
		}
	}
	return b.Dx(), b.Dy(), gray
}

// checkout returns the gonx checkout holding this package, or "".
func checkout() string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	root := filepath.Dir(filepath.Dir(wd))
	if _, err := os.Stat(filepath.Join(root, "go.work")); err != nil {
		return ""
	}
	return root
}

// streamed records what Options.Output and Options.Rich receive.
type streamed struct {
	mu   sync.Mutex
	text strings.Builder
	rich []Output
}

func (s *streamed) options(root string) Options {
	return Options{
		GonxRoot: root,
		Output: func(_, text string) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.text.WriteString(text)
		},
		Rich: func(_ string, out Output) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.rich = append(s.rich, out)
		},
	}
}

// take returns and forgets what was streamed.
func (s *streamed) take() (string, []Output) {
	s.mu.Lock()
	defer s.mu.Unlock()
	text, rich := s.text.String(), s.rich
	s.text.Reset()
	s.rich = nil
	return text, rich
}

// richCells are cells that render with package kino, as a kernel and an embedded
// evaluator must run them.
func richCells(t *testing.T, ev Evaluator, s *streamed) {
	ctx := context.Background()
	eval := func(cell, src string) Result {
		t.Helper()
		res, err := ev.Eval(ctx, cell, src)
		if err != nil {
			t.Fatalf("%s: %v (output %q)", cell, err, res.Output)
		}
		return res
	}

	// Rendered between printed lines, and ending the cell.
	res := eval("render", `import "github.com/gonx-dev/gonx/livebook/kino"

fmt.Println("before")
kino.Render(kino.Markdown("# Hi"))
fmt.Print("after\n")
img := image.NewGray(image.Rect(0, 0, 3, 1))
img.Pix[1] = 200
kino.Image(img)`)
	if want := []Output{text("before\n"), goldenOutput, text("after\n")}; !reflect.DeepEqual(res.Outputs, want) {
		t.Errorf("outputs %+v, want %+v", res.Outputs, want)
	}
	if res.Output != "before\nafter\n" || !res.HasValue || res.Value != "" || res.Type != "kino.Output" || len(res.ValueOutputs) != 1 {
		t.Fatalf("output %q, value %q (%v) of type %s, value outputs %+v", res.Output, res.Value, res.HasValue, res.Type, res.ValueOutputs)
	}
	if w, h, px := decodePNG(t, res.ValueOutputs[0]); w != 3 || h != 1 || !bytes.Equal(px, []byte{0, 200, 0}) {
		t.Errorf("image %d×%d %v, want 3×1 [0 200 0]", w, h, px)
	}
	if text, rich := s.take(); text != "before\nafter\n" || !reflect.DeepEqual(rich, []Output{goldenOutput}) {
		t.Errorf("streamed %q and %+v", text, rich)
	}

	// A frame redrawn while the cell runs; a table of a type the cell declares,
	// whose fields the kernel renames.
	res = eval("frame", `type row struct {
	name string
	loss float64
}

f := kino.NewFrame()
var rows []row
for i := range 3 {
	rows = append(rows, row{fmt.Sprint("e", i), 1 / float64(i+1)})
	f.Render(kino.Table(rows))
}
fmt.Println("done")
[]kino.Output{kino.Text("a"), kino.Text("b")}`)
	table := func(n int) Output {
		rows := []string{`["e0",1]`, `["e1",0.5]`, `["e2",0.3333333333333333]`}
		return Output{Type: "table", MIME: "application/json",
			Text: `{"columns":["name","loss"],"rows":[` + strings.Join(rows[:n], ",") + `]}`}
	}
	if len(res.Outputs) != 2 || res.Outputs[0].Type != "frame" || res.Outputs[0].ID == "" ||
		!reflect.DeepEqual(res.Outputs[0].Outputs, []Output{table(3)}) || !reflect.DeepEqual(res.Outputs[1], text("done\n")) {
		t.Errorf("outputs %+v, want the frame with the last table, then done", res.Outputs)
	}
	if want := []Output{text("["), text("a"), text(" "), text("b"), text("]")}; res.Value != "[ ]" || !reflect.DeepEqual(res.ValueOutputs, want) {
		t.Errorf("value %q, %+v; want %+v", res.Value, res.ValueOutputs, want)
	}
	_, rich := s.take()
	if len(rich) != 3 {
		t.Fatalf("streamed %d rich outputs, want the 3 frame updates: %+v", len(rich), rich)
	}
	for i, o := range rich {
		if o.Type != "frame" || o.ID != res.Outputs[0].ID || !reflect.DeepEqual(o.Outputs, []Output{table(i + 1)}) {
			t.Errorf("update %d: %+v", i, o)
		}
	}

	// A value over the kernel's limit on printed values stays whole when rich.
	res = eval("big", `noise := image.NewGray(image.Rect(0, 0, 400, 300))
rand.Read(noise.Pix)
kino.Image(noise)`)
	if len(res.ValueOutputs) != 1 {
		t.Fatalf("value %.100q…, outputs %d", res.Value, len(res.ValueOutputs))
	}
	if w, h, px := decodePNG(t, res.ValueOutputs[0]); w != 400 || h != 300 || len(res.ValueOutputs[0].Data) < 100<<10 {
		t.Errorf("image %d×%d of %d bytes (%d pixels), want 400×300 over 100 KiB", w, h, len(res.ValueOutputs[0].Data), len(px))
	}
}

// TestRichKernel runs cells that render with package kino in a kernel process.
// (TestEmbedded runs them in this process.)
func TestRichKernel(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cells against the gonx workspace")
	}
	root := checkout()
	if root == "" {
		t.Skip("not in a gonx checkout")
	}
	var s streamed
	richCells(t, startKernel(t, s.options(root)), &s)
}
