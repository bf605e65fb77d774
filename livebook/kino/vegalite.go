package kino

import (
	"encoding/json"
	"errors"
	"fmt"
)

// VegaLiteMIME is the media type of Vega-Lite outputs.
const VegaLiteMIME = "application/vnd.vegalite.v5+json"

// VegaLite returns an output that shows a Vega-Lite chart. spec is the specification:
// a map[string]any, JSON text (a string, []byte or json.RawMessage), or any value that
// encoding/json encodes as an object. When data is not nil it becomes the chart's
// inline data, replacing the spec's: a record per row, in any form Table accepts
// (slices of structs or maps, [][]string with a header, tensors of rank 1 or 2), each
// cell under its column's name and with no limit on rows. So a training loop can
// redraw its curve from the losses so far:
//
//	frame.Render(kino.VegaLite(spec, losses))
//
// VegaLite panics if spec is not a JSON object or data is not a table.
func VegaLite(spec any, data any) Output {
	m := specMap(spec)
	if data != nil {
		m["data"] = map[string]any{"name": ChartData, "values": records("VegaLite", data, false)}
	}
	return vegaLiteOutput(m)
}

// jsonObject decodes a JSON object, panicking if b is not one.
func jsonObject(b []byte) map[string]any {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		if err == nil {
			err = errors.New("null is not an object")
		}
		panic(fmt.Sprintf("kino: VegaLite: spec: %v", err))
	}
	return m
}
