package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/gonx-dev/gonx/livebook/runtime"
	"github.com/gonx-dev/gonx/livebook/server"
)

// Run these with a fixed count, which gives the percentiles over that many
// evaluations:
//
//	go test -run '^$' -bench 'Kernel|ServerEval|GoBuild' -benchtime 20x ./cmd/livebook

// latencies collects durations and reports their percentiles.
type latencies []time.Duration

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	s := slices.Clone(l)
	slices.Sort(s)
	pct := func(p float64) float64 {
		return float64(s[int(p*float64(len(s)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.9), "p90-ms")
}

// startBenchKernel starts a standalone kernel on the checkout, warmed up by one
// evaluation.
func startBenchKernel(b *testing.B) *runtime.Kernel {
	b.Helper()
	root := checkoutRoot(b)
	k, err := runtime.Start(context.Background(), runtime.Options{GonxRoot: root})
	if errors.Is(err, runtime.ErrUnsupported) {
		b.Skipf("cells cannot run here: %v", err)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { k.Close() })
	if _, err := k.Eval(context.Background(), "warm", "warm := 1"); err != nil {
		b.Fatal(err)
	}
	return k
}

// BenchmarkKernelEval is the latency of a trivial cell (1 + 1) in a warm
// standalone kernel: generating its package, building it into a plugin,
// loading and running it.
func BenchmarkKernelEval(b *testing.B) {
	k := startBenchKernel(b)
	var l latencies
	for b.Loop() {
		t0 := time.Now()
		res, err := k.Eval(context.Background(), "c", "1 + 1")
		l = append(l, time.Since(t0))
		if err != nil || res.Value != "2" {
			b.Fatalf("%+v, %v", res, err)
		}
	}
	l.report(b)
}

// BenchmarkKernelEvalNoBuild is the round trip to a warm kernel for a cell that
// needs no build (a comment): the cost of everything but the cell itself.
func BenchmarkKernelEvalNoBuild(b *testing.B) {
	k := startBenchKernel(b)
	var l latencies
	for b.Loop() {
		t0 := time.Now()
		if _, err := k.Eval(context.Background(), "c", "// nothing"); err != nil {
			b.Fatal(err)
		}
		l = append(l, time.Since(t0))
	}
	l.report(b)
}

// BenchmarkGoBuildPlugin is the latency of `go build -buildmode=plugin
// -ldflags="-s -w"` of a trivial package in a scratch module, changed each time
// so that the build cache cannot answer: what the kernel pays for each cell.
func BenchmarkGoBuildPlugin(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module scratch\n\ngo 1.26\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	var l latencies
	i := 0
	for b.Loop() {
		i++
		src := fmt.Sprintf("package main\n\nvar Value = %d + 1\n\nfunc main() {}\n", i)
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		cmd := exec.Command("go", "build", "-buildmode=plugin", "-ldflags=-s -w", "-o", fmt.Sprintf("p%d.so", i), ".")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Skipf("go build -buildmode=plugin: %v\n%s", err, out)
		}
		l = append(l, time.Since(t0))
	}
	l.report(b)
}

// BenchmarkServerEval is the latency of a trivial cell through the whole server
// with the standalone kernel: from sending evaluate_cell on a websocket to
// receiving evaluation_finished.
func BenchmarkServerEval(b *testing.B) {
	root := b.TempDir()
	if err := os.WriteFile(filepath.Join(root, "bench.livemd"), []byte("# Bench\n\n## S\n\n```go\n1 + 1\n```\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	srv := kernelServer(b, root)
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	sess, _, err := srv.Sessions().Open("bench.livemd")
	if err != nil {
		b.Fatal(err)
	}
	h := http.Header{"Authorization": {"Bearer " + srv.Token()}}
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(ts.URL, "http")+"/api/sessions/"+sess.ID()+"/ws", h)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	var m server.Message
	if err := conn.ReadJSON(&m); err != nil {
		b.Fatal(err)
	}
	cell := m.Snapshot.Sections[0].Cells[0].ID
	evaluate := func() time.Duration {
		t0 := time.Now()
		if err := conn.WriteJSON(server.Op{Op: server.OpEvaluateCell, CellID: cell}); err != nil {
			b.Fatal(err)
		}
		for {
			var m server.Message
			if err := conn.ReadJSON(&m); err != nil {
				b.Fatal(err)
			}
			if m.Type == "op" && m.Op.Op == server.OpEvaluationFinished {
				if m.Op.Status != server.StatusOK {
					b.Fatalf("%+v", m.Op)
				}
				return time.Since(t0)
			}
		}
	}
	evaluate() // starts the kernel
	var l latencies
	for b.Loop() {
		l = append(l, evaluate())
	}
	l.report(b)
}
