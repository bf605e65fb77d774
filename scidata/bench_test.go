package scidata_test

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gonx-dev/gonx/scidata"
)

// The two benchmarks below compare loading the cached MNIST training set into
// tensors (download skipped: the cache is filled first; checksum verified and
// gzip decoded on every load) with zcat decompressing the same files to
// /dev/null:
//
//	go test -run='^$' -bench='MNISTTrain' -benchtime=20x ./

var mnistTrainFiles = []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"}

// mnistCache copies the real MNIST training files into a cache folder.
func mnistCache(b *testing.B) string {
	b.Helper()
	cache := b.TempDir()
	dir := filepath.Join(cache, "mnist")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	for _, f := range mnistTrainFiles {
		src, err := os.Open(filepath.Join(sharedData(b), "mnist", f))
		if err != nil {
			b.Fatal(err)
		}
		dst, err := os.Create(filepath.Join(dir, f))
		if err == nil {
			_, err = io.Copy(dst, src)
			if cerr := dst.Close(); err == nil {
				err = cerr
			}
		}
		src.Close()
		if err != nil {
			b.Fatal(err)
		}
	}
	return cache
}

// mnistTrainBytes is the decompressed size of the two training files.
const mnistTrainBytes = 16 + 60000*28*28 + 8 + 60000

func BenchmarkLoadMNISTTrain(b *testing.B) {
	opts := []scidata.Option{scidata.CacheDir(mnistCache(b)), scidata.Offline(), scidata.Quiet()}
	ctx := context.Background()
	b.SetBytes(mnistTrainBytes)
	b.ReportAllocs()
	for b.Loop() {
		train, err := scidata.LoadIDXTrain(ctx, "mnist", opts...)
		if err != nil {
			b.Fatal(err)
		}
		if train.Len() != 60000 {
			b.Fatalf("%d examples", train.Len())
		}
	}
}

func BenchmarkZcatMNISTTrain(b *testing.B) {
	zcat, err := exec.LookPath("zcat")
	if err != nil {
		b.Skip("zcat not found")
	}
	dir := filepath.Join(mnistCache(b), "mnist")
	var files []string
	for _, f := range mnistTrainFiles {
		files = append(files, filepath.Join(dir, f))
	}
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devNull.Close()
	b.SetBytes(mnistTrainBytes)
	for b.Loop() {
		cmd := exec.Command(zcat, files...)
		cmd.Stdout = devNull
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}
