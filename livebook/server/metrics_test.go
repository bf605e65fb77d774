package server

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestMetricsFormat(t *testing.T) {
	m := NewMetrics()
	m.sessionOpened()
	m.clientJoined()
	m.clientJoined()
	m.clientLeft()
	m.evaluated(StatusOK, 3*time.Millisecond, true)
	m.evaluated(StatusOK, 70*time.Millisecond, true)
	m.evaluated(StatusError, 2*time.Second, true)
	m.evaluated(StatusAborted, 0, false)
	m.saved(nil)
	m.saved(errors.New("disk full"))
	m.kernelRestarted()
	var b strings.Builder
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{
		"# TYPE livebook_sessions_open gauge\nlivebook_sessions_open 1\n",
		"livebook_clients_connected 1\n",
		"# TYPE livebook_kernel_restarts_total counter\nlivebook_kernel_restarts_total 1\n",
		`livebook_evaluations_total{status="aborted"} 1` + "\n",
		`livebook_evaluations_total{status="crashed"} 0` + "\n",
		`livebook_evaluations_total{status="error"} 1` + "\n",
		`livebook_evaluations_total{status="ok"} 2` + "\n",
		`livebook_notebook_saves_total{result="error"} 1` + "\n",
		`livebook_evaluation_duration_seconds_bucket{le="0.005"} 1` + "\n",
		`livebook_evaluation_duration_seconds_bucket{le="0.1"} 2` + "\n",
		`livebook_evaluation_duration_seconds_bucket{le="1"} 2` + "\n",
		`livebook_evaluation_duration_seconds_bucket{le="2.5"} 3` + "\n",
		`livebook_evaluation_duration_seconds_bucket{le="+Inf"} 3` + "\n",
		"livebook_evaluation_duration_seconds_sum 2.073\n",
		"livebook_evaluation_duration_seconds_count 3\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q", want)
		}
	}
	// Every sample line belongs to a declared metric.
	declared := map[string]bool{}
	for line := range strings.Lines(text) {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			declared[strings.Fields(name)[0]] = true
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		name := strings.FieldsFunc(line, func(r rune) bool { return r == '{' || r == ' ' })[0]
		base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_sum"), "_count")
		if !declared[name] && !declared[base] {
			t.Errorf("undeclared sample %q", line)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}
