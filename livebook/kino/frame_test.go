package kino

import (
	"reflect"
	"strings"
	"sync"
	"testing"
)

// rendered parses the markers Render wrote, one a line.
func rendered(t *testing.T, s string) []Output {
	t.Helper()
	var outs []Output
	for line := range strings.Lines(s) {
		o, err := Parse(strings.TrimSuffix(line, "\n"))
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		outs = append(outs, o)
	}
	return outs
}

func TestFrame(t *testing.T) {
	b := captureRender(t)
	f, g := NewFrame(), NewFrame()
	if f.ID() == g.ID() || !strings.HasPrefix(f.ID(), "frame-") {
		t.Fatalf("frame IDs %q and %q", f.ID(), g.ID())
	}
	f.Render("epoch 1")
	f.Render(Markdown("**epoch 2**"))
	f.Append(3)
	if got, want := f.String(), (Output{Type: TypeFrame, ID: f.ID(), Outputs: []Output{Markdown("**epoch 2**"), Text("3")}}).String(); got != want {
		t.Errorf("frame prints %q, want %q", got, want)
	}
	g.Render(f) // a frame inside a frame
	f.Clear()
	id := f.ID()
	want := []Output{
		{Type: TypeFrame, ID: id, Outputs: []Output{Text("epoch 1")}},
		{Type: TypeFrame, ID: id, Outputs: []Output{Markdown("**epoch 2**")}},
		{Type: TypeFrame, ID: id, Outputs: []Output{Text("3")}, Append: true},
		{Type: TypeFrame, ID: g.ID(), Outputs: []Output{{Type: TypeFrame, ID: id, Outputs: []Output{Markdown("**epoch 2**"), Text("3")}}}},
		{Type: TypeFrame, ID: id},
	}
	if got := rendered(t, b.String()); !reflect.DeepEqual(got, want) {
		t.Errorf("frame updates\n%+v\nwant\n%+v", got, want)
	}
	if got, want := f.String(), (Output{Type: TypeFrame, ID: id}).String(); got != want {
		t.Errorf("cleared frame prints %q, want %q", got, want)
	}
}

// TestFrameConcurrent renders into a frame from several goroutines: every update is a
// whole line, and the frame ends up holding what was appended.
func TestFrameConcurrent(t *testing.T) {
	b := captureRender(t)
	f := NewFrame()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for range 20 {
				f.Append(i)
				_ = f.String()
				Render(Text("x"))
			}
		})
	}
	wg.Wait()
	if n := len(rendered(t, b.String())); n != 8*20*2 {
		t.Errorf("%d updates, want %d", n, 8*20*2)
	}
	if o, _ := Parse(f.String()); len(o.Outputs) != 8*20 {
		t.Errorf("frame holds %d outputs, want %d", len(o.Outputs), 8*20)
	}
}
