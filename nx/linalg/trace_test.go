package linalg

import (
	"bytes"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// TestJitMatchesEager runs every function eagerly and compiled with nx.Jit on
// the same operands and requires bit-identical results: both run the same
// kernel.
func TestJitMatchesEager(t *testing.T) {
	f32 := nx.AsType(wellConditioned(40, 2, 3, 3), nx.F32)
	f64 := wellConditioned(41, 2, 2, 3, 3)
	pd := spd(42, 2, 3, 3)
	tall := randomMatrix(43, 4, 3)
	wide := nx.AsType(randomMatrix(44, 2, 2, 3), nx.F32)
	c64 := nx.Complex(nx.AsType(wellConditioned(45, 2, 3, 3), nx.F32), nx.AsType(randomMatrix(46, 3, 3), nx.F32))
	ints := nx.FromSlice([]int32{4, 1, 0, 1, 3, 1, 0, 1, 2}, 3, 3)
	vec := randomMatrix(47, 3)
	tests := []struct {
		name string
		fn   func(a, b *nx.Tensor) []*nx.Tensor
		a, b *nx.Tensor
	}{
		{"Cholesky", one1(Cholesky), pd, nil},
		{"Cholesky ints", one1(Cholesky), nx.FromSlice([]int32{2, 1, 1, 2}, 2, 2), nil},
		{"Cholesky c64", one1(Cholesky), nx.Add(mm(c64, Adjoint(c64)), nx.Eye(nx.C64, 3, 3)), nil},
		{"QR", func(a, _ *nx.Tensor) []*nx.Tensor { q, r := QR(a); return []*nx.Tensor{q, r} }, tall, nil},
		{"QR complete", func(a, _ *nx.Tensor) []*nx.Tensor {
			q, r := QR(a, Mode(Complete), Eps(1e-3))
			return []*nx.Tensor{q, r}
		}, wide, nil},
		{"QR c64", func(a, _ *nx.Tensor) []*nx.Tensor { q, r := QR(a); return []*nx.Tensor{q, r} }, c64, nil},
		{"LU", func(a, _ *nx.Tensor) []*nx.Tensor { p, l, u := LU(a); return []*nx.Tensor{p, l, u} }, f64, nil},
		{"LU ints", func(a, _ *nx.Tensor) []*nx.Tensor { p, l, u := LU(a); return []*nx.Tensor{p, l, u} }, ints, nil},
		{"TriangularSolve", func(a, b *nx.Tensor) []*nx.Tensor {
			return []*nx.Tensor{TriangularSolve(a, b, Lower(false), LeftSide(false), TransformA(Transposed))}
		}, f32, vec},
		{"TriangularSolve c64", func(a, b *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{TriangularSolve(a, b)} }, c64, vec},
		{"Solve", func(a, b *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{Solve(a, b)} }, f64, randomMatrix(48, 2, 3, 2)},
		{"Solve ints", func(a, b *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{Solve(a, b)} }, ints, nx.FromSlice([]int8{1, 2, 3})},
		{"Invert", one1(Invert), f32, nil},
		{"Invert singular", one1(Invert), nx.Zeros(nx.F32, 2, 2), nil},
		{"Invert c64", one1(Invert), c64, nil},
		{"Determinant", one1(Determinant), randomMatrix(49, 2, 5, 5), nil},
		{"Determinant ints", one1(Determinant), ints, nil},
		{"SVD", func(a, _ *nx.Tensor) []*nx.Tensor { u, s, vt := SVD(a); return []*nx.Tensor{u, s, vt} }, tall, nil},
		{"SVD reduced", func(a, _ *nx.Tensor) []*nx.Tensor {
			u, s, vt := SVD(a, FullMatrices(false))
			return []*nx.Tensor{u, s, vt}
		}, wide, nil},
		{"Eigh", func(a, _ *nx.Tensor) []*nx.Tensor { w, v := Eigh(a); return []*nx.Tensor{w, v} }, pd, nil},
		{"Eigh c64", func(a, _ *nx.Tensor) []*nx.Tensor { w, v := Eigh(a); return []*nx.Tensor{w, v} }, c64, nil},
		{"Norm nuclear", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{Norm(a, Ord(Nuclear))} }, tall, nil},
		{"Norm -2", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{Norm(a, Ord(-2), KeepAxes())} }, f32, nil},
		{"Pinv", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{Pinv(a)} }, wide, nil},
		{"Pinv vector", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{Pinv(a)} }, vec, nil},
		{"Pinv c64 vector", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{Pinv(a)} }, nx.Reshape(c64, 9), nil},
		{"MatrixRank", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{MatrixRank(a)} }, nx.Zeros(nx.F32, 2, 3, 3), nil},
		{"LeastSquares", func(a, b *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{LeastSquares(a, b)} }, tall, randomMatrix(50, 4, 2)},
		{"MatrixPower", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{MatrixPower(a, 5)} }, f32, nil},
		{"MatrixPower ints", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{MatrixPower(a, 7)} }, ints, nil},
		{"MatrixPower -2", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{MatrixPower(a, -2)} }, f64, nil},
		{"MatrixPower c64", func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{MatrixPower(a, 3)} }, c64, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.b
			if b == nil {
				b = nx.Zeros(nx.F32) // unused
			}
			eager := tc.fn(tc.a, b)
			jit := nx.Jit(func(a, b *nx.Tensor) []*nx.Tensor { return tc.fn(a, b) })(tc.a, b)
			if len(jit) != len(eager) {
				t.Fatalf("got %d results, want %d", len(jit), len(eager))
			}
			for i := range eager {
				if jit[i].DType() != eager[i].DType() || !jit[i].Shape().Equal(eager[i].Shape()) ||
					!bytes.Equal(jit[i].Bytes(), eager[i].Bytes()) {
					t.Errorf("result %d: jit gave %v, eager %v", i, jit[i], eager[i])
				}
			}
		})
	}
}

// one1 adapts a function of one matrix.
func one1(fn func(*nx.Tensor) *nx.Tensor) func(a, _ *nx.Tensor) []*nx.Tensor {
	return func(a, _ *nx.Tensor) []*nx.Tensor { return []*nx.Tensor{fn(a)} }
}

func TestTracing(t *testing.T) {
	p := nx.Parameter("a", nx.F32, 2, 3, 3)
	// Symbolic operands give symbolic results of the right shape and type.
	l := Cholesky(p)
	checkShape(t, "Cholesky", l, nx.F32, 2, 3, 3)
	if !l.IsSymbolic() {
		t.Fatalf("Cholesky of a symbolic tensor gave %v", l)
	}
	u, s, vt := SVD(p, FullMatrices(false))
	checkShape(t, "u", u, nx.F32, 2, 3, 3)
	checkShape(t, "s", s, nx.F32, 2, 3)
	checkShape(t, "vt", vt, nx.F32, 2, 3, 3)
	checkShape(t, "MatrixRank", MatrixRank(p), nx.U32, 2)
	checkShape(t, "Determinant", Determinant(p), nx.F32, 2)
	w, _ := Eigh(nx.Parameter("c", nx.C64, 4, 4))
	checkShape(t, "Eigh w", w, nx.F32, 4)

	// Errors of the values surface when the compiled function runs.
	chol := nx.Jit(Cholesky)
	mustPanic(t, func() { chol(mat([]float64{1, 2}, []float64{2, 1})) }, "linalg.Cholesky", "not positive definite")
	mustPanic(t, func() { nx.Jit(Solve)(nx.Zeros(nx.F64, 2, 2), nx.Ones(nx.F64, 2)) }, "can't solve for singular matrix")
	// Shape errors are found while tracing.
	mustPanic(t, func() { chol(nx.Zeros(nx.F32, 2, 3)) }, "linalg.Cholesky(f32[2][3])", "square matrix")

	// Inside nx.While: x ← Solve(a, x) four times is a⁻⁴·x.
	a := wellConditioned(51, 2, 3, 3)
	x := nx.FromSlice([]float64{1, 2, 3})
	type state struct{ I, X *nx.Tensor }
	loop := nx.Jit(func(a, x *nx.Tensor) *nx.Tensor {
		out := nx.While(state{nx.Scalar(int32(0)), x},
			func(s state) *nx.Tensor { return nx.Less(s.I, nx.Scalar(int32(4))) },
			func(s state) state { return state{nx.Add(s.I, nx.Scalar(int32(1))), Solve(a, s.X)} })
		return out.X
	})
	closeTo(t, "While", loop(a, x).Float64s(), nx.Dot(MatrixPower(a, -4), x).Float64s(), 1e-12)
}
