package nx

import (
	"fmt"
	"math"
	"testing"
)

// TestArgReduceAgainstScan compares Argmax and Argmin along every axis (and
// of the flattened tensor) with a plain scan written here, over values with
// ties and NaNs, for several operand and result types, eagerly and compiled.
func TestArgReduceAgainstScan(t *testing.T) {
	shape := Shape{3, 4, 5}
	vals := make([]float64, shape.Size())
	for i := range vals {
		vals[i] = float64((i*7)%5) - 2 // many ties
	}
	vals[9], vals[33], vals[34] = math.NaN(), math.NaN(), math.NaN()
	for _, dt := range []DType{F32, F64, F16, S32, U8} {
		x := AsType(FromSlice(vals, shape...), dt)
		src := x.Float64s()
		for _, isMax := range []bool{true, false} {
			for _, tie := range []TieBreak{TieLow, TieHigh} {
				for _, axis := range []int{-1, 0, 1, 2} {
					for _, out := range []DType{S64, S32, F32} {
						opts := []Option{Tie(tie), Type(out)}
						outer, red, inner := 1, shape.Size(), 1
						if axis >= 0 {
							opts = append(opts, Axis(axis))
							outer, red, inner = shape[:axis].Size(), shape[axis], shape[axis+1:].Size()
						}
						f := func(x *Tensor) *Tensor { return Argmin(x, opts...) }
						if isMax {
							f = func(x *Tensor) *Tensor { return Argmax(x, opts...) }
						}
						name := fmt.Sprintf("%s max=%v tie=%v axis=%d type=%s", dt, isMax, tie, axis, out)
						for _, got := range []*Tensor{f(x), Jit(f)(x)} {
							if got.DType() != out {
								t.Fatalf("%s: result type %s", name, got.DType())
							}
							g := got.Float64s()
							for o := range outer {
								for i := range inner {
									best := 0
									for r := 1; r < red; r++ {
										v, b := src[(o*red+r)*inner+i], src[(o*red+best)*inner+i]
										switch {
										case math.IsNaN(b):
											if math.IsNaN(v) && tie == TieHigh {
												best = r
											}
										case math.IsNaN(v), isMax && v > b, !isMax && v < b, v == b && tie == TieHigh:
											best = r
										}
									}
									if g[o*inner+i] != float64(best) {
										t.Fatalf("%s: result %d = %v, want %d", name, o*inner+i, g[o*inner+i], best)
									}
								}
							}
						}
					}
				}
			}
		}
	}
}
