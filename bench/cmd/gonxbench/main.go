// Command gonxbench prints side-by-side tables of gonx against peer systems,
// every table measured in one run of this command on this machine:
//
//	gemm     f32 and f64 matrix products: nx.Dot, OpenBLAS (as detected and
//	         with OPENBLAS_CORETYPE forced), gonum, gorgonia.org/tensor
//	softmax  softmax over the rows of a 4096×1024 f32 matrix: nx eager and
//	         nx.Jit, NumPy, PyTorch
//	conv     two 3×3 convolutions (batch 128, 28×28, 1→32→64 channels),
//	         forward and forward+backward: nx, PyTorch
//	training one training step of the MNIST MLP and CNN (batch 128, Adam,
//	         dropout active) in samples/s: nx (axon.Trainer) against PyTorch
//	         as OpenBLAS detects the CPU and with OPENBLAS_CORETYPE forced,
//	         the throughput ratio and its goal
//	add      eager elementwise Add of 1M f32: nx, gorgonia.org/tensor
//
// Go systems run in this process; peers are the scripts in bench/peers, run as
// child processes (Python under /usr/bin/python3, C compiled with gcc against
// -lopenblas) with their thread pools pinned to GOMAXPROCS threads, timed by the
// same protocol (bench.Protocol), printing JSON lines this command reads. A peer
// that is missing or fails leaves n/a cells and a note saying why; the Go
// systems are still measured.
//
// Usage:
//
//	gonxbench [-quick] [-tables gemm,softmax,conv,training,add] [-sizes 256,512,1024,2048]
//	          [-dtypes f32,f64] [-coretypes SkylakeX] [-batch 128] [-train-batch 128]
//	          [-train-rounds 3] [-threads N]
//	          [-time 1s] [-python /usr/bin/python3] [-cc gcc]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gonx-dev/gonx/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// allTables lists the tables in the order they print.
var allTables = []string{"gemm", "softmax", "conv", "training", "add"}

// config is what the flags select.
type config struct {
	tables      []string
	sizes       []int
	dtypes      []string
	coretypes   []string
	batch       int
	trainBatch  int
	trainRounds int
	rows, cols  int
	threads     int
	proto       bench.Protocol
	quick       bool
}

// parseFlags turns the command line into a config; -quick changes the
// defaults of the flags not given.
func parseFlags(args []string, stderr io.Writer) (*config, *bench.Runner, error) {
	fs := flag.NewFlagSet("gonxbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quick := fs.Bool("quick", false, "a short run: GEMM 256 only, softmax 1024×1024, conv batch 8, 100ms per cell (training keeps batch 128)")
	tables := fs.String("tables", strings.Join(allTables, ","), "tables to print, comma-separated: "+strings.Join(allTables, ", "))
	sizes := fs.String("sizes", "256,512,1024,2048", "GEMM matrix sizes n (n×n times n×n)")
	dtypes := fs.String("dtypes", "f32,f64", "GEMM element types")
	coretypes := fs.String("coretypes", "SkylakeX", "OPENBLAS_CORETYPE values to measure besides the detected core (empty for none)")
	batch := fs.Int("batch", 128, "conv batch size")
	trainBatch := fs.Int("train-batch", 128, "training table batch size (not changed by -quick)")
	trainRounds := fs.Int("train-rounds", 3, "training table rounds, the systems taking turns in each (the medians are reported)")
	rows := fs.Int("rows", 4096, "softmax rows")
	cols := fs.Int("cols", 1024, "softmax columns (the softmax axis)")
	threads := fs.Int("threads", runtime.GOMAXPROCS(0), "GOMAXPROCS, and the threads every peer may use")
	target := fs.Duration("time", bench.DefaultProtocol.Target, "time to spend measuring each cell, warm-up excluded")
	rounds := fs.Int("rounds", bench.DefaultProtocol.Rounds, "rounds per cell to take the median of (at most)")
	python := fs.String("python", bench.DefaultPython, "Python interpreter for the NumPy and PyTorch peers")
	cc := fs.String("cc", "gcc", "C compiler for the OpenBLAS peer")
	if err := fs.Parse(args); err != nil {
		return nil, nil, err
	}
	if fs.NArg() > 0 {
		return nil, nil, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *quick {
		for name, v := range map[string]string{"sizes": "256", "batch": "8", "rows": "1024",
			"time": bench.QuickProtocol.Target.String(), "rounds": strconv.Itoa(bench.QuickProtocol.Rounds), "train-rounds": "1"} {
			if !set[name] {
				_ = fs.Set(name, v)
			}
		}
	}
	c := &config{batch: *batch, trainBatch: *trainBatch, trainRounds: *trainRounds, rows: *rows, cols: *cols, threads: *threads, quick: *quick,
		proto: bench.Protocol{Target: *target, Rounds: *rounds}}
	var err error
	if c.tables, err = names(*tables, allTables, "-tables"); err != nil {
		return nil, nil, err
	}
	if c.dtypes, err = names(*dtypes, []string{"f32", "f64"}, "-dtypes"); err != nil {
		return nil, nil, err
	}
	if c.sizes, err = ints(*sizes, "-sizes"); err != nil {
		return nil, nil, err
	}
	c.coretypes = splitList(*coretypes)
	switch {
	case c.threads < 1:
		return nil, nil, fmt.Errorf("-threads must be at least 1, got %d", c.threads)
	case c.batch < 1 || c.trainBatch < 1 || c.trainRounds < 1 || c.rows < 1 || c.cols < 1:
		return nil, nil, errors.New("-batch, -train-batch, -train-rounds, -rows and -cols must be at least 1")
	case c.proto.Target <= 0 || c.proto.Rounds < 1:
		return nil, nil, errors.New("-time must be positive and -rounds at least 1")
	}
	r := &bench.Runner{Python: *python, CC: *cc, Threads: c.threads, Protocol: c.proto}
	return c, r, nil
}

// run is the whole command, with its arguments and outputs given, for tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, peers, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "gonxbench:", err)
		return 2
	}
	defer peers.Close()
	prev := runtime.GOMAXPROCS(c.threads)
	defer runtime.GOMAXPROCS(prev)

	start := time.Now()
	fmt.Fprintln(stdout, header(c))
	for _, name := range c.tables {
		if ctx.Err() != nil {
			break
		}
		var t *bench.Table
		switch name {
		case "gemm":
			t = gemmTable(ctx, c, peers)
		case "softmax":
			t = softmaxTable(ctx, c, peers)
		case "conv":
			t = convTable(ctx, c, peers)
		case "training":
			t = trainTable(ctx, c, peers)
		case "add":
			t = addTable(c)
		}
		fmt.Fprintln(stdout)
		if err := t.Fprint(stdout); err != nil {
			fmt.Fprintln(stderr, "gonxbench:", err)
			return 1
		}
	}
	if err := ctx.Err(); err != nil {
		fmt.Fprintln(stderr, "gonxbench: interrupted")
		return 1
	}
	fmt.Fprintf(stdout, "\ngonxbench: done in %s", time.Since(start).Round(time.Second))
	if l := loadAverage(); l != "" {
		fmt.Fprintf(stdout, "; load average at end: %s", l)
	}
	fmt.Fprintln(stdout)
	return 0
}

// header describes the machine and the run.
func header(c *config) string {
	var b strings.Builder
	fmt.Fprintf(&b, "gonxbench: %s/%s, %s, %s; GOMAXPROCS=%d, peers pinned to %d threads\n",
		runtime.GOOS, runtime.GOARCH, cpuName(), runtime.Version(), runtime.GOMAXPROCS(0), c.threads)
	fmt.Fprintf(&b, "protocol: per cell one warm-up call, then the median of up to %d rounds over about %s in all (bench.Protocol)",
		c.proto.Rounds, c.proto.Target)
	if c.quick {
		b.WriteString("; -quick: rough numbers")
	}
	if l := loadAverage(); l != "" {
		fmt.Fprintf(&b, "\nload average at start: %s (on %d CPUs; other work on the machine slows every system, threaded peers most)", l, runtime.NumCPU())
	}
	return b.String()
}

// names splits a comma-separated list and checks every item is allowed.
func names(s string, allowed []string, flagName string) ([]string, error) {
	list := splitList(s)
	if len(list) == 0 {
		return nil, fmt.Errorf("%s is empty", flagName)
	}
	for _, n := range list {
		if !slices.Contains(allowed, n) {
			return nil, fmt.Errorf("%s: unknown %q (want some of %s)", flagName, n, strings.Join(allowed, ", "))
		}
	}
	return list, nil
}

// ints parses a comma-separated list of positive integers.
func ints(s, flagName string) ([]int, error) {
	var out []int
	for _, f := range splitList(s) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%s: %q is not a positive integer", flagName, f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s is empty", flagName)
	}
	return out, nil
}

// splitList splits a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for f := range strings.SplitSeq(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
