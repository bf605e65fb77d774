/* Declarations of the CUDA built-ins the generated kernels use, for a C++
   syntax and type check of the source NVRTC compiles (g++ -fsyntax-only):
   the same text, with NX_SHIM undefined, as CUDA C++ sees it. */
#include <math.h>
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(n)
struct nx_dim3 { unsigned int x, y, z; };
extern nx_dim3 threadIdx, blockIdx, blockDim, gridDim;
void __syncthreads();
float __uint_as_float(unsigned int);
unsigned int __float_as_uint(float);
double __longlong_as_double(long long);
float erfinvf(float);
double erfinv(double);
