package kernel

import (
	"strings"
	"testing"
)

// TestFormatValue checks that a long value is cut unless it holds an output of
// package livebook/kino, whose marker starts as richMarker says.
func TestFormatValue(t *testing.T) {
	if richMarker != "\x1b_gonx-kino/" {
		t.Fatalf("richMarker %q no longer starts kino's markers", richMarker)
	}
	long := strings.Repeat("x", maxValue+10)
	if v := formatValue(long); v != `"`+long[:maxValue-1]+"…" {
		t.Errorf("a long string printed as %d bytes", len(v))
	}
	type wrap struct{ s string }
	rich := "\x1b_gonx-kino/1;e30=\x1b\\" + long
	if v := formatValue(wrap{rich}); v != "{"+rich+"}" {
		t.Errorf("a long value holding a rich output was cut to %d bytes", len(v))
	}
	if v := formatValue(rich); !strings.HasSuffix(v, "…") {
		t.Errorf("a string is printed quoted, so holds no marker; yet it was kept whole (%d bytes)", len(v))
	}
}
