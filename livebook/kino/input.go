package kino

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
)

// TypeInput is the Output type of inputs: the input's description as JSON in Text
// (MIME application/json): {"id", "kind" ("text", "number", "slider" or "select"),
// "label", "default", and for numbers and sliders "min", "max", "step", for selects
// "options"}. The notebook shows it as a control; the value set there is the session's,
// saved with the notebook, and read by Value.
const TypeInput = "input"

// EnvInputs names the environment variable that holds the path of the file of input
// values the notebook runtime writes before each evaluation: a JSON object mapping
// input IDs to values (strings or numbers). Value reads it.
const EnvInputs = "GONX_KINO_INPUTS"

// Kinds of input.
const (
	InputKindText   = "text"
	InputKindNumber = "number"
	InputKindSlider = "slider"
	InputKindSelect = "select"
)

// Input is a control in the notebook — a text field, a number, a slider, a choice —
// whose value a person sets and cells read, as Livebook's Kino.Input. A cell creates
// it and shows it (Render, or by ending with it); a later cell reads what was set:
//
//	batches := kino.InputSlider("Training batches", 10, 500, 10, 60)
//	batches                      // shows the slider
//	// a later cell:
//	n := batches.Int()
//
// Its ID is its label: inputs with the same label share one value, which survives
// evaluating the cell again and saving the notebook. A cell reads the values as they
// were when it started.
type Input struct {
	spec inputSpec
}

// inputSpec is an input's description, the Text of its output.
type inputSpec struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Label   string   `json:"label"`
	Default any      `json:"default"`
	Min     *float64 `json:"min,omitempty"`
	Max     *float64 `json:"max,omitempty"`
	Step    *float64 `json:"step,omitempty"`
	Options []string `json:"options,omitempty"`
}

// InputText returns a text field labelled label, holding def until someone types.
func InputText(label, def string) *Input {
	return &Input{inputSpec{ID: label, Kind: InputKindText, Label: label, Default: def}}
}

// InputNumber returns a number field labelled label, holding def until set. It panics
// if def is NaN or infinite.
func InputNumber(label string, def float64) *Input {
	finite("InputNumber", def)
	return &Input{inputSpec{ID: label, Kind: InputKindNumber, Label: label, Default: def}}
}

// InputSlider returns a slider labelled label from minimum to maximum by step, at def
// until moved. It panics unless minimum ≤ def ≤ maximum and step > 0, all finite.
func InputSlider(label string, minimum, maximum, step, def float64) *Input {
	for _, v := range []float64{minimum, maximum, step, def} {
		finite("InputSlider", v)
	}
	if minimum > def || def > maximum || step <= 0 {
		panic(fmt.Sprintf("kino: InputSlider: %q: want min ≤ default ≤ max and step > 0, got %v ≤ %v ≤ %v, step %v", label, minimum, def, maximum, step))
	}
	return &Input{inputSpec{ID: label, Kind: InputKindSlider, Label: label, Default: def,
		Min: &minimum, Max: &maximum, Step: &step}}
}

// InputSelect returns a choice among options labelled label, at def until changed. It
// panics if def is not one of the options.
func InputSelect(label string, options []string, def string) *Input {
	if !slices.Contains(options, def) {
		panic(fmt.Sprintf("kino: InputSelect: %q: default %q is not among the options %q", label, def, options))
	}
	return &Input{inputSpec{ID: label, Kind: InputKindSelect, Label: label, Default: def, Options: slices.Clone(options)}}
}

// finite panics if v is NaN or infinite.
func finite(fn string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		panic(fmt.Sprintf("kino: %s: %v is not a finite number", fn, v))
	}
}

// ID returns the input's ID, its label.
func (in *Input) ID() string { return in.spec.ID }

// Value returns the input's value: a string for text fields and choices, a float64 for
// numbers and sliders. It is the value set in the notebook when the cell started, if
// one was and it fits the input (a number within a slider's range, one of a choice's
// options), else the default.
func (in *Input) Value() any {
	raw, ok := readInputs()[in.spec.ID]
	if !ok {
		return in.spec.Default
	}
	if v, ok := in.accept(raw); ok {
		return v
	}
	return in.spec.Default
}

// accept decodes a value set in the notebook, reporting whether it fits the input.
func (in *Input) accept(raw json.RawMessage) (any, bool) {
	switch in.spec.Kind {
	case InputKindText, InputKindSelect:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, false
		}
		if in.spec.Kind == InputKindSelect && !slices.Contains(in.spec.Options, s) {
			return nil, false
		}
		return s, true
	}
	var f float64
	if json.Unmarshal(raw, &f) != nil {
		// The page may send a number field's text.
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, false
		}
		var err error
		if f, err = strconv.ParseFloat(s, 64); err != nil {
			return nil, false
		}
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, false
	}
	if in.spec.Min != nil && (f < *in.spec.Min || f > *in.spec.Max) {
		return nil, false
	}
	return f, true
}

// Text returns the value as text: a number as strconv formats it.
func (in *Input) Text() string {
	switch v := in.Value().(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	return ""
}

// Float returns the value of a number or slider; for a text field or a choice, its
// text as a number, or 0 when it is not one.
func (in *Input) Float() float64 {
	switch v := in.Value().(type) {
	case float64:
		return v
	case string:
		f, err := strconv.ParseFloat(v, 64)
		if err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
	}
	return 0
}

// Int returns Float rounded to the nearest integer.
func (in *Input) Int() int { return int(math.Round(in.Float())) }

// output returns the input's output.
func (in *Input) output() Output {
	text, err := json.Marshal(in.spec)
	if err != nil { // cannot happen: the numbers are finite
		panic(fmt.Sprintf("kino: input: %v", err))
	}
	return Output{Type: TypeInput, MIME: "application/json", Text: string(text)}
}

// String returns the input's marker, so that a cell ending with it shows the control.
func (in *Input) String() string { return in.output().String() }

// readInputs reads the file EnvInputs names; nothing when it is unset or unreadable.
func readInputs() map[string]json.RawMessage {
	path := os.Getenv(EnvInputs)
	if path == "" {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	return m
}
