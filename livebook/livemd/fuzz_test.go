package livemd

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that Parse never panics and that Format(Parse(x)) parses back to
// the same notebook and formats to the same bytes. Seeds: testdata/fuzz/FuzzParse
// and the fixture notebooks.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(fixtureDir, "*.livemd"))
	for _, p := range paths {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("# T\n\n```go\nx := 1\n```\n\n## S\n\nText\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRoundTrip(t, data)
	})
}
