package server

import (
	"strings"
	"testing"
)

// TestNotebookPicksRuntime checks that a notebook's metadata picks its sessions'
// runtime, and that a runtime the server does not have falls back to the default
// with a warning.
func TestNotebookPicksRuntime(t *testing.T) {
	other := &fakeRuntime{}
	e := newEnv(t, func(c *Config) { c.Runtimes["other"] = other })
	e.write("plain.livemd", "# Plain\n")
	e.write("other.livemd", `<!-- livebook:{"gonx_runtime":"other"} -->`+"\n\n# Other\n\n## S\n\n```go\nx\n```\n")
	e.write("missing.livemd", `<!-- livebook:{"gonx_runtime":"attached"} -->`+"\n\n# Missing\n")
	for name, want := range map[string]string{"plain.livemd": "fake", "other.livemd": "other", "missing.livemd": "fake"} {
		snap := e.snapshot(e.open(name))
		if snap.Runtime != want {
			t.Errorf("%s: runtime %q, want %q", name, snap.Runtime, want)
		}
		warned := strings.Contains(strings.Join(snap.Warnings, "\n"), `runtime attached (gonx_runtime), which this server does not have`)
		if warned != (name == "missing.livemd") {
			t.Errorf("%s: warnings %q", name, snap.Warnings)
		}
	}
	// The cells of other.livemd run on "other".
	id := e.open("other.livemd")
	e.apply(id, Op{Op: OpEvaluateCell, CellID: e.snapshot(id).Sections[0].Cells[0].ID})
	eventually(t, "the evaluation on the other runtime", func() bool { return other.starts.Load() == 1 })
	if e.rt.starts.Load() != 0 {
		t.Errorf("the default runtime started %d evaluators", e.rt.starts.Load())
	}
}
