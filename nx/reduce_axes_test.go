package nx

import (
	"fmt"
	"math"
	"testing"
)

// TestReduceOverAxes checks reductions over the last axes (rows), over axes
// with kept axes after them (columns) and over axes that are not consecutive
// (rows, then columns), none of them through a transposed copy, against
// sums, products, maxima and minima computed here in float64 over the
// elements in row-major order, for f32 and f64, with NaNs, eagerly and
// compiled.
func TestReduceOverAxes(t *testing.T) {
	shape := Shape{3, 5, 4, 300} // more columns than one block of colBlock
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
	for _, axes := range [][]int{{0}, {1}, {0, 1}, {3}, {2, 3}, {0, 2}, {1, 3}, {0, 2, 3}, {1, 2}, {0, 1, 2, 3}} {
		keptShape, _ := keptOf(shape, axes)
		for _, k := range kinds {
			for _, dt := range []DType{F32, F64} {
				x := AsType(FromSlice(vals, shape...), dt)
				src := x.Float64s() // the f32 values, for f32
				want := make([]float64, keptShape.Size())
				for i := range want {
					want[i] = k.init
				}
				// Every element in row-major order, into the result element
				// its kept coordinates address.
				for i, v := range src {
					o := keptIndex(shape, axes, i)
					want[o] = k.op(want[o], v)
				}
				name := fmt.Sprintf("%s %s over %v", k.name, dt, axes)
				eager := k.f(x, Axes(axes...))
				compiled := Jit(func(x *Tensor) *Tensor { return k.f(x, Axes(axes...)) })(x)
				gots := [][]float64{eager.Float64s(), compiled.Float64s()}
				for i, w := range want {
					if dt == F32 {
						w = float64(float32(w))
					}
					for _, got := range gots {
						g := got[i]
						switch {
						case math.IsNaN(g) && math.IsNaN(w):
						case k.name == "max" || k.name == "min":
							if g != w {
								t.Fatalf("%s: element %d = %v, want %v", name, i, g, w)
							}
						case math.Abs(g-w) > 1e-12*math.Max(1, math.Abs(w)):
							// Sums and products may group their terms
							// differently (rows first).
							t.Fatalf("%s: element %d = %v, want %v", name, i, g, w)
						}
					}
				}
			}
		}
	}
}

// keptOf returns the shape of shape without axes.
func keptOf(shape Shape, axes []int) (Shape, []int) {
	var kept Shape
	var keptAxes []int
	for d, n := range shape {
		if !containsInt(axes, d) {
			kept = append(kept, n)
			keptAxes = append(keptAxes, d)
		}
	}
	return kept, keptAxes
}

// keptIndex returns the flat index, in the result of reducing axes, of the
// element of flat index i of shape.
func keptIndex(shape Shape, axes []int, i int) int {
	o, scale := 0, 1
	for d := len(shape) - 1; d >= 0; d-- {
		if !containsInt(axes, d) {
			o += i % shape[d] * scale
			scale *= shape[d]
		}
		i /= shape[d]
	}
	return o
}
