package nx

import (
	"fmt"
	"math"
	"testing"
)

// TestReduceBetweenKeptAxes checks reductions over axes with kept axes after
// them (reduced as columns, without a transposed copy), and over the last
// axes (rows) for comparison, against sums,
// products, maxima and minima computed here in float64 in the order of each
// column's elements, for f32 and f64, with NaNs, eagerly and compiled.
func TestReduceBetweenKeptAxes(t *testing.T) {
	shape := Shape{3, 5, 300} // more columns than one block of colBlock
	n := shape.Size()
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = math.Sin(float64(i)*0.37) * 1.5
	}
	vals[7], vals[3*5*300-2] = math.NaN(), math.NaN()
	kinds := []struct {
		name string
		f    func(*Tensor, ...Option) *Tensor
		init float64
		op   func(a, b float64) float64
	}{
		{"sum", Sum, 0, func(a, b float64) float64 { return a + b }},
		{"product", Product, 1, func(a, b float64) float64 { return a * b }},
		{"max", ReduceMax, math.Inf(-1), fmaxNaN},
		{"min", ReduceMin, math.Inf(1), fminNaN},
	}
	for _, axes := range [][]int{{0}, {1}, {0, 1}, {2}, {1, 2}} {
		outer, red, inner, _ := axesBlock(shape, axes)
		for _, k := range kinds {
			for _, dt := range []DType{F32, F64} {
				x := AsType(FromSlice(vals, shape...), dt)
				src := x.Float64s() // the f32 values, for f32
				want := make([]float64, outer*inner)
				for o := range outer {
					for c := range inner {
						acc := k.init
						for r := range red {
							acc = k.op(acc, src[(o*red+r)*inner+c])
						}
						want[o*inner+c] = acc
					}
				}
				name := fmt.Sprintf("%s %s over %v", k.name, dt, axes)
				eager := k.f(x, Axes(axes...))
				compiled := Jit(func(x *Tensor) *Tensor { return k.f(x, Axes(axes...)) })(x)
				for i, w := range want {
					if dt == F32 {
						w = float64(float32(w))
					}
					for _, got := range []*Tensor{eager, compiled} {
						g := got.Float64s()[i]
						if g != w && !(math.IsNaN(g) && math.IsNaN(w)) {
							t.Fatalf("%s: element %d = %v, want %v", name, i, g, w)
						}
					}
				}
			}
		}
	}
}
