package server

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Metrics are the server's Prometheus metrics, written in the text exposition
// format by WriteTo. All methods are safe for concurrent use.
type Metrics struct {
	sessionsOpen     atomic.Int64
	clientsConnected atomic.Int64
	clientsDropped   atomic.Int64
	kernelRestarts   atomic.Int64

	mu          sync.Mutex
	evaluations map[string]int64 // by status
	saves       map[string]int64 // by result
	latency     histogram
}

// latencyBuckets are the upper bounds, in seconds, of the evaluation latency
// histogram: from a trivial cell to a training loop.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300}

// NewMetrics returns zeroed metrics.
func NewMetrics() *Metrics {
	return &Metrics{
		evaluations: map[string]int64{},
		saves:       map[string]int64{},
		latency:     histogram{bounds: latencyBuckets, counts: make([]int64, len(latencyBuckets))},
	}
}

// histogram counts observations per bucket (not cumulative) and their sum.
type histogram struct {
	bounds []float64
	counts []int64
	total  int64
	sum    float64
}

func (h *histogram) observe(v float64) {
	if i, _ := slices.BinarySearch(h.bounds, v); i < len(h.bounds) {
		h.counts[i]++
	}
	h.total++
	h.sum += v
}

// sessionOpened and the other methods below record events.
func (m *Metrics) sessionOpened()   { m.sessionsOpen.Add(1) }
func (m *Metrics) sessionClosed()   { m.sessionsOpen.Add(-1) }
func (m *Metrics) clientJoined()    { m.clientsConnected.Add(1) }
func (m *Metrics) clientLeft()      { m.clientsConnected.Add(-1) }
func (m *Metrics) clientDropped()   { m.clientsDropped.Add(1) }
func (m *Metrics) kernelRestarted() { m.kernelRestarts.Add(1) }

// evaluated records a finished evaluation with its status and, when it ran, how long
// it took.
func (m *Metrics) evaluated(status string, took time.Duration, ran bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.evaluations[status]++
	if ran {
		m.latency.observe(took.Seconds())
	}
}

// saved records an autosave or a save on close.
func (m *Metrics) saved(err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.mu.Lock()
	m.saves[result]++
	m.mu.Unlock()
}

// WriteTo writes the metrics in the Prometheus text format (version 0.0.4).
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	gauge := func(name, help string, v int64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", name, help, name, name, v)
	}
	counter := func(name, help string, v int64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
	}
	labelled := func(name, help, label string, vs map[string]int64, always ...string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
		set := map[string]bool{}
		for _, k := range always {
			set[k] = true
		}
		for k := range vs {
			set[k] = true
		}
		keys := slices.Sorted(maps.Keys(set))
		for _, k := range keys {
			fmt.Fprintf(&b, "%s{%s=%q} %d\n", name, label, k, vs[k])
		}
	}

	gauge("livebook_sessions_open", "Notebook sessions currently open.", m.sessionsOpen.Load())
	gauge("livebook_clients_connected", "Websocket clients currently connected.", m.clientsConnected.Load())
	counter("livebook_clients_dropped_total", "Websocket clients disconnected for not keeping up.", m.clientsDropped.Load())
	counter("livebook_kernel_restarts_total", "Runtime restarts, asked for or after a crash.", m.kernelRestarts.Load())

	m.mu.Lock()
	labelled("livebook_evaluations_total", "Cell evaluations by final status.", "status", m.evaluations,
		StatusOK, StatusError, StatusCrashed, StatusAborted)
	labelled("livebook_notebook_saves_total", "Notebook saves by result.", "result", m.saves, "ok", "error")
	h := m.latency
	name := "livebook_evaluation_duration_seconds"
	fmt.Fprintf(&b, "# HELP %s Time spent evaluating cells.\n# TYPE %s histogram\n", name, name)
	var cum int64
	for i, ub := range h.bounds {
		cum += h.counts[i]
		fmt.Fprintf(&b, "%s_bucket{le=%q} %d\n", name, formatFloat(ub), cum)
	}
	fmt.Fprintf(&b, "%s_bucket{le=\"+Inf\"} %d\n", name, h.total)
	fmt.Fprintf(&b, "%s_sum %s\n%s_count %d\n", name, formatFloat(h.sum), name, h.total)
	m.mu.Unlock()

	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// formatFloat writes v as Prometheus expects.
func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
