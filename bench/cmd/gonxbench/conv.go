package main

import (
	"context"
	"fmt"
	"math"

	"github.com/gonx-dev/gonx/bench"
	"github.com/gonx-dev/gonx/nx"
)

// convTol is the relative tolerance of conv checks (f32 sums of absolute
// values over millions of elements, accumulated in different orders).
const convTol = 1e-3

// convParams are the differentiated arguments of the conv benchmark.
type convParams struct {
	X, W1, W2 *nx.Tensor
}

// convFill fills n f32 values as peers/conv.py's fill does.
func convFill(n, mul, mod int, div, sub float32, shape ...int) *nx.Tensor {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32((i*mul)%mod)/div - sub
	}
	return nx.FromSlice(v, shape...)
}

// convForward is the network: [b,1,28,28] → 32 3×3 → 64 3×3, valid padding.
func convForward(p convParams) *nx.Tensor { return nx.Conv(nx.Conv(p.X, p.W1), p.W2) }

// convLoss is the scalar whose gradient the backward case computes.
func convLoss(p convParams) *nx.Tensor { return nx.Sum(convForward(p)) }

// absSum is a check: the sum of the absolute values of the tensors.
func absSum(ts ...*nx.Tensor) float64 {
	s := 0.0
	for _, t := range ts {
		for _, v := range t.Float32s() {
			s += math.Abs(float64(v))
		}
	}
	return s
}

// convTable measures the two-layer convolution forward and forward+backward:
// nx eager and compiled, and PyTorch.
func convTable(ctx context.Context, c *config, peers *bench.Runner) *bench.Table {
	b := c.batch
	t := &bench.Table{
		Title:    fmt.Sprintf("conv2d: [%d,1,28,28] → 32×3×3 → 64×3×3 (valid, stride 1, no bias), f32; backward = ∂sum/∂(input, both kernels)", b),
		Baseline: "nx",
		Systems:  []string{"nx Jit", "torch"},
	}
	p := convParams{
		X:  convFill(b*28*28, 7, 13, 6, 1, b, 1, 28, 28),
		W1: convFill(32*9, 5, 11, 20, 0.25, 32, 1, 3, 3),
		W2: convFill(64*32*9, 3, 7, 40, 0.075, 64, 32, 3, 3),
	}
	// Multiply-adds of the two layers; the backward pass does each layer's
	// product twice more (the gradients of its input and of its kernel).
	macs := float64(b*32*26*26*9) + float64(b*64*24*24*32*9)
	fwd := peerCase{name: "forward", flops: 2 * macs}
	bwd := peerCase{name: "forward+backward", flops: 6 * macs}

	measure := func(system string, pc *peerCase, fn func() float64) {
		res := bench.Result{Case: pc.name, System: system, Flops: pc.flops}
		var got float64
		if msg := try(func() { got = fn() }); msg != "" {
			res.Unavailable = msg
		} else {
			if system == "nx" {
				pc.check = got
			} else {
				res.Note = checkNote("nx", got, pc.check, convTol)
			}
			res.PerOp = c.proto.Measure(func() { fn() })
		}
		t.Add(res)
	}
	fwd.check, bwd.check = math.NaN(), math.NaN()
	measure("nx", &fwd, func() float64 { return absSum(convForward(p)) })
	jf := nx.Jit(convForward)
	measure("nx Jit", &fwd, func() float64 { return absSum(jf(p)) })

	grad := nx.Grad(convLoss)
	measure("nx", &bwd, func() float64 { g := grad(p); return absSum(g.X, g.W1, g.W2) })
	jg := nx.Jit(grad)
	measure("nx Jit", &bwd, func() float64 { g := jg(p); return absSum(g.X, g.W1, g.W2) })

	err := peers.CheckPython(ctx, "torch")
	var out *bench.PeerOutput
	if err == nil {
		out, err = peers.RunPython(ctx, "conv.py", nil, "--batch", fmt.Sprint(b))
	}
	addPeer(t, out, err, "", "torch", []peerCase{fwd, bwd}, convTol)
	t.AddNote("GF/s counts the direct convolution's multiply-adds as 2 operations: forward %.3g GFLOP, forward+backward %.3g GFLOP", fwd.flops/1e9, bwd.flops/1e9)
	t.AddNote("nx: nx.Conv, gradient by nx.Grad (eager); nx Jit: nx.Jit of the same functions; torch: F.conv2d, torch.autograd.grad")
	t.AddNote("goal: nx Jit at least 0.7× the speed of PyTorch on forward+backward: %s", goalVerdict(t, bwd.name, "nx Jit", "torch", 0.7))
	return t
}
