package server

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestSetInput checks set_input: values saved in the notebook's metadata, loaded
// with it, handed to evaluations through StartInfo.Inputs, and bad ones refused.
func TestSetInput(t *testing.T) {
	var inputs atomic.Pointer[func() map[string]json.RawMessage]
	e := newEnv(t, func(c *Config) {
		c.Runtimes["fake"] = RuntimeFunc(func(ctx context.Context, i StartInfo) (Evaluator, error) {
			inputs.Store(&i.Inputs)
			return (&fakeRuntime{}).Start(ctx, i)
		})
	})
	e.write("in.livemd", "<!-- livebook:{\"gonx_inputs\":{\"Name\":\"Ada\",\"Bad\":[1]}} -->\n\n# In\n\n## S\n\n```go\nx\n```\n")
	id := e.open("in.livemd")
	snap := e.snapshot(id)
	if got, _ := json.Marshal(snap.Inputs); string(got) != `{"Name":"Ada"}` {
		t.Errorf("loaded inputs %s, want the string only", got)
	}
	e.apply(id, Op{Op: OpSetInput, InputID: "Batches", Value: json.RawMessage(" 120.0 ")})
	e.apply(id, Op{Op: OpSetInput, InputID: "Name", Value: json.RawMessage(`"Grace"`)})
	snap = e.snapshot(id)
	if got, _ := json.Marshal(snap.Inputs); string(got) != `{"Batches":120,"Name":"Grace"}` {
		t.Errorf("inputs %s", got)
	}
	for _, bad := range []Op{
		{Op: OpSetInput, Value: json.RawMessage(`1`)},
		{Op: OpSetInput, InputID: strings.Repeat("x", maxInputID+1), Value: json.RawMessage(`1`)},
		{Op: OpSetInput, InputID: "a", Value: json.RawMessage(`{"x":1}`)},
		{Op: OpSetInput, InputID: "a", Value: json.RawMessage(`true`)},
		{Op: OpSetInput, InputID: "a", Value: json.RawMessage(`"` + strings.Repeat("x", maxInputValue) + `"`)},
	} {
		if status, body := e.do("POST", "/api/sessions/"+id+"/ops", bad); status == http.StatusOK {
			t.Errorf("set_input %.60s accepted: %s", bad.Value, body)
		}
	}
	// Saved with the notebook.
	eventually(t, "the saved inputs", func() bool {
		data, _ := os.ReadFile(filepath.Join(e.root, "in.livemd"))
		return strings.Contains(string(data), `"gonx_inputs":{"Batches":120,"Name":"Grace"}`)
	})
	// Evaluations get them.
	e.apply(id, Op{Op: OpEvaluateCell, CellID: snap.Sections[0].Cells[0].ID})
	eventually(t, "an evaluator", func() bool { return inputs.Load() != nil })
	if got, _ := json.Marshal((*inputs.Load())()); string(got) != `{"Batches":120,"Name":"Grace"}` {
		t.Errorf("StartInfo.Inputs() = %s", got)
	}
}
