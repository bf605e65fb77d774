// Package kino gives notebook cells rich output: Markdown, tables, images, Vega-Lite
// charts and frames whose content a running cell replaces (a training loop redrawing
// its loss curve).
//
// A cell shows a rich output by rendering it, or by ending with it:
//
//	kino.Render(kino.Markdown("## Results"))
//	kino.Table(runs, kino.Columns("name", "loss"))   // the cell's value
//
// Charts: VegaLite takes any Vega-Lite specification; LinePlot, PointPlot and
// BarPlot draw slices of numbers, structs or maps and tensors; a Chart receives
// records while the cell runs (Push), and the notebook extends the drawn chart with
// each record, sent once:
//
//	kino.LinePlot(losses, "", "value")   // a []float64 against its positions
//	chart := kino.NewChart(kino.ChartSpec("line", "step", "loss"))
//	kino.Render(chart)
//	chart.Push(map[string]any{"step": 1, "loss": 0.7})
//
// Every output is an Output value, the wire form the notebook shows. It travels as a
// marker on the cell's standard output: an Output prints (String, or fmt's %v) as
//
//	ESC "_gonx-kino/1;" base64(JSON of the Output) ESC "\"
//
// an APC escape sequence that terminals ignore, with the JSON base64-encoded (standard
// alphabet, padded) so that nothing inside can end it early. Render writes the marker
// and a newline. The notebook runtime takes markers out of what a cell prints, and out
// of the value it ends with, and shows each as its own output, in order between the
// chunks of plain text; the newline right after a marker goes with it. So the kernel
// and the cells share no state, and a cell may link a different copy of this package
// than the notebook server does. Parse decodes one marker.
//
// Tables and charts carry data, not HTML: the notebook's interface lays them out and
// escapes what it shows.
package kino
