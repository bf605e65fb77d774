package scidata_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/scidata"
)

// histogram counts the labels 0-9 of a u8 label tensor.
func histogram(t *testing.T, labels *nx.Tensor) []int {
	t.Helper()
	h := make([]int, 10)
	for _, l := range labels.Data().([]uint8) {
		h[l]++
	}
	return h
}

// TestIDXSetsEndToEnd serves the real MNIST and Fashion-MNIST files and loads
// them through download, checksum, cache and decoding. (Decoding 110 MB takes
// most of this package's test time under the race detector, so each set is
// loaded once; TestOffline covers loads from the cache.)
func TestIDXSetsEndToEnd(t *testing.T) {
	data := sharedData(t)
	tests := []struct {
		name, folder string
		load         func(context.Context, ...scidata.Option) (scidata.Split, scidata.Split, error)
		train, test  []int
	}{
		{"mnist", "mnist", scidata.MNIST,
			[]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949},
			[]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
		{"fashion-mnist", "fashion-mnist", scidata.FashionMNIST,
			slices.Repeat([]int{6000}, 10), slices.Repeat([]int{1000}, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFileServer(t)
			for _, f := range []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"} {
				s.addFile(t, tt.name, filepath.Join(data, tt.folder, f))
			}
			train, test, err := tt.load(context.Background(), opts(t, s)...)
			if err != nil {
				t.Fatal(err)
			}
			checkSplit(t, train, 60000, tt.train)
			checkSplit(t, test, 10000, tt.test)
			if n := len(s.log()); n != 4 {
				t.Errorf("%d requests, want 4: %v", n, s.log())
			}
		})
	}
}

// checkSplit checks a 28×28 grey-scale split's shapes and label histogram.
func checkSplit(t *testing.T, s scidata.Split, n int, hist []int) {
	t.Helper()
	if got := s.Images.Shape(); !slices.Equal(got, nx.Shape{n, 1, 28, 28}) || s.Images.DType() != nx.U8 {
		t.Errorf("images %v %v, want u8 [%d 1 28 28]", s.Images.DType(), got, n)
	}
	if got := s.Labels.Shape(); !slices.Equal(got, nx.Shape{n}) || s.Labels.DType() != nx.U8 {
		t.Errorf("labels %v %v, want u8 [%d]", s.Labels.DType(), got, n)
	}
	if s.Len() != n {
		t.Errorf("Len %d, want %d", s.Len(), n)
	}
	if h := histogram(t, s.Labels); !slices.Equal(h, hist) {
		t.Errorf("label histogram %v, want %v", h, hist)
	}
}
