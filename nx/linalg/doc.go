// Package linalg provides the linear algebra of Elixir's Nx.LinAlg for nx
// tensors: decompositions (Cholesky, QR, LU, SVD, Eigh), solvers (Solve,
// TriangularSolve, LeastSquares), inverses (Invert, Pinv), and Determinant,
// Norm, MatrixPower, MatrixRank and Adjoint.
//
//	a := nx.FromSlice([]float32{4, 2, 2, 3}, 2, 2)
//	l := linalg.Cholesky(a)                             // l·lᵀ = a
//	x := linalg.Solve(a, nx.FromSlice([]float32{2, 1})) // a·x = [2, 1]
//
// Functions take a matrix, or a batch of matrices over the leading axes
// ([..., m, n]), and return results of the input's floating-point type:
// integers give f32, f16, bf16, f32, f64, c64 and c128 stay. Keyword options
// of Nx are typed [Option] values of this package (linalg.QR(a,
// linalg.Mode(linalg.Complete))).
//
// Misuse — a non-square matrix where a square one is needed, incompatible
// shapes, a matrix that is not positive definite for Cholesky, a singular one
// for Solve — panics with an *nx.Error naming the function
// ("linalg.Cholesky"), its operands and what was expected.
//
// # Evaluation
//
// The decompositions and solvers run eagerly: they read their operands'
// elements (as float64 or complex128), compute in plain Go with classic
// algorithms (Householder QR, Cholesky–Banachiewicz, LU with partial pivoting,
// one-sided Jacobi SVD, cyclic Jacobi eigen-decomposition) and convert the
// results back to the operands' type. They cannot yet be traced by nx.Jit;
// Norm (but for its SVD-based orders) and Adjoint are composed of nx
// operations.
package linalg
