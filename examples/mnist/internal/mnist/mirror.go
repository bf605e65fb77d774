package mnist

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
)

// SharedData returns the project's folder of real data, the one holding
// mnist/ with the published IDX files: $GONX_DATA when set, else the first
// shared/data found walking up from the working directory (the project keeps
// it at ../shared/data from the repository root).
func SharedData() (string, error) {
	if dir := os.Getenv("GONX_DATA"); dir != "" {
		return dir, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		cand := filepath.Join(dir, "shared", "data")
		if _, err := os.Stat(filepath.Join(cand, "mnist", "train-images-idx3-ubyte.gz")); err == nil {
			return cand, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("mnist: no shared/data/mnist above the working directory; set GONX_DATA")
		}
		dir = parent
	}
}

// Mirror returns a handler serving the data sets under dir (dir/mnist/FILE,
// ...) in the layout scidata.BaseURL expects, BASE/DATASET/FILE, with range
// requests. Served on a loopback address (httptest.NewServer), it lets tests
// run scidata's whole path — download, checksum, cache, decode — on the
// project's copy of the files, without the network.
func Mirror(dir string) http.Handler { return http.FileServer(http.Dir(dir)) }
