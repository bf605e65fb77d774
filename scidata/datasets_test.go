package scidata_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/scidata"
	"github.com/gonx-dev/gonx/scidata/decode"
)

// member is one file of a generated archive.
type member struct {
	name string
	data []byte
}

// tarGz builds a gzip-compressed tar archive of members, in order.
func tarGz(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, m := range members {
		if err := tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: int64(len(m.data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(m.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cifarRecords makes n records numbered from first: labels first%c for each
// label byte, pixels (first+k)%256 for pixel k.
func cifarRecords(f decode.CIFARFormat, first, n int) []byte {
	var b []byte
	for i := first; i < first+n; i++ {
		for _, c := range f.Classes {
			b = append(b, byte(i%c))
		}
		for k := range decode.CIFARImageBytes {
			b = append(b, byte(i+k))
		}
	}
	return b
}

func TestCIFAR(t *testing.T) {
	meta := member{"cifar-10-batches-bin/batches.meta.txt", []byte(strings.Join(scidata.CIFAR10Classes, "\n"))}
	var c10 []member
	for i := range 5 {
		c10 = append(c10, member{fmt.Sprintf("cifar-10-batches-bin/data_batch_%d.bin", i+1), cifarRecords(decode.CIFAR10, 3*i, 3)})
	}
	c10 = append(c10, member{"cifar-10-batches-bin/test_batch.bin", cifarRecords(decode.CIFAR10, 1000, 4)}, meta)
	// The archive order need not follow the batch numbers.
	c10[0], c10[3] = c10[3], c10[0]
	c100 := []member{
		{"cifar-100-binary/test.bin", cifarRecords(decode.CIFAR100, 1000, 5)},
		{"cifar-100-binary/train.bin", cifarRecords(decode.CIFAR100, 0, 7)},
	}
	tests := []struct {
		name, dataset, archive string
		load                   func(context.Context, ...scidata.Option) (scidata.Split, scidata.Split, error)
		format                 decode.CIFARFormat
		members                []member
		ntrain, ntest          int
		want                   error
	}{
		{name: "cifar10", dataset: "cifar10", archive: "cifar-10-binary.tar.gz", load: scidata.CIFAR10,
			format: decode.CIFAR10, members: c10, ntrain: 15, ntest: 4},
		{name: "cifar100", dataset: "cifar100", archive: "cifar-100-binary.tar.gz", load: scidata.CIFAR100,
			format: decode.CIFAR100, members: c100, ntrain: 7, ntest: 5},
		{name: "missing batch", dataset: "cifar10", archive: "cifar-10-binary.tar.gz", load: scidata.CIFAR10,
			format: decode.CIFAR10, members: c10[1:], want: scidata.ErrCorrupt},
		{name: "unequal batches", dataset: "cifar10", archive: "cifar-10-binary.tar.gz", load: scidata.CIFAR10,
			format: decode.CIFAR10, members: append(slices.Clone(c10[:5]),
				member{"cifar-10-batches-bin/data_batch_4.bin", cifarRecords(decode.CIFAR10, 0, 2)}), want: scidata.ErrCorrupt},
		{name: "partial record", dataset: "cifar100", archive: "cifar-100-binary.tar.gz", load: scidata.CIFAR100,
			format: decode.CIFAR100, members: []member{c100[0], {c100[1].name, c100[1].data[:100]}}, want: scidata.ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			arch := tarGz(t, tt.members...)
			s := newFileServer(t)
			s.add(tt.dataset, tt.archive, arch)
			ds := scidata.Dataset{Name: tt.dataset, Files: []scidata.File{fileOf(tt.archive, arch)}}
			train, test, err := tt.load(context.Background(), opts(t, s, scidata.WithDataset(ds))...)
			if tt.want != nil {
				if !errors.Is(err, tt.want) {
					t.Fatalf("error %v, want %v", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			nl := len(tt.format.Classes)
			for _, c := range []struct {
				s           scidata.Split
				n, firstRec int
			}{{train, tt.ntrain, 0}, {test, tt.ntest, 1000}} {
				if got := c.s.Images.Shape(); !slices.Equal(got, nx.Shape{c.n, 3, 32, 32}) {
					t.Errorf("images %v, want [%d 3 32 32]", got, c.n)
				}
				wantL := nx.Shape{c.n}
				if nl == 2 {
					wantL = nx.Shape{c.n, 2}
				}
				if got := c.s.Labels.Shape(); !slices.Equal(got, wantL) {
					t.Errorf("labels %v, want %v", got, wantL)
				}
				want := cifarRecords(tt.format, c.firstRec, c.n)
				img, lab := c.s.Images.Data().([]uint8), c.s.Labels.Data().([]uint8)
				rb := tt.format.RecordBytes()
				for i := range c.n {
					if !bytes.Equal(lab[i*nl:(i+1)*nl], want[i*rb:i*rb+nl]) || !bytes.Equal(img[i*3072:(i+1)*3072], want[i*rb+nl:(i+1)*rb]) {
						t.Fatalf("record %d differs", i)
					}
				}
			}
		})
	}
}

func TestIMDB(t *testing.T) {
	arch := tarGz(t,
		member{"aclImdb/README", []byte("Large Movie Review Dataset v1.0")},
		member{"aclImdb/imdb.vocab", []byte("the\nand\n")},
		member{"aclImdb/train/pos/0_9.txt", []byte("A triumph.")},
		member{"aclImdb/train/neg/0_3.txt", []byte("Two hours I will not get back.")},
		member{"aclImdb/train/urls_pos.txt", []byte("http://www.imdb.com/title/tt0453418/usercomments")},
		member{"aclImdb/train/unsup/0_0.txt", []byte("Saw it on a plane.")},
		member{"aclImdb/train/pos/1_10.txt", []byte("Flawless<br /><br />and moving.")},
		member{"aclImdb/test/neg/0_2.txt", []byte("Dull.")},
		member{"aclImdb/test/pos/0_10.txt", []byte("Loved it.")},
		member{"aclImdb/test/neg/1_4.txt", []byte("")},
	)
	s := newFileServer(t)
	s.add("imdb", "aclImdb_v1.tar.gz", arch)
	o := opts(t, s, scidata.WithDataset(scidata.Dataset{Name: "imdb", Files: []scidata.File{fileOf("aclImdb_v1.tar.gz", arch)}}))
	train, test, err := scidata.IMDBReviews(context.Background(), o...)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		split  scidata.TextSplit
		texts  []string
		labels []uint8
	}{
		{"train", train, []string{"A triumph.", "Two hours I will not get back.", "Flawless<br /><br />and moving."}, []uint8{1, 0, 1}},
		{"test", test, []string{"Dull.", "Loved it.", ""}, []uint8{0, 1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !slices.Equal(tt.split.Texts, tt.texts) || tt.split.Len() != len(tt.texts) {
				t.Errorf("texts %q, want %q", tt.split.Texts, tt.texts)
			}
			if got := tt.split.Labels.Data().([]uint8); !slices.Equal(got, tt.labels) {
				t.Errorf("labels %v, want %v", got, tt.labels)
			}
		})
	}
	unsup, err := scidata.IMDBUnlabeled(context.Background(), o...)
	if err != nil || !slices.Equal(unsup, []string{"Saw it on a plane."}) {
		t.Errorf("IMDBUnlabeled = %q, %v", unsup, err)
	}
	if n := len(s.log()); n != 1 {
		t.Errorf("%d requests, want 1 (the second load reads the cache)", n)
	}
}

// TestTables loads Iris from UCI's real file and Wine from a file rebuilt in
// UCI's layout from scikit-learn's copy.
func TestTables(t *testing.T) {
	s := newFileServer(t)
	s.add("iris", "iris.data", irisData(t))
	wine := wineData(t)
	s.add("wine", "wine.data", wine)
	wineSet := scidata.WithDataset(scidata.Dataset{Name: "wine", Files: []scidata.File{fileOf("wine.data", wine)}})
	tests := []struct {
		name     string
		load     func(context.Context, ...scidata.Option) (scidata.Table, error)
		opt      []scidata.Option
		rows     int
		features int
		counts   []int
		first    []float32
	}{
		{"iris", scidata.Iris, nil, 150, 4, []int{50, 50, 50}, []float32{5.1, 3.5, 1.4, 0.2}},
		{"wine", scidata.Wine, []scidata.Option{wineSet}, 178, 13, []int{59, 71, 48},
			[]float32{14.23, 1.71, 2.43, 15.6, 127, 2.8, 3.06, 0.28, 2.29, 5.64, 1.04, 3.92, 1065}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := tt.load(context.Background(), opts(t, s, tt.opt...)...)
			if err != nil {
				t.Fatal(err)
			}
			if got := tab.Features.Shape(); !slices.Equal(got, nx.Shape{tt.rows, tt.features}) || tab.Features.DType() != nx.F32 {
				t.Errorf("features %v %v, want f32 [%d %d]", tab.Features.DType(), got, tt.rows, tt.features)
			}
			counts := make([]int, 3)
			for _, l := range tab.Labels.Data().([]uint8) {
				counts[l]++
			}
			if !slices.Equal(counts, tt.counts) || tab.Len() != tt.rows {
				t.Errorf("class counts %v, want %v", counts, tt.counts)
			}
			if got := tab.Features.Data().([]float32)[:tt.features]; !slices.Equal(got, tt.first) {
				t.Errorf("first row %v, want %v", got, tt.first)
			}
		})
	}
}

// wineData rebuilds wine.data's layout (class 1-3 first, then the 13
// measurements) from scikit-learn's copy in the shared data.
func wineData(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedData(t), "sklearn", "wine_data.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")[1:] // skip "178,13,class_0,..."
	var out strings.Builder
	for _, l := range lines {
		f := strings.Split(strings.TrimSpace(l), ",")
		fmt.Fprintf(&out, "%c,%s\n", '1'+f[13][0]-'0', strings.Join(f[:13], ","))
	}
	return []byte(out.String())
}
