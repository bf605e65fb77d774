package nx

import (
	"reflect"
	"strings"
	"testing"
)

func TestVectorizeElementwiseAndReductions(t *testing.T) {
	x := Vectorize(FromSlice([]float64{1, 2, 3, 4, 5, 6}, 2, 3), "rows")
	if !x.Shape().Equal(Shape{3}) || !reflect.DeepEqual(x.VectorizedAxes(), []VecAxis{{"rows", 2}}) {
		t.Fatalf("Vectorize: shape %v axes %v", x.Shape(), x.VectorizedAxes())
	}
	s := Sum(x) // one sum per row
	if !s.Shape().Equal(Shape{}) || !reflect.DeepEqual(Devectorize(s).Value(), []float64{6, 15}) {
		t.Errorf("Sum of vectorized = %v", Devectorize(s))
	}
	// Broadcasting against an ordinary tensor applies to each entry.
	y := Add(x, FromSlice([]float64{10, 20, 30}))
	if !reflect.DeepEqual(Devectorize(y).Value(), [][]float64{{11, 22, 33}, {14, 25, 36}}) {
		t.Errorf("Add = %v", Devectorize(y))
	}
	// Different names combine over both: an outer product of entries.
	z := Vectorize(FromSlice([]float64{100, 200}), "cols")
	w := Devectorize(Add(s, z))
	if !w.Shape().Equal(Shape{2, 2}) || !reflect.DeepEqual(w.Value(), [][]float64{{106, 206}, {115, 215}}) {
		t.Errorf("rows×cols = %v", w)
	}
	// Axis arguments refer to the ordinary axes.
	m := Vectorize(FromSlice([]float64{1, 2, 3, 4, 5, 6, 7, 8}, 2, 2, 2), "b")
	if got := Devectorize(Argmax(m, Axis(1))).Value(); !reflect.DeepEqual(got, [][]int64{{1, 1}, {1, 1}}) {
		t.Errorf("Argmax = %v", got)
	}
	if got := Devectorize(Transpose(m)).Value(); !reflect.DeepEqual(got, [][][]float64{{{1, 3}, {2, 4}}, {{5, 7}, {6, 8}}}) {
		t.Errorf("Transpose = %v", got)
	}
}

func TestVectorizeErrors(t *testing.T) {
	a := Vectorize(Zeros(F32, 2, 3), "x")
	b := Vectorize(Zeros(F32, 4, 3), "x")
	err := Try(func() { Add(a, b) })
	if err == nil || err.Error() != `nx.add(f32[3], f32[3]): vectorized axis "x" has size 2 in one operand and 4 in another` {
		t.Errorf("size mismatch: %v", err)
	}
	if err := Try(func() { Vectorize(a, "x") }); err == nil {
		t.Error("vectorizing twice over one name succeeded")
	}
}

func TestVmapMatchesPerExampleLoop(t *testing.T) {
	// A function written for one example: a tiny dense layer with softmax.
	w := FromSlice([]float64{0.5, -1, 2, 0.25, 1, -0.5}, 3, 2)
	predict := func(x *Tensor, w *Tensor) *Tensor {
		h := Tanh(Dot(x, w))
		e := Exp(Subtract(h, ReduceMax(h)))
		return Divide(e, Sum(e))
	}
	batch := FromSlice([]float64{1, 2, 3, -1, 0, 1, 0.5, 0.5, 0.5, 2, -2, 1}, 4, 3)
	batched := Vmap(predict, 0, -1)(batch, w)
	if !batched.Shape().Equal(Shape{4, 2}) || len(batched.VectorizedAxes()) != 0 {
		t.Fatalf("Vmap result %v", batched)
	}
	for i := 0; i < 4; i++ {
		one := predict(Reshape(Slice(batch, []int{i, 0}, []int{1, 3}), 3), w)
		got := Slice(batched, []int{i, 0}, []int{1, 2}).Float64s()
		if !reflect.DeepEqual(got, one.Float64s()) {
			t.Errorf("example %d: batched %v, per-example %v", i, got, one.Float64s())
		}
	}
	// Mapping over axis 1, inside Jit, and differentiating through it.
	cols := Vmap(func(v *Tensor) *Tensor { return Sum(Square(v)) }, 1)
	f := Jit(cols)
	if got := f(FromSlice([]float64{1, 2, 3, 4}, 2, 2)).Float64s(); !reflect.DeepEqual(got, []float64{10, 20}) {
		t.Errorf("Jit(Vmap) over axis 1 = %v, want [10 20]", got)
	}
	g := Grad(func(x *Tensor) *Tensor { return Sum(cols(x)) })(FromSlice([]float64{1, 2, 3, 4}, 2, 2))
	if !reflect.DeepEqual(g.Float64s(), []float64{2, 4, 6, 8}) {
		t.Errorf("Grad through Vmap = %v", g)
	}
}

func TestVectorizedString(t *testing.T) {
	x := Vectorize(FromSlice([]int32{1, 2, 3, 4}, 2, 2), "x")
	want := "nx.Tensor<\n  vectorized[x: 2]\n  s32[2]\n  [\n    [1, 2],\n    [3, 4]\n  ]\n>"
	if got := x.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

func TestVmapBatchesWithoutLoops(t *testing.T) {
	f := Vmap(func(x *Tensor) *Tensor {
		return Argmax(Transpose(Multiply(x, Sum(x, Axes(0), KeepAxes()))))
	}, 0)
	g, err := Inspect(f, Zeros(F32, 16, 3, 4))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(g, "slice") || strings.Contains(g, "concatenate") {
		t.Errorf("the batched graph loops over entries:\n%s", g)
	}
	x := Iota(Shape{16, 3, 4}, Type(F32))
	batched := f(x).Int64s()
	for i := 0; i < 16; i++ {
		xi := Reshape(Slice(x, []int{i, 0, 0}, []int{1, 3, 4}), 3, 4)
		want := Argmax(Transpose(Multiply(xi, Sum(xi, Axes(0), KeepAxes())))).Int64()
		if batched[i] != want {
			t.Errorf("entry %d: %d, want %d", i, batched[i], want)
		}
	}
}
