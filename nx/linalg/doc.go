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
// # Evaluation and gradients
//
// The decompositions and solvers compute in plain Go with classic algorithms
// (Householder QR, Cholesky–Banachiewicz, LU with partial pivoting, one-sided
// Jacobi SVD, cyclic Jacobi eigen-decomposition), reading their operands'
// elements as float64 or complex128 and converting the results back to the
// operands' type. Each runs as an nx.CustomOp, so every function also traces:
// inside nx.Jit, nx.Grad or nx.While it is recorded and runs when the compiled
// function does, with the same results as eagerly. Norm and Adjoint are
// composed of nx operations.
//
// Gradients follow JAX and Nx, for real floating-point operands: Cholesky,
// QR, LU (through l and u), TriangularSolve and Solve (both operands), Invert,
// Determinant, SVD (s, u and vt), Eigh (w and v), Pinv, LeastSquares,
// MatrixPower and Norm. Each function's documentation states its rule and where
// it holds (distinct eigenvalues or singular values, full rank). The gradient
// of a complex operand panics with an *nx.Error; MatrixRank, being integer,
// has none.
package linalg
