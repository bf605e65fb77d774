package gorgonia

import (
	"errors"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/gonx-dev/gonx/nx"
	"gorgonia.org/tensor"
)

// firstElem returns the address of a data slice's first element (nil when empty).
func firstElem(data any) unsafe.Pointer {
	v := reflect.ValueOf(data)
	if v.Len() == 0 {
		return nil
	}
	return v.Index(0).Addr().UnsafePointer()
}

// sample is a slice of each element type both packages hold, with the nx dtype
// it maps to.
var samples = []struct {
	data any
	dt   nx.DType
}{
	{[]uint8{0, 1, 255, 7, 8, 9}, nx.U8},
	{[]uint16{0, 1, 65535, 7, 8, 9}, nx.U16},
	{[]uint32{0, 1, 1<<32 - 1, 7, 8, 9}, nx.U32},
	{[]uint64{0, 1, 1<<64 - 1, 7, 8, 9}, nx.U64},
	{[]int8{-128, 1, 127, 7, 8, 9}, nx.S8},
	{[]int16{-32768, 1, 32767, 7, 8, 9}, nx.S16},
	{[]int32{-1 << 31, 1, 1<<31 - 1, 7, 8, 9}, nx.S32},
	{[]int64{-1 << 63, 1, 1<<63 - 1, 7, 8, 9}, nx.S64},
	{[]float32{-1.5, 0, 3.25, 1e-45, 8, 9}, nx.F32},
	{[]float64{-1.5, 0, 3.25, 5e-324, 8, 9}, nx.F64},
	{[]complex64{1 + 2i, 0, -3i, 7, 8, 9}, nx.C64},
	{[]complex128{1 + 2i, 0, -3i, 7, 8, 9}, nx.C128},
}

func TestFromDenseSharesMemory(t *testing.T) {
	for _, s := range samples {
		t.Run(s.dt.String(), func(t *testing.T) {
			d := tensor.New(tensor.WithBacking(s.data), tensor.WithShape(2, 3))
			x := FromDense(d)
			if x.DType() != s.dt || !x.Shape().Equal(nx.Shape{2, 3}) {
				t.Fatalf("got %s%s, want %s[2][3]", x.DType(), x.Shape(), s.dt)
			}
			if !reflect.DeepEqual(x.Data(), s.data) {
				t.Errorf("values: got %v, want %v", x.Data(), s.data)
			}
			if firstElem(x.Data()) != firstElem(s.data) {
				t.Errorf("FromDense copied the data")
			}
		})
	}
}

func TestToDenseSharesMemory(t *testing.T) {
	for _, s := range samples {
		t.Run(s.dt.String(), func(t *testing.T) {
			x := nx.FromSlice(s.data, 3, 2)
			d := ToDense(x)
			if got := d.Shape(); !reflect.DeepEqual([]int(got), []int{3, 2}) {
				t.Errorf("shape: got %v, want (3, 2)", got)
			}
			if d.Dtype().Type != reflect.TypeOf(s.data).Elem() {
				t.Errorf("dtype: got %v, want %v", d.Dtype(), reflect.TypeOf(s.data).Elem())
			}
			if !reflect.DeepEqual(d.Data(), s.data) {
				t.Errorf("values: got %v, want %v", d.Data(), s.data)
			}
			if firstElem(d.Data()) != firstElem(s.data) {
				t.Errorf("ToDense copied the data")
			}
			// And back again: still the same memory.
			if y := FromDense(d); firstElem(y.Data()) != firstElem(s.data) {
				t.Errorf("FromDense(ToDense(x)) copied the data")
			}
		})
	}
}

// TestDenseWrites checks that the memory really is shared: a write through the
// Dense shows in the nx tensor (which is why users must not do it while the
// tensor is in use).
func TestDenseWrites(t *testing.T) {
	d := tensor.New(tensor.WithBacking([]float64{1, 2, 3}), tensor.WithShape(3))
	x := FromDense(d)
	d.SetAt(42.0, 1)
	if got := x.Float64s(); got[1] != 42 {
		t.Errorf("after a write through the Dense, nx sees %v", got)
	}
	y := nx.FromSlice([]int32{1, 2, 3})
	e := ToDense(y)
	e.Int32s()[0] = -7
	if got := y.Int64s(); got[0] != -7 {
		t.Errorf("after a write through the Dense, nx sees %v", got)
	}
}

func TestFromDenseGoTypes(t *testing.T) {
	ints := []int{-3, 0, 1 << 40}
	x := FromDense(tensor.New(tensor.WithBacking(ints)))
	if x.DType() != nx.S64 || !reflect.DeepEqual(x.Int64s(), []int64{-3, 0, 1 << 40}) {
		t.Errorf("[]int: got %v", x)
	}
	if firstElem(x.Data()) != firstElem(ints) {
		t.Errorf("[]int was copied")
	}
	uints := []uint{0, 1<<64 - 1}
	x = FromDense(tensor.New(tensor.WithBacking(uints)))
	if x.DType() != nx.U64 || !reflect.DeepEqual(x.Uint64s(), []uint64{0, 1<<64 - 1}) {
		t.Errorf("[]uint: got %v", x)
	}
	bools := []bool{true, false, true}
	x = FromDense(tensor.New(tensor.WithBacking(bools)))
	if x.DType() != nx.U8 || !reflect.DeepEqual(x.Uint8s(), []uint8{1, 0, 1}) {
		t.Errorf("[]bool: got %v", x)
	}
	if firstElem(x.Data()) != firstElem(bools) {
		t.Errorf("[]bool was copied")
	}
}

func TestFromDenseLayouts(t *testing.T) {
	data := []float32{1, 2, 3, 4, 5, 6}
	want := [][]float32{{2, 3}, {5, 6}}

	d := tensor.New(tensor.WithBacking(append([]float32{}, data...)), tensor.WithShape(2, 3))
	view, err := d.Slice(nil, tensor.S(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	if got := FromDense(view.(*tensor.Dense)).Value(); !reflect.DeepEqual(got, want) {
		t.Errorf("slice view: got %v, want %v", got, want)
	}

	d = tensor.New(tensor.WithBacking(append([]float32{}, data...)), tensor.WithShape(2, 3))
	if err := d.T(); err != nil {
		t.Fatal(err)
	}
	wantT := [][]float32{{1, 4}, {2, 5}, {3, 6}}
	if got := FromDense(d).Value(); !reflect.DeepEqual(got, wantT) {
		t.Errorf("lazy transpose: got %v, want %v", got, wantT)
	}

	f := tensor.New(tensor.WithBacking(append([]float32{}, data...)), tensor.WithShape(2, 3), tensor.AsFortran(nil))
	wantF := [][]float32{{1, 3, 5}, {2, 4, 6}}
	if got := FromDense(f).Value(); !reflect.DeepEqual(got, wantF) {
		t.Errorf("column-major: got %v, want %v", got, wantF)
	}
}

func TestScalarsAndEmpty(t *testing.T) {
	s := nx.Scalar(2.5)
	d := ToDense(s)
	if !d.IsScalar() || d.Data() != 2.5 {
		t.Errorf("scalar: got %v (scalar %v)", d.Data(), d.IsScalar())
	}
	back := FromDense(d)
	if back.Rank() != 0 || back.Float64() != 2.5 || firstElem(back.Data()) != firstElem(s.Data()) {
		t.Errorf("scalar round trip: got %v", back)
	}

	e := nx.Zeros(nx.S32, 0, 3)
	de := ToDense(e)
	if !reflect.DeepEqual([]int(de.Shape()), []int{0, 3}) {
		t.Errorf("empty: got shape %v", de.Shape())
	}
	if got := FromDense(de); !got.Shape().Equal(nx.Shape{0, 3}) || got.DType() != nx.S32 {
		t.Errorf("empty round trip: got %s%s", got.DType(), got.Shape())
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		fn   func()
		want string
	}{
		{"f16", func() { ToDense(nx.Zeros(nx.F16, 2)) },
			"gorgonia.ToDense(f16[2]): gorgonia has no f16 type: convert with nx.AsType to f32 first"},
		{"bf16", func() { ToDense(nx.Zeros(nx.BF16)) },
			"gorgonia.ToDense(bf16): gorgonia has no bf16 type: convert with nx.AsType to f32 first"},
		{"string", func() { FromDense(tensor.New(tensor.WithBacking([]string{"a", "b"}), tensor.WithShape(2))) },
			"gorgonia.FromDense(string[2]): element type string has no nx dtype"},
	} {
		err := nx.Try(c.fn)
		var e *nx.Error
		if !errors.As(err, &e) || err.Error() != c.want {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// TestCoreDoesNotImportGorgonia keeps gorgonia out of programs that use nx
// alone.
func TestCoreDoesNotImportGorgonia(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/gonx-dev/gonx/nx").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) == 0 || deps[len(deps)-1] != "github.com/gonx-dev/gonx/nx" {
		t.Fatalf("go list -deps gave %q", deps)
	}
	for _, dep := range deps {
		if strings.Contains(dep, "gorgonia") || strings.HasPrefix(dep, "go4.org") {
			t.Errorf("package nx depends on %s", dep)
		}
	}
}

const benchN = 1 << 20

// BenchmarkAdd compares nx's eager Add with gorgonia's Dense.Add on two f32
// tensors of 1M elements, both allocating their result.
func BenchmarkAdd(b *testing.B) {
	x := make([]float32, benchN)
	y := make([]float32, benchN)
	for i := range x {
		x[i], y[i] = float32(i)*0.5, float32(benchN-i)
	}
	b.Run("nx", func(b *testing.B) {
		a, c := nx.FromSlice(x), nx.FromSlice(y)
		b.SetBytes(3 * 4 * benchN)
		b.ReportAllocs()
		for b.Loop() {
			nx.Add(a, c)
		}
	})
	b.Run("gorgonia", func(b *testing.B) {
		a := tensor.New(tensor.WithBacking(x), tensor.WithShape(benchN))
		c := tensor.New(tensor.WithBacking(y), tensor.WithShape(benchN))
		b.SetBytes(3 * 4 * benchN)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := a.Add(c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("nx_via_dense", func(b *testing.B) {
		a := tensor.New(tensor.WithBacking(x), tensor.WithShape(benchN))
		c := tensor.New(tensor.WithBacking(y), tensor.WithShape(benchN))
		b.SetBytes(3 * 4 * benchN)
		b.ReportAllocs()
		for b.Loop() {
			ToDense(nx.Add(FromDense(a), FromDense(c)))
		}
	})
}
