// Package nx provides multi-dimensional tensors and the numerical operations of
// Elixir's Nx, for Go.
//
// A [Tensor] is an immutable value: a [Shape], a [DType] and its elements. Every
// operation returns a new tensor. Operations are plain functions named after Nx in
// Go casing (nx.Add, nx.Sum, nx.Argsort, nx.PutSlice); keyword options become typed
// [Option] values:
//
//	x := nx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
//	s := nx.Sum(x, nx.Axes(1), nx.KeepAxes()) // f32[2][1] [[6.0], [15.0]]
//
// Misuse — a shape or type mismatch, an axis out of range, an option an operation
// does not take — panics with an [*Error] naming the operation, its operands and
// what was expected. [Recover] and [Try] turn such panics into errors at the
// boundaries of long-running programs.
//
// # Types
//
// Element types are run-time values: u8 u16 u32 u64, s8 s16 s32 s64, f16 bf16 f32
// f64, c64 c128. [FromSlice] takes the type from the Go slice ([]float32 is f32).
//
// # Type promotion
//
// Binary operations merge their operands' types with Nx's rules ([Merge]):
//
//	operands                      result                 example
//	same kind                     the wider              u8, u16   → u16
//	unsigned uN with signed sM    signed max(2N, M) ≤ 64 u8, s8    → s16;  u32, s32 → s64
//	integer with float/complex    the float or complex   s64, f32  → f32
//	f16 with bf16                 f32                    f16, bf16 → f32
//	float with float              the wider              bf16, f64 → f64
//	float fN with complex cM      complex max(M, 2N)     f64, c64  → c128
//
// Go numbers wrapped with [Number] are weak, as numbers are in Nx: they take the
// other operand's type (u8 + Number(1) is u8), except that a float number with an
// integer tensor gives f32. Functions of real numbers (Exp, Sin, Divide, Mean,
// ...) turn integer operands into f32 first. Comparisons and logical operations
// return u8 tensors of 0 and 1. Sum and Product accumulate integers in 64 bits.
//
// # Broadcasting
//
// Shapes broadcast as in Nx and NumPy: aligned on the right, each pair of
// dimensions equal or one of them 1 ([BroadcastShapes]).
//
// # Backends
//
// Each public function checks its operands and applies primitive operations;
// the CPU backend evaluates primitives eagerly on Go slices, splitting large
// loops across goroutines. Matrix products and the float elementwise loops run
// in assembly kernels chosen from CPUID (AVX2+FMA or AVX-512 on amd64); the
// environment variable NX_CPU=generic (or avx2) selects the portable Go kernels
// (or stops short of AVX-512), and the build tag noasm leaves the assembly out.
//
// # Compilation
//
// Jit traces a function into a graph of primitives, then simplifies it (folding
// constants, merging equal subexpressions, removing identities), fuses chains of
// elementwise operations and their trailing reductions into block-wise loops,
// applies the elementwise consumers of a matrix product (bias, activation) to
// each block of the product as the GEMM finishes it, and plans buffers by
// liveness.
//
// A compiled call in steady state allocates its outputs and nothing else, on
// one thread or split between several: per output a tensor header and, for
// fewer than 16384 elements, a buffer (two allocations: the array and its
// boxed slice); larger f32 and f64 buffers are recycled once a collection has
// freed the tensors that held them. Intermediate values live in buffers that
// the plan keeps and reuses (kept across collections); steps keep their
// geometry, scratch buffers and the shared state of their parallel work
// (convolutions' im2col buffers, gathers' offsets) from one call to the next;
// work is split between helper goroutines that are started once and kept,
// through jobs that need no closure; While loops write each iteration's state
// over the one before last. The signature is looked up without building a
// string: by the arguments' shapes and types when they are tensors, else by an
// exact key of the containers' structure, shapes and static values (maps of
// tensors by name included; other maps, functions and values that format
// themselves take the string path). Functions of one to three tensors to one
// or two tensors are called without reflection; other forms allocate
// reflection's argument and result slices, a copy of each argument that is
// not a pointer, and the result containers. A CustomOp with EvalInto writes
// into buffers the plan reuses (its kernel may split its work with
// ParallelFor, which shares nx's helper goroutines). f32 Exp and maximum
// reductions use vectorized kernels, the same eagerly and compiled.
// Grad, Vectorize and While work on the same graphs.
//
// # Backends
//
// Compiled functions run on the CPU unless another backend is selected: the
// OnBackend option of Jit, SetBackend, or the environment variable
// NX_BACKEND (cpu or cuda); Backend reports the choice. Backends register
// themselves as database/sql drivers do: a blank import of
// github.com/gonx-dev/gonx/nx/cuda adds "cuda", and programs without it link
// none of the GPU code. A backend opens on first use; one that cannot run
// (no GPU driver) is an error of SetBackend or of the compiled function's
// first call ("no CUDA driver found"), never a failure at start-up. A backend
// receives a read-only Graph — the optimized graph's nodes, operands, shapes,
// types and static parameters — and may run any node on the CPU with
// Node.Eval.
package nx
