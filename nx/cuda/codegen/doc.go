// Package codegen turns an nx graph (nx.Graph, the read-only view a backend
// receives) into a plan for a GPU: CUDA C kernels compiled at run time by
// NVRTC, cuBLAS matrix products, and the nodes left to the CPU.
//
// Generate groups the graph's nodes:
//
//   - chains of elementwise primitives over the same number of elements
//     (every unary, binary, comparison, select and conversion primitive nx
//     has, over every real type: u8–u64, s8–s64, f16, bf16, f32, f64) become
//     one fused kernel, a grid-stride loop that keeps intermediate values in
//     registers and writes only the values something else reads;
//   - broadcasts, transposes and reshapes are not materialized: kernels read
//     their operands through them with index arithmetic (a reshape of a
//     buffer is an alias of it); a copy kernel materializes one only where a
//     GEMM, a CPU node or a result needs it;
//   - reductions (sum, product, max, min, argmax, argmin, over any axes)
//     are kernels with one block per output element: each thread accumulates
//     a strided share of the reduced elements, recomputing the elementwise
//     chain that produces them, then the block combines the shares with a
//     tree in shared memory;
//   - dot (batched matrix products of float types) becomes a GEMM step for
//     cuBLAS (Gemm.ColumnMajor gives its column-major arguments);
//   - a While loop is a loop step whose condition and body are plans of
//     their own (the state stays on the device);
//   - every other node (gathers, sorts, convolutions, complex numbers, ...)
//     is a host step: the executable copies its operands to the
//     CPU, runs it with nx.Node.Eval and copies its results back.
//
// Results follow nx's CPU kernels: integers wrap as in 64-bit arithmetic
// (no undefined overflow in C), division by zero and shifts past the width
// give nx's values, float-to-integer conversions truncate and saturate with
// NaN as 0, max and min propagate NaN, f16 and bf16 are stored as 16 bits
// and computed in float, rounded to their type after every operation as the
// unfused primitives do, and float sums and products accumulate in double.
// Transcendental functions use CUDA's (a few units in the last place from
// Go's).
//
// The generated source is deterministic (the tests keep one golden file per
// family of primitives in testdata, rewritten with go test -update) and
// portable: the same text compiles as C99 with the small shim header
// testdata/shim.h, which emulates the CUDA built-ins it uses. Kernels are
// written as phases between barriers (NX_FOR_THREADS, NX_SYNC), which the
// shim runs thread after thread; the tests compile every kernel with gcc this
// way, run them on random inputs and compare with nx's CPU results.
package codegen
