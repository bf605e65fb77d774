package cuda_test

import (
	"errors"
	"fmt"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda"
)

// Programs check for a GPU once and fall back to the CPU without one.
func ExampleAvailable() {
	if err := cuda.Available(); err != nil {
		if errors.Is(err, cuda.ErrNoDriver) || errors.Is(err, cuda.ErrNoDevice) {
			fmt.Println("no GPU; using the CPU")
			return
		}
		fmt.Println("GPU unusable:", err)
		return
	}
	d, err := cuda.Open(0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("using", d)
}

// Copy data to the device and back through a stream.
func ExampleDevice_Alloc() {
	d, err := cuda.Open(0)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := d.NewStream()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	b, err := d.Alloc(4)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Free()
	out := make([]byte, 4)
	if err := b.CopyFromHost(s, []byte{1, 2, 3, 4}); err == nil {
		err = b.CopyToHost(s, out)
	}
	fmt.Println(out, d.PoolStats().Allocs)
}

// Compile a kernel with NVRTC and launch it.
func ExampleDevice_CompileModule() {
	d, err := cuda.Open(0)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := d.CompileModule(`
extern "C" __global__ void scale(float* x, float a, int n) {
	int i = blockIdx.x * blockDim.x + threadIdx.x;
	if (i < n) x[i] *= a;
}`, "scale.cu")
	if err != nil {
		fmt.Println(err) // a *cuda.CompileError carries NVRTC's log
		return
	}
	f, _ := m.Function("scale")
	x, _ := d.Alloc(4 * 1024)
	defer x.Free()
	err = f.Launch(nil, [3]uint32{4, 1, 1}, [3]uint32{256, 1, 1}, 0, x, float32(2), int32(1024))
	fmt.Println(err)
}

// Multiply row-major matrices: C (2×2) = A (2×3) · B (3×2).
func ExampleBLAS_Gemm() {
	d, err := cuda.Open(0)
	if err != nil {
		fmt.Println(err)
		return
	}
	blas, err := d.BLAS()
	if err != nil {
		fmt.Println(err)
		return
	}
	a, _ := d.Alloc(6 * 4)
	b, _ := d.Alloc(6 * 4)
	c, _ := d.Alloc(4 * 4)
	// ... fill a and b with CopyFromHost ...
	err = blas.Gemm(nil, nx.F32, false, false, 2, 2, 3, 1, a, 3, b, 2, 0, c, 2)
	fmt.Println(err)
}

// Failures inside the CUDA libraries are *cuda.Error values naming the entry
// point and the status.
func ExampleError() {
	var err error = fmt.Errorf("step 3: %w", &cuda.Error{Op: "cuMemAlloc_v2", Code: 2, Name: "CUDA_ERROR_OUT_OF_MEMORY", Msg: "out of memory"})
	var e *cuda.Error
	if errors.As(err, &e) && e.Name == "CUDA_ERROR_OUT_OF_MEMORY" {
		fmt.Println("the GPU is full:", e)
	}
	// Output: the GPU is full: cuda: cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory
}
