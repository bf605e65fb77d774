package kernel

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// EnvInputs is package kino's EnvInputs: the environment variable naming the file of
// input values that kino's Input.Value reads. The kernel does not link kino (cells
// do), so the name is repeated here.
const EnvInputs = "GONX_KINO_INPUTS"

// SetInputs writes the values of the notebook's inputs, by input ID, to the file
// inputs.json in the scratch directory (a temporary file renamed over it, so that a
// cell never reads half of it), and points EnvInputs at it, for the cells that run
// next. nil values write an empty object.
func (s *Session) SetInputs(values map[string]json.RawMessage) error {
	if values == nil {
		values = map[string]json.RawMessage{}
	}
	data, err := json.Marshal(values)
	if err != nil {
		return fmt.Errorf("kernel: input values: %w", err)
	}
	path := filepath.Join(s.cfg.Dir, "inputs.json")
	tmp, err := os.CreateTemp(s.cfg.Dir, "inputs-*.json")
	if err != nil {
		return fmt.Errorf("kernel: input values: %w", err)
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("kernel: input values: %w", err)
	}
	return os.Setenv(EnvInputs, path)
}
