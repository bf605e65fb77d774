package runtime

import (
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/livebook/runtime/kernel"
)

// TestOutputSplit feeds two evaluations' output, each ending with its marker, in
// every chunk size, and checks that each evaluation gets exactly its text, demangled,
// and that the stream carries the same text without markers.
func TestOutputSplit(t *testing.T) {
	const token = "t0k"
	evals := []struct{ raw, want string }{
		{"héllo\n", "héllo\n"},
		{"{Ξx:1} cell0003.Ξpoint wörld", "{x:1} point wörld"},
	}
	for size := 1; size <= 40; size++ {
		var streamed strings.Builder
		o := newOutput(token, func(_, text string) { streamed.WriteString(text) }, nil)
		var want strings.Builder
		for i, e := range evals {
			seq := int64(i + 1)
			o.begin("cell")
			data := []byte(e.raw + kernel.Marker(token, seq))
			for len(data) > 0 {
				n := min(size, len(data))
				if o.wait(seq) == nil {
					t.Fatalf("chunks of %d: eval %d done early", size, seq)
				}
				o.write(data[:n])
				data = data[n:]
			}
			if o.wait(seq) != nil {
				t.Fatalf("chunks of %d: eval %d not done", size, seq)
			}
			if got := o.take(); got != e.want {
				t.Fatalf("chunks of %d: eval %d output %q, want %q", size, seq, got, e.want)
			}
			want.WriteString(e.want)
		}
		o.close()
		if streamed.String() != want.String() {
			t.Fatalf("chunks of %d: streamed %q, want %q", size, streamed.String(), want.String())
		}
	}
}
