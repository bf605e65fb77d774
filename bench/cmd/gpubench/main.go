// Command gpubench measures gonx on an NVIDIA GPU: the training throughput of
// the MNIST MLP and CNN (samples/s, axon.Trainer with every compiled step on
// the cuda backend) and GEMM TFLOP/s, both through nx.Jit (inputs copied to
// the device and the product back on every call) and through the runtime's
// cuBLAS call on device-resident buffers. It prints one JSON object a line;
// scripts/gpu-bench runs it beside bench/peers/gpu_torch.py (PyTorch on the
// same GPU) and prints the two side by side.
//
//	go run ./bench/cmd/gpubench -rounds 5
//
// Without a GPU it exits with the backend's error ("no CUDA driver found").
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"iter"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/axon/losses"
	"github.com/gonx-dev/gonx/axon/optim"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda"
	"github.com/gonx-dev/gonx/nx/random"
)

func main() {
	rounds := flag.Int("rounds", 5, "timed rounds per case; the median is printed")
	steps := flag.Int("steps", 20, "training steps per timed round")
	batch := flag.Int("batch", 128, "training batch size")
	sizes := flag.String("sizes", "1024,2048,4096,8192", "GEMM sizes n (n×n·n×n, f32)")
	models := flag.String("models", "mlp,cnn", "models to train")
	flag.Parse()
	if err := run(*rounds, *steps, *batch, *sizes, *models); err != nil {
		fmt.Fprintln(os.Stderr, "gpubench:", err)
		os.Exit(1)
	}
}

func emit(kind, name string, value float64, unit string) {
	b, _ := json.Marshal(map[string]any{"system": "nx", "kind": kind, "case": name, "value": value, "unit": unit})
	fmt.Println(string(b))
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

func run(rounds, steps, batch int, sizes, models string) error {
	if err := nx.SetBackend("cuda"); err != nil {
		return err
	}
	dev, err := cuda.Open(0)
	if err != nil {
		return err
	}
	b, _ := json.Marshal(map[string]any{"info": "device", "value": dev.String()})
	fmt.Println(string(b))
	for _, m := range strings.Split(models, ",") {
		sps, err := train(m, rounds, steps, batch)
		if err != nil {
			return fmt.Errorf("%s: %w", m, err)
		}
		emit("train", m, sps, "samples/s")
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("size %q: %w", s, err)
		}
		jit, raw, err := gemm(dev, n, rounds)
		if err != nil {
			return fmt.Errorf("gemm %d: %w", n, err)
		}
		emit("gemm-jit", strconv.Itoa(n), jit, "TFLOP/s")
		emit("gemm-blas", strconv.Itoa(n), raw, "TFLOP/s")
	}
	st := cuda.BackendStats()
	b, _ = json.Marshal(map[string]any{"info": "stats", "value": fmt.Sprintf("%+v", st)})
	fmt.Println(string(b))
	return nil
}

func model(name string) (*axon.Node, error) {
	switch name {
	case "mlp":
		return axon.Input("image", -1, 1, 28, 28).Flatten().Dense(128, axon.ReLU).Dense(10), nil
	case "cnn":
		return axon.Input("image", -1, 1, 28, 28).
			Conv(32, 3, axon.ReLU).Conv(64, 3, axon.ReLU).MaxPool(2).Dropout(0.25).
			Flatten().Dense(128, axon.ReLU).Dropout(0.5).Dense(10), nil
	}
	return nil, fmt.Errorf("unknown model %q", name)
}

func repeat(x, y *nx.Tensor, n int) axon.Dataset {
	return axon.DatasetFunc(func(int) iter.Seq[axon.Batch] {
		return func(yield func(axon.Batch) bool) {
			for range n {
				if !yield(axon.Batch{X: x, Y: y}) {
					return
				}
			}
		}
	})
}

// train returns the samples/s of training steps (forward, gradient, Adam)
// on one random batch, the median of rounds.
func train(name string, rounds, steps, batch int) (float64, error) {
	m, err := model(name)
	if err != nil {
		return 0, err
	}
	x, _ := random.Uniform(random.Key(1), 0, 1, nx.Shape{batch, 1, 28, 28}, nx.F32)
	y := nx.Remainder(nx.Iota(nx.Shape{batch}), nx.Scalar(int64(10)))
	loop := axon.Trainer(m, losses.SoftmaxCrossEntropy, optim.Adam(1e-3), axon.Progress(nil))
	init, _ := m.Build()
	var state *axon.ModelState
	if err := nx.Try(func() { state = init(random.Key(2), x) }); err != nil {
		return 0, err
	}
	ctx := context.Background()
	if state, err = loop.Run(ctx, repeat(x, y, 2), state); err != nil { // compile, warm up
		return 0, err
	}
	var ds []time.Duration
	for range rounds {
		start := time.Now()
		if state, err = loop.Run(ctx, repeat(x, y, steps), state); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	return float64(steps*batch) / median(ds).Seconds(), nil
}

// gemm returns the TFLOP/s of an n×n f32 product through nx.Jit and through
// the runtime's cuBLAS call on device buffers.
func gemm(dev *cuda.Device, n, rounds int) (jit, raw float64, err error) {
	a, next := random.Uniform(random.Key(3), -1, 1, nx.Shape{n, n}, nx.F32)
	b, _ := random.Uniform(next, -1, 1, nx.Shape{n, n}, nx.F32)
	dot := nx.Jit(func(a, b *nx.Tensor) *nx.Tensor { return nx.Dot(a, b) })
	if err := nx.Try(func() { dot(a, b) }); err != nil {
		return 0, 0, err
	}
	flops := 2 * float64(n) * float64(n) * float64(n)
	var ds []time.Duration
	for range rounds {
		start := time.Now()
		dot(a, b)
		ds = append(ds, time.Since(start))
	}
	jit = flops / median(ds).Seconds() / 1e12

	blas, err := dev.BLAS()
	if err != nil {
		return jit, 0, err
	}
	s, err := dev.NewStream()
	if err != nil {
		return jit, 0, err
	}
	defer s.Close()
	bufs := make([]*cuda.Buffer, 3)
	for i := range bufs {
		if bufs[i], err = dev.Alloc(n * n * 4); err != nil {
			return jit, 0, err
		}
		defer bufs[i].Free()
	}
	if err := bufs[0].CopyFromHost(s, a.Bytes()); err != nil {
		return jit, 0, err
	}
	if err := bufs[1].CopyFromHost(s, b.Bytes()); err != nil {
		return jit, 0, err
	}
	const reps = 10
	call := func() error {
		for range reps {
			if err := blas.Gemm(s, nx.F32, false, false, n, n, n, 1, bufs[0], n, bufs[1], n, 0, bufs[2], n); err != nil {
				return err
			}
		}
		return s.Synchronize()
	}
	if err := call(); err != nil {
		return jit, 0, err
	}
	ds = ds[:0]
	for range rounds {
		start := time.Now()
		if err := call(); err != nil {
			return jit, 0, err
		}
		ds = append(ds, time.Since(start))
	}
	raw = flops * reps / median(ds).Seconds() / 1e12
	return jit, raw, nil
}
