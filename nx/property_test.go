package nx

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// Property tests of the shape rules: random shapes and data from a seeded
// generator, checked against identities that must hold for every input.

const propIters = 200

func propRand(t *testing.T) *rand.Rand {
	t.Helper()
	return rand.New(rand.NewPCG(7, uint64(len(t.Name()))))
}

// propShape returns a random shape of rank 0..maxRank with dimensions 0..3,
// mostly non-zero.
func propShape(r *rand.Rand, maxRank int) Shape {
	s := make(Shape, r.IntN(maxRank+1))
	for i := range s {
		s[i] = 1 + r.IntN(3)
		if r.IntN(12) == 0 {
			s[i] = 0
		}
	}
	return s
}

// propTensor returns an s32 tensor of the given shape with small random values.
func propTensor(r *rand.Rand, s Shape) *Tensor {
	data := make([]int32, s.Size())
	for i := range data {
		data[i] = int32(r.IntN(21) - 10)
	}
	return FromSlice(data, s...)
}

// propEqual fails the test unless a and b have the same type, shape and values.
func propEqual(t *testing.T, what string, got, want *Tensor) {
	t.Helper()
	if got.DType() != want.DType() || !got.Shape().Equal(want.Shape()) {
		t.Fatalf("%s: got %s, want %s", what, got.describe(), want.describe())
	}
	if !slices.Equal(got.Float64s(), want.Float64s()) {
		t.Fatalf("%s: values differ\ngot:  %v\nwant: %v", what, got, want)
	}
}

// propBroadcastable returns a shape that broadcasts with s: some of its
// dimensions replaced by 1, some leading ones dropped or added.
func propBroadcastable(r *rand.Rand, s Shape) Shape {
	out := s.Clone()
	for i := range out {
		if r.IntN(3) == 0 {
			out[i] = 1
		}
	}
	if len(out) > 0 && r.IntN(3) == 0 {
		out = out[r.IntN(len(out)):]
	}
	for r.IntN(4) == 0 {
		out = append(Shape{1 + r.IntN(2)}, out...)
	}
	return out
}

func TestPropertyBroadcastShapes(t *testing.T) {
	r := propRand(t)
	for range propIters {
		a := propShape(r, 4)
		b := propShape(r, 4)
		if r.IntN(2) == 0 {
			b = propBroadcastable(r, a)
		}
		ab, okAB := BroadcastShapes(a, b)
		ba, okBA := BroadcastShapes(b, a)
		if okAB != okBA || !ab.Equal(ba) {
			t.Fatalf("BroadcastShapes(%v, %v) = %v, %v but swapped = %v, %v", a, b, ab, okAB, ba, okBA)
		}
		x, y := Zeros(S32, a...), Ones(S32, b...)
		if !okAB {
			err := Try(func() { Add(x, y) })
			if e, ok := err.(*Error); !ok || e.Op != "nx.Add" {
				t.Fatalf("Add(%v, %v) of incompatible shapes: got %v, want an *Error from nx.Add", a, b, err)
			}
			continue
		}
		// The result has the larger rank, and each operand's dimension is 1 or
		// the result's.
		if len(ab) != max(len(a), len(b)) {
			t.Fatalf("BroadcastShapes(%v, %v) = %v: wrong rank", a, b, ab)
		}
		for _, s := range []Shape{a, b} {
			for i, d := range s {
				if o := ab[len(ab)-len(s)+i]; d != 1 && d != o {
					t.Fatalf("BroadcastShapes(%v, %v) = %v: dimension %d of %v", a, b, ab, i, s)
				}
			}
		}
		// Add commutes, broadcasts to that shape, and Broadcast agrees.
		propEqual(t, "Add(x, y) vs Add(y, x)", Add(x, y), Add(y, x))
		propEqual(t, "Add(x, y) vs Broadcast", Add(x, y), Add(Broadcast(x, ab), Broadcast(y, ab)))
		// Broadcasting is associative.
		c := propBroadcastable(r, ab)
		if l, ok := BroadcastShapes(ab, c); ok {
			bc, ok1 := BroadcastShapes(b, c)
			rgt, ok2 := BroadcastShapes(a, bc)
			if !ok1 || !ok2 || !rgt.Equal(l) {
				t.Fatalf("broadcast of %v, %v, %v is not associative: %v vs %v", a, b, c, l, rgt)
			}
		}
	}
}

func TestPropertyMergeCommutes(t *testing.T) {
	for _, a := range DTypes() {
		for _, b := range DTypes() {
			if Merge(a, b) != Merge(b, a) {
				t.Errorf("Merge(%s, %s) = %s but Merge(%s, %s) = %s", a, b, Merge(a, b), b, a, Merge(b, a))
			}
			// The merged type holds both: merging again changes nothing.
			m := Merge(a, b)
			if Merge(m, a) != m || Merge(m, b) != m {
				t.Errorf("Merge(%s, %s) = %s is not an upper bound", a, b, m)
			}
			x, y := Zeros(a, 2), Ones(b, 1)
			if got := Add(x, y).DType(); got != m {
				t.Errorf("Add(%s, %s) is %s, want %s", a, b, got, m)
			}
		}
	}
}

// propFactor returns a random shape whose size is n.
func propFactor(r *rand.Rand, n int) []int {
	var s []int
	for n > 1 {
		var divs []int
		for d := 2; d <= n; d++ {
			if n%d == 0 {
				divs = append(divs, d)
			}
		}
		d := divs[r.IntN(len(divs))]
		s = append(s, d)
		n /= d
	}
	if n == 0 {
		s = append(s, 0)
	}
	for r.IntN(3) == 0 {
		s = slices.Insert(s, r.IntN(len(s)+1), 1)
	}
	return s
}

func TestPropertyReshapeRoundTrip(t *testing.T) {
	r := propRand(t)
	for range propIters {
		x := propTensor(r, propShape(r, 4))
		s := propFactor(r, x.Size())
		y := Reshape(x, s...)
		if !y.Shape().Equal(s) {
			t.Fatalf("Reshape(%s, %v) has shape %v", x.describe(), s, y.Shape())
		}
		propEqual(t, "Flatten after Reshape", Flatten(y), Flatten(x))
		propEqual(t, "Reshape back", Reshape(y, x.Shape()...), x)
		if len(s) > 0 && x.Size() > 0 {
			// -1 infers the same dimension.
			i := r.IntN(len(s))
			inferred := slices.Clone(s)
			inferred[i] = -1
			propEqual(t, "Reshape with -1", Reshape(x, inferred...), y)
		}
	}
}

// propPerm returns a random permutation of 0..n-1.
func propPerm(r *rand.Rand, n int) []int { return r.Perm(n) }

func TestPropertyTransposeInverse(t *testing.T) {
	r := propRand(t)
	for range propIters {
		x := propTensor(r, propShape(r, 5))
		p := propPerm(r, x.Rank())
		inv := make([]int, len(p))
		for i, a := range p {
			inv[a] = i
		}
		y := Transpose(x, Axes(p...))
		for i, a := range p {
			if y.Axis(i) != x.Axis(a) {
				t.Fatalf("Transpose(%s, %v) has shape %v", x.describe(), p, y.Shape())
			}
		}
		propEqual(t, "inverse permutation", Transpose(y, Axes(inv...)), x)
		propEqual(t, "default transpose twice", Transpose(Transpose(x)), x)
		// Element y[i] is x[i permuted back].
		if x.Size() > 0 {
			idx := make([]int, x.Rank())
			for i := range idx {
				idx[i] = r.IntN(y.Axis(i))
			}
			src := make([]int, x.Rank())
			for i, a := range p {
				src[a] = idx[i]
			}
			if got, want := propAt(y, idx), propAt(x, src); got != want {
				t.Fatalf("Transpose(%s, %v)%v = %v, want x%v = %v", x.describe(), p, idx, got, src, want)
			}
		}
		// Negative axes name the same permutation.
		neg := make([]int, len(p))
		for i, a := range p {
			neg[i] = a - len(p)
		}
		propEqual(t, "negative axes", Transpose(x, Axes(neg...)), y)
	}
}

// propAt returns the element of an s32 tensor at a multi-index.
func propAt(t *Tensor, idx []int) int32 {
	flat := 0
	for i, d := range t.shape {
		flat = flat*d + idx[i]
	}
	return t.data.([]int32)[flat]
}

func TestPropertySqueezeNewAxis(t *testing.T) {
	r := propRand(t)
	for range propIters {
		x := propTensor(r, propShape(r, 4))
		a := r.IntN(x.Rank()+1) - r.IntN(2)*(x.Rank()+1) // in [-(rank+1), rank]
		y := NewAxis(x, a)
		pos := a
		if pos < 0 {
			pos += x.Rank() + 1
		}
		if y.Rank() != x.Rank()+1 || y.Axis(pos) != 1 {
			t.Fatalf("NewAxis(%s, %d) has shape %v", x.describe(), a, y.Shape())
		}
		propEqual(t, "Squeeze(NewAxis)", Squeeze(y, Axes(pos)), x)
		propEqual(t, "Squeeze(NewAxis) negative", Squeeze(y, Axes(pos-y.Rank())), x)
		// Squeeze with no axes removes every 1 and keeps the order of the rest.
		var rest []int
		for _, d := range y.Shape() {
			if d != 1 {
				rest = append(rest, d)
			}
		}
		if got := Squeeze(y).Shape(); !got.Equal(Shape(rest)) && !(len(rest) == 0 && got.Rank() == 0) {
			t.Fatalf("Squeeze(%s) has shape %v, want %v", y.describe(), got, rest)
		}
	}
}

func TestPropertySumAxes(t *testing.T) {
	r := propRand(t)
	for range propIters {
		x := propTensor(r, propShape(r, 4))
		all := Sum(x)
		if x.Rank() > 0 {
			propEqual(t, "Sum vs Sum of Sum over axis 0", Sum(Sum(x, Axes(0))), all)
		}
		// Summing a set of axes at once equals summing them one by one, from the
		// last so that the remaining axis numbers stay valid.
		var axes []int
		for a := range x.Rank() {
			if r.IntN(2) == 0 {
				axes = append(axes, a)
			}
		}
		once := Sum(x, Axes(axes...))
		step := x
		for i := len(axes) - 1; i >= 0; i-- {
			step = Sum(step, Axes(axes[i]))
		}
		propEqual(t, "Sum over axes at once vs one by one", once, AsType(step, once.DType()))
		// KeepAxes keeps them as 1s; the values are the same.
		kept := Sum(x, Axes(axes...), KeepAxes())
		if kept.Rank() != x.Rank() {
			t.Fatalf("Sum(%s, %v, KeepAxes) has shape %v", x.describe(), axes, kept.Shape())
		}
		propEqual(t, "KeepAxes", Reshape(kept, once.Shape()...), once)
		// Axes given in any order, or negative, name the same reduction.
		shuffled := slices.Clone(axes)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		for i := range shuffled {
			if r.IntN(2) == 0 {
				shuffled[i] -= x.Rank()
			}
		}
		propEqual(t, "shuffled axes", Sum(x, Axes(shuffled...)), once)
		// Sum commutes with transposition.
		p := propPerm(r, x.Rank())
		propEqual(t, "Sum of Transpose", Sum(Transpose(x, Axes(p...))), all)
		// Broadcasting along a new leading axis of size n multiplies the sum by n.
		n := 1 + r.IntN(3)
		b := Broadcast(x, append(Shape{n}, x.Shape()...))
		propEqual(t, "Sum of Broadcast", Sum(b), Multiply(all, Scalar(int64(n))))
		propEqual(t, "Sum of Broadcast over axis 0", Sum(b, Axes(0)), Multiply(AsType(x, S64), Scalar(int64(n))))
	}
}

func TestPropertyReductionsAgree(t *testing.T) {
	r := propRand(t)
	for range propIters {
		s := propShape(r, 3)
		for i := range s {
			s[i] = max(s[i], 1) // Argmax needs elements
		}
		x := propTensor(r, s)
		axis := 0
		if x.Rank() == 0 {
			continue
		}
		axis = r.IntN(x.Rank())
		mx := ReduceMax(x, Axes(axis), KeepAxes())
		mn := ReduceMin(x, Axes(axis), KeepAxes())
		// ReduceMin is -ReduceMax(-x).
		propEqual(t, "ReduceMin vs -ReduceMax(-x)", mn, Negate(ReduceMax(Negate(x), Axes(axis), KeepAxes())))
		// Every element lies between them, and the Argmax element is the maximum.
		if !All(LessEqual(x, mx)).Bools()[0] || !All(GreaterEqual(x, mn)).Bools()[0] {
			t.Fatalf("elements of %v are outside [ReduceMin, ReduceMax] over axis %d", x, axis)
		}
		am := Argmax(x, Axis(axis), KeepAxes())
		hit := Equal(Iota(x.Shape(), Axis(axis)), am)
		found := Any(LogicalAnd(hit, Equal(x, mx)), Axes(axis))
		if !All(found).Bools()[0] {
			t.Fatalf("Argmax of %v over axis %d = %v does not point at the maximum %v", x, axis, am, mx)
		}
		// The mean lies between the extremes, and Variance is the mean square
		// deviation.
		m := Mean(x, Axes(axis), KeepAxes())
		if !All(LogicalAnd(GreaterEqual(m, AsType(mn, F32)), LessEqual(m, AsType(mx, F32)))).Bools()[0] {
			t.Fatalf("Mean of %v over axis %d = %v is outside the extremes", x, axis, m)
		}
		d := Subtract(AsType(x, F64), Mean(AsType(x, F64), Axes(axis), KeepAxes()))
		v1 := Variance(AsType(x, F64), Axes(axis))
		v2 := Mean(Multiply(d, d), Axes(axis))
		if !All(LessEqual(Abs(Subtract(v1, v2)), Scalar(1e-9))).Bools()[0] {
			t.Fatalf("Variance %v vs mean square deviation %v", v1, v2)
		}
	}
}

func TestPropertyAsTypeRoundTrip(t *testing.T) {
	r := propRand(t)
	for range propIters {
		x := propTensor(r, propShape(r, 3))
		for _, wide := range []DType{S64, F64, F32, C128, S16} {
			propEqual(t, "s32 → "+wide.String()+" → s32", AsType(AsType(x, wide), S32), x)
		}
		// Narrowing then widening wraps exactly like the Go conversion.
		y := AsType(Multiply(x, Scalar(int32(1000))), S8)
		for i, v := range y.data.([]int8) {
			if want := int8(x.data.([]int32)[i] * 1000); v != want {
				t.Fatalf("AsType to s8 of %d: got %d, want %d", x.data.([]int32)[i]*1000, v, want)
			}
		}
		// Bitcast to a same-sized type and back is the identity.
		propEqual(t, "Bitcast round trip", Bitcast(Bitcast(x, F32), S32), x)
	}
}
