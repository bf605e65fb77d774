package kino

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxRows is the number of rows a table holds unless MaxRows says otherwise.
const DefaultMaxRows = 1000

// TableOption configures Table.
type TableOption func(*tableConfig)

type tableConfig struct {
	title   string
	columns []string
	maxRows int
}

// Title names the table.
func Title(title string) TableOption {
	return func(c *tableConfig) { c.title = title }
}

// Columns sets the table's columns, in order. For rows that are structs or maps they
// pick the fields or keys shown (a missing one gives empty cells); for rows that are
// slices, and for tensors, they name the columns by position, and the first row of a
// [][]string is then data rather than the header.
func Columns(names ...string) TableOption {
	return func(c *tableConfig) { c.columns = slices.Clone(names) }
}

// MaxRows bounds the rows the table holds (the notebook is told how many there were);
// n ≤ 0 keeps them all. The default is DefaultMaxRows.
func MaxRows(n int) TableOption {
	return func(c *tableConfig) { c.maxRows = n }
}

// tableJSON is the content of a TypeTable output.
type tableJSON struct {
	Title   string   `json:"title,omitempty"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	Total   int      `json:"total,omitempty"`
}

// Table returns an output that shows rows as a table. rows is
//
//   - a slice (or array) of structs or pointers to structs: a column per field,
//     named by its json tag if it has one (fields tagged "-" are left out, but for
//     the unexported fields of types that notebook cells declare, which the kernel
//     tags so);
//   - a slice of maps: a column per key, the keys of each row sorted, in the order
//     they first appear;
//   - a slice of slices: a column per position; the first row of a [][]string (what
//     encoding/csv's ReadAll returns) is the header;
//   - a slice of other values: one column, "value";
//   - a tensor of rank 0, 1 (one column, "value") or 2 (rows × columns), such as an
//     *nx.Tensor: any value with a Shape method returning a slice of ints and a
//     Float64s method returning its elements in row-major order.
//
// Cells are numbers, strings, booleans or empty (nil); values that implement error or
// fmt.Stringer show as that text, other values as fmt's %v prints them, and NaN and
// infinities as text. Table panics if rows is none of the above.
func Table(rows any, opts ...TableOption) Output {
	cfg := tableConfig{maxRows: DefaultMaxRows}
	for _, o := range opts {
		o(&cfg)
	}
	cols, cells, total := extract("Table", rows, cfg)
	t := tableJSON{Title: cfg.title, Columns: cols, Rows: cells}
	if total > len(cells) {
		t.Total = total
	}
	if t.Columns == nil {
		t.Columns = []string{}
	}
	if t.Rows == nil {
		t.Rows = [][]any{}
	}
	data, err := json.Marshal(t)
	if err != nil { // cannot happen: cells are JSON-safe
		panic(fmt.Sprintf("kino: Table: %v", err))
	}
	return Output{Type: TypeTable, MIME: "application/json", Text: string(data)}
}

// extract reads the rows Table accepts into columns and cells, and reports how many
// rows there were before cfg.maxRows cut them. fn names the caller in panics.
func extract(fn string, x any, cfg tableConfig) (cols []string, cells [][]any, total int) {
	if dims, ok := tensorShape(fn, x); ok {
		if t, ok := x.(floatTensor); ok {
			return tensorCells(fn, t, dims, cfg)
		}
	}
	v := reflect.ValueOf(x)
	if k := v.Kind(); k != reflect.Slice && k != reflect.Array {
		panic(fmt.Sprintf("kino: %s: %T is neither a slice nor a tensor", fn, x))
	}
	et := v.Type().Elem()
	positional := et.Kind() == reflect.Slice || et.Kind() == reflect.Array
	var header []string
	start := 0
	if positional && et.Elem().Kind() == reflect.String && cfg.columns == nil && v.Len() > 0 {
		row := v.Index(0)
		header = make([]string, row.Len())
		for j := range header {
			header[j] = row.Index(j).String()
		}
		start = 1
	}
	total = v.Len() - start
	n := total
	if cfg.maxRows > 0 {
		n = min(n, cfg.maxRows)
	}
	cells = make([][]any, n)

	if positional {
		cols = cfg.columns
		if cols == nil {
			width := len(header)
			for i := range n {
				width = max(width, v.Index(start+i).Len())
			}
			cols = header
			for j := len(header); j < width; j++ {
				cols = append(cols, strconv.Itoa(j))
			}
		}
		for i := range cells {
			row := v.Index(start + i)
			c := make([]any, len(cols))
			for j := range min(len(cols), row.Len()) {
				c[j] = cell(row.Index(j))
			}
			cells[i] = c
		}
		return cols, cells, total
	}

	rows := make([][]pair, n)
	fields := map[reflect.Type][]field{}
	for i := range rows {
		rows[i] = pairs(v.Index(start+i), fields)
	}
	cols = cfg.columns
	if cols == nil {
		seen := map[string]bool{}
		for _, r := range rows {
			for _, p := range r {
				if !seen[p.name] {
					seen[p.name] = true
					cols = append(cols, p.name)
				}
			}
		}
	}
	at := map[string][]int{}
	for j, c := range cols {
		at[c] = append(at[c], j)
	}
	for i, r := range rows {
		c := make([]any, len(cols))
		for _, p := range r {
			for _, j := range at[p.name] {
				c[j] = cell(p.v)
			}
		}
		cells[i] = c
	}
	return cols, cells, total
}

// tensorCells reads a tensor of rank at most 2.
func tensorCells(fn string, t floatTensor, dims []int, cfg tableConfig) (cols []string, cells [][]any, total int) {
	var rows, width int
	switch len(dims) {
	case 0:
		rows, width = 1, 1
	case 1:
		rows, width = dims[0], 1
	case 2:
		rows, width = dims[0], dims[1]
	default:
		panic(fmt.Sprintf("kino: %s: a tensor of shape %v; want rank 0, 1 or 2", fn, dims))
	}
	data := t.Float64s()
	if len(data) != size(dims) {
		panic(fmt.Sprintf("kino: %s: a tensor of shape %v has %d elements", fn, dims, len(data)))
	}
	cols = cfg.columns
	if cols == nil {
		cols = make([]string, width)
		for j := range cols {
			cols[j] = strconv.Itoa(j)
		}
		if len(dims) < 2 {
			cols[0] = "value"
		}
	}
	n := rows
	if cfg.maxRows > 0 {
		n = min(n, cfg.maxRows)
	}
	cells = make([][]any, n)
	for i := range cells {
		c := make([]any, len(cols))
		for j := range min(width, len(cols)) {
			c[j] = floatCell(data[i*width+j])
		}
		cells[i] = c
	}
	return cols, cells, rows
}

// pair is a named cell of a row.
type pair struct {
	name string
	v    reflect.Value
}

// field is a struct field shown as a column.
type field struct {
	name  string
	index int
}

// pairs returns the named cells of a row that is not a slice: a struct's fields, a
// map's entries, or a lone value.
func pairs(row reflect.Value, fields map[reflect.Type][]field) []pair {
	for row.Kind() == reflect.Pointer || row.Kind() == reflect.Interface {
		if row.IsNil() {
			return nil
		}
		row = row.Elem()
	}
	switch row.Kind() {
	case reflect.Struct:
		fs, ok := fields[row.Type()]
		if !ok {
			fs = structFields(row.Type())
			fields[row.Type()] = fs
		}
		if len(fs) == 0 || opaque(row) {
			break // a value, such as time.Time
		}
		ps := make([]pair, len(fs))
		for i, f := range fs {
			ps[i] = pair{f.name, row.Field(f.index)}
		}
		return ps
	case reflect.Map:
		ps := make([]pair, 0, row.Len())
		iter := row.MapRange()
		for iter.Next() {
			ps = append(ps, pair{keyName(iter.Key()), iter.Value()})
		}
		slices.SortFunc(ps, func(a, b pair) int { return cmp.Compare(a.name, b.name) })
		return ps
	case reflect.Slice, reflect.Array:
		ps := make([]pair, row.Len())
		for j := range ps {
			ps[j] = pair{strconv.Itoa(j), row.Index(j)}
		}
		return ps
	}
	return []pair{{"value", row}}
}

// opaque reports whether a struct shows as one value: it has no exported fields and
// it prints itself (a String or Error method).
func opaque(v reflect.Value) bool {
	t := v.Type()
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			return false
		}
	}
	if !v.CanInterface() {
		return false
	}
	switch v.Interface().(type) {
	case fmt.Stringer, error:
		return true
	}
	return false
}

// keyName names a map key as a column.
func keyName(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	return fmt.Sprint(k)
}

// structFields lists the fields of t shown as columns: all of them, as fmt prints
// them, but for those tagged json:"-", and named by their json tags.
func structFields(t reflect.Type) []field {
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		name, inCell := demangle(f.Name)
		if tag, ok := f.Tag.Lookup("json"); ok && !inCell {
			tagName, _, _ := strings.Cut(tag, ",")
			if tag == "-" {
				continue
			}
			if tagName != "" {
				name = tagName
			}
		}
		fs = append(fs, field{name, i})
	}
	return fs
}

// cellMark prefixes the unexported names that notebook cells declare, which the
// notebook kernel exports that way: a field x of a type declared in a cell is Ξx in
// compiled code, tagged json:"-" so that encoding/json leaves it out as it would x.
const cellMark = "Ξ"

// demangle returns the name a cell gave a field, and whether it is such a name.
func demangle(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, cellMark)
	if !ok {
		return name, false
	}
	if r, _ := utf8.DecodeRuneInString(rest); r == utf8.RuneError || unicode.IsUpper(r) {
		return name, false
	}
	return rest, true
}

// cell converts a value to a JSON-safe table cell.
func cell(v reflect.Value) any {
	for v.IsValid() {
		switch v.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func, reflect.Chan:
			if v.IsNil() {
				return nil
			}
		}
		if v.CanInterface() {
			switch x := v.Interface().(type) {
			case error:
				return x.Error()
			case fmt.Stringer:
				return x.String()
			}
		}
		if v.Kind() != reflect.Pointer && v.Kind() != reflect.Interface {
			break
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Invalid:
		return nil
	case reflect.Bool:
		return v.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint()
	case reflect.Float32:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return floatCell(f)
		}
		return float32(v.Float())
	case reflect.Float64:
		return floatCell(v.Float())
	case reflect.String:
		return v.String()
	}
	return fmt.Sprint(v)
}

// floatCell converts a float64, NaN and infinities to text.
func floatCell(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return f
}
