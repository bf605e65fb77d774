package scidata_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/gonx-dev/gonx/scidata"
)

// irisMirror starts a local mirror holding UCI's iris.data (a copy kept in
// testdata), so the examples below run without a network.
func irisMirror() *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/iris/iris.data", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join("testdata", "iris.data"))
	})
	return httptest.NewServer(mux)
}

func ExampleMNIST() {
	train, test, err := scidata.MNIST(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.Images.Shape(), train.Labels.Shape()) // [60000][1][28][28] [60000]
	fmt.Println(test.Images.Shape(), test.Labels.Shape())   // [10000][1][28][28] [10000]
}

func ExampleFashionMNIST() {
	train, _, err := scidata.FashionMNIST(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	first := train.Labels.Data().([]uint8)[0]
	fmt.Println(scidata.FashionMNISTClasses[first]) // Ankle boot
}

func ExampleKuzushijiMNIST() {
	train, _, err := scidata.KuzushijiMNIST(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.Len()) // 60000
}

func ExampleCIFAR10() {
	train, test, err := scidata.CIFAR10(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.Images.Shape(), test.Labels.Shape()) // [50000][3][32][32] [10000]
}

func ExampleCIFAR100() {
	train, _, err := scidata.CIFAR100(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	labels := train.Labels.Data().([]uint8) // {50000, 2}: coarse, fine
	fmt.Println(scidata.CIFAR100CoarseClasses[labels[0]], scidata.CIFAR100FineClasses[labels[1]])
}

func ExampleIMDBReviews() {
	train, test, err := scidata.IMDBReviews(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(train.Len(), test.Len()) // 25000 25000
	fmt.Println(scidata.IMDBClasses[train.Labels.Data().([]uint8)[0]], train.Texts[0][:40])
}

func ExampleIMDBUnlabeled() {
	texts, err := scidata.IMDBUnlabeled(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(texts)) // 50000
}

func ExampleWine() {
	wine, err := scidata.Wine(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(wine.Features.Shape(), wine.Labels.Shape()) // [178][13] [178]
}

// Iris is loaded here from a local mirror (BaseURL) into a temporary cache;
// the file is checked against UCI's published SHA-256 as usual.
func ExampleIris() {
	mirror := irisMirror()
	defer mirror.Close()
	cache, _ := os.MkdirTemp("", "scidata-example")
	defer os.RemoveAll(cache)

	iris, err := scidata.Iris(context.Background(), scidata.BaseURL(mirror.URL), scidata.CacheDir(cache))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(iris.Features.Shape(), iris.Features.DType(), iris.Labels.Shape())
	fmt.Println(iris.Features.Data().([]float32)[:4], scidata.IrisClasses[iris.Labels.Data().([]uint8)[0]])
	// Output:
	// [150][4] f32 [150]
	// [5.1 3.5 1.4 0.2] setosa
}

func ExampleDownload() {
	mirror := irisMirror()
	defer mirror.Close()
	cache, _ := os.MkdirTemp("", "scidata-example")
	defer os.RemoveAll(cache)

	ctx := context.Background()
	if err := scidata.Download(ctx, "iris", scidata.BaseURL(mirror.URL), scidata.CacheDir(cache)); err != nil {
		log.Fatal(err)
	}
	files, err := scidata.Verify(ctx, "iris", scidata.CacheDir(cache))
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Println(f.File.Name, f.Cached, f.Err)
	}
	// Output:
	// iris.data true <nil>
}

func ExampleVerify() {
	cache, _ := os.MkdirTemp("", "scidata-example")
	defer os.RemoveAll(cache)

	files, err := scidata.Verify(context.Background(), "mnist", scidata.CacheDir(cache))
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		fmt.Println(f.File.Name, "cached:", f.Cached)
	}
	// Output:
	// train-images-idx3-ubyte.gz cached: false
	// train-labels-idx1-ubyte.gz cached: false
	// t10k-images-idx3-ubyte.gz cached: false
	// t10k-labels-idx1-ubyte.gz cached: false
}

func ExampleOffline() {
	cache, _ := os.MkdirTemp("", "scidata-example")
	defer os.RemoveAll(cache)

	_, _, err := scidata.MNIST(context.Background(), scidata.CacheDir(cache), scidata.Offline())
	var missing *scidata.NotCachedError
	if errors.As(err, &missing) {
		fmt.Println(errors.Is(err, scidata.ErrNotCached), missing.File)
		fmt.Println(missing.URLs[0])
	}
	// Output:
	// true train-images-idx3-ubyte.gz
	// http://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz
}

func ExampleBaseURL() {
	// Every file comes from https://mirror.example/scidata/mnist/FILE instead
	// of the publishers; checksums are verified as usual.
	_, _, err := scidata.MNIST(context.Background(), scidata.BaseURL("https://mirror.example/scidata"))
	if err != nil {
		log.Fatal(err)
	}
}

func ExampleDatasets() {
	for _, d := range scidata.Datasets() {
		fmt.Printf("%-14s %3d MiB  %s\n", d.Name, d.Size()>>20, d.Title)
	}
	// Output:
	// cifar10        162 MiB  CIFAR-10 (binary version)
	// cifar100       160 MiB  CIFAR-100 (binary version)
	// fashion-mnist   29 MiB  Fashion-MNIST (Zalando article images)
	// imdb            80 MiB  IMDB movie reviews (Large Movie Review Dataset v1.0)
	// iris             0 MiB  Iris (UCI)
	// kmnist          20 MiB  Kuzushiji-MNIST (cursive Japanese characters)
	// mnist           11 MiB  MNIST handwritten digits
	// wine             0 MiB  Wine recognition (UCI)
}

func ExampleLookup() {
	d, err := scidata.Lookup("cifar10")
	if err != nil {
		log.Fatal(err)
	}
	f := d.Files[0]
	fmt.Println(f.Name, f.Size, f.SHA256[:16])
	fmt.Println(f.URLs[0])
	// Output:
	// cifar-10-binary.tar.gz 170052171 c4a38c50a1bc5f3a
	// https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz
}

func ExamplePath() {
	dir, err := scidata.Path("fashion-mnist", scidata.CacheDir("/data/cache"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(filepath.ToSlash(dir))
	// Output:
	// /data/cache/fashion-mnist
}
