package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestIDX(t *testing.T) {
	img := idxBytes(IDXUint8, []int{2, 2, 3}, []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
	i32 := idxBytes(IDXInt32, []int{2}, []byte{0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff})
	tests := []struct {
		name  string
		in    []byte
		limit int64
		dims  []int
		want  error
		off   int64
	}{
		{name: "u8 images", in: img, dims: []int{2, 2, 3}},
		{name: "int32 vector", in: i32, dims: []int{2}},
		{name: "empty", in: idxBytes(IDXUint8, []int{0, 28, 28}, nil), dims: []int{0, 28, 28}},
		{name: "no input", in: nil, want: ErrTruncated, off: 0},
		{name: "short magic", in: []byte{0, 0, 8}, want: ErrTruncated, off: 0},
		{name: "bad magic", in: []byte{1, 0, 8, 1, 0, 0, 0, 0}, want: ErrCorrupt, off: 0},
		{name: "bad type", in: []byte{0, 0, 7, 1, 0, 0, 0, 0}, want: ErrCorrupt, off: 2},
		{name: "rank zero", in: []byte{0, 0, 8, 0}, want: ErrCorrupt, off: 3},
		{name: "short dims", in: []byte{0, 0, 8, 2, 0, 0, 0, 1, 0, 0}, want: ErrTruncated, off: 10},
		{name: "short data", in: img[:len(img)-5], want: ErrTruncated, off: int64(len(img) - 5)},
		{name: "trailing data", in: append(slices.Clone(img), 0), want: ErrCorrupt, off: int64(len(img))},
		{name: "over limit", in: idxBytes(IDXUint8, []int{1000, 1000}, nil), limit: 999_999, want: ErrCorrupt, off: 8},
		{name: "huge dims", in: idxBytes(IDXFloat64, []int{0xffff, 0xffff, 0xffff}, nil), want: ErrCorrupt, off: 8},
		{name: "dim over int32", in: []byte{0, 0, 8, 1, 0x80, 0, 0, 0}, want: ErrCorrupt, off: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := IDX("test.idx", bytes.NewReader(tt.in), tt.limit)
			checkErr(t, err, tt.want, "idx", tt.off)
			if err != nil {
				return
			}
			if !slices.Equal(a.Dims, tt.dims) {
				t.Errorf("dims %v, want %v", a.Dims, tt.dims)
			}
			if len(a.Data) != a.Len()*idxElemSize(a.Type) {
				t.Errorf("%d data bytes for %d elements", len(a.Data), a.Len())
			}
			if !bytes.Equal(a.Data, tt.in[len(tt.in)-len(a.Data):]) {
				t.Errorf("data differs from the input's payload")
			}
		})
	}
}

func TestIDXGzipTruncated(t *testing.T) {
	img := idxBytes(IDXUint8, []int{100, 28, 28}, bytes.Repeat([]byte{7, 200, 3}, 100*28*28/3+1)[:100*28*28])
	gz := gzipBytes(t, img)
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{name: "whole", in: gz},
		{name: "cut in half", in: gz[:len(gz)/2], want: ErrTruncated},
		{name: "trailer cut", in: gz[:len(gz)-4], want: ErrTruncated},
		{name: "crc wrong", in: append(slices.Clone(gz[:len(gz)-8]), 0, 0, 0, 0, 0, 0, 0, 0), want: ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zr, err := Gzip("x.gz", bytes.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			_, err = IDX("x.gz", zr, 0)
			checkErr(t, err, tt.want, "gzip", -1)
		})
	}
}

// TestIDXRealMNIST decodes the published MNIST label and image files and checks
// their shapes and the known label histograms.
func TestIDXRealMNIST(t *testing.T) {
	dir := filepath.Join(sharedData(t), "mnist")
	tests := []struct {
		file string
		dims []int
		hist []int
	}{
		{"train-labels-idx1-ubyte.gz", []int{60000}, []int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		{"t10k-labels-idx1-ubyte.gz", []int{10000}, []int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
		{"t10k-images-idx3-ubyte.gz", []int{10000, 28, 28}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			zr, err := Gzip(tt.file, f)
			if err != nil {
				t.Fatal(err)
			}
			a, err := IDX(tt.file, zr, 0)
			if err != nil {
				t.Fatal(err)
			}
			if a.Type != IDXUint8 || !slices.Equal(a.Dims, tt.dims) {
				t.Fatalf("type %#x dims %v, want u8 %v", a.Type, a.Dims, tt.dims)
			}
			if tt.hist == nil {
				return
			}
			hist := make([]int, 10)
			for _, l := range a.Data {
				hist[l]++
			}
			if !slices.Equal(hist, tt.hist) {
				t.Errorf("label histogram %v, want %v", hist, tt.hist)
			}
		})
	}
}
