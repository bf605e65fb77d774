//go:build linux && (amd64 || arm64)

package cuda

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda/codegen"
)

// The executable is tested without a GPU on hostGPU: device memory is host
// memory, kernels are the generated source compiled by gcc with codegen's C
// shim into a shared library called through purego, and GEMMs are nx's own
// Dot. A backend "cuda-host" runs compiled functions on it, so whole
// training steps compare with the CPU backend.

type hostGPU struct{}

// liveBuffers counts the host GPU's buffers not freed, to find leaks.
var liveBuffers atomic.Int64

type hostBuf struct{ b []byte }

func (h *hostBuf) free() {
	if h.b == nil {
		panic("buffer freed twice")
	}
	h.b = nil
	liveBuffers.Add(-1)
}

func (g *hostGPU) name() string { return "host emulation" }

func (g *hostGPU) alloc(bytes int) (devBuf, error) {
	liveBuffers.Add(1)
	return &hostBuf{b: make([]byte, max(bytes, 1))}, nil
}

func (g *hostGPU) upload(b devBuf, data []byte) error {
	copy(b.(*hostBuf).b, data)
	return nil
}

func (g *hostGPU) download(b devBuf, data []byte) error {
	copy(data, b.(*hostBuf).b)
	return nil
}

var kernelDecl = regexp.MustCompile(`NX_KERNEL (\w+)\(([^)]*)\)`)

type hostModule struct {
	fns map[string]func(grid int64, args unsafe.Pointer)
}

func (g *hostGPU) compile(src, name string) (devModule, error) {
	dir, err := os.MkdirTemp("", "nx-cuda-host")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir) // the loaded library stays mapped
	base := filepath.Join(dir, "m")
	shim, err := filepath.Abs("codegen/testdata/shim.h")
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#include %q\n%s\n", shim, src)
	var names []string
	for _, m := range kernelDecl.FindAllStringSubmatch(src, -1) {
		n := strings.Count(m[2], ",") + 1
		args := make([]string, n)
		for i := range args {
			args[i] = fmt.Sprintf("a[%d]", i)
		}
		fmt.Fprintf(&b, "void launch_%s(long long grid, void** a) {\n  nx_grid = grid;\n  for (nx_block_id = 0; nx_block_id < grid; nx_block_id++) %s(%s);\n}\n",
			m[1], m[1], strings.Join(args, ", "))
		names = append(names, m[1])
	}
	if err := os.WriteFile(base+".c", []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	if out, err := exec.Command("gcc", "-std=c99", "-O1", "-w", "-shared", "-fPIC", "-o", base+".so", base+".c", "-lm").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("gcc: %v\n%s", err, out)
	}
	h, err := purego.Dlopen(base+".so", purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		return nil, err
	}
	m := &hostModule{fns: map[string]func(int64, unsafe.Pointer){}}
	for _, n := range names {
		var fn func(int64, unsafe.Pointer)
		purego.RegisterLibFunc(&fn, h, "launch_"+n)
		m.fns[n] = fn
	}
	return m, nil
}

func (m *hostModule) launch(kernel string, grid, block uint32, args []devBuf) error {
	fn, ok := m.fns[kernel]
	if !ok {
		return fmt.Errorf("no kernel %s", kernel)
	}
	if block != codegen.BlockSize {
		return fmt.Errorf("block %d: the shim runs blocks of 256", block)
	}
	ptrs := make([]uintptr, len(args))
	for i, a := range args {
		ptrs[i] = uintptr(unsafe.Pointer(&a.(*hostBuf).b[0]))
	}
	var pin runtime.Pinner
	for _, a := range args {
		pin.Pin(&a.(*hostBuf).b[0])
	}
	pin.Pin(&ptrs[0])
	fn(int64(grid), unsafe.Pointer(&ptrs[0]))
	pin.Unpin()
	return nil
}

func (g *hostGPU) gemm(gm *codegen.Gemm, a, b, c devBuf) error {
	as := nx.Shape{gm.Batch, gm.M, gm.K}
	if gm.TransA {
		as = nx.Shape{gm.Batch, gm.K, gm.M}
	}
	bs := nx.Shape{gm.Batch, gm.K, gm.N}
	if gm.TransB {
		bs = nx.Shape{gm.Batch, gm.N, gm.K}
	}
	x, err := nx.FromBytes(a.(*hostBuf).b[:as.Size()*gm.DType.Size()], gm.DType, as...)
	if err != nil {
		return err
	}
	y, err := nx.FromBytes(b.(*hostBuf).b[:bs.Size()*gm.DType.Size()], gm.DType, bs...)
	if err != nil {
		return err
	}
	if gm.TransA {
		x = nx.Transpose(x, nx.Axes(0, 2, 1))
	}
	if gm.TransB {
		y = nx.Transpose(y, nx.Axes(0, 2, 1))
	}
	z := nx.DotGeneral(x, []int{2}, []int{0}, y, []int{1}, []int{0})
	copy(c.(*hostBuf).b, z.Bytes())
	return nil
}

var hostOnce sync.Once

// hostBackend registers "cuda-host", skipping the test without gcc.
func hostBackend(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("gcc not found")
	}
	hostOnce.Do(func() {
		nx.RegisterBackend("cuda-host", func() (nx.Driver, error) { return &driver{dev: &hostGPU{}}, nil })
	})
}

func TestExecutableOnHost(t *testing.T) {
	hostBackend(t)
	// A training step of a small MLP (GEMMs, fused chains, reductions,
	// broadcasts), with a sort that runs on the CPU and a While loop.
	step := func(x, w1, w2 *nx.Tensor, labels *nx.Tensor) (*nx.Tensor, *nx.Tensor, *nx.Tensor, *nx.Tensor, *nx.Tensor) {
		loss := func(w []*nx.Tensor) *nx.Tensor {
			h := nx.Max(nx.Dot(x, w[0]), nx.Scalar(0, nx.F32))
			logits := nx.Dot(h, w[1])
			m := nx.ReduceMax(logits, nx.Axes(1), nx.KeepAxes())
			lse := nx.Add(nx.Log(nx.Sum(nx.Exp(nx.Subtract(logits, m)), nx.Axes(1), nx.KeepAxes())), m)
			onehot := nx.AsType(nx.Equal(nx.Reshape(labels, -1, 1), nx.Iota(nx.Shape{1, 3}, nx.Axis(1))), nx.F32)
			return nx.Mean(nx.Sum(nx.Multiply(onehot, nx.Subtract(lse, logits)), nx.Axes(1)))
		}
		v, g := nx.ValueAndGrad(loss)([]*nx.Tensor{w1, w2})
		nw1 := nx.Subtract(w1, nx.Multiply(g[0], nx.Scalar(0.1, nx.F32)))
		sorted := nx.Sort(nx.Exp(w2), nx.Axis(1))
		loop := nx.While([]*nx.Tensor{nw1, nx.Scalar(int64(0))},
			func(s []*nx.Tensor) *nx.Tensor { return nx.Less(s[1], nx.Scalar(int64(3))) },
			func(s []*nx.Tensor) []*nx.Tensor {
				return []*nx.Tensor{nx.Tanh(s[0]), nx.Add(s[1], nx.Scalar(int64(1)))}
			})
		return v, nw1, sorted, loop[0], nx.Argmax(nx.Dot(x, nw1), nx.Axis(1))
	}
	x := nx.Divide(nx.Iota(nx.Shape{8, 5}, nx.Type(nx.F32)), nx.Scalar(40, nx.F32))
	w1 := nx.Sin(nx.Iota(nx.Shape{5, 6}, nx.Type(nx.F32)))
	w2 := nx.Cos(nx.Iota(nx.Shape{6, 3}, nx.Type(nx.F32)))
	labels := nx.FromSlice([]int64{0, 2, 1, 1, 0, 2, 2, 1}, 8)
	before := BackendStats()
	a1, a2, a3, a4, a5 := nx.Jit(step)(x, w1, w2, labels)
	gpu := nx.Jit(step, nx.OnBackend("cuda-host"))
	var live []int64
	for round := 0; round < 3; round++ { // later calls reuse the compiled plan
		b1, b2, b3, b4, b5 := gpu(x, w1, w2, labels)
		live = append(live, liveBuffers.Load())
		for i, p := range [][2]*nx.Tensor{{a1, b1}, {a2, b2}, {a3, b3}, {a4, b4}, {a5, b5}} {
			if err := closeTo(p[0], p[1], 1e-5); err != nil {
				t.Errorf("round %d, result %d: %v", round, i, err)
			}
		}
	}
	if live[1] != live[0] || live[2] != live[0] {
		t.Errorf("device buffers alive after each call: %v (a leak)", live)
	}
	st := BackendStats()
	t.Logf("stats after three calls: %+v; buffers alive: %v", st, live)
	if st.Graphs-before.Graphs != 3 || // the step, the loop's condition and body
		st.Gemms == before.Gemms || st.Kernels == before.Kernels {
		t.Errorf("stats %+v (before %+v)", st, before)
	}
	if st.HostSteps-before.HostSteps != 3 || st.HostBytes == before.HostBytes || st.Iterations-before.Iterations != 9 { // a sort, and 3 iterations, per call
		t.Errorf("host steps %d, bytes %d", st.HostSteps-before.HostSteps, st.HostBytes-before.HostBytes)
	}
}

func closeTo(want, got *nx.Tensor, tol float64) error {
	if want.DType() != got.DType() || !want.Shape().Equal(got.Shape()) {
		return fmt.Errorf("got %v %v, want %v %v", got.DType(), got.Shape(), want.DType(), want.Shape())
	}
	w, g := want.Float64s(), got.Float64s()
	for i := range w {
		if math.Abs(w[i]-g[i]) > tol*math.Max(1, math.Abs(w[i])) {
			return fmt.Errorf("element %d: got %v, want %v", i, g[i], w[i])
		}
	}
	return nil
}

// TestNoDriver selects the backend in a process that finds no driver.
func TestBackendNoDriver(t *testing.T) {
	if os.Getenv("NX_CUDA_NODRIVER_CHILD") == "1" {
		f := nx.Jit(func(a *nx.Tensor) *nx.Tensor { return nx.Exp(a) })
		err := nx.Try(func() { f(nx.FromSlice([]float32{1}, 1)) })
		fmt.Printf("backend=%s\nerr=%v\nset=%v\n", nx.Backend(), err, nx.SetBackend("cuda"))
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestBackendNoDriver$")
	cmd.Env = append(os.Environ(), "NX_CUDA_NODRIVER_CHILD=1", "NX_BACKEND=cuda", "NX_CUDA_LIBRARY_PATH="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	s := string(out)
	t.Logf("child:\n%s", s)
	if !strings.Contains(s, "backend=cuda") || strings.Count(s, "no CUDA driver found") < 2 {
		t.Errorf("output:\n%s", s)
	}
}

// TestExecutableConcurrent calls one compiled function from several
// goroutines (runs of one executable take turns on its stream).
func TestExecutableConcurrent(t *testing.T) {
	hostBackend(t)
	f := nx.Jit(func(x, y *nx.Tensor) *nx.Tensor {
		return nx.Sum(nx.Multiply(nx.Exp(x), y), nx.Axes(1))
	}, nx.OnBackend("cuda-host"))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := nx.Divide(nx.Iota(nx.Shape{4, 50}, nx.Type(nx.F32)), nx.Scalar(float32(50+g), nx.F32))
			y := nx.Full(float32(g), nx.F32, 4, 50)
			want := nx.Sum(nx.Multiply(nx.Exp(x), y), nx.Axes(1))
			for range 5 {
				var got *nx.Tensor
				if err := nx.Try(func() { got = f(x, y) }); err != nil {
					errs <- err
					return
				}
				if err := closeTo(want, got, 1e-6); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
