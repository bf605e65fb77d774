/* A host implementation of the CUDA driver API entry points that package cuda
 * binds: device memory is malloc'd host memory, copies are memcpy, streams run
 * work at once, and cuLaunchKernel records its arguments and runs a few known
 * kernels on the host. The current context is per thread, as in the driver,
 * so a call made without setting it fails with CUDA_ERROR_INVALID_CONTEXT.
 * Built by the package's tests into libcuda.so.1. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protos.h"

#define MAXDEV 4
#define MAXALLOC 8192
#define MAXPARAM 32

struct CUctx_st { int magic; int dev; };
struct CUstream_st { int magic; CUcontext ctx; };
struct CUmod_st { int magic; int arch; char *text; };
struct CUfunc_st { int magic; CUmodule mod; char name[128]; int nparams; int sizes[MAXPARAM]; };

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int initialized, ndevices = 2, init_error, ptx_unsupported;
static struct CUctx_st ctxs[MAXDEV];
static __thread CUcontext current;

static struct { void *p; size_t n; } allocs[MAXALLOC];
static long nlive;

static struct { char fn[64]; long calls; } counters[128];
static char fail_fn[64];
static int fail_code, fail_after;

static struct {
	char name[128];
	unsigned dims[7];
	int nparams;
	unsigned long long params[MAXPARAM];
	CUstream stream;
} last;
static CUstream last_stream;

void fake_reset(void) {
	pthread_mutex_lock(&mu);
	initialized = 0; ndevices = 2; init_error = 0; ptx_unsupported = 0;
	memset(counters, 0, sizeof counters);
	fail_fn[0] = 0;
	memset(&last, 0, sizeof last);
	last_stream = NULL;
	pthread_mutex_unlock(&mu);
}
void fake_set_devices(int n) { ndevices = n; }
void fake_set_init_error(int code) { init_error = code; }
void fake_set_ptx_unsupported(int on) { ptx_unsupported = on; }
CUcontext fake_current_ctx(void) { return current; }
CUstream fake_last_stream(void) { return last_stream; }

void fake_fail(const char *fn, int code, int after) {
	pthread_mutex_lock(&mu);
	snprintf(fail_fn, sizeof fail_fn, "%s", fn);
	fail_code = code; fail_after = after;
	pthread_mutex_unlock(&mu);
}

/* fake_should_fail counts a call of fn and returns the injected error code for
 * it, or 0. */
int fake_should_fail(const char *fn) {
	int r = 0, i;
	pthread_mutex_lock(&mu);
	for (i = 0; i < 128; i++) {
		if (counters[i].fn[0] == 0) snprintf(counters[i].fn, sizeof counters[i].fn, "%s", fn);
		if (strcmp(counters[i].fn, fn) == 0) { counters[i].calls++; break; }
	}
	if (fail_fn[0] && strcmp(fail_fn, fn) == 0) {
		if (fail_after == 0) { r = fail_code; fail_fn[0] = 0; } else fail_after--;
	}
	pthread_mutex_unlock(&mu);
	return r;
}

long fake_calls(const char *fn) {
	long n = 0;
	pthread_mutex_lock(&mu);
	for (int i = 0; i < 128; i++)
		if (strcmp(counters[i].fn, fn) == 0) n = counters[i].calls;
	pthread_mutex_unlock(&mu);
	return n;
}

long fake_live_allocs(void) { return nlive; }

/* fake_valid_range reports whether [p, p+n) lies inside one live allocation. */
int fake_valid_range(CUdeviceptr p, size_t n) {
	int ok = 0;
	pthread_mutex_lock(&mu);
	for (int i = 0; i < MAXALLOC; i++) {
		char *b = allocs[i].p;
		if (b && (char *)p >= b && (char *)p + n <= b + allocs[i].n) { ok = 1; break; }
	}
	pthread_mutex_unlock(&mu);
	return ok;
}

#define ENTER(fn) do { int e_ = fake_should_fail(fn); if (e_) return e_; } while (0)
#define NEED_INIT() do { if (!initialized) return 3; /* CUDA_ERROR_NOT_INITIALIZED */ } while (0)
#define NEED_CTX() do { NEED_INIT(); if (!current || current->magic != 0xC7) return 201; /* INVALID_CONTEXT */ } while (0)

static int stream_ok(CUstream s) { return s == NULL || (s->magic == 0x57 && s->ctx == current); }

CUresult cuInit(unsigned int Flags) {
	ENTER("cuInit");
	if (Flags != 0) return 1;
	if (init_error) return init_error;
	initialized = 1;
	return 0;
}

CUresult cuDriverGetVersion(int *driverVersion) {
	ENTER("cuDriverGetVersion");
	if (!driverVersion) return 1;
	*driverVersion = 12040;
	return 0;
}

CUresult cuDeviceGetCount(int *count) {
	ENTER("cuDeviceGetCount");
	NEED_INIT();
	*count = ndevices;
	return 0;
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
	ENTER("cuDeviceGet");
	NEED_INIT();
	if (ordinal < 0 || ordinal >= ndevices) return 101;
	*device = 100 + ordinal; /* device handles differ from ordinals */
	return 0;
}

static int devindex(CUdevice dev) { return dev >= 100 && dev < 100 + ndevices ? dev - 100 : -1; }

CUresult cuDeviceGetName(char *name, int len, CUdevice dev) {
	ENTER("cuDeviceGetName");
	NEED_INIT();
	int i = devindex(dev);
	if (i < 0) return 101;
	if (len < 1) return 1;
	snprintf(name, (size_t)len, "Fake CUDA Device %d", i);
	return 0;
}

CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice dev) {
	ENTER("cuDeviceTotalMem_v2");
	NEED_INIT();
	int i = devindex(dev);
	if (i < 0) return 101;
	*bytes = ((size_t)16 + (size_t)i) << 30; /* more than 2^32: checks the width */
	return 0;
}

CUresult cuDeviceGetAttribute(int *pi, CUdevice_attribute attrib, CUdevice dev) {
	ENTER("cuDeviceGetAttribute");
	NEED_INIT();
	int i = devindex(dev);
	if (i < 0) return 101;
	switch (attrib) {
	case 1: *pi = 1024; return 0;            /* MAX_THREADS_PER_BLOCK */
	case 16: *pi = 4 + i; return 0;          /* MULTIPROCESSOR_COUNT */
	case 75: *pi = i == 0 ? 8 : 9; return 0; /* COMPUTE_CAPABILITY_MAJOR */
	case 76: *pi = i == 0 ? 6 : 0; return 0; /* COMPUTE_CAPABILITY_MINOR */
	}
	return 1;
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *pctx, CUdevice dev) {
	ENTER("cuDevicePrimaryCtxRetain");
	NEED_INIT();
	int i = devindex(dev);
	if (i < 0) return 101;
	ctxs[i].magic = 0xC7;
	ctxs[i].dev = i;
	*pctx = &ctxs[i];
	return 0;
}

CUresult cuCtxSetCurrent(CUcontext ctx) {
	ENTER("cuCtxSetCurrent");
	NEED_INIT();
	if (ctx && ctx->magic != 0xC7) return 201;
	current = ctx;
	return 0;
}

CUresult cuCtxSynchronize(void) {
	ENTER("cuCtxSynchronize");
	NEED_CTX();
	return 0;
}

CUresult cuStreamCreate(CUstream *phStream, unsigned int Flags) {
	ENTER("cuStreamCreate");
	NEED_CTX();
	if (Flags > 1) return 1;
	CUstream s = calloc(1, sizeof *s);
	s->magic = 0x57;
	s->ctx = current;
	*phStream = s;
	return 0;
}

CUresult cuStreamSynchronize(CUstream hStream) {
	ENTER("cuStreamSynchronize");
	NEED_CTX();
	if (!stream_ok(hStream)) return 400;
	return 0;
}

CUresult cuStreamDestroy_v2(CUstream hStream) {
	ENTER("cuStreamDestroy_v2");
	NEED_CTX();
	if (!hStream || !stream_ok(hStream)) return 400;
	hStream->magic = 0;
	return 0; /* not freed: a later use must still see a bad magic */
}

CUresult cuMemAlloc_v2(CUdeviceptr *dptr, size_t bytesize) {
	ENTER("cuMemAlloc_v2");
	NEED_CTX();
	if (bytesize == 0) return 1;
	if (bytesize > ((size_t)1 << 36)) return 2; /* CUDA_ERROR_OUT_OF_MEMORY */
	void *p = NULL;
	if (posix_memalign(&p, 256, bytesize) != 0) return 2; /* the driver aligns to at least 256 */
	pthread_mutex_lock(&mu);
	int i;
	for (i = 0; i < MAXALLOC && allocs[i].p; i++) {}
	if (i == MAXALLOC) { pthread_mutex_unlock(&mu); free(p); return 2; }
	allocs[i].p = p; allocs[i].n = bytesize; nlive++;
	pthread_mutex_unlock(&mu);
	*dptr = (CUdeviceptr)p;
	return 0;
}

CUresult cuMemFree_v2(CUdeviceptr dptr) {
	ENTER("cuMemFree_v2");
	NEED_CTX();
	pthread_mutex_lock(&mu);
	for (int i = 0; i < MAXALLOC; i++) {
		if (allocs[i].p == (void *)dptr) {
			free(allocs[i].p);
			allocs[i].p = NULL; nlive--;
			pthread_mutex_unlock(&mu);
			return 0;
		}
	}
	pthread_mutex_unlock(&mu);
	return 1;
}

CUresult cuMemGetInfo_v2(size_t *free, size_t *total) {
	ENTER("cuMemGetInfo_v2");
	NEED_CTX();
	size_t used = 0;
	pthread_mutex_lock(&mu);
	for (int i = 0; i < MAXALLOC; i++)
		if (allocs[i].p) used += allocs[i].n;
	pthread_mutex_unlock(&mu);
	*total = ((size_t)16 + (size_t)current->dev) << 30;
	*free = *total - used;
	return 0;
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dstDevice, const void *srcHost, size_t ByteCount, CUstream hStream) {
	ENTER("cuMemcpyHtoDAsync_v2");
	NEED_CTX();
	if (!stream_ok(hStream)) return 400;
	if (!fake_valid_range(dstDevice, ByteCount) || !srcHost) return 1;
	memcpy((void *)dstDevice, srcHost, ByteCount);
	last_stream = hStream;
	return 0;
}

CUresult cuMemcpyDtoHAsync_v2(void *dstHost, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream) {
	ENTER("cuMemcpyDtoHAsync_v2");
	NEED_CTX();
	if (!stream_ok(hStream)) return 400;
	if (!fake_valid_range(srcDevice, ByteCount) || !dstHost) return 1;
	memcpy(dstHost, (void *)srcDevice, ByteCount);
	last_stream = hStream;
	return 0;
}

CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dstDevice, CUdeviceptr srcDevice, size_t ByteCount, CUstream hStream) {
	ENTER("cuMemcpyDtoDAsync_v2");
	NEED_CTX();
	if (!stream_ok(hStream)) return 400;
	if (!fake_valid_range(dstDevice, ByteCount) || !fake_valid_range(srcDevice, ByteCount)) return 1;
	memmove((void *)dstDevice, (void *)srcDevice, ByteCount);
	last_stream = hStream;
	return 0;
}

CUresult cuMemsetD8Async(CUdeviceptr dstDevice, unsigned char uc, size_t N, CUstream hStream) {
	ENTER("cuMemsetD8Async");
	NEED_CTX();
	if (!stream_ok(hStream)) return 400;
	if (!fake_valid_range(dstDevice, N)) return 1;
	memset((void *)dstDevice, uc, N);
	last_stream = hStream;
	return 0;
}

/* Images made by the fake NVRTC start with "//FAKEPTX compute_NN\n" or
 * "//FAKECUBIN sm_NN\n" followed by the CUDA source. A source holding
 * __fake_jit_error__ fails as PTX the driver rejects, with a log in the
 * CU_JIT_ERROR_LOG_BUFFER option when one is given. */
CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int numOptions, CUjit_option *options, void **optionValues) {
	ENTER("cuModuleLoadDataEx");
	NEED_CTX();
	if (numOptions > 0 && (!options || !optionValues)) return 1;
	const char *s = image;
	if (strstr(s, "__fake_jit_error__")) {
		char *buf = NULL;
		int size_at = -1;
		for (unsigned i = 0; i < numOptions; i++) {
			if (options[i] == 5) buf = optionValues[i];          /* CU_JIT_ERROR_LOG_BUFFER */
			if (options[i] == 6) size_at = (int)i;               /* CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES */
			if (options[i] != 5 && options[i] != 6) return 1;
		}
		if (buf && size_at >= 0) {
			size_t cap = (size_t)optionValues[size_at];
			int n = snprintf(buf, cap, "ptxas application ptx input, line 7; error   : fake JIT failure");
			optionValues[size_at] = (void *)(size_t)(n < 0 ? 0 : (size_t)n + 1 > cap ? cap : (size_t)n + 1);
		}
		return 218; /* CUDA_ERROR_INVALID_PTX */
	}
	int arch = 0, cubin = 0;
	if (sscanf(s, "//FAKEPTX compute_%d", &arch) == 1) cubin = 0;
	else if (sscanf(s, "//FAKECUBIN sm_%d", &arch) == 1) cubin = 1;
	else return 200; /* CUDA_ERROR_INVALID_IMAGE */
	if (!cubin && ptx_unsupported) return 222; /* CUDA_ERROR_UNSUPPORTED_PTX_VERSION */
	int cc = current->dev == 0 ? 86 : 90;
	if (arch > cc) return 209; /* CUDA_ERROR_NO_BINARY_FOR_GPU */
	CUmodule m = calloc(1, sizeof *m);
	m->magic = 0x3D;
	m->arch = arch;
	m->text = strdup(strchr(s, '\n') ? strchr(s, '\n') + 1 : "");
	*module = m;
	return 0;
}

/* param_size returns the size of one C parameter declaration. */
static int param_size(const char *p, const char *end) {
	char buf[128];
	size_t n = (size_t)(end - p) < sizeof buf - 1 ? (size_t)(end - p) : sizeof buf - 1;
	memcpy(buf, p, n);
	buf[n] = 0;
	if (strchr(buf, '*')) return 8;
	if (strstr(buf, "double") || strstr(buf, "long long") || strstr(buf, "int64_t") || strstr(buf, "size_t")) return 8;
	return 4; /* float, int, unsigned */
}

CUresult cuModuleGetFunction(CUfunction *hfunc, CUmodule hmod, const char *name) {
	ENTER("cuModuleGetFunction");
	NEED_CTX();
	if (!hmod || hmod->magic != 0x3D) return 400;
	char pat[160];
	snprintf(pat, sizeof pat, "__global__ void %s(", name);
	const char *p = strstr(hmod->text, pat);
	if (!p) return 500; /* CUDA_ERROR_NOT_FOUND */
	CUfunction f = calloc(1, sizeof *f);
	f->magic = 0xF7;
	f->mod = hmod;
	snprintf(f->name, sizeof f->name, "%s", name);
	p += strlen(pat);
	const char *close = strchr(p, ')');
	while (p < close) {
		const char *q = p;
		while (q < close && *q != ',') q++;
		const char *s = p;
		while (s < q && (*s == ' ' || *s == '\n' || *s == '\t')) s++;
		if (s < q) f->sizes[f->nparams++] = param_size(p, q);
		p = q + 1;
	}
	*hfunc = f;
	return 0;
}

/* run executes the known kernels on the host, one "thread" at a time. */
static void run(CUfunction f, const unsigned *d, void **params) {
	unsigned long total = (unsigned long)d[0] * d[3];
	if (strcmp(f->name, "axpy") == 0) { /* (float a, const float *x, float *y, int n) */
		float a = *(float *)params[0];
		const float *x = *(const float **)params[1];
		float *y = *(float **)params[2];
		int n = *(int *)params[3];
		for (unsigned long i = 0; i < total; i++)
			if ((long)i < n) y[i] = a * x[i] + y[i];
	} else if (strcmp(f->name, "fill_f64") == 0) { /* (double *out, double v, long long n) */
		double *out = *(double **)params[0];
		double v = *(double *)params[1];
		long long n = *(long long *)params[2];
		for (unsigned long i = 0; i < total; i++)
			if ((long long)i < n) out[i] = v;
	}
}

CUresult cuLaunchKernel(CUfunction f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, CUstream hStream, void **kernelParams, void **extra) {
	ENTER("cuLaunchKernel");
	NEED_CTX();
	if (!f || f->magic != 0xF7) return 400;
	if (!stream_ok(hStream)) return 400;
	if (extra) return 1;
	if (!gridDimX || !gridDimY || !gridDimZ || !blockDimX || !blockDimY || !blockDimZ) return 1;
	if ((unsigned long)blockDimX * blockDimY * blockDimZ > 1024) return 1;
	if (sharedMemBytes > 48 * 1024) return 1;
	if (f->nparams > 0 && !kernelParams) return 1;
	pthread_mutex_lock(&mu);
	snprintf(last.name, sizeof last.name, "%s", f->name);
	unsigned dims[7] = {gridDimX, gridDimY, gridDimZ, blockDimX, blockDimY, blockDimZ, sharedMemBytes};
	memcpy(last.dims, dims, sizeof dims);
	last.nparams = f->nparams;
	for (int i = 0; i < f->nparams; i++) {
		last.params[i] = 0;
		memcpy(&last.params[i], kernelParams[i], (size_t)f->sizes[i]);
	}
	last.stream = hStream;
	last_stream = hStream;
	pthread_mutex_unlock(&mu);
	run(f, dims, kernelParams);
	return 0;
}

int fake_last_launch(char *name, size_t namelen, unsigned *dims, int *nparams, unsigned long long *params) {
	pthread_mutex_lock(&mu);
	snprintf(name, namelen, "%s", last.name);
	memcpy(dims, last.dims, sizeof last.dims);
	*nparams = last.nparams;
	memcpy(params, last.params, sizeof(unsigned long long) * (size_t)last.nparams);
	pthread_mutex_unlock(&mu);
	return 0;
}

static const char *names[][2] = {
	{"1", "CUDA_ERROR_INVALID_VALUE"}, {"2", "CUDA_ERROR_OUT_OF_MEMORY"},
	{"3", "CUDA_ERROR_NOT_INITIALIZED"}, {"100", "CUDA_ERROR_NO_DEVICE"},
	{"201", "CUDA_ERROR_INVALID_CONTEXT"}, {"222", "CUDA_ERROR_UNSUPPORTED_PTX_VERSION"},
	{"400", "CUDA_ERROR_INVALID_HANDLE"}, {"500", "CUDA_ERROR_NOT_FOUND"},
	{"777", "CUDA_ERROR_FAKE_ONLY"},
};

CUresult cuGetErrorName(CUresult error, const char **pStr) {
	char code[16];
	snprintf(code, sizeof code, "%d", error);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i][0], code) == 0) { *pStr = names[i][1]; return 0; }
	*pStr = NULL;
	return 1;
}

CUresult cuGetErrorString(CUresult error, const char **pStr) {
	static __thread char buf[64];
	snprintf(buf, sizeof buf, "fake driver error %d", error);
	*pStr = buf;
	return 0;
}
