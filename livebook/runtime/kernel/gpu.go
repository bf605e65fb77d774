package kernel

import (
	"go/types"
	"os"
	"path/filepath"
	"strings"
)

// cudaPackage is nx's GPU package: importing it registers the "cuda" backend
// of nx.Jit, which runs when NX_BACKEND=cuda or nx.SetBackend("cuda") selects
// it and the machine has a GPU.
const cudaPackage = "github.com/gonx-dev/gonx/nx/cuda"

// gpuImport returns the blank import of nx/cuda for a plugin whose cell
// package imports nx or a module built on it, when the gonx checkout has
// the package; "" otherwise. Plugins share packages, so the backend
// registers once, with the first such cell.
func (s *Session) gpuImport(pkg *types.Package) string {
	if !s.hasCUDA() {
		return ""
	}
	for _, p := range pkg.Imports() {
		path := p.Path()
		for _, mod := range []string{"github.com/gonx-dev/gonx/nx", "github.com/gonx-dev/gonx/axon"} {
			if path == mod || strings.HasPrefix(path, mod+"/") {
				return "\nimport _ " + `"` + cudaPackage + `"` + " // the GPU backend of nx.Jit\n"
			}
		}
	}
	return ""
}

// hasCUDA reports whether the gonx checkout cells build against has nx/cuda.
func (s *Session) hasCUDA() bool {
	for _, m := range s.modules {
		if m.path == "github.com/gonx-dev/gonx/nx" {
			st, err := os.Stat(filepath.Join(m.dir, "cuda", "backend.go"))
			return err == nil && !st.IsDir()
		}
	}
	return false
}
