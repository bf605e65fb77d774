package cuda

import (
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// TestGPUBackend runs a training step through the "cuda" backend on a real
// GPU and compares it with the CPU (scripts/gpu-check runs it; it skips
// without a GPU).
func TestGPUBackend(t *testing.T) {
	gpuDevice(t)
	step := func(x, w1, w2, labels *nx.Tensor) (*nx.Tensor, *nx.Tensor, *nx.Tensor, *nx.Tensor) {
		loss := func(w []*nx.Tensor) *nx.Tensor {
			h := nx.Max(nx.Dot(x, w[0]), nx.Scalar(0, nx.F32))
			logits := nx.Dot(h, w[1])
			m := nx.ReduceMax(logits, nx.Axes(1), nx.KeepAxes())
			lse := nx.Add(nx.Log(nx.Sum(nx.Exp(nx.Subtract(logits, m)), nx.Axes(1), nx.KeepAxes())), m)
			onehot := nx.AsType(nx.Equal(nx.Reshape(labels, -1, 1), nx.Iota(nx.Shape{1, 10}, nx.Axis(1))), nx.F32)
			return nx.Mean(nx.Sum(nx.Multiply(onehot, nx.Subtract(lse, logits)), nx.Axes(1)))
		}
		v, g := nx.ValueAndGrad(loss)([]*nx.Tensor{w1, w2})
		return v, g[0], g[1], nx.Argmax(nx.Dot(x, w1), nx.Axis(1))
	}
	x := nx.Sin(nx.Divide(nx.Iota(nx.Shape{256, 784}, nx.Type(nx.F32)), nx.Scalar(1000, nx.F32)))
	w1 := nx.Multiply(nx.Cos(nx.Iota(nx.Shape{784, 128}, nx.Type(nx.F32))), nx.Scalar(0.05, nx.F32))
	w2 := nx.Multiply(nx.Sin(nx.Iota(nx.Shape{128, 10}, nx.Type(nx.F32))), nx.Scalar(0.1, nx.F32))
	labels := nx.Remainder(nx.Iota(nx.Shape{256}), nx.Scalar(int64(10)))
	a1, a2, a3, a4 := nx.Jit(step)(x, w1, w2, labels)
	var b1, b2, b3, b4 *nx.Tensor
	if err := nx.Try(func() { b1, b2, b3, b4 = nx.Jit(step, nx.OnBackend("cuda"))(x, w1, w2, labels) }); err != nil {
		t.Fatal(err)
	}
	for i, p := range [][2]*nx.Tensor{{a1, b1}, {a2, b2}, {a3, b3}} {
		if err := closeTo(p[0], p[1], 1e-3); err != nil { // cuBLAS may use TF32
			t.Errorf("result %d: %v", i, err)
		}
	}
	if err := closeTo(a4, b4, 0); err != nil {
		t.Logf("argmax differs (near ties under another summation order): %v", err)
	}
	t.Logf("%+v", BackendStats())
}
