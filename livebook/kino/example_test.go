package kino_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/gonx-dev/gonx/livebook/kino"
)

// A cell ending with an output shows it; so does printing it. Each output prints as a
// marker that the notebook runtime takes out of the cell's text.
func ExampleOutput_String() {
	md := kino.Markdown("# Hi")
	fmt.Printf("%q\n", md.String())
	o, err := kino.Parse(md.String())
	fmt.Println(o.Type, o.Text, err)
	// Output:
	// "\x1b_gonx-kino/1;eyJ0eXBlIjoibWFya2Rvd24iLCJtaW1lIjoidGV4dC9tYXJrZG93biIsInRleHQiOiIjIEhpIn0=\x1b\\"
	// markdown # Hi <nil>
}

// Markdown is shown formatted by the notebook.
func ExampleMarkdown() {
	o := kino.Markdown("**bold** and `code`")
	fmt.Println(o.Type, o.MIME)
	fmt.Println(o.Text)
	// Output:
	// markdown text/markdown
	// **bold** and `code`
}

// Text shows text as printed; within a frame it replaces the previous text.
func ExampleText() {
	o := kino.Text("epoch 3: loss 0.25")
	fmt.Println(o.Type, o.Text)
	// Output: text epoch 3: loss 0.25
}

// A slice of structs becomes a table with a column per field; the notebook receives
// the data as JSON.
func ExampleTable() {
	type run struct {
		Name string
		Loss float64 `json:"loss"`
	}
	o := kino.Table([]run{{"small", 0.31}, {"large", 0.12}}, kino.Title("runs"))
	fmt.Println(o.Type, o.MIME)
	fmt.Println(o.Text)
	// Output:
	// table application/json
	// {"title":"runs","columns":["Name","loss"],"rows":[["small",0.31],["large",0.12]]}
}

// The first row of a [][]string, as encoding/csv reads it, is the header.
func ExampleTable_csv() {
	records := [][]string{{"city", "population"}, {"Lyon", "522250"}, {"Nice", "348085"}}
	fmt.Println(kino.Table(records, kino.MaxRows(1)).Text)
	// Output:
	// {"columns":["city","population"],"rows":[["Lyon","522250"]],"total":2}
}

// Columns picks and orders the keys of map rows.
func ExampleColumns() {
	rows := []map[string]any{{"id": 1, "name": "a", "extra": true}, {"id": 2, "name": "b"}}
	fmt.Println(kino.Table(rows, kino.Columns("name", "id")).Text)
	// Output:
	// {"columns":["name","id"],"rows":[["a",1],["b",2]]}
}

// Image encodes any image.Image as PNG.
func ExampleImage() {
	img := image.NewGray(image.Rect(0, 0, 4, 2))
	img.SetGray(3, 1, color.Gray{Y: 255})
	o := kino.Image(img)
	back, _ := png.Decode(bytes.NewReader(o.Data))
	fmt.Println(o.Type, o.MIME, back.Bounds().Size(), back.At(3, 1))
	// Output: image image/png (4,2) {255}
}

// gray is a stand-in for an *nx.Tensor of dtype u8: ImageFromTensor needs only its
// Shape and Uint8s methods.
type gray struct {
	shape []int
	data  []uint8
}

func (g gray) Shape() []int    { return g.shape }
func (g gray) Uint8s() []uint8 { return g.data }

// A tensor {c, h, w} (scidata's layout) or {h, w, c} becomes an image.
func ExampleImageFromTensor() {
	t := gray{shape: []int{1, 2, 5}, data: []uint8{0, 25, 50, 75, 100, 125, 150, 175, 200, 250}}
	o := kino.ImageFromTensor(t)
	img, _ := png.Decode(bytes.NewReader(o.Data))
	fmt.Println(img.Bounds().Size(), img.At(4, 1))
	// Output: (5,2) {250}
}

// A chart's data may come separately from its specification, in any form Table takes.
func ExampleVegaLite() {
	spec := `{
		"mark": "line",
		"encoding": {
			"x": {"field": "epoch", "type": "quantitative"},
			"y": {"field": "loss", "type": "quantitative"}
		}
	}`
	type point struct {
		Epoch int     `json:"epoch"`
		Loss  float64 `json:"loss"`
	}
	o := kino.VegaLite(spec, []point{{1, 0.9}, {2, 0.5}})
	fmt.Println(o.Type, o.MIME)
	fmt.Println(o.Text)
	// Output:
	// vega-lite application/vnd.vegalite.v5+json
	// {"data":{"name":"values","values":[{"epoch":1,"loss":0.9},{"epoch":2,"loss":0.5}]},"encoding":{"x":{"field":"epoch","type":"quantitative"},"y":{"field":"loss","type":"quantitative"}},"mark":"line"}
}

// A training loop redraws its progress in a frame: the notebook shows the latest
// content in the place where the frame first appeared. (Not run as a test: Render
// writes markers to standard output.)
func ExampleFrame() {
	spec := map[string]any{
		"mark":     "line",
		"encoding": map[string]any{"x": map[string]any{"field": "epoch"}, "y": map[string]any{"field": "loss"}},
	}
	type point struct {
		Epoch int     `json:"epoch"`
		Loss  float64 `json:"loss"`
	}
	frame := kino.NewFrame()
	var losses []point
	for epoch := range 10 {
		losses = append(losses, point{epoch, 1 / float64(epoch+1)})
		frame.Render(kino.VegaLite(spec, losses))
	}
}

// Render shows an output in the middle of the cell's printed text.
// (Not run as a test: Render writes a marker to standard output.)
func ExampleRender() {
	fmt.Println("training…")
	kino.Render(kino.Markdown("**done**"))
	fmt.Println("saved")
}

// A loss curve from a slice of numbers: an empty x field plots each value against
// its position.
func ExampleLinePlot() {
	o := kino.LinePlot([]float64{0.9, 0.5, 0.3}, "", "value", kino.ChartTitle("Loss"))
	fmt.Println(o.Type)
	fmt.Println(o.Text)
	// Output:
	// vega-lite
	// {"$schema":"https://vega.github.io/schema/vega-lite/v5.json","data":{"name":"values","values":[{"index":0,"value":0.9},{"index":1,"value":0.5},{"index":2,"value":0.3}]},"encoding":{"x":{"field":"index","type":"quantitative"},"y":{"field":"value","type":"quantitative"}},"height":200,"mark":{"point":false,"tooltip":true,"type":"line"},"title":"Loss","width":400}
}

// A bar chart of counts per class.
func ExampleBarPlot() {
	counts := []struct {
		Digit int `json:"digit"`
		Count int `json:"count"`
	}{{0, 980}, {1, 1135}}
	o := kino.BarPlot(counts, "digit", "count")
	fmt.Println(o.Type, len(o.Text) > 0)
	// Output: vega-lite true
}

// A training loop pushes a point per step into a chart; the notebook extends the
// curve in place, receiving each point once. (Not run as a test: Render and Push
// write markers to standard output.)
func ExampleChart() {
	chart := kino.NewChart(kino.ChartSpec("line", "step", "loss", kino.ChartTitle("Training loss")))
	kino.Render(chart)
	for step := range 100 {
		chart.Push(map[string]any{"step": step, "loss": 1 / float64(step+1)})
	}
}

// An input's value is its default until someone sets it in the notebook; a later
// cell reads it.
func ExampleInputSlider() {
	batches := kino.InputSlider("Training batches", 10, 500, 10, 60)
	fmt.Println(batches.Int())
	// Output: 60
}
