package tour

import (
	"errors"
	"strings"
	"testing"
)

func TestRunPrintsEveryStep(t *testing.T) {
	var b strings.Builder
	if err := Run(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"1. a tensor from a Go slice",
		"[11.0, 22.0, 33.0]",
		"f32[2][1]",
		"[2, 2]",
		"6. softmax over each row",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("tour output lacks %q:\n%s", want, out)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestRunReportsWriteErrors(t *testing.T) {
	if err := Run(failingWriter{}); err == nil || err.Error() != "disk full" {
		t.Fatalf("Run = %v, want the writer's error", err)
	}
}
