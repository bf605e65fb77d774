// Package cuda is gonx's GPU runtime: device discovery, contexts, streams, a
// caching memory pool, kernels compiled at run time with NVRTC, and matrix
// products with cuBLAS. Every module that touches an NVIDIA GPU goes through it.
//
// # No cgo, no CUDA at build time
//
// The package is pure Go. It loads the CUDA libraries when first used, with
// github.com/ebitengine/purego, so a binary built with CGO_ENABLED=0 and no
// CUDA toolkit runs on machines with or without a GPU. Importing the package
// loads nothing; the first call of [Available], [DeviceCount] or [Open] loads
// the driver, [Device.CompileModule] loads NVRTC and [Device.BLAS] loads
// cuBLAS:
//
//	library      files tried, in order                              needed for
//	CUDA driver  libcuda.so.1, libcuda.so                           everything
//	NVRTC        libnvrtc.so.13, .12, .11.2, libnvrtc.so            CompileModule
//	cuBLAS       libcublas.so.13, .12, .11, libcublas.so            BLAS
//
// Each is looked for through the system loader (LD_LIBRARY_PATH, the ld.so
// cache), then in $CUDA_PATH/lib64, $CUDA_HOME/lib64, /usr/local/cuda/lib64,
// /usr/local/cuda/targets/<arch>-linux/lib and /usr/lib/wsl/lib. Setting
// NX_CUDA_LIBRARY_PATH to a colon-separated list of directories makes the
// package look there and nowhere else.
//
// Without a driver, calls return an error wrapping [ErrNoDriver] that says which
// files were looked for and where ("cuda: no CUDA driver found: ..."); with a
// driver but no GPU, [ErrNoDevice]; without NVRTC or cuBLAS, [ErrNoLibrary].
// Nothing panics and nothing exits. Failures inside the libraries are [*Error]
// values carrying the function, the status code and its name
// (CUDA_ERROR_OUT_OF_MEMORY, NVRTC_ERROR_COMPILATION, CUBLAS_STATUS_INVALID_VALUE).
// The package is supported on linux/amd64 and linux/arm64; elsewhere it builds
// and reports ErrNoDriver.
//
// # Devices, streams and memory
//
// [Open] returns one [*Device] per GPU, holding the device's primary context
// (the one the CUDA runtime and cuBLAS use too). The driver keeps the current
// context per OS thread, so every call locks its goroutine to its thread and
// makes the context current first; all types are safe for concurrent use.
//
// A [*Stream] orders work; a nil *Stream is the default stream. Device memory
// comes from a per-device caching pool ([Device.Alloc]): requests are rounded
// to size classes (four per power of two), and [Buffer.Free] — or the garbage
// collector, for a Buffer dropped without Free — returns blocks to the pool for
// reuse without a driver call. [Device.PoolStats] reports allocations, cache
// hits, bytes in use and cached, and the peak; [Device.EmptyCache] hands cached
// blocks back to the driver, as an allocation that runs out of memory does
// before it tries again; [Device.MemoryInfo] gives the driver's view of free
// and total memory. Blocks are reused in stream order: free a Buffer used on
// several streams only after synchronizing them.
//
// # Kernels and matrix products
//
// [Device.CompileModule] compiles CUDA C++ with NVRTC to PTX for the device's
// compute capability and loads it; modules are cached by a hash of the source,
// options and target. A source NVRTC rejects gives a [*CompileError] with
// NVRTC's log; PTX the driver rejects gives an error holding the driver's JIT
// log; a driver older than NVRTC's PTX gets a cubin instead. [Function.Launch] takes the kernel's arguments as Go
// values (*Buffer, uintptr, int32, uint32, int64, uint64, float32, float64).
// [BLAS.Gemm] and [BLAS.GemmStridedBatched] multiply row-major matrices of f32,
// f64, f16 or bf16 with cuBLAS.
//
// # Checking a machine
//
// The package's tests run without a GPU against host implementations of the
// three libraries (testdata/fake, built with gcc when it is installed). On a
// machine with a GPU, scripts/gpu-check runs the tests that need the real
// driver (they skip elsewhere):
//
//	scripts/gpu-check          # or: cd nx && go test -run TestGPU -v ./cuda
//
// # The nx backend
//
// Importing the package registers the "cuda" backend of nx.Jit (see
// backend.go): NX_BACKEND=cuda, nx.SetBackend("cuda") or nx.OnBackend("cuda")
// select it, NX_CUDA_DEVICE picks the device. Each compiled graph is planned
// by package codegen: fused kernels compiled once with NVRTC, cuBLAS GEMMs,
// and the nodes without a kernel run on the CPU with explicit copies, counted
// by [BackendStats]. A While loop keeps its state on the device; each
// iteration reads only the scalar predicate on the host.
package cuda
