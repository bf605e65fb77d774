package kino

import (
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// fakeShape is a named []int, as nx.Shape is.
type fakeShape []int

// fakeTensor has the methods of *nx.Tensor that kino uses.
type fakeTensor struct {
	shape fakeShape
	data  []float64
}

func (t *fakeTensor) Shape() fakeShape { return slices.Clone(t.shape) }

func (t *fakeTensor) Float64s() []float64 { return slices.Clone(t.data) }

func (t *fakeTensor) Uint8s() []uint8 {
	b := make([]uint8, len(t.data))
	for i, v := range t.data {
		b[i] = uint8(v)
	}
	return b
}

func tensor(data []float64, shape ...int) *fakeTensor {
	return &fakeTensor{shape: shape, data: data}
}

type point struct {
	X, Y float64
}

type tagged struct {
	Name    string  `json:"name"`
	Score   float64 `json:"score,omitempty"`
	Skip    int     `json:"-"`
	private int
	Ξlower  int `json:"-"` // a field that a notebook cell declared as lower, as the kernel compiles it
	ΞUpper  int // not a cell's mangling: the mark is followed by a capital
	Nested  point
	When    time.Duration
	Err     error
	Ptr     *int
}

type stringer int

func (s stringer) String() string { return "s" + string(rune('0'+s)) }

// tableOf decodes a TypeTable output.
func tableOf(t *testing.T, o Output) tableJSON {
	t.Helper()
	if o.Type != TypeTable || o.MIME != "application/json" {
		t.Fatalf("output %s %s, want a table", o.Type, o.MIME)
	}
	var tj tableJSON
	if err := json.Unmarshal([]byte(o.Text), &tj); err != nil {
		t.Fatalf("table JSON %q: %v", o.Text, err)
	}
	return tj
}

func TestTable(t *testing.T) {
	seven := 7
	for _, tc := range []struct {
		name string
		rows any
		opts []TableOption
		want string // the table's JSON
	}{{
		name: "structs",
		rows: []point{{1, 2}, {3.5, -4}},
		want: `{"columns":["X","Y"],"rows":[[1,2],[3.5,-4]]}`,
	}, {
		name: "struct pointers and nil",
		rows: []*point{{1, 2}, nil},
		want: `{"columns":["X","Y"],"rows":[[1,2],[null,null]]}`,
	}, {
		name: "tags, cell names, values",
		rows: []tagged{{Name: "a", Score: 0.5, Skip: 1, private: 3, Ξlower: 4, ΞUpper: 5, Nested: point{1, 2}, When: time.Second, Err: errors.New("bad"), Ptr: &seven}},
		want: `{"columns":["name","score","private","lower","ΞUpper","Nested","When","Err","Ptr"],"rows":[["a",0.5,3,4,5,"{1 2}","1s","bad",7]]}`,
	}, {
		name: "unexported fields",
		rows: []struct {
			a string
			b time.Duration
		}{{"x", time.Second}},
		want: `{"columns":["a","b"],"rows":[["x",1000000000]]}`,
	}, {
		name: "structs that print themselves",
		rows: []time.Time{time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)},
		want: `{"columns":["value"],"rows":[["2024-05-01 00:00:00 +0000 UTC"]]}`,
	}, {
		name: "maps",
		rows: []map[string]any{{"b": 1, "a": "x"}, {"c": true, "a": nil}},
		want: `{"columns":["a","b","c"],"rows":[["x",1,null],[null,null,true]]}`,
	}, {
		name: "maps with int keys",
		rows: []map[int]string{{2: "two", 1: "one"}},
		want: `{"columns":["1","2"],"rows":[["one","two"]]}`,
	}, {
		name: "maps, columns chosen",
		rows: []map[string]int{{"b": 1, "a": 2, "z": 3}},
		opts: []TableOption{Columns("z", "a", "missing")},
		want: `{"columns":["z","a","missing"],"rows":[[3,2,null]]}`,
	}, {
		name: "csv records",
		rows: [][]string{{"name", "n", "n"}, {"a", "1", "2"}, {"b"}},
		want: `{"columns":["name","n","n"],"rows":[["a","1","2"],["b",null,null]]}`,
	}, {
		name: "csv records with a long row",
		rows: [][]string{{"h"}, {"a", "b"}},
		want: `{"columns":["h","1"],"rows":[["a","b"]]}`,
	}, {
		name: "csv records, columns given",
		rows: [][]string{{"name", "n"}, {"a", "1"}},
		opts: []TableOption{Columns("first", "second")},
		want: `{"columns":["first","second"],"rows":[["name","n"],["a","1"]]}`,
	}, {
		name: "header only",
		rows: [][]string{{"a", "b"}},
		want: `{"columns":["a","b"],"rows":[]}`,
	}, {
		name: "empty",
		rows: [][]string{},
		want: `{"columns":[],"rows":[]}`,
	}, {
		name: "number rows",
		rows: [][]float64{{1, 2}, {3, math.NaN()}},
		want: `{"columns":["0","1"],"rows":[[1,2],[3,"NaN"]]}`,
	}, {
		name: "arrays",
		rows: [2][2]float32{{0.1, 1}, {float32(math.Inf(-1)), 2}},
		want: `{"columns":["0","1"],"rows":[[0.1,1],["-Inf",2]]}`,
	}, {
		name: "scalars",
		rows: []any{1, "two", stringer(3), nil, 2.5, uint8(9), []int{1}},
		want: `{"columns":["value","0"],"rows":[[1,null],["two",null],["s3",null],[null,null],[2.5,null],[9,null],[null,1]]}`,
	}, {
		name: "title and max rows",
		rows: []int{1, 2, 3},
		opts: []TableOption{Title("ints"), MaxRows(2)},
		want: `{"title":"ints","columns":["value"],"rows":[[1],[2]],"total":3}`,
	}, {
		name: "max rows after the header",
		rows: [][]string{{"h"}, {"1"}, {"2"}},
		opts: []TableOption{MaxRows(1)},
		want: `{"columns":["h"],"rows":[["1"]],"total":2}`,
	}, {
		name: "all rows",
		rows: make([]struct{}, DefaultMaxRows+1),
		opts: []TableOption{MaxRows(0)},
		want: `{"columns":["value"],"rows":[` + strings.Repeat(`["{}"],`, DefaultMaxRows) + `["{}"]]}`,
	}, {
		name: "tensor rank 2",
		rows: tensor([]float64{1, 2, 3, 4, 5, 6}, 2, 3),
		want: `{"columns":["0","1","2"],"rows":[[1,2,3],[4,5,6]]}`,
	}, {
		name: "tensor rank 2, columns given",
		rows: tensor([]float64{1, 2, 3, 4}, 2, 2),
		opts: []TableOption{Columns("x", "y", "z")},
		want: `{"columns":["x","y","z"],"rows":[[1,2,null],[3,4,null]]}`,
	}, {
		name: "tensor rank 1, cut",
		rows: tensor([]float64{0.5, math.Inf(1), 2}, 3),
		opts: []TableOption{MaxRows(2)},
		want: `{"columns":["value"],"rows":[[0.5],["+Inf"]],"total":3}`,
	}, {
		name: "tensor rank 0",
		rows: tensor([]float64{7}),
		want: `{"columns":["value"],"rows":[[7]]}`,
	}} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			o := Table(tc.rows, tc.opts...)
			tableOf(t, o)
			if o.Text != tc.want {
				t.Errorf("table\n%s\nwant\n%s", o.Text, tc.want)
			}
		})
	}
}

func TestTablePanics(t *testing.T) {
	for _, rows := range []any{
		nil,
		42,
		map[string]int{"a": 1},
		point{},
		tensor(make([]float64, 8), 2, 2, 2),
		tensor(make([]float64, 3), 2, 2),
		(*fakeTensor)(nil),
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(r.(string), "kino: Table: ") {
					t.Errorf("Table(%#v) panicked with %v, want a kino: Table: message", rows, r)
				}
			}()
			Table(rows)
		}()
	}
}
