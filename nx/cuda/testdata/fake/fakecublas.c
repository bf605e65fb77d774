/* A host implementation of the cuBLAS entry points that package cuda binds:
 * column-major GEMM computed on the host, with cuBLAS's argument checks, and a
 * check that every matrix it touches lies inside one device allocation. A
 * handle is tied to the context current when it was created, as in cuBLAS.
 * Built by the package's tests into libcublas.so.12, linked to the fake
 * libcuda.so.1. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protos.h"

struct cublasContext { int magic; CUcontext ctx; cudaStream_t stream; };

#define ENTER(fn) do { int e_ = fake_should_fail(fn); if (e_) return e_; } while (0)
#define NEED_HANDLE(h) do { if (!(h) || (h)->magic != 0xB1) return 1; if (fake_current_ctx() != (h)->ctx) return 14; } while (0)

cublasStatus_t cublasCreate_v2(cublasHandle_t *handle) {
	ENTER("cublasCreate_v2");
	if (!fake_current_ctx()) return 1; /* CUBLAS_STATUS_NOT_INITIALIZED */
	cublasHandle_t h = calloc(1, sizeof *h);
	h->magic = 0xB1;
	h->ctx = fake_current_ctx();
	*handle = h;
	return 0;
}

cublasStatus_t cublasDestroy_v2(cublasHandle_t handle) {
	NEED_HANDLE(handle);
	handle->magic = 0;
	return 0;
}

cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int *version) {
	NEED_HANDLE(handle);
	*version = 120401;
	return 0;
}

cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId) {
	ENTER("cublasSetStream_v2");
	NEED_HANDLE(handle);
	handle->stream = streamId;
	return 0;
}

const char *cublasGetStatusString(cublasStatus_t status) {
	switch (status) {
	case 0: return "the operation completed successfully";
	case 7: return "an invalid numeric value was used as an argument";
	case 14: return "an internal operation failed";
	}
	return "unknown status";
}

/* Element types: 0 f32, 1 f64, 2 f16, 14 bf16 (cudaDataType values). */
static double load(const void *p, int type, long i) {
	if (type == 1) return ((const double *)p)[i];
	if (type == 0) return ((const float *)p)[i];
	uint16_t h = ((const uint16_t *)p)[i];
	if (type == 14) {
		uint32_t u = (uint32_t)h << 16;
		float f;
		memcpy(&f, &u, 4);
		return f;
	}
	int s = h >> 15, e = (h >> 10) & 31, m = h & 1023;
	double v = e == 0 ? m / 1024.0 / 16384.0 : e == 31 ? (m ? NAN : INFINITY) : (1 + m / 1024.0) * ldexp(1, e - 15);
	return s ? -v : v;
}

/* to_half rounds the float with bits x to the nearest half (ties to even). */
static uint16_t to_half(uint32_t x) {
	uint32_t sign = (x >> 16) & 0x8000, mant = x & 0x7FFFFF;
	int e = (int)((x >> 23) & 0xFF);
	if (e == 0xFF) return (uint16_t)(sign | 0x7C00 | (mant ? 0x200 : 0));
	int exp = e - 127 + 15;
	if (exp >= 31) return (uint16_t)(sign | 0x7C00);
	if (exp <= 0) {
		if (exp < -10) return (uint16_t)sign;
		mant |= 0x800000;
		int shift = 14 - exp;
		uint32_t h = mant >> shift, rem = mant & ((1u << shift) - 1), half = 1u << (shift - 1);
		if (rem > half || (rem == half && (h & 1))) h++;
		return (uint16_t)(sign | h);
	}
	uint32_t h = ((uint32_t)exp << 10) | (mant >> 13), rem = mant & 0x1FFF;
	if (rem > 0x1000 || (rem == 0x1000 && (h & 1))) h++; /* a carry into the exponent is right */
	return (uint16_t)(sign | h);
}

static void store(void *p, int type, long i, double v) {
	if (type == 1) { ((double *)p)[i] = v; return; }
	float f = (float)v;
	if (type == 0) { ((float *)p)[i] = f; return; }
	uint32_t u;
	memcpy(&u, &f, 4);
	if (type == 14) { /* round to nearest even */
		u += 0x7FFF + ((u >> 16) & 1);
		((uint16_t *)p)[i] = (uint16_t)(u >> 16);
		return;
	}
	((uint16_t *)p)[i] = to_half(u);
}

static int size_of(int type) { return type == 1 ? 8 : type == 0 ? 4 : 2; }

/* inside checks that a column-major rows x cols matrix with leading dimension
 * ld at p lies in one device allocation. */
static int inside(const void *p, int rows, int cols, int ld, int type) {
	if (rows == 0 || cols == 0) return 1;
	size_t n = ((size_t)(cols - 1) * (size_t)ld + (size_t)rows) * (size_t)size_of(type);
	if (fake_valid_range((CUdeviceptr)p, n)) return 1;
	fprintf(stderr, "fake cublas: %dx%d matrix (ld %d) at %p is not inside a device allocation\n", rows, cols, ld, p);
	return 0;
}

static cublasStatus_t gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, double alpha, const void *A, int lda, long long sa, const void *B, int ldb, long long sb, double beta, void *C, int ldc, long long sc, int batch, int type) {
	NEED_HANDLE(h);
	if (ta < 0 || ta > 2 || tb < 0 || tb > 2 || m < 0 || n < 0 || k < 0 || batch < 0) return 7;
	int ar = ta == 0 ? m : k, ac = ta == 0 ? k : m;
	int br = tb == 0 ? k : n, bc = tb == 0 ? n : k;
	if (lda < (ar > 1 ? ar : 1) || ldb < (br > 1 ? br : 1) || ldc < (m > 1 ? m : 1)) return 7;
	for (int b = 0; b < batch; b++) {
		const char *a = (const char *)A + sa * b * size_of(type);
		const char *bb = (const char *)B + sb * b * size_of(type);
		char *c = (char *)C + sc * b * size_of(type);
		if (!inside(a, ar, ac, lda, type) || !inside(bb, br, bc, ldb, type) || !inside(c, m, n, ldc, type)) return 14;
		for (int j = 0; j < n; j++) {
			for (int i = 0; i < m; i++) {
				double s = 0;
				for (int l = 0; l < k; l++) {
					double x = ta == 0 ? load(a, type, i + (long)l * lda) : load(a, type, l + (long)i * lda);
					double y = tb == 0 ? load(bb, type, l + (long)j * ldb) : load(bb, type, j + (long)l * ldb);
					s += x * y;
				}
				double old = beta == 0 ? 0 : load(c, type, i + (long)j * ldc);
				store(c, type, i + (long)j * ldc, alpha * s + beta * old);
			}
		}
	}
	return 0;
}

cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc) {
	ENTER("cublasSgemm_v2");
	return gemm(handle, transa, transb, m, n, k, *alpha, A, lda, 0, B, ldb, 0, *beta, C, ldc, 0, 1, 0);
}

cublasStatus_t cublasDgemm_v2(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, const double *B, int ldb, const double *beta, double *C, int ldc) {
	ENTER("cublasDgemm_v2");
	return gemm(handle, transa, transb, m, n, k, *alpha, A, lda, 0, B, ldb, 0, *beta, C, ldc, 0, 1, 1);
}

cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const float *alpha, const float *A, int lda, long long int strideA, const float *B, int ldb, long long int strideB, const float *beta, float *C, int ldc, long long int strideC, int batchCount) {
	ENTER("cublasSgemmStridedBatched");
	return gemm(handle, transa, transb, m, n, k, *alpha, A, lda, strideA, B, ldb, strideB, *beta, C, ldc, strideC, batchCount, 0);
}

cublasStatus_t cublasDgemmStridedBatched(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const double *alpha, const double *A, int lda, long long int strideA, const double *B, int ldb, long long int strideB, const double *beta, double *C, int ldc, long long int strideC, int batchCount) {
	ENTER("cublasDgemmStridedBatched");
	return gemm(handle, transa, transb, m, n, k, *alpha, A, lda, strideA, B, ldb, strideB, *beta, C, ldc, strideC, batchCount, 1);
}

static cublasStatus_t gemm_ex(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const void *alpha, const void *A, cudaDataType Atype, int lda, long long sa, const void *B, cudaDataType Btype, int ldb, long long sb, const void *beta, void *C, cudaDataType Ctype, int ldc, long long sc, int batch, cublasComputeType_t computeType, cublasGemmAlgo_t algo) {
	if (Atype != Btype || Atype != Ctype || (Atype != 2 && Atype != 14)) return 15; /* NOT_SUPPORTED */
	if (computeType != 68 || algo != -1) return 7; /* CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT */
	return gemm(handle, transa, transb, m, n, k, *(const float *)alpha, A, lda, sa, B, ldb, sb, *(const float *)beta, C, ldc, sc, batch, Atype);
}

cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const void *alpha, const void *A, cudaDataType Atype, int lda, const void *B, cudaDataType Btype, int ldb, const void *beta, void *C, cudaDataType Ctype, int ldc, cublasComputeType_t computeType, cublasGemmAlgo_t algo) {
	ENTER("cublasGemmEx");
	return gemm_ex(handle, transa, transb, m, n, k, alpha, A, Atype, lda, 0, B, Btype, ldb, 0, beta, C, Ctype, ldc, 0, 1, computeType, algo);
}

cublasStatus_t cublasGemmStridedBatchedEx(cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb, int m, int n, int k, const void *alpha, const void *A, cudaDataType Atype, int lda, long long int strideA, const void *B, cudaDataType Btype, int ldb, long long int strideB, const void *beta, void *C, cudaDataType Ctype, int ldc, long long int strideC, int batchCount, cublasComputeType_t computeType, cublasGemmAlgo_t algo) {
	ENTER("cublasGemmStridedBatchedEx");
	return gemm_ex(handle, transa, transb, m, n, k, alpha, A, Atype, lda, strideA, B, Btype, ldb, strideB, beta, C, Ctype, ldc, strideC, batchCount, computeType, algo);
}
