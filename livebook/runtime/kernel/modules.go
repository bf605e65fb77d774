package kernel

import (
	"bytes"
	"fmt"
	"go/ast"
	"io"
	"os"
	"regexp"
	"strings"
)

// missingModuleRE matches the go command's error for an import that no module of the
// scratch module's build list provides.
var missingModuleRE = regexp.MustCompile(`no required module provides package|cannot find module providing package`)

// versionCommentRE matches the comment that pins the version of an import's module:
// import "example.com/mod/pkg" // v1.2.3 (or latest, or a branch or commit as @ref).
var versionCommentRE = regexp.MustCompile(`^//\s*(v\d[^\s]*|latest|@[^\s]+)`)

// fetchModules adds to the scratch module the modules that provide the cell's imports
// when none of its requirements does, with go get, and reports the go command's
// progress in the cell's output. It locates the export data of paths.
func (g *cellGen) fetchModules(f *ast.File, paths []string) *Failure {
	s := g.s
	s.ensureExports(paths)
	var args []string
	var missing []*ast.ImportSpec
	for _, spec := range f.Imports {
		p, err := unquote(spec.Path.Value)
		if err != nil || !missingModuleRE.MatchString(s.exports[p].err) {
			continue
		}
		missing = append(missing, spec)
		args = append(args, p+g.versionComment(spec))
	}
	if len(missing) == 0 {
		return nil
	}
	fmt.Fprintf(os.Stderr, "go get %s\n", strings.Join(args, " "))
	var msg bytes.Buffer
	cmd := s.command(append([]string{"get"}, args...)...)
	cmd.Stdout = io.MultiWriter(os.Stderr, &msg)
	cmd.Stderr = cmd.Stdout
	if err := cmd.Run(); err != nil {
		text := strings.TrimSpace(msg.String())
		if text == "" {
			text = err.Error()
		}
		for _, spec := range missing {
			g.diag(s.fset.Position(spec.Pos()), fmt.Sprintf(
				"cannot add the module that provides %s: go get failed (check the import path, GOPROXY and GOFLAGS, or pin a version with a comment such as // v1.2.3):\n%s",
				spec.Path.Value, text))
		}
		return g.failure()
	}
	// The build list changed: what failed to load may load now.
	for p, e := range s.exports {
		if e.err != "" {
			delete(s.exports, p)
		}
	}
	s.requires++
	s.ensureExports(paths)
	return nil
}

// versionComment returns "@version" when the line of an import carries a comment that
// names a version, else "".
func (g *cellGen) versionComment(spec *ast.ImportSpec) string {
	// The comment is not in the checked text: read it from the cell.
	end := g.cellOffset(g.offset(spec.End()))
	if end < 0 || end > len(g.src) {
		return ""
	}
	rest := g.src[end:]
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		rest = rest[:i]
	}
	m := versionCommentRE.FindStringSubmatch(strings.TrimSpace(rest))
	if m == nil {
		return ""
	}
	return "@" + strings.TrimPrefix(m[1], "@")
}
