package decode

import (
	"compress/gzip"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// irisSpec parses rows of four features and an Iris class name.
var irisSpec = CSVSpec{Features: 4, Label: func(s string) (uint8, error) {
	i := slices.Index([]string{"Iris-setosa", "Iris-versicolor", "Iris-virginica"}, s)
	if i < 0 {
		return 0, errors.New("unknown class")
	}
	return uint8(i), nil
}}

// wineSpec parses rows of a class 1-3 and thirteen features.
var wineSpec = CSVSpec{Features: 13, LabelFirst: true, Label: func(s string) (uint8, error) {
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > 3 {
		return 0, fmt.Errorf("class %q is not 1, 2 or 3", s)
	}
	return uint8(v - 1), nil
}}

func TestCSV(t *testing.T) {
	tests := []struct {
		name   string
		spec   CSVSpec
		in     string
		rows   int
		feats  []float32
		labels []uint8
		want   error
		off    int64
	}{
		{name: "iris", spec: irisSpec, in: "5.1,3.5,1.4,0.2,Iris-setosa\n6.3,3.3,6.0,2.5,Iris-virginica\n\n",
			rows: 2, feats: []float32{5.1, 3.5, 1.4, 0.2, 6.3, 3.3, 6, 2.5}, labels: []uint8{0, 2}},
		{name: "wine leading dots", spec: wineSpec, in: "2,12.37,.94,1.36,10.6,88,1.98,.57,.28,.42,1.95,1.05,1.82,520\r\n",
			rows: 1, feats: []float32{12.37, .94, 1.36, 10.6, 88, 1.98, .57, .28, .42, 1.95, 1.05, 1.82, 520}, labels: []uint8{1}},
		{name: "empty", spec: irisSpec, in: "", rows: 0},
		{name: "short row", spec: irisSpec, in: "5.1,3.5,1.4,0.2,Iris-setosa\n5.1,3.5,Iris-setosa\n", want: ErrCorrupt, off: 28},
		{name: "bad number", spec: irisSpec, in: "5.1,x,1.4,0.2,Iris-setosa\n", want: ErrCorrupt, off: 0},
		{name: "bad label", spec: irisSpec, in: "5.1,3.5,1.4,0.2,Iris-setosa\n5.1,3.5,1.4,0.2,Rose\n", want: ErrCorrupt, off: 28},
		{name: "bad quote", spec: irisSpec, in: "5.1,3.5,1.4,0.2,\"Iris\n", want: ErrCorrupt, off: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := CSV("t.csv", strings.NewReader(tt.in), tt.spec)
			checkErr(t, err, tt.want, "csv", tt.off)
			if err != nil {
				return
			}
			if tab.Rows != tt.rows || !slices.Equal(tab.Features, tt.feats) || !slices.Equal(tab.Labels, tt.labels) {
				t.Errorf("got %d rows %v %v, want %d rows %v %v", tab.Rows, tab.Features, tab.Labels, tt.rows, tt.feats, tt.labels)
			}
		})
	}
	if _, err := CSV("t.csv", strings.NewReader(""), CSVSpec{}); err == nil {
		t.Error("empty spec accepted")
	}
}

// TestCSVRealDigits reads scikit-learn's digits table (pixels then label) from
// the shared data and checks its size and class counts.
func TestCSVRealDigits(t *testing.T) {
	f, err := os.Open(filepath.Join(sharedData(t), "sklearn", "digits.csv.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	// Unlike the other tables, digits.csv.gz has no header line.
	spec := CSVSpec{Features: 64, Label: func(s string) (uint8, error) {
		v, err := strconv.Atoi(s)
		if err != nil || v < 0 || v > 9 {
			return 0, fmt.Errorf("bad digit %q", s)
		}
		return uint8(v), nil
	}}
	tab, err := CSV("digits.csv", zr, spec)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Rows != 1797 || len(tab.Features) != 1797*64 {
		t.Fatalf("%d rows, %d features", tab.Rows, len(tab.Features))
	}
	hist := make([]int, 10)
	for _, l := range tab.Labels {
		hist[l]++
	}
	// scikit-learn documents about 180 samples per class.
	for d, n := range hist {
		if n < 170 || n > 190 {
			t.Errorf("class %d has %d samples", d, n)
		}
	}
}
