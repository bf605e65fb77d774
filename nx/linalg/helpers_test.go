package linalg

import (
	"errors"
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// closeTo fails t unless got and want have the same length and agree within
// tol (absolute, or relative for large values).
func closeTo(t *testing.T, name string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values %v, want %d values %v", name, len(got), got, len(want), want)
	}
	for i := range got {
		if math.IsNaN(want[i]) && math.IsNaN(got[i]) {
			continue
		}
		if d := math.Abs(got[i] - want[i]); !(d <= tol*max(1, math.Abs(want[i]))) {
			t.Fatalf("%s: element %d is %v, want %v (all: %v, want %v)", name, i, got[i], want[i], got, want)
		}
	}
}

// closeToC is closeTo for complex values.
func closeToC(t *testing.T, name string, got, want []complex128, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values %v, want %d values", name, len(got), got, len(want))
	}
	for i := range got {
		if d := cmplx.Abs(got[i] - want[i]); !(d <= tol*max(1, cmplx.Abs(want[i]))) {
			t.Fatalf("%s: element %d is %v, want %v (all: %v)", name, i, got[i], want[i], got)
		}
	}
}

// checkShape fails t unless x has the given type and shape.
func checkShape(t *testing.T, name string, x *nx.Tensor, dt nx.DType, shape ...int) {
	t.Helper()
	if x.DType() != dt || !x.Shape().Equal(nx.Shape(shape)) {
		t.Fatalf("%s: got %s%s, want %s%s", name, x.DType(), x.Shape(), dt, nx.Shape(shape))
	}
}

// mustPanic fails t unless fn panics with an *nx.Error whose text contains
// every one of want.
func mustPanic(t *testing.T, fn func(), want ...string) {
	t.Helper()
	err := nx.Try(fn)
	var e *nx.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want an *nx.Error containing %q", err, want)
	}
	for _, w := range want {
		if !strings.Contains(e.Error(), w) {
			t.Fatalf("error %q does not contain %q", e.Error(), w)
		}
	}
}

// mat returns the f64 matrix of rows.
func mat(rows ...[]float64) *nx.Tensor {
	var data []float64
	for _, r := range rows {
		data = append(data, r...)
	}
	return nx.FromSlice(data, len(rows), len(rows[0]))
}

// product returns the product of two matrices (or batches of them) as f64
// values, computed in float64 from the tensors' elements.
func product(a, b *nx.Tensor) []float64 {
	as, bs := a.Shape(), b.Shape()
	m, k, p := as[len(as)-2], as[len(as)-1], bs[len(bs)-1]
	ad, bd := a.Float64s(), b.Float64s()
	batch := len(ad) / (m * k)
	var out []float64
	for i := 0; i < batch; i++ {
		out = append(out, matmul(ad[i*m*k:(i+1)*m*k], bd[i*k*p:(i+1)*k*p], m, k, p)...)
	}
	return out
}

// productC is product for complex tensors.
func productC(a, b *nx.Tensor) []complex128 {
	as, bs := a.Shape(), b.Shape()
	m, k, p := as[len(as)-2], as[len(as)-1], bs[len(bs)-1]
	ad, bd := a.Complex128s(), b.Complex128s()
	batch := len(ad) / (m * k)
	var out []complex128
	for i := 0; i < batch; i++ {
		out = append(out, matmul(ad[i*m*k:(i+1)*m*k], bd[i*k*p:(i+1)*k*p], m, k, p)...)
	}
	return out
}

// identity returns the values of a batch of n×n identity matrices.
func identity(batch, n int) []float64 {
	out := make([]float64, batch*n*n)
	for b := 0; b < batch; b++ {
		for i := 0; i < n; i++ {
			out[b*n*n+i*n+i] = 1
		}
	}
	return out
}

// randomMatrix returns a deterministic pseudo-random f64 tensor of the given
// shape, with entries in [-1, 1).
func randomMatrix(seed uint64, shape ...int) *nx.Tensor {
	n := nx.Shape(shape).Size()
	data := make([]float64, n)
	x := seed*2862933555777941757 + 3037000493
	for i := range data {
		x = x*6364136223846793005 + 1442695040888963407
		data[i] = float64(x>>11)/float64(1<<53)*2 - 1
	}
	return nx.FromSlice(data, shape...)
}
