package cuda

import "unsafe"

// lib identifies one of the three shared libraries this package loads.
type lib int

// The libraries, in the order they are loaded.
const (
	libDriver lib = iota // libcuda.so.1, the driver API
	libNVRTC             // libnvrtc.so.*, the runtime compiler
	libCUBLAS            // libcublas.so.*
)

// symbol is one C entry point bound to a Go function variable.
type symbol struct {
	lib      lib
	name     string // the exported C symbol
	fn       any    // pointer to the Go function variable it is bound to
	optional bool   // missing in older releases: the variable stays nil
	proto    string // the C prototype, as in the CUDA headers
}

// The bound entry points. They are nil until their library is loaded. Device
// addresses (CUdeviceptr) and opaque handles (CUcontext, CUstream, CUmodule,
// CUfunction, nvrtcProgram, cublasHandle_t) are uintptr; C int is int32.
var (
	cuInit                   func(flags uint32) cuResult
	cuDriverGetVersion       func(version *int32) cuResult
	cuDeviceGetCount         func(count *int32) cuResult
	cuDeviceGet              func(dev *int32, ordinal int32) cuResult
	cuDeviceGetName          func(name *byte, n int32, dev int32) cuResult
	cuDeviceTotalMem         func(bytes *uintptr, dev int32) cuResult
	cuDeviceGetAttribute     func(v *int32, attr int32, dev int32) cuResult
	cuDevicePrimaryCtxRetain func(ctx *uintptr, dev int32) cuResult
	cuCtxSetCurrent          func(ctx uintptr) cuResult
	cuCtxSynchronize         func() cuResult
	cuStreamCreate           func(stream *uintptr, flags uint32) cuResult
	cuStreamSynchronize      func(stream uintptr) cuResult
	cuStreamDestroy          func(stream uintptr) cuResult
	cuMemAlloc               func(dptr *uintptr, bytes uintptr) cuResult
	cuMemFree                func(dptr uintptr) cuResult
	cuMemGetInfo             func(free, total *uintptr) cuResult
	cuMemcpyHtoDAsync        func(dst uintptr, src unsafe.Pointer, bytes uintptr, stream uintptr) cuResult
	cuMemcpyDtoHAsync        func(dst unsafe.Pointer, src uintptr, bytes uintptr, stream uintptr) cuResult
	cuMemcpyDtoDAsync        func(dst, src uintptr, bytes uintptr, stream uintptr) cuResult
	cuMemsetD8Async          func(dst uintptr, value uint8, n uintptr, stream uintptr) cuResult
	cuModuleLoadDataEx       func(mod *uintptr, image unsafe.Pointer, numOptions uint32, options *int32, values *uintptr) cuResult
	cuModuleGetFunction      func(fn *uintptr, mod uintptr, name *byte) cuResult
	cuLaunchKernel           func(fn uintptr, gx, gy, gz, bx, by, bz, sharedMem uint32, stream uintptr, params *uintptr, extra *uintptr) cuResult
	cuGetErrorName           func(code cuResult, s **byte) cuResult
	cuGetErrorString         func(code cuResult, s **byte) cuResult

	nvrtcVersion              func(major, minor *int32) nvrtcResult
	nvrtcCreateProgram        func(prog *uintptr, src *byte, name *byte, numHeaders int32, headers **byte, includeNames **byte) nvrtcResult
	nvrtcCompileProgram       func(prog uintptr, numOptions int32, options **byte) nvrtcResult
	nvrtcGetProgramLogSize    func(prog uintptr, size *uintptr) nvrtcResult
	nvrtcGetProgramLog        func(prog uintptr, log *byte) nvrtcResult
	nvrtcGetPTXSize           func(prog uintptr, size *uintptr) nvrtcResult
	nvrtcGetPTX               func(prog uintptr, ptx *byte) nvrtcResult
	nvrtcGetCUBINSize         func(prog uintptr, size *uintptr) nvrtcResult
	nvrtcGetCUBIN             func(prog uintptr, cubin *byte) nvrtcResult
	nvrtcDestroyProgram       func(prog *uintptr) nvrtcResult
	nvrtcGetErrorString       func(r nvrtcResult) string
	nvrtcGetNumSupportedArchs func(n *int32) nvrtcResult
	nvrtcGetSupportedArchs    func(archs *int32) nvrtcResult

	cublasCreate               func(handle *uintptr) cublasStatus
	cublasDestroy              func(handle uintptr) cublasStatus
	cublasGetVersion           func(handle uintptr, version *int32) cublasStatus
	cublasSetStream            func(handle uintptr, stream uintptr) cublasStatus
	cublasGetStatusString      func(status cublasStatus) string
	cublasSgemm                func(handle uintptr, transa, transb int32, m, n, k int32, alpha *float32, a uintptr, lda int32, b uintptr, ldb int32, beta *float32, c uintptr, ldc int32) cublasStatus
	cublasDgemm                func(handle uintptr, transa, transb int32, m, n, k int32, alpha *float64, a uintptr, lda int32, b uintptr, ldb int32, beta *float64, c uintptr, ldc int32) cublasStatus
	cublasSgemmStridedBatched  func(handle uintptr, transa, transb int32, m, n, k int32, alpha *float32, a uintptr, lda int32, strideA int64, b uintptr, ldb int32, strideB int64, beta *float32, c uintptr, ldc int32, strideC int64, batch int32) cublasStatus
	cublasDgemmStridedBatched  func(handle uintptr, transa, transb int32, m, n, k int32, alpha *float64, a uintptr, lda int32, strideA int64, b uintptr, ldb int32, strideB int64, beta *float64, c uintptr, ldc int32, strideC int64, batch int32) cublasStatus
	cublasGemmEx               func(handle uintptr, transa, transb int32, m, n, k int32, alpha unsafe.Pointer, a uintptr, atype int32, lda int32, b uintptr, btype int32, ldb int32, beta unsafe.Pointer, c uintptr, ctype int32, ldc int32, compute int32, algo int32) cublasStatus
	cublasGemmStridedBatchedEx func(handle uintptr, transa, transb int32, m, n, k int32, alpha unsafe.Pointer, a uintptr, atype int32, lda int32, strideA int64, b uintptr, btype int32, ldb int32, strideB int64, beta unsafe.Pointer, c uintptr, ctype int32, ldc int32, strideC int64, batch int32, compute int32, algo int32) cublasStatus
)

// symbols lists every bound entry point with its C prototype. Tests check each
// Go type against its prototype and compile the prototypes against a host
// implementation of the libraries (testdata/fake*.c).
var symbols = []symbol{
	{libDriver, "cuInit", &cuInit, false, "CUresult cuInit(unsigned int Flags)"},
	{libDriver, "cuDriverGetVersion", &cuDriverGetVersion, false, "CUresult cuDriverGetVersion(int *driverVersion)"},
	{libDriver, "cuDeviceGetCount", &cuDeviceGetCount, false, "CUresult cuDeviceGetCount(int *count)"},
	{libDriver, "cuDeviceGet", &cuDeviceGet, false, "CUresult cuDeviceGet(CUdevice *device, int ordinal)"},
	{libDriver, "cuDeviceGetName", &cuDeviceGetName, false, "CUresult cuDeviceGetName(char *name, int len, CUdevice dev)"},
	{libDriver, "cuDeviceTotalMem_v2", &cuDeviceTotalMem, false, "CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev)"},
	{libDriver, "cuDeviceGetAttribute", &cuDeviceGetAttribute, false, "CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev)"},
	{libDriver, "cuDevicePrimaryCtxRetain", &cuDevicePrimaryCtxRetain, false, "CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev)"},
	{libDriver, "cuCtxSetCurrent", &cuCtxSetCurrent, false, "CUresult cuCtxSetCurrent(CUcontext ctx)"},
	{libDriver, "cuCtxSynchronize", &cuCtxSynchronize, false, "CUresult cuCtxSynchronize(void)"},
	{libDriver, "cuStreamCreate", &cuStreamCreate, false, "CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags)"},
	{libDriver, "cuStreamSynchronize", &cuStreamSynchronize, false, "CUresult cuStreamSynchronize(CUstream hStream)"},
	{libDriver, "cuStreamDestroy_v2", &cuStreamDestroy, false, "CUresult cuStreamDestroy_v2(CUstream hStream)"},
	{libDriver, "cuMemAlloc_v2", &cuMemAlloc, false, "CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize)"},
	{libDriver, "cuMemFree_v2", &cuMemFree, false, "CUresult cuMemFree_v2(CUdeviceptr dptr)"},
	{libDriver, "cuMemGetInfo_v2", &cuMemGetInfo, false, "CUresult cuMemGetInfo_v2(size_t *free, size_t *total)"},
	{libDriver, "cuMemcpyHtoDAsync_v2", &cuMemcpyHtoDAsync, false, "CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream)"},
	{libDriver, "cuMemcpyDtoHAsync_v2", &cuMemcpyDtoHAsync, false, "CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)"},
	{libDriver, "cuMemcpyDtoDAsync_v2", &cuMemcpyDtoDAsync, false, "CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream)"},
	{libDriver, "cuMemsetD8Async", &cuMemsetD8Async, false, "CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream)"},
	{libDriver, "cuModuleLoadDataEx", &cuModuleLoadDataEx, false, "CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int numOptions, CUjit_option *options, void **optionValues)"},
	{libDriver, "cuModuleGetFunction", &cuModuleGetFunction, false, "CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name)"},
	{libDriver, "cuLaunchKernel", &cuLaunchKernel, false, "CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra)"},
	{libDriver, "cuGetErrorName", &cuGetErrorName, true, "CUresult cuGetErrorName(CUresult error, const char **pStr)"},
	{libDriver, "cuGetErrorString", &cuGetErrorString, true, "CUresult cuGetErrorString(CUresult error, const char **pStr)"},

	{libNVRTC, "nvrtcVersion", &nvrtcVersion, false, "nvrtcResult nvrtcVersion(int *major, int *minor)"},
	{libNVRTC, "nvrtcCreateProgram", &nvrtcCreateProgram, false, "nvrtcResult nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders, const char * const *headers, const char * const *includeNames)"},
	{libNVRTC, "nvrtcCompileProgram", &nvrtcCompileProgram, false, "nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char * const *options)"},
	{libNVRTC, "nvrtcGetProgramLogSize", &nvrtcGetProgramLogSize, false, "nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t *logSizeRet)"},
	{libNVRTC, "nvrtcGetProgramLog", &nvrtcGetProgramLog, false, "nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char *log)"},
	{libNVRTC, "nvrtcGetPTXSize", &nvrtcGetPTXSize, false, "nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t *ptxSizeRet)"},
	{libNVRTC, "nvrtcGetPTX", &nvrtcGetPTX, false, "nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char *ptx)"},
	{libNVRTC, "nvrtcGetCUBINSize", &nvrtcGetCUBINSize, true, "nvrtcResult nvrtcGetCUBINSize(nvrtcProgram prog, size_t *cubinSizeRet)"},
	{libNVRTC, "nvrtcGetCUBIN", &nvrtcGetCUBIN, true, "nvrtcResult nvrtcGetCUBIN(nvrtcProgram prog, char *cubin)"},
	{libNVRTC, "nvrtcDestroyProgram", &nvrtcDestroyProgram, false, "nvrtcResult nvrtcDestroyProgram(nvrtcProgram *prog)"},
	{libNVRTC, "nvrtcGetErrorString", &nvrtcGetErrorString, false, "const char *nvrtcGetErrorString(nvrtcResult result)"},
	{libNVRTC, "nvrtcGetNumSupportedArchs", &nvrtcGetNumSupportedArchs, true, "nvrtcResult nvrtcGetNumSupportedArchs(int *numArchs)"},
	{libNVRTC, "nvrtcGetSupportedArchs", &nvrtcGetSupportedArchs, true, "nvrtcResult nvrtcGetSupportedArchs(int *supportedArchs)"},

	{libCUBLAS, "cublasCreate_v2", &cublasCreate, false, "cublasStatus_t cublasCreate_v2(cublasHandle_t *handle)"},
	{libCUBLAS, "cublasDestroy_v2", &cublasDestroy, false, "cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)"},
	{libCUBLAS, "cublasGetVersion_v2", &cublasGetVersion, false, "cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version)"},
	{libCUBLAS, "cublasSetStream_v2", &cublasSetStream, false, "cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)"},
	{libCUBLAS, "cublasGetStatusString", &cublasGetStatusString, true, "const char *cublasGetStatusString(cublasStatus_t status)"},
	{libCUBLAS, "cublasSgemm_v2", &cublasSgemm, false, "cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc)"},
	{libCUBLAS, "cublasDgemm_v2", &cublasDgemm, false, "cublasStatus_t cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, const double *B, int ldb, const double *beta, double *C, int ldc)"},
	{libCUBLAS, "cublasSgemmStridedBatched", &cublasSgemmStridedBatched, false, "cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, long long int strideA, const float *B, int ldb, long long int strideB, const float *beta, float *C, int ldc, long long int strideC, int batchCount)"},
	{libCUBLAS, "cublasDgemmStridedBatched", &cublasDgemmStridedBatched, false, "cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, long long int strideA, const double *B, int ldb, long long int strideB, const double *beta, double *C, int ldc, long long int strideC, int batchCount)"},
	{libCUBLAS, "cublasGemmEx", &cublasGemmEx, false, "cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const void *alpha, const void *A, cudaDataType Atype, int lda, const void *B, cudaDataType Btype, int ldb, const void *beta, void *C, cudaDataType Ctype, int ldc, cublasComputeType_t computeType, cublasGemmAlgo_t algo)"},
	{libCUBLAS, "cublasGemmStridedBatchedEx", &cublasGemmStridedBatchedEx, false, "cublasStatus_t cublasGemmStridedBatchedEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const void *alpha, const void *A, cudaDataType Atype, int lda, long long int strideA, const void *B, cudaDataType Btype, int ldb, long long int strideB, const void *beta, void *C, cudaDataType Ctype, int ldc, long long int strideC, int batchCount, cublasComputeType_t computeType, cublasGemmAlgo_t algo)"},
}

// The entry points called on every operation are also kept as raw addresses
// and called with ccall, a plain C call, rather than through the
// reflection-based function purego builds for the typed variables, which
// costs about three times as much (BenchmarkCallPaths). The typed variables
// stay bound, and the tests check them against the prototypes.
var (
	addrCtxSetCurrent uintptr
	addrLaunchKernel  uintptr
	fastAddrs         = map[string]*uintptr{"cuCtxSetCurrent": &addrCtxSetCurrent, "cuLaunchKernel": &addrLaunchKernel}
)

// ctxSetCurrent calls cuCtxSetCurrent.
func ctxSetCurrent(ctx uintptr) cuResult {
	return cuResult(int32(ccall(addrCtxSetCurrent, ctx)))
}

// launchKernel calls cuLaunchKernel with no extra options. The caller keeps
// the parameter array and what it points at alive and pinned.
func launchKernel(f uintptr, grid, block [3]uint32, sharedMem uint32, stream uintptr, params *uintptr) cuResult {
	return cuResult(int32(ccall(addrLaunchKernel, f,
		uintptr(grid[0]), uintptr(grid[1]), uintptr(grid[2]),
		uintptr(block[0]), uintptr(block[1]), uintptr(block[2]),
		uintptr(sharedMem), stream, uintptr(unsafe.Pointer(params)), 0)))
}

// cString copies the NUL-terminated C string at p.
func cString(p *byte) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return string(unsafe.Slice(p, n))
}
