/* Types of the CUDA driver API, NVRTC and cuBLAS as the fake libraries in this
 * directory implement them. The prototypes of the bound entry points are not
 * written here: the Go test generates protos.h from the package's symbol table,
 * so a fake definition that disagrees with a Go binding fails to compile. */
#ifndef FAKE_H
#define FAKE_H

#include <stddef.h>

typedef int CUresult;
typedef int CUdevice;
typedef int CUdevice_attribute;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUstream_st *CUstream;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef int CUjit_option;

typedef int nvrtcResult;
typedef struct nvrtcProgram_st *nvrtcProgram;

typedef int cublasStatus_t;
typedef struct cublasContext *cublasHandle_t;
typedef struct CUstream_st *cudaStream_t;
typedef int cublasOperation_t;
typedef int cudaDataType;
typedef int cublasComputeType_t;
typedef int cublasGemmAlgo_t;

/* Test controls, exported by the fake libcuda and used by the other fakes. */
void fake_reset(void);
void fake_set_devices(int n);
void fake_set_init_error(int code);
void fake_set_ptx_unsupported(int on);
void fake_fail(const char *fn, int code, int after);
int fake_should_fail(const char *fn);
long fake_calls(const char *fn);
long fake_live_allocs(void);
CUcontext fake_current_ctx(void);
int fake_valid_range(CUdeviceptr p, size_t n);
CUstream fake_last_stream(void);
int fake_last_launch(char *name, size_t namelen, unsigned *dims, int *nparams, unsigned long long *params);

/* Exported by the fake libnvrtc. */
const char *fake_nvrtc_last_options(void);

#endif
