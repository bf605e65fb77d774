package cuda

// Checks of the public API that run the same against the fake libraries
// (testdata/fake) and against a real GPU.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/nx"
)

func randomBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func checkMemory(t *testing.T, d *Device) {
	r := rand.New(rand.NewPCG(1, 2))
	s, err := d.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, n := range []int{0, 1, 7, 512, 513, 4096, 100_003, 1 << 20} {
		for _, st := range []*Stream{nil, s} {
			b, err := d.Alloc(n)
			if err != nil {
				t.Fatal(err)
			}
			if b.Len() != n || b.Ptr() == 0 || b.Ptr()%256 != 0 || b.Device() != d {
				t.Fatalf("Alloc(%d): Len %d, Ptr %#x", n, b.Len(), b.Ptr())
			}
			src := randomBytes(r, n)
			if err := b.CopyFromHost(st, src); err != nil {
				t.Fatal(err)
			}
			got := make([]byte, n)
			if err := b.CopyToHost(st, got); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, src) {
				t.Fatalf("round trip of %d bytes differs", n)
			}
			// Device-to-device copy and memset.
			c, err := d.Alloc(n)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Memset(st, 0xA5); err != nil {
				t.Fatal(err)
			}
			if err := c.CopyFrom(st, b, n/2); err != nil {
				t.Fatal(err)
			}
			if err := c.CopyToHost(st, got); err != nil {
				t.Fatal(err)
			}
			want := append(src[:n/2:n/2], bytes.Repeat([]byte{0xA5}, n-n/2)...)
			if !bytes.Equal(got, want) {
				t.Fatalf("CopyFrom/Memset of %d bytes differs", n)
			}
			c.Free()
			b.Free()
		}
	}
	// Misuse is an error, not a crash.
	b, err := d.Alloc(16)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.CopyFromHost(s, make([]byte, 17)); err == nil {
		t.Error("copying 17 bytes into a 16-byte buffer succeeded")
	}
	if err := b.CopyToHost(s, make([]byte, 17)); err == nil {
		t.Error("copying 17 bytes out of a 16-byte buffer succeeded")
	}
	if _, err := d.Alloc(-1); err == nil {
		t.Error("Alloc(-1) succeeded")
	}
	b.Free()
	b.Free() // a no-op
	if b.Ptr() != 0 {
		t.Error("Ptr of a freed buffer is not 0")
	}
	if err := b.CopyFromHost(s, []byte{1}); !errors.Is(err, ErrFreed) {
		t.Errorf("copy into a freed buffer: %v, want ErrFreed", err)
	}
	if err := s.Synchronize(); err != nil {
		t.Fatal(err)
	}
	if err := d.Synchronize(); err != nil {
		t.Fatal(err)
	}
	s2, err := d.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	if err := s2.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s2.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if err := s2.Synchronize(); err == nil {
		t.Error("Synchronize on a closed stream succeeded")
	}
	c, _ := d.Alloc(8)
	if err := c.CopyFromHost(s2, make([]byte, 8)); err == nil {
		t.Error("copy on a closed stream succeeded")
	}
	c.Free()
}

// settle lets the garbage collector return unreachable Buffers left by
// earlier tests, so that the pool's counters change only through this test.
func settle(d *Device) {
	last := int64(-1)
	for range 50 {
		runtime.GC()
		time.Sleep(2 * time.Millisecond)
		f := d.PoolStats().Frees
		if f == last {
			return
		}
		last = f
	}
}

func checkPool(t *testing.T, d *Device) {
	settle(d)
	if err := d.EmptyCache(); err != nil {
		t.Fatal(err)
	}
	st0 := d.PoolStats()
	if st0.BytesCached != 0 {
		t.Fatalf("BytesCached after EmptyCache: %d", st0.BytesCached)
	}
	free0, total, err := d.MemoryInfo()
	if err != nil || total != d.TotalMemory() || free0 <= 0 || free0 > total {
		t.Fatalf("MemoryInfo = %d, %d, %v; TotalMemory %d", free0, total, err, d.TotalMemory())
	}
	a, err := d.Alloc(1000) // class 1024
	if err != nil {
		t.Fatal(err)
	}
	p := a.Ptr()
	st1 := d.PoolStats()
	if st1.DriverAllocs != st0.DriverAllocs+1 || st1.BytesInUse != st0.BytesInUse+1024 || st1.Allocs != st0.Allocs+1 {
		t.Fatalf("after Alloc(1000): %+v (before %+v)", st1, st0)
	}
	a.Free()
	st2 := d.PoolStats()
	if st2.BytesInUse != st0.BytesInUse || st2.BytesCached != 1024 || st2.Frees != st0.Frees+1 {
		t.Fatalf("after Free: %+v", st2)
	}
	b, err := d.Alloc(600) // the same class: served from the cache
	if err != nil {
		t.Fatal(err)
	}
	st3 := d.PoolStats()
	if b.Ptr() != p || st3.CacheHits != st0.CacheHits+1 || st3.DriverAllocs != st1.DriverAllocs || st3.BytesCached != 0 {
		t.Fatalf("Alloc(600) after freeing a 1024-byte block: ptr %#x (was %#x), %+v", b.Ptr(), p, st3)
	}
	c, err := d.Alloc(5000) // another class
	if err != nil {
		t.Fatal(err)
	}
	if c.Ptr() == p {
		t.Fatal("two live buffers share an address")
	}
	if pk := d.PoolStats().PeakBytesInUse; pk < st0.BytesInUse+1024+int64(sizeClass(5000)) {
		t.Fatalf("PeakBytesInUse %d", pk)
	}
	b.Free()
	c.Free()
	if err := d.EmptyCache(); err != nil {
		t.Fatal(err)
	}
	st4 := d.PoolStats()
	if st4.BytesCached != 0 || st4.DriverFrees != st0.DriverFrees+2 || st4.BytesInUse != st0.BytesInUse {
		t.Fatalf("after EmptyCache: %+v", st4)
	}
}

const axpySrc = `
extern "C" __global__ void axpy(float a, const float* x, float* y, int n) {
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n) y[i] = a * x[i] + y[i];
}

extern "C" __global__ void fill_f64(double* out, double v, long long n) {
	long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x;
	if (i < n) out[i] = v;
}
`

func f32Bytes(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func bytesF32(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

func checkKernel(t *testing.T, d *Device) {
	m, err := d.CompileModule(axpySrc, "axpy.cu")
	if err != nil {
		t.Fatal(err)
	}
	if m2, err := d.CompileModule(axpySrc, "axpy.cu"); err != nil || m2 != m {
		t.Fatalf("second compile of the same source: %p, %v; want the cached %p", m2, err, m)
	}
	if len(m.Image()) == 0 || m.Target() == "" {
		t.Fatalf("module image %d bytes, target %q", len(m.Image()), m.Target())
	}
	f, err := m.Function("axpy")
	if err != nil {
		t.Fatal(err)
	}
	if f2, _ := m.Function("axpy"); f2 != f {
		t.Fatal("Function is not cached")
	}
	const n = 1000
	x, y := make([]float32, n), make([]float32, n)
	for i := range x {
		x[i], y[i] = float32(i), float32(2*i+1)
	}
	bx, _ := d.Alloc(4 * n)
	by, _ := d.Alloc(4 * n)
	defer bx.Free()
	defer by.Free()
	s, err := d.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := bx.CopyFromHost(s, f32Bytes(x)); err != nil {
		t.Fatal(err)
	}
	if err := by.CopyFromHost(s, f32Bytes(y)); err != nil {
		t.Fatal(err)
	}
	if err := f.Launch(s, [3]uint32{(n + 127) / 128, 1, 1}, [3]uint32{128, 1, 1}, 0, float32(0.5), bx, by.Ptr(), int32(n)); err != nil {
		t.Fatal(err)
	}
	out := make([]byte, 4*n)
	if err := by.CopyToHost(s, out); err != nil {
		t.Fatal(err)
	}
	for i, v := range bytesF32(out) {
		if want := 0.5*x[i] + y[i]; v != want {
			t.Fatalf("axpy[%d] = %v, want %v", i, v, want)
		}
	}
	fill, err := m.Function("fill_f64")
	if err != nil {
		t.Fatal(err)
	}
	bo, _ := d.Alloc(8 * n)
	defer bo.Free()
	if err := bo.Memset(s, 0); err != nil {
		t.Fatal(err)
	}
	if err := fill.Launch(s, [3]uint32{4, 1, 1}, [3]uint32{256, 1, 1}, 0, bo, -2.75, int64(n-1)); err != nil {
		t.Fatal(err)
	}
	ob := make([]byte, 8*n)
	if err := bo.CopyToHost(s, ob); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		want := -2.75
		if i == n-1 {
			want = 0
		}
		if v := math.Float64frombits(binary.LittleEndian.Uint64(ob[8*i:])); v != want {
			t.Fatalf("fill_f64[%d] = %v, want %v", i, v, want)
		}
	}
	if _, err := m.Function("no_such_kernel"); err == nil {
		t.Error("Function(no_such_kernel) succeeded")
	} else if e := new(Error); !errors.As(err, &e) || e.Name != "CUDA_ERROR_NOT_FOUND" {
		t.Errorf("Function(no_such_kernel): %v, want CUDA_ERROR_NOT_FOUND", err)
	}
	// Arguments of the wrong kind are refused before the driver is called.
	for _, args := range [][]any{{1, bx, by, int32(n)}, {float32(1), bx, by, n}, {float32(1), bx, "y", int32(n)}} {
		if err := f.Launch(s, [3]uint32{1, 1, 1}, [3]uint32{1, 1, 1}, 0, args...); err == nil {
			t.Errorf("Launch with %T args succeeded", args)
		}
	}
	if err := f.Launch(s, [3]uint32{0, 1, 1}, [3]uint32{1, 1, 1}, 0, float32(1), bx, by, int32(n)); err == nil {
		t.Error("Launch with a zero grid succeeded")
	}
	if err := f.Launch(s, [3]uint32{1, 1, 1}, [3]uint32{uint32(d.MaxThreadsPerBlock()) + 1, 1, 1}, 0, float32(1), bx, by, int32(n)); err == nil {
		t.Error("Launch with too large a block succeeded")
	}
}

func checkCompileError(t *testing.T, d *Device) {
	src := "extern \"C\" __global__ void k(float* x) {\n\tx[0] = 1;\n#error boom\n}\n"
	_, err := d.CompileModule(src, "fail.cu")
	var ce *CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("compile of a bad source: %v, want a *CompileError", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Name != "NVRTC_ERROR_COMPILATION" || e.Code != 6 {
		t.Fatalf("underlying error %v, want NVRTC_ERROR_COMPILATION", err)
	}
	if !strings.Contains(ce.Log, "fail.cu(3)") || !strings.Contains(ce.Log, "boom") || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("log does not point at line 3:\n%s", ce.Log)
	}
	// A failure is not cached: a good source under the same name compiles.
	if _, err := d.CompileModule(strings.Replace(src, "#error boom", "", 1), "fail.cu"); err != nil {
		t.Fatal(err)
	}
}

// hostGemm is the row-major reference: C = alpha·op(A)·op(B) + beta·C.
func hostGemm(transA, transB bool, m, n, k int, alpha float64, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	for i := range m {
		for j := range n {
			var s float64
			for l := range k {
				var av, bv float64
				if transA {
					av = a[l*lda+i]
				} else {
					av = a[i*lda+l]
				}
				if transB {
					bv = b[j*ldb+l]
				} else {
					bv = b[l*ldb+j]
				}
				s += av * bv
			}
			c[i*ldc+j] = alpha*s + beta*c[i*ldc+j]
		}
	}
}

// encode stores v as dt's little-endian bytes and returns the values as
// stored (rounded to dt).
func encode(dt nx.DType, v []float64) ([]byte, []float64) {
	b := make([]byte, dt.Size()*len(v))
	r := make([]float64, len(v))
	for i, x := range v {
		switch dt {
		case nx.F64:
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
			r[i] = x
		case nx.F32:
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(float32(x)))
			r[i] = float64(float32(x))
		case nx.F16:
			h := nx.NewFloat16(float32(x))
			binary.LittleEndian.PutUint16(b[2*i:], uint16(h))
			r[i] = h.Float64()
		case nx.BF16:
			h := nx.NewBFloat16(float32(x))
			binary.LittleEndian.PutUint16(b[2*i:], uint16(h))
			r[i] = h.Float64()
		}
	}
	return b, r
}

func decode(dt nx.DType, b []byte) []float64 {
	v := make([]float64, len(b)/dt.Size())
	for i := range v {
		switch dt {
		case nx.F64:
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		case nx.F32:
			v[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		case nx.F16:
			v[i] = nx.Float16(binary.LittleEndian.Uint16(b[2*i:])).Float64()
		case nx.BF16:
			v[i] = nx.BFloat16(binary.LittleEndian.Uint16(b[2*i:])).Float64()
		}
	}
	return v
}

// gemmCase runs one (batched) product on the device and compares it with
// hostGemm. Values are small multiples of 1/4 so f16 holds them exactly.
func gemmCase(t *testing.T, blas *BLAS, s *Stream, dt nx.DType, transA, transB bool, m, n, k, pad, batch int, strideB0 bool) {
	t.Helper()
	d := blas.dev
	r := rand.New(rand.NewPCG(uint64(m*131+n*17+k), uint64(batch)))
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	lda, ldb, ldc := max(ac+pad, 1), max(bc+pad, 1), n+pad
	sa, sb, sc := int64(ar*lda), int64(br*ldb), int64(m*ldc+pad)
	nb := batch
	if strideB0 {
		sb, nb = 0, 1
	}
	gen := func(count int) []float64 {
		v := make([]float64, count)
		for i := range v {
			v[i] = float64(r.IntN(9)-4) / 4
		}
		return v
	}
	av, bv, cv := gen(int(sa)*batch), gen(int(sb)+br*ldb*nb), gen(int(sc)*batch)
	ab, av := encode(dt, av)
	bb, bv := encode(dt, bv)
	cb, cv := encode(dt, cv)
	alloc := func(b []byte) *Buffer {
		buf, err := d.Alloc(len(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := buf.CopyFromHost(s, b); err != nil {
			t.Fatal(err)
		}
		return buf
	}
	A, B, C := alloc(ab), alloc(bb), alloc(cb)
	defer A.Free()
	defer B.Free()
	defer C.Free()
	const alpha, beta = 1.5, -0.5
	var err error
	if batch == 1 && !strideB0 {
		err = blas.Gemm(s, dt, transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc)
	} else {
		err = blas.GemmStridedBatched(s, dt, transA, transB, m, n, k, alpha, A, lda, sa, B, ldb, sb, beta, C, ldc, sc, batch)
	}
	if err != nil {
		t.Fatalf("%v transA=%v transB=%v %dx%dx%d batch %d: %v", dt, transA, transB, m, n, k, batch, err)
	}
	got := make([]byte, len(cb))
	if err := C.CopyToHost(s, got); err != nil {
		t.Fatal(err)
	}
	want := make([]float64, len(cv))
	copy(want, cv)
	for i := range batch {
		bo := int64(i) * sb
		hostGemm(transA, transB, m, n, k, alpha, av[int64(i)*sa:], lda, bv[bo:], ldb, beta, want[int64(i)*sc:], ldc)
	}
	_, want = encode(dt, want) // round the reference as the device stores it
	tol := map[nx.DType]float64{nx.F64: 1e-12, nx.F32: 1e-5, nx.F16: 2e-3, nx.BF16: 1e-2}[dt]
	for i, g := range decode(dt, got) {
		if math.Abs(g-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Fatalf("%v transA=%v transB=%v %dx%dx%d pad %d batch %d: C[%d] = %v, want %v", dt, transA, transB, m, n, k, pad, batch, i, g, want[i])
		}
	}
}

func checkGemm(t *testing.T, d *Device) {
	blas, err := d.BLAS()
	if err != nil {
		t.Fatal(err)
	}
	if b2, _ := d.BLAS(); b2 != blas {
		t.Fatal("BLAS is not cached")
	}
	s, err := d.NewStream()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, dt := range []nx.DType{nx.F32, nx.F64, nx.F16, nx.BF16} {
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				gemmCase(t, blas, s, dt, ta, tb, 5, 3, 4, 0, 1, false)
				gemmCase(t, blas, s, dt, ta, tb, 7, 6, 9, 3, 1, false)
				gemmCase(t, blas, s, dt, ta, tb, 4, 5, 3, 1, 3, false)
				gemmCase(t, blas, s, dt, ta, tb, 3, 4, 2, 2, 4, true)
			}
		}
	}
	gemmCase(t, blas, s, nx.F32, false, false, 64, 48, 80, 0, 1, false)
	gemmCase(t, blas, s, nx.F32, false, false, 1, 1, 0, 0, 1, false) // k = 0: C = beta·C

	// Misuse is reported before anything is queued.
	buf, _ := d.Alloc(4 * 16)
	defer buf.Free()
	bad := []struct {
		name string
		err  error
	}{
		{"lda < k", blas.Gemm(s, nx.F32, false, false, 2, 2, 3, 1, buf, 2, buf, 2, 0, buf, 2)},
		{"A too small", blas.Gemm(s, nx.F32, false, false, 5, 2, 4, 1, buf, 4, buf, 2, 0, buf, 2)},
		{"dtype", blas.Gemm(s, nx.S32, false, false, 2, 2, 2, 1, buf, 2, buf, 2, 0, buf, 2)},
		{"negative m", blas.Gemm(s, nx.F32, false, false, -1, 2, 2, 1, buf, 2, buf, 2, 0, buf, 2)},
		{"overlapping C", blas.GemmStridedBatched(s, nx.F32, false, false, 2, 2, 2, 1, buf, 2, 0, buf, 2, 0, 0, buf, 2, 1, 2)},
		{"nil B", blas.Gemm(s, nx.F32, false, false, 2, 2, 2, 1, buf, 2, nil, 2, 0, buf, 2)},
	}
	for _, c := range bad {
		if c.err == nil {
			t.Errorf("Gemm with %s succeeded", c.name)
		}
	}
	if err := blas.Gemm(s, nx.F32, false, false, 0, 5, 5, 1, buf, 5, buf, 5, 0, buf, 5); err != nil {
		t.Errorf("empty product: %v", err)
	}
}

// checkConcurrent runs copies on many goroutines at once: each call must find
// the device's context current on whatever OS thread runs it.
func checkConcurrent(t *testing.T, devs ...*Device) {
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := devs[g%len(devs)]
			s, err := d.NewStream()
			if err != nil {
				errs <- err
				return
			}
			defer s.Close()
			r := rand.New(rand.NewPCG(uint64(g), 7))
			for i := range 50 {
				n := 1 + r.IntN(5000)
				b, err := d.Alloc(n)
				if err != nil {
					errs <- err
					return
				}
				src := randomBytes(r, n)
				dst := make([]byte, n)
				if err := b.CopyFromHost(s, src); err != nil {
					errs <- err
					return
				}
				if err := b.CopyToHost(s, dst); err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(src, dst) {
					errs <- fmt.Errorf("goroutine %d round %d: data differs", g, i)
					return
				}
				b.Free()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
