package scidata

import (
	"context"
	"fmt"
	"io"

	"github.com/gonx-dev/gonx/scidata/decode"
)

// idxMaxBytes bounds what an IDX header in a data set file may declare: well
// above the 188 MB of MNIST-like training images, far below what a corrupt
// header could ask for.
const idxMaxBytes = 1 << 30

// MNIST loads the MNIST handwritten digits: 60000 training and 10000 test
// images, u8 {n, 1, 28, 28}, with labels 0-9, u8 {n}.
func MNIST(ctx context.Context, opts ...Option) (train, test Split, err error) {
	return loadIDXSet(ctx, "mnist", opts)
}

// FashionMNIST loads Zalando's Fashion-MNIST: 60000 training and 10000 test
// images of articles, u8 {n, 1, 28, 28}, with labels 0-9 (see
// FashionMNISTClasses), u8 {n}.
func FashionMNIST(ctx context.Context, opts ...Option) (train, test Split, err error) {
	return loadIDXSet(ctx, "fashion-mnist", opts)
}

// KuzushijiMNIST loads Kuzushiji-MNIST: 60000 training and 10000 test images of
// cursive Japanese characters, u8 {n, 1, 28, 28}, with labels 0-9 (see
// KuzushijiMNISTClasses), u8 {n}.
func KuzushijiMNIST(ctx context.Context, opts ...Option) (train, test Split, err error) {
	return loadIDXSet(ctx, "kmnist", opts)
}

// loadIDXSet downloads (if needed) and decodes both splits of an MNIST-like
// data set.
func loadIDXSet(ctx context.Context, name string, opts []Option) (train, test Split, err error) {
	c := newConfig(opts)
	ds, err := c.dataset(name)
	if err != nil {
		return Split{}, Split{}, err
	}
	if _, err := c.ensureAll(ctx, ds, trainImages, trainLabels, testImages, testLabels); err != nil {
		return Split{}, Split{}, wrapErr(name, err)
	}
	err = parallel(
		func() (err error) { train, err = loadIDXSplit(ctx, c, ds, trainImages, trainLabels); return err },
		func() (err error) { test, err = loadIDXSplit(ctx, c, ds, testImages, testLabels); return err },
	)
	if err != nil {
		return Split{}, Split{}, wrapErr(name, err)
	}
	return train, test, nil
}

// loadIDXSplit decodes an images file and a labels file of ds, concurrently,
// into a Split.
func loadIDXSplit(ctx context.Context, c *config, ds Dataset, images, labels string) (Split, error) {
	paths, err := c.ensureAll(ctx, ds, images, labels)
	if err != nil {
		return Split{}, err
	}
	var img, lab *decode.Array
	err = parallel(
		func() (err error) { img, err = readIDX(paths[0], ds.file(images)); return err },
		func() (err error) { lab, err = readIDX(paths[1], ds.file(labels)); return err },
	)
	if err != nil {
		return Split{}, err
	}
	if img.Type != decode.IDXUint8 || len(img.Dims) != 3 {
		return Split{}, fmt.Errorf("%s: %w: want u8 images {n, height, width}, got type %#x dims %v", images, ErrCorrupt, img.Type, img.Dims)
	}
	if lab.Type != decode.IDXUint8 || len(lab.Dims) != 1 || lab.Dims[0] != img.Dims[0] {
		return Split{}, fmt.Errorf("%s: %w: want %d u8 labels, got type %#x dims %v", labels, ErrCorrupt, img.Dims[0], lab.Type, lab.Dims)
	}
	for i, l := range lab.Data {
		if l > 9 {
			return Split{}, fmt.Errorf("%s: %w: label %d of example %d is not a class 0-9", labels, ErrCorrupt, l, i)
		}
	}
	return newSplit(img.Data, lab.Data, img.Dims[0], 1, img.Dims[1], img.Dims[2], 1), nil
}

// readIDX decodes the gzip-compressed IDX file at path, published as f.
func readIDX(path string, f File) (*decode.Array, error) {
	var a *decode.Array
	err := decodeGzip(path, f, func(r io.Reader) (err error) {
		a, err = decode.IDX(f.Name, r, idxMaxBytes)
		return err
	})
	return a, err
}
