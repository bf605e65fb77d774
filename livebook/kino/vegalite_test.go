package kino

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestVegaLite(t *testing.T) {
	type loss struct {
		Epoch int     `json:"epoch"`
		Loss  float64 `json:"loss"`
	}
	spec := map[string]any{"mark": "line", "data": map[string]any{"url": "x.csv"}}
	for _, tc := range []struct {
		name       string
		spec, data any
		want       string
	}{{
		name: "map", spec: map[string]any{"mark": "bar"},
		want: `{"mark":"bar"}`,
	}, {
		name: "string", spec: `{"mark": "point", "width": 300}`,
		want: `{"mark":"point","width":300}`,
	}, {
		name: "bytes", spec: []byte(`{"mark":"area"}`),
		want: `{"mark":"area"}`,
	}, {
		name: "raw message", spec: json.RawMessage(`{"mark":"tick"}`),
		want: `{"mark":"tick"}`,
	}, {
		name: "struct", spec: struct {
			Mark string `json:"mark"`
		}{"rule"},
		want: `{"mark":"rule"}`,
	}, {
		name: "data replaces the spec's", spec: spec, data: []loss{{1, 0.5}, {2, 0.25}},
		want: `{"data":{"name":"values","values":[{"epoch":1,"loss":0.5},{"epoch":2,"loss":0.25}]},"mark":"line"}`,
	}, {
		name: "tensor data", spec: `{}`, data: tensor([]float64{1, 2, 3, 4}, 2, 2),
		want: `{"data":{"name":"values","values":[{"0":1,"1":2},{"0":3,"1":4}]}}`,
	}, {
		name: "csv data", spec: `{}`, data: [][]string{{"a"}, {"x"}},
		want: `{"data":{"name":"values","values":[{"a":"x"}]}}`,
	}} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			o := VegaLite(tc.spec, tc.data)
			if o.Type != TypeVegaLite || o.MIME != VegaLiteMIME {
				t.Errorf("output %s %s", o.Type, o.MIME)
			}
			if o.Text != tc.want {
				t.Errorf("spec %s, want %s", o.Text, tc.want)
			}
		})
	}
	if _, ok := spec["data"].(map[string]any)["url"]; !ok {
		t.Error("VegaLite changed the caller's spec")
	}
}

func TestVegaLitePanics(t *testing.T) {
	for _, tc := range []struct{ spec, data any }{
		{`[1]`, nil},
		{`null`, nil},
		{`{`, nil},
		{42, nil},
		{map[string]any{"f": func() {}}, nil},
		{`{}`, 42},
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(r.(string), "kino: VegaLite: ") {
					t.Errorf("VegaLite(%v, %v) panicked with %v, want a kino: VegaLite: message", tc.spec, tc.data, r)
				}
			}()
			VegaLite(tc.spec, tc.data)
		}()
	}
}
