package decode

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// fuzzLimit bounds what the fuzzed decoders may allocate from sizes they read.
const fuzzLimit = 1 << 20

// source returns a reader of data, gunzipped when data starts with the gzip
// magic number, or an error if the gzip header is bad.
func source(data []byte) (io.Reader, error) {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		return Gzip("fuzz.gz", bytes.NewReader(data))
	}
	return bytes.NewReader(data), nil
}

// checkFuzzErr fails unless err is nil or an *Error that wraps ErrCorrupt.
func checkFuzzErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var de *Error
	if !errors.As(err, &de) || !errors.Is(err, ErrCorrupt) {
		t.Fatalf("error %v (%T) is not a *decode.Error wrapping ErrCorrupt", err, err)
	}
	if de.Offset < 0 || de.File == "" {
		t.Fatalf("error %v has no position", err)
	}
}

func FuzzIDX(f *testing.F) {
	f.Add(idxBytes(IDXUint8, []int{2, 2, 2}, []byte{1, 2, 3, 4, 5, 6, 7, 8}))
	f.Add(gzipBytes(f, idxBytes(IDXUint8, []int{3}, []byte{7, 8, 9})))
	f.Add(idxBytes(IDXFloat32, []int{1}, []byte{0x3f, 0x80, 0, 0}))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := source(data)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		a, err := IDX("fuzz.idx", r, fuzzLimit)
		checkFuzzErr(t, err)
		if err != nil {
			return
		}
		if len(a.Data) != a.Len()*idxElemSize(a.Type) || len(a.Data) > fuzzLimit {
			t.Fatalf("%d bytes for dims %v type %#x", len(a.Data), a.Dims, a.Type)
		}
	})
}

func FuzzCIFAR(f *testing.F) {
	f.Add(cifarRecords(CIFAR10, 2), false)
	f.Add(cifarRecords(CIFAR100, 2), true)
	f.Add(gzipBytes(f, cifarRecords(CIFAR10, 1)), false)
	f.Fuzz(func(t *testing.T, data []byte, hundred bool) {
		format := CIFAR10
		if hundred {
			format = CIFAR100
		}
		r, err := source(data)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		// Read as many records as the input length suggests, rounded up,
		// so that short inputs exercise the truncation paths.
		n := (len(data) + format.RecordBytes() - 1) / format.RecordBytes()
		images := make([]byte, n*CIFARImageBytes)
		labels := make([]byte, n*len(format.Classes))
		err = CIFAR("fuzz.bin", r, format, images, labels)
		checkFuzzErr(t, err)
		if err == nil {
			for i, l := range labels {
				if int(l) >= format.Classes[i%len(format.Classes)] {
					t.Fatalf("label %d out of range accepted", l)
				}
			}
		}
	})
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("5.1,3.5,1.4,0.2,Iris-setosa\n4.9,3.0,1.4,0.2,Iris-setosa\n\n"))
	f.Add([]byte("1,14.23,1.71,2.43,15.6,127,2.8,3.06,.28,2.29,5.64,1.04,3.92,1065\n"))
	f.Add([]byte("\"5.1\",3.5,1.4,0.2,Iris-virginica\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, spec := range []CSVSpec{irisSpec, wineSpec} {
			tab, err := CSV("fuzz.csv", bytes.NewReader(data), spec)
			checkFuzzErr(t, err)
			if err == nil && (len(tab.Labels) != tab.Rows || len(tab.Features) != tab.Rows*spec.Features) {
				t.Fatalf("%d rows, %d labels, %d features", tab.Rows, len(tab.Labels), len(tab.Features))
			}
		}
	})
}

func FuzzTarGz(f *testing.F) {
	arch := tarBytes(f, [2]string{"aclImdb/train/pos/0_9.txt", "Great film."}, [2]string{"aclImdb/imdb.vocab", "the\nand\n"})
	f.Add(arch)
	f.Add(gzipBytes(f, arch))
	f.Add(gzipBytes(f, arch[:700]))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := source(data)
		if err != nil {
			checkFuzzErr(t, err)
			return
		}
		total := 0
		err = TarText("fuzz.tar.gz", r, fuzzLimit, func(string) bool { return true }, func(p string, text []byte) error {
			total += len(text)
			return nil
		})
		checkFuzzErr(t, err)
	})
}
