package cuda

import (
	"errors"
	"fmt"
)

// ErrNoDriver is wrapped by the error that Available, DeviceCount and Open return
// when the CUDA driver library (libcuda.so.1) cannot be loaded or lacks an entry
// point this package needs. The wrapping error says which files were looked for.
var ErrNoDriver = errors.New("no CUDA driver found")

// ErrNoDevice is wrapped by the error that Available, DeviceCount and Open return
// when the driver loads but reports no usable GPU (CUDA_ERROR_NO_DEVICE, or a
// device count of zero), and by Open for an ordinal out of range.
var ErrNoDevice = errors.New("no CUDA device found")

// ErrNoLibrary is wrapped by the error that CompileModule and BLAS return when
// NVRTC (libnvrtc.so.*) or cuBLAS (libcublas.so.*) cannot be loaded. The
// wrapping error names the library and the files that were looked for.
var ErrNoLibrary = errors.New("CUDA library not found")

// ErrFreed is wrapped by the error returned when a Buffer is used after Free.
var ErrFreed = errors.New("buffer used after Free")

// Error is a failure reported by the CUDA driver, NVRTC or cuBLAS: the function
// that failed, its numeric status and the status's symbolic name
// (CUDA_ERROR_OUT_OF_MEMORY, NVRTC_ERROR_COMPILATION, CUBLAS_STATUS_INVALID_VALUE, ...).
type Error struct {
	Op   string // the C entry point, e.g. "cuMemAlloc_v2"
	Code int    // the CUresult, nvrtcResult or cublasStatus_t value
	Name string // the symbolic name of Code
	Msg  string // the library's description of Code, when it gives one
}

// Error formats e as "cuda: cuMemAlloc_v2: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory".
func (e *Error) Error() string {
	s := fmt.Sprintf("cuda: %s: %s (%d)", e.Op, e.Name, e.Code)
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// CompileError is returned by CompileModule when NVRTC rejects a source. Log is
// NVRTC's compile log (file:line: error: ...); Err is the underlying *Error.
type CompileError struct {
	Name string // the program name given to CompileModule
	Log  string // NVRTC's log
	Err  error  // the *Error from nvrtcCompileProgram
}

// Error returns the failure followed by the compile log.
func (e *CompileError) Error() string {
	return fmt.Sprintf("cuda: compile %s: %v\n%s", e.Name, e.Err, e.Log)
}

// Unwrap returns the underlying *Error.
func (e *CompileError) Unwrap() error { return e.Err }

// cuResult is the driver API's CUresult.
type cuResult int32

// nvrtcResult is NVRTC's nvrtcResult.
type nvrtcResult int32

// cublasStatus is cuBLAS's cublasStatus_t.
type cublasStatus int32

// cudaErrorNames maps CUresult values to their names in cuda.h.
var cudaErrorNames = map[int]string{
	0: "CUDA_SUCCESS", 1: "CUDA_ERROR_INVALID_VALUE", 2: "CUDA_ERROR_OUT_OF_MEMORY",
	3: "CUDA_ERROR_NOT_INITIALIZED", 4: "CUDA_ERROR_DEINITIALIZED",
	5: "CUDA_ERROR_PROFILER_DISABLED", 6: "CUDA_ERROR_PROFILER_NOT_INITIALIZED",
	7: "CUDA_ERROR_PROFILER_ALREADY_STARTED", 8: "CUDA_ERROR_PROFILER_ALREADY_STOPPED",
	34: "CUDA_ERROR_STUB_LIBRARY", 35: "CUDA_ERROR_INSUFFICIENT_DRIVER",
	36: "CUDA_ERROR_CALL_REQUIRES_NEWER_DRIVER", 46: "CUDA_ERROR_DEVICE_UNAVAILABLE",
	100: "CUDA_ERROR_NO_DEVICE", 101: "CUDA_ERROR_INVALID_DEVICE",
	102: "CUDA_ERROR_DEVICE_NOT_LICENSED", 200: "CUDA_ERROR_INVALID_IMAGE",
	201: "CUDA_ERROR_INVALID_CONTEXT", 202: "CUDA_ERROR_CONTEXT_ALREADY_CURRENT",
	205: "CUDA_ERROR_MAP_FAILED", 206: "CUDA_ERROR_UNMAP_FAILED",
	207: "CUDA_ERROR_ARRAY_IS_MAPPED", 208: "CUDA_ERROR_ALREADY_MAPPED",
	209: "CUDA_ERROR_NO_BINARY_FOR_GPU", 210: "CUDA_ERROR_ALREADY_ACQUIRED",
	211: "CUDA_ERROR_NOT_MAPPED", 212: "CUDA_ERROR_NOT_MAPPED_AS_ARRAY",
	213: "CUDA_ERROR_NOT_MAPPED_AS_POINTER", 214: "CUDA_ERROR_ECC_UNCORRECTABLE",
	215: "CUDA_ERROR_UNSUPPORTED_LIMIT", 216: "CUDA_ERROR_CONTEXT_ALREADY_IN_USE",
	217: "CUDA_ERROR_PEER_ACCESS_UNSUPPORTED", 218: "CUDA_ERROR_INVALID_PTX",
	219: "CUDA_ERROR_INVALID_GRAPHICS_CONTEXT", 220: "CUDA_ERROR_NVLINK_UNCORRECTABLE",
	221: "CUDA_ERROR_JIT_COMPILER_NOT_FOUND", 222: "CUDA_ERROR_UNSUPPORTED_PTX_VERSION",
	223: "CUDA_ERROR_JIT_COMPILATION_DISABLED", 224: "CUDA_ERROR_UNSUPPORTED_EXEC_AFFINITY",
	225: "CUDA_ERROR_UNSUPPORTED_DEVSIDE_SYNC", 300: "CUDA_ERROR_INVALID_SOURCE",
	301: "CUDA_ERROR_FILE_NOT_FOUND", 302: "CUDA_ERROR_SHARED_OBJECT_SYMBOL_NOT_FOUND",
	303: "CUDA_ERROR_SHARED_OBJECT_INIT_FAILED", 304: "CUDA_ERROR_OPERATING_SYSTEM",
	400: "CUDA_ERROR_INVALID_HANDLE", 401: "CUDA_ERROR_ILLEGAL_STATE",
	402: "CUDA_ERROR_LOSSY_QUERY", 500: "CUDA_ERROR_NOT_FOUND", 600: "CUDA_ERROR_NOT_READY",
	700: "CUDA_ERROR_ILLEGAL_ADDRESS", 701: "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES",
	702: "CUDA_ERROR_LAUNCH_TIMEOUT", 703: "CUDA_ERROR_LAUNCH_INCOMPATIBLE_TEXTURING",
	704: "CUDA_ERROR_PEER_ACCESS_ALREADY_ENABLED", 705: "CUDA_ERROR_PEER_ACCESS_NOT_ENABLED",
	708: "CUDA_ERROR_PRIMARY_CONTEXT_ACTIVE", 709: "CUDA_ERROR_CONTEXT_IS_DESTROYED",
	710: "CUDA_ERROR_ASSERT", 711: "CUDA_ERROR_TOO_MANY_PEERS",
	712: "CUDA_ERROR_HOST_MEMORY_ALREADY_REGISTERED", 713: "CUDA_ERROR_HOST_MEMORY_NOT_REGISTERED",
	714: "CUDA_ERROR_HARDWARE_STACK_ERROR", 715: "CUDA_ERROR_ILLEGAL_INSTRUCTION",
	716: "CUDA_ERROR_MISALIGNED_ADDRESS", 717: "CUDA_ERROR_INVALID_ADDRESS_SPACE",
	718: "CUDA_ERROR_INVALID_PC", 719: "CUDA_ERROR_LAUNCH_FAILED",
	720: "CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE", 800: "CUDA_ERROR_NOT_PERMITTED",
	801: "CUDA_ERROR_NOT_SUPPORTED", 802: "CUDA_ERROR_SYSTEM_NOT_READY",
	803: "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", 804: "CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE",
	999: "CUDA_ERROR_UNKNOWN",
}

// nvrtcErrorNames maps nvrtcResult values to their names in nvrtc.h.
var nvrtcErrorNames = map[int]string{
	0: "NVRTC_SUCCESS", 1: "NVRTC_ERROR_OUT_OF_MEMORY", 2: "NVRTC_ERROR_PROGRAM_CREATION_FAILURE",
	3: "NVRTC_ERROR_INVALID_INPUT", 4: "NVRTC_ERROR_INVALID_PROGRAM", 5: "NVRTC_ERROR_INVALID_OPTION",
	6: "NVRTC_ERROR_COMPILATION", 7: "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE",
	8:  "NVRTC_ERROR_NO_NAME_EXPRESSIONS_AFTER_COMPILATION",
	9:  "NVRTC_ERROR_NO_LOWERED_NAMES_BEFORE_COMPILATION",
	10: "NVRTC_ERROR_NAME_EXPRESSION_NOT_VALID", 11: "NVRTC_ERROR_INTERNAL_ERROR",
	12: "NVRTC_ERROR_TIME_FILE_WRITE_FAILED",
}

// cublasStatusNames maps cublasStatus_t values to their names in cublas_api.h.
var cublasStatusNames = map[int]string{
	0: "CUBLAS_STATUS_SUCCESS", 1: "CUBLAS_STATUS_NOT_INITIALIZED", 3: "CUBLAS_STATUS_ALLOC_FAILED",
	7: "CUBLAS_STATUS_INVALID_VALUE", 8: "CUBLAS_STATUS_ARCH_MISMATCH", 11: "CUBLAS_STATUS_MAPPING_ERROR",
	13: "CUBLAS_STATUS_EXECUTION_FAILED", 14: "CUBLAS_STATUS_INTERNAL_ERROR",
	15: "CUBLAS_STATUS_NOT_SUPPORTED", 16: "CUBLAS_STATUS_LICENSE_ERROR",
}

// errorName returns the name of code in names, or prefix + "UNKNOWN_<code>".
func errorName(names map[int]string, prefix string, code int) string {
	if n, ok := names[code]; ok {
		return n
	}
	return fmt.Sprintf("%sUNKNOWN_%d", prefix, code)
}

// cuErr returns nil for CUDA_SUCCESS, else an *Error for op. The message comes
// from cuGetErrorString when the driver provides one.
func cuErr(op string, r cuResult) error {
	if r == 0 {
		return nil
	}
	e := &Error{Op: op, Code: int(r), Name: errorName(cudaErrorNames, "CUDA_ERROR_", int(r))}
	if _, known := cudaErrorNames[int(r)]; !known && cuGetErrorName != nil {
		var p *byte
		if cuGetErrorName(r, &p) == 0 && p != nil {
			e.Name = cString(p)
		}
	}
	if cuGetErrorString != nil {
		var p *byte
		if cuGetErrorString(r, &p) == 0 && p != nil {
			e.Msg = cString(p)
		}
	}
	return e
}

// nvrtcErr returns nil for NVRTC_SUCCESS, else an *Error for op.
func nvrtcErr(op string, r nvrtcResult) error {
	if r == 0 {
		return nil
	}
	e := &Error{Op: op, Code: int(r), Name: errorName(nvrtcErrorNames, "NVRTC_ERROR_", int(r))}
	if nvrtcGetErrorString != nil {
		e.Msg = nvrtcGetErrorString(r)
	}
	return e
}

// cublasErr returns nil for CUBLAS_STATUS_SUCCESS, else an *Error for op.
func cublasErr(op string, r cublasStatus) error {
	if r == 0 {
		return nil
	}
	e := &Error{Op: op, Code: int(r), Name: errorName(cublasStatusNames, "CUBLAS_STATUS_", int(r))}
	if cublasGetStatusString != nil {
		e.Msg = cublasGetStatusString(r)
	}
	return e
}
