package scidata

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/gonx-dev/gonx/scidata/decode"
)

// Iris loads Fisher's Iris data as UCI publishes it (iris.data): 150 rows of
// sepal length, sepal width, petal length and petal width in cm (f32 {150, 4}),
// with labels 0 setosa, 1 versicolor, 2 virginica (u8 {150}). The source has
// no train/test split.
func Iris(ctx context.Context, opts ...Option) (Table, error) {
	return loadTable(ctx, "iris", "iris.data", opts, decode.CSVSpec{Features: 4, Label: func(s string) (uint8, error) {
		i := slices.Index([]string{"Iris-setosa", "Iris-versicolor", "Iris-virginica"}, s)
		if i < 0 {
			return 0, fmt.Errorf("not an Iris class")
		}
		return uint8(i), nil
	}})
}

// Wine loads the UCI Wine recognition data (wine.data): 178 rows of 13
// chemical measurements (f32 {178, 13}, in the order of WineFeatures), with the
// cultivar 0-2 as label (u8 {178}; the file numbers them 1-3). The source has
// no train/test split.
func Wine(ctx context.Context, opts ...Option) (Table, error) {
	return loadTable(ctx, "wine", "wine.data", opts, decode.CSVSpec{Features: 13, LabelFirst: true, Label: func(s string) (uint8, error) {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 3 {
			return 0, fmt.Errorf("not a cultivar 1, 2 or 3")
		}
		return uint8(v - 1), nil
	}})
}

// loadTable downloads (if needed) and decodes a CSV data set of one file.
func loadTable(ctx context.Context, name, file string, opts []Option, spec decode.CSVSpec) (Table, error) {
	c := newConfig(opts)
	ds, err := c.dataset(name)
	if err != nil {
		return Table{}, err
	}
	f := ds.file(file)
	p, err := c.ensure(ctx, ds, f)
	if err != nil {
		return Table{}, wrapErr(name, err)
	}
	var t *decode.Table
	err = decodeFile(p, f, func(r io.Reader) (err error) {
		t, err = decode.CSV(file, r, spec)
		return err
	})
	if err != nil {
		return Table{}, wrapErr(name, err)
	}
	return newTable(t.Features, t.Labels, t.Rows, spec.Features), nil
}
