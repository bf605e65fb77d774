//go:build linux && (amd64 || arm64)

package cuda

// Tests against host implementations of libcuda, libnvrtc and libcublas
// (testdata/fake), built with gcc and loaded through NX_CUDA_LIBRARY_PATH.
// They prove the bindings — argument order, widths, pointer passing, result
// codes — by calling C code compiled against the prototypes in symbols.

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

var (
	fakeOnce sync.Once
	fakeDir  string
	fakeErr  error
	fakeRoot string // a temporary directory removed by TestMain
)

// protosHeader returns a C header declaring every bound entry point with the
// prototype recorded in symbols.
func protosHeader() string {
	var b strings.Builder
	b.WriteString("/* Generated from the symbols table of package cuda. */\n#include \"fake.h\"\n")
	for _, s := range symbols {
		b.WriteString(s.proto + ";\n")
	}
	return b.String()
}

// buildFake compiles the fake libraries into a temporary directory.
func buildFake() (string, error) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(fakeRoot, "lib")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "protos.h"), []byte(protosHeader()), 0o644); err != nil {
		return "", err
	}
	src, err := filepath.Abs("testdata/fake")
	if err != nil {
		return "", err
	}
	common := []string{"-shared", "-fPIC", "-O1", "-std=gnu11", "-Wall", "-Werror", "-I" + dir, "-I" + src}
	for _, c := range []struct{ out, src string }{
		{"libcuda.so.1", "fakecuda.c"},
		{"libnvrtc.so.12", "fakenvrtc.c"},
		{"libcublas.so.12", "fakecublas.c"},
	} {
		args := append(slices.Clone(common), "-Wl,-soname,"+c.out, "-o", filepath.Join(dir, c.out), filepath.Join(src, c.src))
		if c.out != "libcuda.so.1" {
			args = append(args, "-L"+dir, "-l:libcuda.so.1", "-Wl,-rpath,"+dir)
		}
		args = append(args, "-lpthread", "-lm")
		if out, err := exec.Command(gcc, args...).CombinedOutput(); err != nil {
			return "", fmt.Errorf("gcc %s: %v\n%s", c.src, err, out)
		}
	}
	return dir, nil
}

// fake points the package at the fake libraries (building them on first use),
// resets their state and returns their test controls.
func fake(t *testing.T) *fakeControls {
	t.Helper()
	if systemLoaded {
		t.Skip("the system's CUDA libraries are loaded in this process; run the fake tests alone: go test -run 'TestFake|TestNo|TestMissing|TestImport'")
	}
	fakeOnce.Do(func() { fakeDir, fakeErr = buildFake() })
	if errors.Is(fakeErr, exec.ErrNotFound) {
		t.Skip("gcc not found: the fake CUDA libraries cannot be built")
	}
	if fakeErr != nil {
		t.Fatal(fakeErr)
	}
	useDir(t, fakeDir)
	fakeLoaded = true
	c := bindControls(t, fakeDir)
	c.reset()
	return c
}

// fakeControls are the test hooks the fake libraries export.
type fakeControls struct {
	reset             func()
	setDevices        func(n int32)
	setInitError      func(code int32)
	setPTXUnsupported func(on int32)
	fail              func(fn string, code, after int32)
	calls             func(fn string) int64
	liveAllocs        func() int64
	lastStream        func() uintptr
	lastLaunch        func(name *byte, n uintptr, dims *uint32, nparams *int32, params *uint64) int32
	nvrtcOptions      func() string
	cuMemAllocRaw     func(p *uintptr, n uintptr) cuResult
}

func bindControls(t *testing.T, dir string) *fakeControls {
	t.Helper()
	c := &fakeControls{}
	for _, l := range []struct {
		file string
		syms map[string]any
	}{
		{"libcuda.so.1", map[string]any{
			"fake_reset": &c.reset, "fake_set_devices": &c.setDevices, "fake_set_init_error": &c.setInitError,
			"fake_set_ptx_unsupported": &c.setPTXUnsupported, "fake_fail": &c.fail, "fake_calls": &c.calls,
			"fake_live_allocs": &c.liveAllocs, "fake_last_stream": &c.lastStream, "fake_last_launch": &c.lastLaunch,
			"cuMemAlloc_v2": &c.cuMemAllocRaw,
		}},
		{"libnvrtc.so.12", map[string]any{"fake_nvrtc_last_options": &c.nvrtcOptions}},
	} {
		h, err := dlopen(filepath.Join(dir, l.file))
		if err != nil {
			t.Fatal(err)
		}
		for name, fn := range l.syms {
			addr := dlsym(h, name)
			if addr == 0 {
				t.Fatalf("%s: no symbol %s", l.file, name)
			}
			if err := bind(fn, addr); err != nil {
				t.Fatal(err)
			}
		}
	}
	return c
}

func TestMain(m *testing.M) {
	if os.Getenv("NX_CUDA_TEST_HELPER") == "maps" {
		helperMaps()
		return
	}
	// Nothing may be loaded by importing the package.
	if cuInit != nil || libs != [3]*loaded{} || drv != nil {
		fmt.Fprintln(os.Stderr, "package cuda loaded a library before its first use")
		os.Exit(1)
	}
	var err error
	if fakeRoot, err = os.MkdirTemp("", "nxcuda"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(fakeRoot)
	os.Exit(code)
}

// helperMaps runs in a child process: it reports whether a CUDA library is
// mapped before and after the first call of Available.
func helperMaps() {
	mapped := func() bool {
		b, _ := os.ReadFile("/proc/self/maps")
		return bytes.Contains(b, []byte("libcuda.so")) || bytes.Contains(b, []byte("libnvrtc.so")) || bytes.Contains(b, []byte("libcublas.so"))
	}
	before := mapped()
	err := Available()
	fmt.Printf("before=%v after=%v err=%v\n", before, mapped(), err)
}

func TestImportLoadsNothing(t *testing.T) {
	fake(t)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "NX_CUDA_TEST_HELPER=maps", EnvLibraryPath+"="+fakeDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != "before=false after=true err=<nil>" {
		t.Fatalf("child reported %q; want the library mapped only after Available", got)
	}
}

func TestNoDriver(t *testing.T) {
	empty := t.TempDir()
	useDir(t, empty)
	check := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ErrNoDriver) {
			t.Fatalf("%s: %v, want ErrNoDriver", what, err)
		}
		for _, s := range []string{"no CUDA driver found", "libcuda.so.1", empty} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: %q does not mention %q", what, err, s)
			}
		}
	}
	check("Available", Available())
	_, err := DeviceCount()
	check("DeviceCount", err)
	d, err := Open(0)
	check("Open", err)
	if d != nil {
		t.Error("Open returned a device")
	}
	check("Available again", Available())

	// A file that is not a shared library.
	if err := os.WriteFile(filepath.Join(empty, "libcuda.so.1"), []byte("not an ELF file"), 0o644); err != nil {
		t.Fatal(err)
	}
	useDir(t, empty)
	err = Available()
	check("garbage libcuda.so.1", err)
	if !strings.Contains(err.Error(), "last error") {
		t.Errorf("the loader's error is not reported: %v", err)
	}
}

func TestMissingEntryPoints(t *testing.T) {
	fake(t) // skips without gcc
	dir := t.TempDir()
	src := filepath.Join(dir, "stub.c")
	os.WriteFile(src, []byte("int cuInit(unsigned f) { return 0; }\n"), 0o644)
	if out, err := exec.Command("gcc", "-shared", "-fPIC", "-o", filepath.Join(dir, "libcuda.so.1"), src).CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	useDir(t, dir)
	err := Available()
	if !errors.Is(err, ErrNoDriver) || !strings.Contains(err.Error(), "cuLaunchKernel") || strings.Contains(err.Error(), "cuGetErrorName") {
		t.Fatalf("a libcuda without most entry points: %v; want ErrNoDriver naming the required ones", err)
	}
}

func TestFakeNoDevice(t *testing.T) {
	c := fake(t)
	c.setDevices(0)
	if err := Available(); !errors.Is(err, ErrNoDevice) || errors.Is(err, ErrNoDriver) {
		t.Fatalf("zero devices: %v, want ErrNoDevice", err)
	}
	c = fake(t)
	c.setInitError(100)
	err := Available()
	var e *Error
	if !errors.Is(err, ErrNoDevice) || !errors.As(err, &e) || e.Name != "CUDA_ERROR_NO_DEVICE" || e.Op != "cuInit" {
		t.Fatalf("cuInit failing with 100: %v", err)
	}
	c = fake(t)
	c.setInitError(34)
	if err := Available(); !errors.Is(err, ErrNoDriver) || !strings.Contains(err.Error(), "CUDA_ERROR_STUB_LIBRARY") {
		t.Fatalf("stub driver: %v", err)
	}
}

func TestFakeDevices(t *testing.T) {
	fake(t)
	if err := Available(); err != nil {
		t.Fatal(err)
	}
	if n, err := DeviceCount(); n != 2 || err != nil {
		t.Fatalf("DeviceCount = %d, %v", n, err)
	}
	if v, err := DriverVersion(); v != 12040 || err != nil {
		t.Fatalf("DriverVersion = %d, %v", v, err)
	}
	for i, want := range []struct {
		name         string
		mem          int64
		major, minor int
		sms          int
	}{{"Fake CUDA Device 0", 16 << 30, 8, 6, 4}, {"Fake CUDA Device 1", 17 << 30, 9, 0, 5}} {
		d, err := Open(i)
		if err != nil {
			t.Fatal(err)
		}
		major, minor := d.ComputeCapability()
		if d.Name() != want.name || d.TotalMemory() != want.mem || major != want.major || minor != want.minor ||
			d.Ordinal() != i || d.Multiprocessors() != want.sms || d.MaxThreadsPerBlock() != 1024 {
			t.Errorf("device %d: %v %d %d.%d sms %d", i, d, d.TotalMemory(), major, minor, d.Multiprocessors())
		}
	}
	if s := fmt.Sprint(mustOpen(t, 0)); s != "cuda:0 (Fake CUDA Device 0, sm_86, 16 GiB)" {
		t.Errorf("String = %q", s)
	}
	for _, bad := range []int{-1, 2} {
		if _, err := Open(bad); !errors.Is(err, ErrNoDevice) {
			t.Errorf("Open(%d): %v, want ErrNoDevice", bad, err)
		}
	}
	// Concurrent Opens return the one cached device.
	var wg sync.WaitGroup
	got := make([]*Device, 8)
	for i := range got {
		wg.Go(func() { got[i], _ = Open(1) })
	}
	wg.Wait()
	for _, d := range got {
		if d == nil || d != got[0] {
			t.Fatal("Open(1) returned different devices")
		}
	}
}

func mustOpen(t *testing.T, i int) *Device {
	t.Helper()
	d, err := Open(i)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFakeMemory(t *testing.T) {
	c := fake(t)
	d := mustOpen(t, 0)
	checkMemory(t, d)
	if err := d.EmptyCache(); err != nil {
		t.Fatal(err)
	}
	if n := c.liveAllocs(); n != 0 {
		t.Errorf("%d device allocations live after freeing every buffer and EmptyCache", n)
	}
}

func TestFakePool(t *testing.T) {
	c := fake(t)
	d := mustOpen(t, 0)
	checkPool(t, d)
	// MemoryInfo counts cached blocks as used.
	b0, _ := d.Alloc(1 << 20)
	b0.Free()
	if free, total, err := d.MemoryInfo(); err != nil || total-free != 1<<20 {
		t.Fatalf("MemoryInfo with 1 MiB cached: free %d of %d, %v", free, total, err)
	}
	d.EmptyCache()
	// PoolStats agrees with the driver's own count of cuMemAlloc calls.
	before, calls := d.PoolStats(), c.calls("cuMemAlloc_v2")
	var bufs []*Buffer
	for range 3 {
		for _, n := range []int{100, 3000, 70000} {
			b, err := d.Alloc(n)
			if err != nil {
				t.Fatal(err)
			}
			bufs = append(bufs, b)
		}
		for _, b := range bufs {
			b.Free()
		}
		bufs = bufs[:0]
	}
	after := d.PoolStats()
	if got := c.calls("cuMemAlloc_v2") - calls; got != 3 || after.DriverAllocs-before.DriverAllocs != 3 || after.CacheHits-before.CacheHits != 6 {
		t.Fatalf("9 allocations of 3 sizes in 3 rounds: %d cuMemAlloc calls, stats %+v", got, after)
	}
	// Out of memory: the cache is released and the allocation retried.
	c.fail("cuMemAlloc_v2", 2, 0)
	b, err := d.Alloc(1 << 20)
	if err != nil {
		t.Fatalf("Alloc after an injected out-of-memory: %v", err)
	}
	if st := d.PoolStats(); st.BytesCached != 0 || st.DriverFrees != after.DriverFrees+3 {
		t.Fatalf("after the retry: %+v", st)
	}
	b.Free()
	// When the retry fails too, the error is the driver's, and nothing leaks.
	st := d.PoolStats()
	_, err = d.Alloc(1 << 37) // more than the fake lets anyone allocate
	var e *Error
	if !errors.As(err, &e) || e.Name != "CUDA_ERROR_OUT_OF_MEMORY" || !strings.Contains(err.Error(), "Alloc(137438953472)") {
		t.Fatalf("an allocation that cannot succeed: %v", err)
	}
	if st2 := d.PoolStats(); st2.Allocs != st.Allocs || st2.BytesInUse != st.BytesInUse {
		t.Fatalf("a failed Alloc changed the stats: %+v -> %+v", st, st2)
	}
}

func TestFakeGarbageCollectedBuffer(t *testing.T) {
	fake(t)
	d := mustOpen(t, 0)
	before := d.PoolStats()
	func() {
		if _, err := d.Alloc(4096); err != nil {
			t.Fatal(err)
		}
	}()
	for range 20 {
		runtime.GC()
		if d.PoolStats().Frees > before.Frees {
			return
		}
	}
	t.Fatal("an unreachable Buffer was not returned to the pool")
}

func TestFakeErrors(t *testing.T) {
	c := fake(t)
	d := mustOpen(t, 0)
	b, _ := d.Alloc(64)
	defer b.Free()
	for _, tc := range []struct {
		fn       string
		code     int32
		name     string
		do       func() error
		wantMsg  string
		wantCode int
	}{
		{"cuMemcpyHtoDAsync_v2", 700, "CUDA_ERROR_ILLEGAL_ADDRESS", func() error { return b.CopyFromHost(nil, make([]byte, 8)) }, "fake driver error 700", 700},
		{"cuStreamSynchronize", 777, "CUDA_ERROR_FAKE_ONLY", func() error { return b.CopyToHost(nil, make([]byte, 8)) }, "fake driver error 777", 777},
		{"cuMemsetD8Async", 778, "CUDA_ERROR_UNKNOWN_778", func() error { return b.Memset(nil, 1) }, "", 778},
		{"cuStreamCreate", 2, "CUDA_ERROR_OUT_OF_MEMORY", func() error { _, err := d.NewStream(); return err }, "", 2},
		{"nvrtcCreateProgram", 1, "NVRTC_ERROR_OUT_OF_MEMORY", func() error { _, err := d.CompileModule("// x", "x.cu"); return err }, "", 1},
		{"cublasSgemm_v2", 13, "CUBLAS_STATUS_EXECUTION_FAILED", func() error {
			blas, err := d.BLAS()
			if err != nil {
				return err
			}
			return blas.Gemm(nil, nx.F32, false, false, 2, 2, 2, 1, b, 2, b, 2, 0, b, 2)
		}, "", 13},
		{"cuCtxSetCurrent", 201, "CUDA_ERROR_INVALID_CONTEXT", func() error { return d.Synchronize() }, "", 201},
	} {
		c.fail(tc.fn, tc.code, 0)
		err := tc.do()
		var e *Error
		if !errors.As(err, &e) || e.Op != tc.fn || e.Name != tc.name || e.Code != tc.wantCode || !strings.Contains(e.Msg, tc.wantMsg) {
			t.Errorf("%s failing with %d: %v (%#v)", tc.fn, tc.code, err, e)
		}
	}
	// The driver's own text for a code (cuGetErrorString) is in the message.
	if s := cuErr("cuX", 2).Error(); s != "cuda: cuX: CUDA_ERROR_OUT_OF_MEMORY (2): fake driver error 2" {
		t.Errorf("Error() = %q", s)
	}
}

// TestFakeContextPerThread shows the fake enforces the driver's rule (a call
// on a thread with no current context fails) and that the package follows it
// from many goroutines, on two devices at once.
func TestFakeContextPerThread(t *testing.T) {
	c := fake(t)
	d0, d1 := mustOpen(t, 0), mustOpen(t, 1)
	done := make(chan cuResult)
	go func() {
		runtime.LockOSThread() // the thread exits with the goroutine
		cuCtxSetCurrent(0)
		var p uintptr
		done <- c.cuMemAllocRaw(&p, 64)
	}()
	if r := <-done; r != 201 {
		t.Fatalf("cuMemAlloc on a thread without a context returned %d; want 201", r)
	}
	// Meanwhile other goroutines clear the current context of whatever thread
	// they run on.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
					cuCtxSetCurrent(0)
					runtime.Gosched()
				}
			}
		})
	}
	checkConcurrent(t, d0, d1)
	close(stop)
	wg.Wait()
}

func TestFakeStreams(t *testing.T) {
	c := fake(t)
	d0, d1 := mustOpen(t, 0), mustOpen(t, 1)
	s, err := d0.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := d0.Alloc(8)
	if err := b.CopyFromHost(s, make([]byte, 8)); err != nil {
		t.Fatal(err)
	}
	if got := c.lastStream(); got != s.h || got == 0 {
		t.Fatalf("copy ran on stream %#x, want %#x", got, s.h)
	}
	if err := b.CopyFromHost(nil, make([]byte, 8)); err != nil || c.lastStream() != 0 {
		t.Fatalf("nil stream: %v, ran on %#x", err, c.lastStream())
	}
	s1, _ := d1.NewStream()
	if err := b.CopyFromHost(s1, make([]byte, 8)); err == nil {
		t.Error("a stream of device 1 was used for a buffer of device 0")
	}
	var nilStream *Stream
	if err := nilStream.Synchronize(); err == nil {
		t.Error("Synchronize on a nil stream succeeded")
	}
	b.Free()
	s.Close()
	s1.Close()
}

func TestFakeKernel(t *testing.T) {
	c := fake(t)
	d := mustOpen(t, 0)
	checkKernel(t, d)
	checkCompileError(t, d)
	if opts := c.nvrtcOptions(); opts != "--gpu-arch=compute_86\n" {
		t.Errorf("NVRTC options %q", opts)
	}
}

// TestFakeLaunchArgs checks the bytes the driver receives for each argument type.
func TestFakeLaunchArgs(t *testing.T) {
	c := fake(t)
	d := mustOpen(t, 0)
	src := `extern "C" __global__ void probe(float a, double b, int c, long long d, unsigned e, float* p, unsigned long long f, const int* q) {}`
	m, err := d.CompileModule(src, "probe.cu", "-DPROBE=1", "-lineinfo")
	if err != nil {
		t.Fatal(err)
	}
	if opts := c.nvrtcOptions(); opts != "-DPROBE=1\n-lineinfo\n--gpu-arch=compute_86\n" {
		t.Errorf("NVRTC options %q", opts)
	}
	f, err := m.Function("probe")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := d.NewStream()
	defer s.Close()
	buf, _ := d.Alloc(32)
	defer buf.Free()
	err = f.Launch(s, [3]uint32{7, 8, 9}, [3]uint32{4, 5, 6}, 1234,
		float32(1.5), -2.25, int32(-5), int64(-1<<40), uint32(0xFFFFFFFF), buf, uint64(1<<63|7), uintptr(0xDEADBEEF))
	if err != nil {
		t.Fatal(err)
	}
	name := make([]byte, 64)
	dims := make([]uint32, 7)
	var np int32
	params := make([]uint64, 32)
	c.lastLaunch(&name[0], 64, &dims[0], &np, &params[0])
	if got := cString(&name[0]); got != "probe" {
		t.Errorf("kernel %q", got)
	}
	if !slices.Equal(dims, []uint32{7, 8, 9, 4, 5, 6, 1234}) {
		t.Errorf("grid, block, shared memory = %v", dims)
	}
	want := []uint64{0x3FC00000, 0xC002000000000000, 0xFFFFFFFB, 0xFFFFFF0000000000, 0xFFFFFFFF, uint64(buf.Ptr()), 1<<63 | 7, 0xDEADBEEF}
	if int(np) != len(want) || !slices.Equal(params[:np], want) {
		t.Errorf("parameters received:\n%#x\nwant\n%#x", params[:np], want)
	}
	if c.lastStream() != s.h {
		t.Error("launch not on the given stream")
	}
	freed, _ := d.Alloc(8)
	freed.Free()
	if err := f.Launch(s, [3]uint32{1, 1, 1}, [3]uint32{1, 1, 1}, 0, freed); !errors.Is(err, ErrFreed) {
		t.Errorf("launch with a freed buffer: %v", err)
	}
	other, _ := mustOpen(t, 1).Alloc(8)
	if err := f.Launch(s, [3]uint32{1, 1, 1}, [3]uint32{1, 1, 1}, 0, other); err == nil {
		t.Error("launch with a buffer of another device succeeded")
	}
	other.Free()
}

func TestFakeCompileTarget(t *testing.T) {
	c := fake(t)
	d0, d1 := mustOpen(t, 0), mustOpen(t, 1)
	src := `extern "C" __global__ void k(float* x) { x[0] = 1; }`
	m0, err := d0.CompileModule(src, "k.cu")
	if err != nil || m0.Target() != "compute_86" {
		t.Fatalf("device 0 (sm_86): %v, %v", m0, err)
	}
	// Device 1 is sm_90; the fake NVRTC stops at 89.
	m1, err := d1.CompileModule(src, "k.cu")
	if err != nil || m1.Target() != "compute_89" || m1 == m0 {
		t.Fatalf("device 1 (sm_90): %v, %v", m1, err)
	}
	if !strings.HasPrefix(string(m1.Image()), "//FAKEPTX compute_89\n") {
		t.Errorf("image %q", m1.Image())
	}
	// The user's architecture wins.
	m2, err := d0.CompileModule(src, "k.cu", "--gpu-arch=compute_75")
	if err != nil || c.nvrtcOptions() != "--gpu-arch=compute_75\n" {
		t.Fatalf("explicit arch: %v %q", err, c.nvrtcOptions())
	}
	_ = m2
	// A driver older than NVRTC's PTX: fall back to a cubin.
	c.setPTXUnsupported(1)
	m3, err := d0.CompileModule(src+"\n// v2", "k.cu")
	if err != nil || m3.Target() != "sm_86" {
		t.Fatalf("PTX unsupported: %v, %v", m3, err)
	}
	if f, err := m3.Function("k"); err != nil || f.Name() != "k" {
		t.Fatalf("Function in a cubin module: %v", err)
	}
	if m3.Name() != "k.cu" {
		t.Errorf("Name = %q", m3.Name())
	}
	// The driver's JIT log reaches the error.
	c.setPTXUnsupported(0)
	_, err = d0.CompileModule(src+"\n// __fake_jit_error__", "k.cu")
	var e *Error
	if !errors.As(err, &e) || e.Name != "CUDA_ERROR_INVALID_PTX" || !strings.Contains(err.Error(), "line 7; error   : fake JIT failure") {
		t.Errorf("PTX rejected by the driver: %v", err)
	}
}

func TestFakeGemm(t *testing.T) {
	c := fake(t)
	d := mustOpen(t, 0)
	before := c.calls("cublasSgemm_v2")
	checkGemm(t, d)
	if c.calls("cublasSgemm_v2") == before || c.calls("cublasGemmStridedBatchedEx") == 0 || c.calls("cublasDgemmStridedBatched") == 0 {
		t.Error("the GEMM entry points were not all called")
	}
	// The handle follows the stream it is given.
	blas, _ := d.BLAS()
	if blas.Version() != 120401 {
		t.Errorf("Version = %d", blas.Version())
	}
}

func TestFakeMissingLibraries(t *testing.T) {
	fake(t)
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(fakeDir, "libcuda.so.1"), filepath.Join(dir, "libcuda.so.1")); err != nil {
		t.Fatal(err)
	}
	useDir(t, dir)
	d := mustOpen(t, 0)
	if _, err := d.CompileModule("//", "x.cu"); !errors.Is(err, ErrNoLibrary) || !strings.Contains(err.Error(), "libnvrtc.so.12") {
		t.Errorf("CompileModule without NVRTC: %v", err)
	}
	if _, err := d.BLAS(); !errors.Is(err, ErrNoLibrary) || !strings.Contains(err.Error(), "libcublas.so.12") {
		t.Errorf("BLAS without cuBLAS: %v", err)
	}
	// The device itself still works.
	b, err := d.Alloc(10)
	if err != nil {
		t.Fatal(err)
	}
	b.Free()
}

// fakeB is fake for benchmarks.
func fakeB(b *testing.B) *Device {
	b.Helper()
	fakeOnce.Do(func() { fakeDir, fakeErr = buildFake() })
	if fakeErr != nil {
		b.Skip(fakeErr)
	}
	b.Setenv(EnvLibraryPath, fakeDir)
	resetState()
	b.Cleanup(resetState)
	fakeLoaded = true
	d, err := Open(0)
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkFakeDriverCall measures the cost of one driver call through the
// bindings: lock the OS thread, make the context current, call (two purego
// calls into the fake, which does nothing).
func BenchmarkFakeDriverCall(b *testing.B) {
	d := fakeB(b)
	for b.Loop() {
		if err := d.Synchronize(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPoolAllocFree measures Alloc and Free served from the pool's cache.
func BenchmarkPoolAllocFree(b *testing.B) {
	d := fakeB(b)
	for b.Loop() {
		buf, err := d.Alloc(4096)
		if err != nil {
			b.Fatal(err)
		}
		buf.Free()
	}
}

// BenchmarkCallPaths compares the two ways of calling a C function: purego's
// typed wrapper (reflection) and ccall.
func BenchmarkCallPaths(b *testing.B) {
	fakeB(b)
	h, err := dlopen(filepath.Join(fakeDir, "libcuda.so.1"))
	if err != nil {
		b.Fatal(err)
	}
	addr := dlsym(h, "fake_current_ctx")
	var typed func() uintptr
	if err := bind(&typed, addr); err != nil {
		b.Fatal(err)
	}
	b.Run("typed", func(b *testing.B) {
		for b.Loop() {
			typed()
		}
	})
	b.Run("ccall", func(b *testing.B) {
		for b.Loop() {
			ccall(addr)
		}
	})
}
