package kino

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"sync"
)

// TypeVegaLiteData is the Output type of the data a Chart's Push adds: a JSON array of
// records in Text (MIME application/json). It only appears in a frame's content,
// after the TypeVegaLite output whose data it extends.
const TypeVegaLiteData = "vega-lite-data"

// ChartData is the name of the data set of the charts that this package makes:
// VegaLite with data, the plots and Chart. A chart's records are its inline values
// under that name, so that the notebook can add pushed records to it.
const ChartData = "values"

// vegaLiteSchema is the $schema of the specifications ChartSpec writes.
const vegaLiteSchema = "https://vega.github.io/schema/vega-lite/v5.json"

// ChartOption configures ChartSpec and the plots.
type ChartOption func(map[string]any)

// ChartTitle sets the chart's title.
func ChartTitle(title string) ChartOption {
	return func(s map[string]any) { s["title"] = title }
}

// Size sets the chart's width and height in pixels; 0 leaves one as it is.
func Size(width, height int) ChartOption {
	return func(s map[string]any) {
		if width > 0 {
			s["width"] = width
		}
		if height > 0 {
			s["height"] = height
		}
	}
}

// ColorBy colours the marks by the values of a field, one colour (and one line) per
// value: the curves of several runs in one chart.
func ColorBy(field string) ChartOption {
	return func(s map[string]any) {
		enc, _ := s["encoding"].(map[string]any)
		if enc == nil {
			enc = map[string]any{}
			s["encoding"] = enc
		}
		enc["color"] = map[string]any{"field": field, "type": "nominal"}
	}
}

// LogScale draws the y axis on a log scale (a loss falling over decades).
func LogScale() ChartOption {
	return func(s map[string]any) {
		enc, _ := s["encoding"].(map[string]any)
		if y, ok := enc["y"].(map[string]any); ok {
			y["scale"] = map[string]any{"type": "log"}
		}
	}
}

// Index is the field that the plots give each record, its position from 0, when their
// x field is empty.
const Index = "index"

// ChartSpec returns the Vega-Lite specification of a chart without data: mark (such
// as "line", "point" or "bar") with field x on the x axis and field y on the y axis,
// both quantitative but for a bar chart's x, which is ordinal. An empty x is Index.
// The result is what VegaLite and NewChart take.
func ChartSpec(mark, x, y string, opts ...ChartOption) map[string]any {
	if x == "" {
		x = Index
	}
	xType := "quantitative"
	if mark == "bar" {
		xType = "ordinal"
	}
	m := map[string]any{"type": mark, "tooltip": true}
	if mark == "line" {
		m["point"] = false
	}
	s := map[string]any{
		"$schema": vegaLiteSchema,
		"width":   400,
		"height":  200,
		"mark":    m,
		"encoding": map[string]any{
			"x": map[string]any{"field": x, "type": xType},
			"y": map[string]any{"field": y, "type": "quantitative"},
		},
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// LinePlot returns a line chart of data, anything Table accepts (a slice of structs or
// maps, a []float64, a tensor of rank 1 or 2), with field x on the x axis and field y
// on the y axis. Slices of numbers and tensors of rank 1 have one field, "value"; an
// empty x plots against each record's position (Index). So
//
//	kino.LinePlot(losses, "", "value")
//
// draws a loss curve from a []float64. It panics as VegaLite does.
func LinePlot(data any, x, y string, opts ...ChartOption) Output {
	return plot("line", data, x, y, opts)
}

// PointPlot returns a scatter plot of data; see LinePlot.
func PointPlot(data any, x, y string, opts ...ChartOption) Output {
	return plot("point", data, x, y, opts)
}

// BarPlot returns a bar chart of data, a bar per record; see LinePlot.
func BarPlot(data any, x, y string, opts ...ChartOption) Output {
	return plot("bar", data, x, y, opts)
}

// plot draws data as mark.
func plot(mark string, data any, x, y string, opts []ChartOption) Output {
	spec := ChartSpec(mark, x, y, opts...)
	spec["data"] = map[string]any{"name": ChartData, "values": records("VegaLite", data, x == "")}
	return vegaLiteOutput(spec)
}

// records converts data (anything Table accepts) into Vega-Lite records, a map per
// row, with the row's position under Index when index is set.
func records(fn string, data any, index bool) []map[string]any {
	cols, cells, _ := extract(fn, data, tableConfig{})
	values := make([]map[string]any, len(cells))
	for i, row := range cells {
		rec := make(map[string]any, len(cols)+1)
		for j, c := range cols {
			rec[c] = row[j]
		}
		if index {
			rec[Index] = i
		}
		values[i] = rec
	}
	return values
}

// vegaLiteOutput encodes a specification as a TypeVegaLite output.
func vegaLiteOutput(spec map[string]any) Output {
	text, err := json.Marshal(spec)
	if err != nil {
		panic(fmt.Sprintf("kino: VegaLite: spec: %v", err))
	}
	return Output{Type: TypeVegaLite, MIME: VegaLiteMIME, Text: string(text)}
}

// Chart is a Vega-Lite chart that a running cell adds records to, as Livebook's
// Kino.VegaLite.push does: a training loop pushes a point per step and the notebook
// extends the curve in place, receiving each record once. A chart is a frame (it
// appears where it is first rendered, and updates there); its methods are safe for
// concurrent use.
//
//	chart := kino.NewChart(kino.ChartSpec("line", "step", "loss"))
//	kino.Render(chart)
//	for step := range 100 {
//		chart.Push(map[string]any{"step": step, "loss": loss(step)})
//	}
type Chart struct {
	frame *Frame

	mu     sync.Mutex
	spec   map[string]any
	values []map[string]any
	shown  bool // the spec has been written since the last Clear
}

// NewChart returns a chart of spec (what VegaLite accepts), whose data, if any, are
// its first records. It panics as VegaLite does.
func NewChart(spec any) *Chart {
	m := specMap(spec)
	var values []map[string]any
	if d, ok := m["data"].(map[string]any); ok {
		if vs, ok := d["values"].([]any); ok {
			for _, v := range vs {
				if r, ok := v.(map[string]any); ok {
					values = append(values, r)
				}
			}
		}
	}
	return &Chart{frame: NewFrame(), spec: m, values: values}
}

// ID returns the chart's frame ID.
func (c *Chart) ID() string { return c.frame.id }

// Push adds records to the chart and shows them. Each argument is a record (a map or
// a struct, a column per field as in Table), or a slice of records or a tensor of
// rank 1 or 2 (records as Table reads them). It panics on what Table rejects.
func (c *Chart) Push(recs ...any) {
	var add []map[string]any
	for _, r := range recs {
		add = append(add, recordsOf(r)...)
	}
	if len(add) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values = append(c.values, add...)
	if !c.shown {
		c.renderLocked()
		return
	}
	text, err := json.Marshal(add)
	if err != nil {
		panic(fmt.Sprintf("kino: Chart.Push: %v", err))
	}
	c.frame.Append(Output{Type: TypeVegaLiteData, MIME: "application/json", Text: string(text)})
}

// Clear removes the chart's records and redraws it empty.
func (c *Chart) Clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.values = nil
	c.renderLocked()
}

// Len returns the number of records the chart holds.
func (c *Chart) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.values)
}

// renderLocked replaces the frame's content with the chart and all its records.
func (c *Chart) renderLocked() {
	c.frame.Render(c.outputLocked())
	c.shown = true
}

// outputLocked returns the chart with all its records.
func (c *Chart) outputLocked() Output {
	spec := maps.Clone(c.spec)
	values := c.values
	if values == nil {
		values = []map[string]any{}
	}
	spec["data"] = map[string]any{"name": ChartData, "values": values}
	return vegaLiteOutput(spec)
}

// output returns the chart's frame holding the chart and all its records, and
// notes that it has been shown.
func (c *Chart) output() Output {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frame.mu.Lock()
	c.frame.content = []Output{c.outputLocked()}
	c.frame.mu.Unlock()
	c.shown = true
	return c.frame.output()
}

// String returns the marker of the chart's frame with all its records, so that a cell
// ending with the chart shows it.
func (c *Chart) String() string { return c.output().String() }

// recordsOf converts a record, or a slice of records, into maps.
func recordsOf(r any) []map[string]any {
	if _, isTensor := tensorShape("Chart.Push", r); isTensor {
		return records("Chart.Push", r, false)
	}
	if k := reflect.ValueOf(r).Kind(); k == reflect.Slice || k == reflect.Array {
		return records("Chart.Push", r, false)
	}
	return records("Chart.Push", []any{r}, false)
}

// specMap converts what VegaLite accepts as a specification into a fresh map.
func specMap(spec any) map[string]any {
	switch s := spec.(type) {
	case map[string]any:
		return maps.Clone(s)
	case string:
		return jsonObject([]byte(s))
	case []byte:
		return jsonObject(s)
	case json.RawMessage:
		return jsonObject(s)
	}
	b, err := json.Marshal(spec)
	if err != nil {
		panic(fmt.Sprintf("kino: VegaLite: spec: %v", err))
	}
	return jsonObject(b)
}
