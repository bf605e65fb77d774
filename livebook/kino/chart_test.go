package kino

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// specOf decodes a vega-lite output's specification.
func specOf(t *testing.T, o Output) map[string]any {
	t.Helper()
	if o.Type != TypeVegaLite || o.MIME != VegaLiteMIME {
		t.Fatalf("output %s %s, want a Vega-Lite chart", o.Type, o.MIME)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(o.Text), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// valuesOf returns the records of a specification's data set, as JSON.
func valuesOf(t *testing.T, spec map[string]any) string {
	t.Helper()
	d, _ := spec["data"].(map[string]any)
	if d["name"] != ChartData {
		t.Errorf("data %v: want the data set %q", d, ChartData)
	}
	b, _ := json.Marshal(d["values"])
	return string(b)
}

func TestPlots(t *testing.T) {
	type run struct {
		Step int     `json:"step"`
		Loss float64 `json:"loss"`
	}
	tests := []struct {
		name       string
		out        Output
		mark, x, y string
		xType      string
		values     string
	}{
		{"line of a slice", LinePlot([]float64{0.5, 0.25, math.NaN()}, "", "value"), "line", "index", "value", "quantitative",
			`[{"index":0,"value":0.5},{"index":1,"value":0.25},{"index":2,"value":"NaN"}]`},
		{"points of structs", PointPlot([]run{{1, 0.5}, {2, 0.3}}, "step", "loss"), "point", "step", "loss", "quantitative",
			`[{"loss":0.5,"step":1},{"loss":0.3,"step":2}]`},
		{"bars of maps", BarPlot([]map[string]any{{"digit": 3, "n": 7}}, "digit", "n"), "bar", "digit", "n", "ordinal",
			`[{"digit":3,"n":7}]`},
		{"line of a tensor", LinePlot(tensor([]float64{1, 2, 3}, 3), "", "value"), "line", "index", "value", "quantitative",
			`[{"index":0,"value":1},{"index":1,"value":2},{"index":2,"value":3}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := specOf(t, tt.out)
			mark, _ := s["mark"].(map[string]any)
			enc, _ := s["encoding"].(map[string]any)
			x, _ := enc["x"].(map[string]any)
			y, _ := enc["y"].(map[string]any)
			if mark["type"] != tt.mark || x["field"] != tt.x || y["field"] != tt.y || x["type"] != tt.xType {
				t.Errorf("spec %s: want a %s chart of %s (%s) against %s", tt.out.Text, tt.mark, tt.y, tt.xType, tt.x)
			}
			if got := valuesOf(t, s); got != tt.values {
				t.Errorf("values %s, want %s", got, tt.values)
			}
		})
	}
}

func TestChartOptions(t *testing.T) {
	s := ChartSpec("line", "step", "loss", ChartTitle("Loss"), Size(600, 0), ColorBy("run"), LogScale())
	b, _ := json.Marshal(s)
	for _, want := range []string{`"title":"Loss"`, `"width":600`, `"height":200`, `"color":{"field":"run","type":"nominal"}`, `"scale":{"type":"log"}`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("spec %s lacks %s", b, want)
		}
	}
}

// TestChartPush checks the wire form of a chart: the frame with the specification
// and its records when first shown, then each push as a vega-lite-data output
// appended to the frame, and the whole chart again when the cell ends with it.
func TestChartPush(t *testing.T) {
	b := captureRender(t)
	type point struct {
		Step int     `json:"step"`
		Loss float64 `json:"loss"`
	}
	c := NewChart(VegaLite(ChartSpec("line", "step", "loss"), []point{{0, 1}}).Text)
	if c.Len() != 1 {
		t.Fatalf("chart holds %d records, want 1 from its spec", c.Len())
	}
	Render(c)
	c.Push(point{1, 0.5})
	c.Push(map[string]any{"step": 2, "loss": 0.25}, []point{{3, 0.125}, {4, math.Inf(1)}})
	c.Push() // nothing
	outs := rendered(t, b.String())
	if len(outs) != 3 {
		t.Fatalf("%d outputs, want 3: %v", len(outs), outs)
	}
	if outs[0].Type != TypeFrame || outs[0].ID != c.ID() || len(outs[0].Outputs) != 1 {
		t.Fatalf("first output %+v: want the chart's frame", outs[0])
	}
	if got := valuesOf(t, specOf(t, outs[0].Outputs[0])); got != `[{"loss":1,"step":0}]` {
		t.Errorf("first values %s", got)
	}
	pushes := []string{`[{"loss":0.5,"step":1}]`, `[{"loss":0.25,"step":2},{"loss":0.125,"step":3},{"loss":"+Inf","step":4}]`}
	for i, o := range outs[1:] {
		want := Output{Type: TypeFrame, ID: c.ID(), Append: true,
			Outputs: []Output{{Type: TypeVegaLiteData, MIME: "application/json", Text: pushes[i]}}}
		if !reflect.DeepEqual(o, want) {
			t.Errorf("push %d: %+v, want %+v", i, o, want)
		}
	}
	if c.Len() != 5 {
		t.Errorf("chart holds %d records, want 5", c.Len())
	}
	end, err := Parse(c.String())
	if err != nil {
		t.Fatal(err)
	}
	if got := valuesOf(t, specOf(t, end.Outputs[0])); got != `[{"loss":1,"step":0},{"loss":0.5,"step":1},{"loss":0.25,"step":2},{"loss":0.125,"step":3},{"loss":"+Inf","step":4}]` {
		t.Errorf("final values %s", got)
	}

	// Clear redraws it empty; a push before the chart is shown shows it whole.
	b.Reset()
	c.Clear()
	d := NewChart(ChartSpec("point", "x", "y"))
	d.Push(map[string]any{"x": 1, "y": 2})
	outs = rendered(t, b.String())
	if len(outs) != 2 || valuesOf(t, specOf(t, outs[0].Outputs[0])) != `[]` || outs[1].Append ||
		valuesOf(t, specOf(t, outs[1].Outputs[0])) != `[{"x":1,"y":2}]` {
		t.Errorf("clear and first push: %v", outs)
	}
}

func TestChartPanics(t *testing.T) {
	captureRender(t)
	for name, f := range map[string]func(){
		"spec not an object": func() { NewChart("[1]") },
		"spec not JSON":      func() { NewChart([]byte("{")) },
		"records of rank 3":  func() { NewChart(ChartSpec("line", "x", "y")).Push(tensor(make([]float64, 8), 2, 2, 2)) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}
