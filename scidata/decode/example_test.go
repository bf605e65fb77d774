package decode_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/gonx-dev/gonx/scidata/decode"
)

func ExampleIDX() {
	// Magic 0x00000803 (u8, 3 dimensions), dims 2×2×2, then 8 pixels.
	file := []byte{0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8}
	a, err := decode.IDX("images.idx", bytes.NewReader(file), 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Dims, a.Data)

	_, err = decode.IDX("images.idx", bytes.NewReader(file[:20]), 0)
	fmt.Println(err)
	fmt.Println(errors.Is(err, decode.ErrTruncated))
	// Output:
	// [2 2 2] [1 2 3 4 5 6 7 8]
	// images.idx: idx: byte 20: corrupt data: truncated: input ends inside the data (4 of 8 bytes read)
	// true
}

func ExampleGzip() {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte{0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9})
	zw.Close()
	gz := buf.Bytes()

	zr, err := decode.Gzip("labels.gz", bytes.NewReader(gz))
	if err != nil {
		log.Fatal(err)
	}
	a, err := decode.IDX("labels.gz", zr, 0)
	fmt.Println(a.Data, err)

	zr, _ = decode.Gzip("labels.gz", bytes.NewReader(gz[:len(gz)-6]))
	_, err = decode.IDX("labels.gz", zr, 0)
	var de *decode.Error
	errors.As(err, &de)
	fmt.Println(de.Format, errors.Is(err, decode.ErrTruncated))
	// Output:
	// [7 8 9] <nil>
	// gzip true
}

func ExampleCIFAR() {
	// Two CIFAR-100 records: coarse label, fine label, 3072 pixel bytes.
	var records []byte
	for _, l := range [][2]byte{{4, 30}, {19, 99}} {
		records = append(records, l[0], l[1])
		records = append(records, bytes.Repeat([]byte{l[1]}, decode.CIFARImageBytes)...)
	}
	images := make([]byte, 2*decode.CIFARImageBytes)
	labels := make([]byte, 2*2)
	if err := decode.CIFAR("train.bin", bytes.NewReader(records), decode.CIFAR100, images, labels); err != nil {
		log.Fatal(err)
	}
	fmt.Println(labels, images[0], images[decode.CIFARImageBytes])
	// Output:
	// [4 30 19 99] 30 99
}

func ExampleCSV() {
	data := "5.1,3.5,1.4,0.2,Iris-setosa\n7.0,3.2,4.7,1.4,Iris-versicolor\n\n"
	spec := decode.CSVSpec{Features: 4, Label: func(s string) (uint8, error) {
		switch s {
		case "Iris-setosa":
			return 0, nil
		case "Iris-versicolor":
			return 1, nil
		}
		return 0, errors.New("unknown class")
	}}
	t, err := decode.CSV("iris.data", strings.NewReader(data), spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Rows, t.Features, t.Labels)

	_, err = decode.CSV("iris.data", strings.NewReader("5.1,3.5,1.4,0.2,Rose\n"), spec)
	fmt.Println(err)
	// Output:
	// 2 [5.1 3.5 1.4 0.2 7 3.2 4.7 1.4] [0 1]
	// iris.data: csv: byte 0: corrupt data: line 1, field 5: label "Rose": unknown class
}

func ExampleTar() {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct{ name, body string }{{"data/a.bin", "abc"}, {"data/b.bin", "de"}} {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body))})
		tw.Write([]byte(f.body))
	}
	tw.Close()

	err := decode.Tar("data.tar", &buf, func(e decode.TarEntry) error {
		fmt.Println(e.Path, e.Size, e.Offset)
		return nil
	})
	fmt.Println(err)
	// Output:
	// data/a.bin 3 512
	// data/b.bin 2 1536
	// <nil>
}

func ExampleTarText() {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range []struct{ name, body string }{
		{"aclImdb/train/pos/0_9.txt", "A triumph."},
		{"aclImdb/imdb.vocab", "the\n"},
	} {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body))})
		tw.Write([]byte(f.body))
	}
	tw.Close()

	keep := func(path string) bool { return strings.HasSuffix(path, ".txt") }
	err := decode.TarText("aclImdb.tar", &buf, 0, keep, func(path string, text []byte) error {
		fmt.Printf("%s: %s\n", path, text)
		return nil
	})
	fmt.Println(err)
	// Output:
	// aclImdb/train/pos/0_9.txt: A triumph.
	// <nil>
}
