package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/bench"
	"github.com/gonx-dev/gonx/nx"
)

func TestParseFlags(t *testing.T) {
	c, r, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.tables, allTables) || !slices.Equal(c.sizes, []int{256, 512, 1024, 2048}) ||
		!slices.Equal(c.dtypes, []string{"f32", "f64"}) || !slices.Equal(c.coretypes, []string{"SkylakeX"}) ||
		c.batch != 128 || c.rows != 4096 || c.cols != 1024 || c.proto != bench.DefaultProtocol {
		t.Errorf("defaults = %+v", c)
	}
	if r.Python != bench.DefaultPython || r.Threads != c.threads || r.Protocol != c.proto {
		t.Errorf("runner = %+v, want the interpreter, threads and protocol of the config", r)
	}

	c, _, err = parseFlags([]string{"-quick", "-batch", "4", "-tables", "gemm, conv", "-coretypes", ""}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !c.quick || !slices.Equal(c.sizes, []int{256}) || c.batch != 4 || c.rows != 1024 ||
		c.proto != bench.QuickProtocol || !slices.Equal(c.tables, []string{"gemm", "conv"}) || len(c.coretypes) != 0 {
		t.Errorf("-quick with overrides = %+v", c)
	}

	c, _, err = parseFlags([]string{"-time", "250ms", "-rounds", "2", "-sizes", "64,128", "-threads", "1"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.proto != (bench.Protocol{Target: 250 * time.Millisecond, Rounds: 2}) || !slices.Equal(c.sizes, []int{64, 128}) || c.threads != 1 {
		t.Errorf("explicit flags = %+v", c)
	}

	for _, args := range [][]string{
		{"-tables", "gemm,fft"},
		{"-tables", ""},
		{"-sizes", "256,x"},
		{"-sizes", "0"},
		{"-dtypes", "f16"},
		{"-threads", "0"},
		{"-batch", "0"},
		{"-train-rounds", "0"},
		{"-time", "0s"},
		{"-rounds", "0"},
		{"extra"},
		{"-nosuchflag"},
	} {
		if _, _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q) accepted bad flags", args)
		}
	}
	if code := run(context.Background(), []string{"-h"}, io.Discard, io.Discard); code != 0 {
		t.Errorf("-h exits %d, want 0", code)
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"-tables", "fft"}, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), `unknown "fft"`) {
		t.Errorf("bad -tables exits %d with %q, want 2 and a message", code, stderr.String())
	}
}

func TestAddPeer(t *testing.T) {
	cases := []peerCase{{name: "a", flops: 1e9, check: 10}, {name: "b", check: math.NaN()}, {name: "c", check: 5}, {name: "d", check: 1}}
	out := &bench.PeerOutput{
		Info: []bench.PeerInfo{{Key: "torch", Value: "1.13"}},
		Results: []bench.PeerResult{
			{System: "torch", Case: "a", PerOp: time.Second, Check: 10.0000001, HasCheck: true},
			{System: "torch", Case: "b", PerOp: time.Second, Check: 99, HasCheck: true},
			{System: "torch", Case: "c", PerOp: time.Second, Check: 6, HasCheck: true},
			{System: "torch", Case: "d", Err: "no kernel"},
		},
	}
	tb := &bench.Table{Baseline: "nx"}
	addPeer(tb, out, nil, "", "torch", cases, 1e-6)
	addPeer(tb, out, nil, "", "torch", cases, 1e-6) // info notes are not repeated
	got := map[string]bench.Result{}
	for _, r := range tb.Results() {
		got[r.Case] = r
	}
	if r := got["a"]; r.PerOp != time.Second || r.Flops != 1e9 || r.Note != "" || r.Unavailable != "" {
		t.Errorf("a = %+v, want a time, the flops and no note", r)
	}
	if r := got["b"]; r.Note != "" {
		t.Errorf("b = %+v: a case without a baseline check got a note", r)
	}
	if r := got["c"]; !strings.Contains(r.Note, "differs from nx's") {
		t.Errorf("c = %+v, want a note that the check differs", r)
	}
	if r := got["d"]; r.Unavailable != "no kernel" {
		t.Errorf("d = %+v, want the peer's error", r)
	}
	if !slices.Equal(tb.Notes, []string{"torch: 1.13"}) {
		t.Errorf("Notes = %q", tb.Notes)
	}

	tb = &bench.Table{Baseline: "nx"}
	addPeer(tb, nil, errors.New("peer gemm.c died: signal: illegal instruction"), " (hint)", "OpenBLAS X", cases[:1], 1e-6)
	addPeer(tb, &bench.PeerOutput{}, nil, "", "numpy", cases[:1], 1e-6)
	rs := tb.Results()
	if rs[0].Unavailable != "peer gemm.c died: signal: illegal instruction (hint)" || rs[1].Unavailable != "the peer printed no result for this case" {
		t.Errorf("unavailable reasons = %q, %q", rs[0].Unavailable, rs[1].Unavailable)
	}
}

func TestTry(t *testing.T) {
	if msg := try(func() {}); msg != "" {
		t.Errorf("try of a quiet function = %q", msg)
	}
	if msg := try(func() { panic(errors.New("has no gradient")) }); msg != "has no gradient" {
		t.Errorf("try of a panic = %q", msg)
	}
}

func TestFillMatchesPeers(t *testing.T) {
	// peers/gemm.c: (i*7 + seed*13) % 17 / 8 - 1
	if v := fillMatrix(2, 1); !slices.Equal(v, []float64{0.625, -0.625, 0.25, -1}) {
		t.Errorf("fillMatrix(2, 1) = %v", v)
	}
	if got := sumSquares([]float32{1, -2, 3}); got != 14 {
		t.Errorf("sumSquares = %v, want 14", got)
	}
}

// peersPresent says why the peers cannot run here, or "" when they can.
func peersPresent() string {
	r := &bench.Runner{}
	if err := r.CheckPython(context.Background(), "numpy", "torch"); err != nil {
		return err.Error()
	}
	out, err := exec.Command("gcc", "-print-file-name=libopenblas.so").Output()
	if err != nil {
		return "gcc not found: " + err.Error()
	}
	if p := strings.TrimSpace(string(out)); !filepath.IsAbs(p) {
		return "gcc cannot find libopenblas.so (libopenblas-dev)"
	}
	return ""
}

// TestQuickRun runs the whole command in -quick mode against the real peers.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: skipping the -quick run of gonxbench")
	}
	if why := peersPresent(); why != "" {
		t.Skipf("skipping the -quick run of gonxbench: peers are not installed (`make setup-bench` installs them): %s", why)
	}
	var stdout, stderr bytes.Buffer
	// The training table keeps its batch of 128 under -quick; 16 keeps the test short.
	if code := run(context.Background(), []string{"-quick", "-train-batch", "16"}, &stdout, &stderr); code != 0 {
		t.Fatalf("gonxbench -quick exited %d:\n%s\n%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	t.Log("\n" + out)
	for _, want := range []string{
		"GEMM C = A·B", "f32 256", "f64 256",
		"softmax over the rows of a 1024×1024 f32 matrix",
		"conv2d: [8,1,28,28]", "forward",
		"eager f32 Add, 1M elements",
		"mlp train step, batch 16", "cnn train step, batch 16", "note: torch mlp: best of 1 thread",
		"note: OpenBLAS: OpenBLAS", "note: numpy: NumPy", "note: torch: PyTorch",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "result differs") {
		t.Error("a system's result differs from nx's")
	}
	for _, l := range strings.Split(out, "\n") {
		// Peers that are installed must have produced every number.
		for _, sys := range []string{"note: OpenBLAS (", "note: numpy (", "note: torch ("} { // "torch SkylakeX" may die
			if strings.Contains(l, sys) && strings.Contains(l, "n/a") {
				t.Errorf("an installed peer could not run: %s", l)
			}
		}
	}
}

func TestTrainRatioAndGoal(t *testing.T) {
	c := &config{trainBatch: 128}
	tb := &bench.Table{Baseline: "nx"}
	tb.Add(bench.Result{Case: "m", System: "nx", PerOp: 2 * time.Millisecond, Samples: 128})
	tb.Add(bench.Result{Case: "m", System: "torch", PerOp: 4 * time.Millisecond, Samples: 128})
	tb.Add(bench.Result{Case: "m", System: "torch SkylakeX", PerOp: time.Millisecond, Samples: 128})
	tb.Add(bench.Result{Case: "n", System: "nx", PerOp: time.Millisecond, Samples: 128})
	if r, ok := trainRatio(tb, "m"); !ok || r != 0.5 {
		t.Errorf("trainRatio(m) = %v, %v; want 0.5 (against the fastest torch column)", r, ok)
	}
	if _, ok := trainRatio(tb, "n"); ok {
		t.Error("trainRatio of a case without torch reported ok")
	}
	if got := trainCase("mlp", c.trainBatch); got != "mlp train step, batch 128" {
		t.Errorf("trainCase = %q, want peers/train.py's case name", got)
	}
}

func TestTrainNx(t *testing.T) {
	c := &config{batch: 8, trainBatch: 4, quick: true, proto: bench.Protocol{Target: time.Millisecond, Rounds: 1}}
	x := nx.Zeros(nx.F32, 4, 1, 28, 28)
	y := nx.FromSlice([]uint8{1, 2, 3, 4}, 4)
	res := trainNx(context.Background(), c, trainModels[0].model(), x, y)
	if res.Unavailable != "" || res.PerOp <= 0 || res.Samples != 4 {
		t.Errorf("trainNx = %+v, want a time for one step of the training batch (4 samples)", res)
	}
	res = trainNx(context.Background(), c, trainModels[0].model(), nx.Zeros(nx.F32, 4, 1, 27, 28), y)
	if res.Unavailable == "" {
		t.Error("trainNx of images of the wrong shape has no error")
	}
}

func TestMedianResultAndGoal(t *testing.T) {
	rs := []bench.Result{{PerOp: 3 * time.Second}, {Unavailable: "busy"}, {PerOp: time.Second}, {PerOp: 2 * time.Second}}
	if r := medianResult(rs); r.PerOp != 2*time.Second || r.Unavailable != "" {
		t.Errorf("medianResult = %+v, want the median of the measured rounds, 2s", r)
	}
	if r := medianResult(rs[1:2]); r.Unavailable != "busy" {
		t.Errorf("medianResult of unavailable rounds = %+v", r)
	}
	if m := median([]float64{0.5, 0.9, 0.7, 0.8}); m != 0.75 {
		t.Errorf("median = %v, want 0.75", m)
	}
	ratio := func(r float64) func(string) (float64, bool) {
		return func(string) (float64, bool) { return r, r > 0 }
	}
	for _, tc := range []struct {
		goal  [2]float64
		ratio float64
		want  string
	}{
		{[2]float64{1, 1.5}, 1.6, "≥ 1.0× (stretch 1.5×) stretch met"},
		{[2]float64{1, 1.5}, 1.2, "≥ 1.0× (stretch 1.5×) met"},
		{[2]float64{0.7, 0}, 0.5, "≥ 0.7× not met"},
		{[2]float64{0.7, 0}, 0, "≥ 0.7×"},
	} {
		if got := goalCell(tc.goal, ratio(tc.ratio))("c"); got != tc.want {
			t.Errorf("goal %v ratio %v: %q, want %q", tc.goal, tc.ratio, got, tc.want)
		}
	}
}
