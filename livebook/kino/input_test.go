package kino

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// setInputs writes values where Value reads them, as the notebook runtime does.
func setInputs(t *testing.T, values map[string]any) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "inputs.json")
	data, err := json.Marshal(values)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvInputs, path)
}

func TestInputValues(t *testing.T) {
	name := InputText("Name", "Ada")
	lr := InputNumber("Learning rate", 1e-3)
	batches := InputSlider("Batches", 10, 500, 10, 60)
	model := InputSelect("Model", []string{"mlp", "cnn"}, "mlp")
	t.Setenv(EnvInputs, "")
	if name.Value() != "Ada" || lr.Float() != 1e-3 || batches.Int() != 60 || model.Text() != "mlp" {
		t.Errorf("defaults: %v %v %v %v", name.Value(), lr.Value(), batches.Value(), model.Value())
	}
	setInputs(t, map[string]any{"Name": "Grace", "Learning rate": "0.01", "Batches": 120, "Model": "cnn"})
	if name.Value() != "Grace" || lr.Float() != 0.01 || batches.Int() != 120 || model.Text() != "cnn" {
		t.Errorf("set: %v %v %v %v", name.Value(), lr.Value(), batches.Value(), model.Value())
	}
	if batches.Text() != "120" || name.Float() != 0 {
		t.Errorf("conversions: %q %v", batches.Text(), name.Float())
	}
	// Values that do not fit fall back to the default.
	setInputs(t, map[string]any{"Name": 3, "Learning rate": "fast", "Batches": 501, "Model": "resnet"})
	if name.Value() != "Ada" || lr.Float() != 1e-3 || batches.Int() != 60 || model.Text() != "mlp" {
		t.Errorf("misfits: %v %v %v %v", name.Value(), lr.Value(), batches.Value(), model.Value())
	}
	// A missing or corrupt file reads as nothing set.
	t.Setenv(EnvInputs, filepath.Join(t.TempDir(), "absent.json"))
	if name.Value() != "Ada" {
		t.Errorf("absent file: %v", name.Value())
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvInputs, bad)
	if batches.Int() != 60 {
		t.Errorf("corrupt file: %v", batches.Value())
	}
}

func TestInputOutput(t *testing.T) {
	o, err := Parse(InputSlider("Batches", 10, 500, 10, 60).String())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"Batches","kind":"slider","label":"Batches","default":60,"min":10,"max":500,"step":10}`
	if o.Type != TypeInput || o.MIME != "application/json" || o.Text != want {
		t.Errorf("slider output %+v, want text %s", o, want)
	}
	if got := toOutput(InputSelect("M", []string{"a", "b"}, "b")).Text; got != `{"id":"M","kind":"select","label":"M","default":"b","options":["a","b"]}` {
		t.Errorf("select output %s", got)
	}
}

func TestInputPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"default outside":  func() { InputSlider("s", 0, 1, 0.1, 2) },
		"zero step":        func() { InputSlider("s", 0, 1, 0, 0) },
		"NaN":              func() { InputNumber("n", nan()) },
		"default unlisted": func() { InputSelect("c", []string{"a"}, "b") },
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

func nan() float64 { var z float64; return z / z }
