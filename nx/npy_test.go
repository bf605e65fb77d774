package nx

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestReadNPYFixtures(t *testing.T) {
	cases := []struct {
		file  string
		dtype DType
		shape Shape
		value any
	}{
		{"f32_2x3.npy", F32, Shape{2, 3}, [][]float32{{0, 0.5, 1}, {1.5, 2, 2.5}}},
		{"s64_scalar.npy", S64, Shape{}, int64(-7)},
		{"u8_empty.npy", U8, Shape{0, 4}, [][]uint8{}},
		{"bool_3.npy", U8, Shape{3}, []uint8{1, 0, 1}},
		{"f64_be_fortran.npy", F64, Shape{2, 3}, [][]float64{{0, 1, 2}, {3, 4, 5}}},
		{"c64_2.npy", C64, Shape{2}, []complex64{1 + 2i, -3.5 - 0.25i}},
		{"f16_3.npy", F16, Shape{3}, []Float16{NewFloat16(1.5), NewFloat16(-2), NewFloat16(65504)}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join("testdata", "npy", c.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ReadNPY(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			if got.DType() != c.dtype || !got.Shape().Equal(c.shape) {
				t.Fatalf("got %s%s, want %s%s", got.DType(), got.Shape(), c.dtype, c.shape)
			}
			if v := got.Value(); !reflect.DeepEqual(v, c.value) {
				t.Errorf("value %v, want %v", v, c.value)
			}
		})
	}
}

func TestNPYRoundTrip(t *testing.T) {
	for _, dt := range DTypes() {
		if dt == BF16 {
			continue
		}
		x := AsType(Iota(Shape{2, 3, 4}), dt)
		var buf bytes.Buffer
		if err := WriteNPY(&buf, x); err != nil {
			t.Fatalf("%s: %v", dt, err)
		}
		if buf.Len()%64 != x.Size()*dt.Size()%64 {
			t.Errorf("%s: data does not start on a 64-byte boundary", dt)
		}
		y, err := ReadNPY(&buf)
		if err != nil {
			t.Fatalf("%s: %v", dt, err)
		}
		if y.DType() != dt || !reflect.DeepEqual(x.Value(), y.Value()) {
			t.Errorf("%s: round trip changed the tensor: %v", dt, y)
		}
	}
	if err := WriteNPY(&bytes.Buffer{}, Zeros(BF16, 2)); err == nil {
		t.Error("WriteNPY(bf16) succeeded; NumPy has no bf16")
	}
}

func TestReadNPYErrors(t *testing.T) {
	good, _ := os.ReadFile(filepath.Join("testdata", "npy", "f32_2x3.npy"))
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "byte 0: truncated magic string"},
		{"not npy", []byte("PK\x03\x04 zip file"), "not a .npy file"},
		{"version 9", append([]byte("\x93NUMPY\x09\x00"), good[8:]...), "unsupported format version 9.0"},
		{"truncated header", good[:20], "truncated header"},
		{"truncated data", good[:len(good)-3], "byte 149: truncated data: want 24 bytes of [2 3] elements, got 21"},
		{"bad descr", bytes.Replace(good, []byte("<f4"), []byte("<x4"), 1), `unsupported descr "<x4"`},
		{"bad shape", bytes.Replace(good, []byte("(2, 3)"), []byte("(2, -3)"), 1), "bad dimension"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ReadNPY(bytes.NewReader(c.in))
			if !errors.Is(err, ErrNPY) {
				t.Fatalf("err = %v, want ErrNPY", err)
			}
			if !bytes.Contains([]byte(err.Error()), []byte(c.want)) {
				t.Errorf("err = %q, want it to contain %q", err, c.want)
			}
		})
	}
}

func TestFromBytes(t *testing.T) {
	x := FromSlice([]int16{1, -2, 300})
	y, err := FromBytes(x.Bytes(), S16)
	if err != nil || !reflect.DeepEqual(y.Value(), []int16{1, -2, 300}) {
		t.Fatalf("FromBytes(Bytes()) = %v, %v", y, err)
	}
	if _, err := FromBytes([]byte{1, 2, 3}, S16); err == nil {
		t.Error("3 bytes as s16 succeeded")
	}
	if _, err := FromBytes(make([]byte, 8), F32, 3); err == nil {
		t.Error("8 bytes as f32[3] succeeded")
	}
}

func FuzzReadNPY(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "npy", "*.npy"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		x, err := ReadNPY(bytes.NewReader(b))
		if err != nil {
			if !errors.Is(err, ErrNPY) {
				t.Fatalf("error does not wrap ErrNPY: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteNPY(&buf, x); err != nil {
			t.Fatal(err)
		}
		y, err := ReadNPY(&buf)
		if err != nil {
			t.Fatalf("re-reading what WriteNPY wrote: %v", err)
		}
		if !reflect.DeepEqual(x.Bytes(), y.Bytes()) || !x.Shape().Equal(y.Shape()) {
			t.Fatal("round trip changed the tensor")
		}
	})
}
