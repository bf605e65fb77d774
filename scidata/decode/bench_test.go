package decode

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkIDXGzip decodes the real MNIST training images from memory: the
// decompression and IDX decoding alone, without file or checksum work.
func BenchmarkIDXGzip(b *testing.B) {
	gz, err := os.ReadFile(filepath.Join(sharedData(b), "mnist", "train-images-idx3-ubyte.gz"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(16 + 60000*28*28)
	b.ReportAllocs()
	for b.Loop() {
		zr, err := Gzip("train-images-idx3-ubyte.gz", bytes.NewReader(gz))
		if err != nil {
			b.Fatal(err)
		}
		a, err := IDX("train-images-idx3-ubyte.gz", zr, 0)
		if err != nil || len(a.Dims) != 3 {
			b.Fatal(err)
		}
	}
}
