package livemd

import (
	"os"
	"path/filepath"
	"testing"
)

// fixtureDir holds real .livemd notebooks from Livebook and Nx (see its README).
const fixtureDir = "../../../shared/fixtures/livemd"

// fixtures returns the fixture notebooks, skipping the test if they are missing.
func fixtures(t testing.TB) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(fixtureDir, "*.livemd"))
	if err != nil || len(paths) == 0 {
		t.Skipf("no fixtures in %s", fixtureDir)
	}
	files := make(map[string][]byte, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	return files
}

// reformatted lists fixtures that Format does not give back byte for byte, and why;
// Livebook's own export changes them the same way.
var reformatted = map[string]string{
	"livebook-intro_to_python.livemd":     "a blank line is added between a code block and the text right after it",
	"nx-aggregation.livemd":               "two code cells before the first section are not a setup cell: they get a ## Section",
	"nx-broadcasting.livemd":              "Markdown before the first section gets a ## Section",
	"nx-automatic_differentiation.livemd": "a final newline is added",
}

func TestFixtures(t *testing.T) {
	for name, data := range fixtures(t) {
		t.Run(name, func(t *testing.T) {
			n, err := Parse(data)
			if err != nil {
				t.Errorf("Parse: %v", err)
			}
			if len(n.Sections) == 0 {
				t.Errorf("no sections")
			}
			_, out := checkRoundTrip(t, data)
			if why, ok := reformatted[name]; ok {
				if string(out) == string(data) {
					t.Errorf("now formats back byte for byte; drop it from reformatted (%s)", why)
				}
			} else if string(out) != string(data) {
				t.Errorf("Format(Parse(x)) is not x; first difference at byte %d", firstDiff(out, data))
			}
		})
	}
}

// firstDiff returns the index of the first byte where a and b differ.
func firstDiff(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// TestFixtureDetails spot-checks what Parse finds in a few fixtures.
func TestFixtureDetails(t *testing.T) {
	files := fixtures(t)
	parse := func(name string) *Notebook {
		t.Helper()
		data, ok := files[name]
		if !ok {
			t.Skipf("fixture %s missing", name)
		}
		n, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return n
	}

	n := parse("nx-aggregation.livemd")
	if !n.Metadata.Bool("persist_outputs") {
		t.Errorf("nx-aggregation: persist_outputs not set: %v", n.Metadata)
	}
	outputs := 0
	for _, s := range n.Sections {
		for _, c := range s.Cells {
			outputs += len(c.Outputs)
		}
	}
	if outputs == 0 {
		t.Error("nx-aggregation: no outputs")
	}

	n = parse("livebook-smart_cells.livemd")
	smart := 0
	for _, s := range n.Sections {
		for _, c := range s.Cells {
			if c.Kind == Smart {
				smart++
				if c.SmartKind() == "" || c.Runnable() || c.ReadOnlyReason() == "" {
					t.Errorf("smart cell: kind %q, runnable %v, reason %q", c.SmartKind(), c.Runnable(), c.ReadOnlyReason())
				}
				if _, err := c.SmartAttrs(); err != nil {
					t.Errorf("SmartAttrs: %v", err)
				}
			}
		}
	}
	if smart == 0 {
		t.Error("livebook-smart_cells: no smart cells")
	}
	if len(n.Setup) != 1 || n.Setup[0].Language != LangElixir {
		t.Errorf("livebook-smart_cells: setup = %s", dump(&Notebook{Setup: n.Setup}))
	}

	n = parse("livebook-intro_to_python.livemd")
	if lang, _ := n.Metadata.StringValue("default_language"); lang != "python" {
		t.Errorf("intro_to_python: default_language = %q", lang)
	}
	if len(n.Setup) != 2 || n.Setup[1].Language != LangPyproject {
		t.Errorf("intro_to_python: setup = %s", dump(&Notebook{Setup: n.Setup}))
	}
}
