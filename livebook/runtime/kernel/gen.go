package kernel

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
)

// generated is the code made from one cell.
type generated struct {
	pkg     *evalPkg
	file    string                  // the cell package's source
	main    string                  // the plugin's main package
	defined []string                // names the cell binds
	used    []string                // names of earlier cells the cell reads
	imports map[string]string       // the cell's explicit imports, name -> path
	bind    map[string]types.Object // what the names bind, in the cell's checked package
}

// cellGen holds the state of generating one cell.
type cellGen struct {
	s      *Session
	seq    int
	src    string
	fname  string // file name in //line directives
	items  []item
	lines  lineIndex
	autos  map[string]string // automatic imports, name -> path
	placed []placed          // where the items are in the checked text
	text   string            // the checked text (T0)
	runAt  int               // offset of func _ in text
	diags  []Diagnostic
}

// placed records where an item sits in generated text.
type placed struct {
	it item
	at int
}

// lineIndex maps byte offsets of a cell to lines and columns.
type lineIndex []int

func newLineIndex(src string) lineIndex {
	li := lineIndex{0}
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			li = append(li, i+1)
		}
	}
	return li
}

// pos returns the 1-based line and column (in bytes) of offset off.
func (li lineIndex) pos(off int) (int, int) {
	i := sort.Search(len(li), func(i int) bool { return li[i] > off }) - 1
	return i + 1, off - li[i] + 1
}

// evalSeq numbers evaluations across all sessions of the process.
var evalSeq atomic.Int64

// generate turns a cell into Go source for a package that later cells can import.
func (s *Session) generate(cellID, src string) (*generated, *Failure) {
	// Numbers are unique in the process, not just in the session: two sessions
	// in one process (the embedded runtime) must never build plugins of the same
	// package paths, which the plugin loader refuses as "already loaded".
	s.seq = int(evalSeq.Add(1))
	g := &cellGen{
		s:     s,
		seq:   s.seq,
		src:   src,
		fname: "cell" + itoa(s.seq) + ".go",
		items: segment([]byte(src)),
		lines: newLineIndex(src),
	}
	ep := &evalPkg{seq: g.seq, name: pkgName(g.seq), cell: cellID}
	ep.path = modulePath + "/" + ep.name

	// Parse once to find the packages the cell uses without importing them.
	g.build(nil)
	f, fail := g.parse()
	if fail != nil {
		return nil, fail
	}
	if autos := g.autoImports(f); len(autos) > 0 {
		g.build(autos)
		if f, fail = g.parse(); fail != nil {
			return nil, fail
		}
	}
	var paths []string
	for _, spec := range f.Imports {
		if p, err := unquote(spec.Path.Value); err == nil {
			paths = append(paths, p)
		}
	}
	if fail := g.fetchModules(f, paths); fail != nil {
		return nil, fail
	}

	c1, fail := g.checkStatements(f)
	if fail != nil {
		return nil, fail
	}
	c2, fail := g.checkDeclarations(c1)
	if fail != nil {
		return nil, fail
	}
	out, fail := g.assemble(ep, f, c1, c2)
	if fail != nil {
		return nil, fail
	}
	return out, nil
}

// build writes the text that is type-checked: the imports, the declarations, and the
// statements in a function, each item after a //line directive naming its place in
// the cell.
func (g *cellGen) build(autos map[string]string) {
	g.autos = autos
	var b strings.Builder
	b.WriteString("package cells\n\n")
	for _, name := range sortedKeys(autos) {
		fmt.Fprintf(&b, "import %s %q\n", name, autos[name])
	}
	g.placed = g.placed[:0]
	put := func(kind itemKind) {
		for _, it := range g.items {
			if it.kind == kind {
				g.directive(&b, it.start)
				g.placed = append(g.placed, placed{it: it, at: b.Len()})
				b.WriteString(g.src[it.start:it.end])
				b.WriteString("\n")
			}
		}
	}
	put(itemImport)
	put(itemDecl)
	g.runAt = b.Len()
	b.WriteString("func _() {\n")
	put(itemStmt)
	b.WriteString("}\n")
	g.text = b.String()
}

// directive writes a //line directive for offset off of the cell.
func (g *cellGen) directive(b *strings.Builder, off int) {
	line, col := g.lines.pos(off)
	fmt.Fprintf(b, "//line %s:%d:%d\n", g.fname, line, col)
}

// parse parses the checked text.
func (g *cellGen) parse() (*ast.File, *Failure) {
	f, err := parseFile(g.s.fset, g.text)
	if err == nil {
		return f, nil
	}
	if list, ok := err.(scanner.ErrorList); ok {
		for _, e := range list {
			g.diag(e.Pos, e.Msg)
		}
	} else {
		g.diags = append(g.diags, Diagnostic{Message: err.Error()})
	}
	return nil, g.failure()
}

// parseFile parses generated text.
func parseFile(fset *token.FileSet, text string) (*ast.File, error) {
	return parser.ParseFile(fset, "", text, parser.AllErrors|parser.SkipObjectResolution)
}

// checkQualifierRE matches the qualifier the type checker gives earlier cells' names.
var checkQualifierRE = regexp.MustCompile(`\bcells\.`)

// diag records a compile error at a position of the checked text.
func (g *cellGen) diag(p token.Position, msg string) {
	d := Diagnostic{Message: Demangle(checkQualifierRE.ReplaceAllString(msg, ""))}
	if p.Filename == g.fname {
		d.Line, d.Col = p.Line, p.Column
		if n := len(g.lines); d.Line > n {
			d.Line, d.Col = n, 0
		}
	}
	for _, o := range g.diags {
		if o == d {
			return
		}
	}
	g.diags = append(g.diags, d)
}

// failure returns the recorded compile errors as a Failure.
func (g *cellGen) failure() *Failure {
	return compileFailure(g.diags)
}

// compileFailure turns compile errors into a Failure.
func compileFailure(diags []Diagnostic) *Failure {
	f := &Failure{Kind: FailCompile, Diagnostics: diags}
	if len(diags) > 0 {
		f.Line, f.Col = diags[0].Line, diags[0].Col
	}
	var msgs []string
	for _, d := range diags {
		switch {
		case d.Line > 0 && d.Col > 0:
			msgs = append(msgs, fmt.Sprintf("line %d:%d: %s", d.Line, d.Col, d.Message))
		case d.Line > 0:
			msgs = append(msgs, fmt.Sprintf("line %d: %s", d.Line, d.Message))
		default:
			msgs = append(msgs, d.Message)
		}
	}
	f.Message = strings.Join(msgs, "\n")
	if f.Message == "" {
		f.Message = "the cell does not compile"
	}
	return f
}

// cellOffset maps an offset of the checked text to an offset of the cell, or -1.
func (g *cellGen) cellOffset(off int) int {
	i := sort.Search(len(g.placed), func(i int) bool { return g.placed[i].at > off }) - 1
	if i < 0 {
		return -1
	}
	p := g.placed[i]
	if c := p.it.start + off - p.at; c <= p.it.end {
		return c
	}
	return -1
}

// autoImports returns the packages the cell names as pkg.Name without importing or
// declaring pkg: from earlier cells' imports, the standard library and gonx.
func (g *cellGen) autoImports(f *ast.File) map[string]string {
	declared := map[string]bool{}
	for _, spec := range f.Imports {
		declared[importName(spec)] = true
	}
	def := func(ids ...*ast.Ident) {
		for _, id := range ids {
			if id != nil {
				declared[id.Name] = true
			}
		}
	}
	var bases []*ast.Ident
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := n.X.(*ast.Ident); ok {
				bases = append(bases, id)
			}
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, e := range n.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						def(id)
					}
				}
			}
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						def(id)
					}
				}
			}
		case *ast.ValueSpec:
			def(n.Names...)
		case *ast.TypeSpec:
			def(n.Name)
		case *ast.FuncDecl:
			def(n.Name)
		case *ast.Field:
			def(n.Names...)
		case *ast.LabeledStmt:
			def(n.Label)
		}
		return true
	})
	autos := map[string]string{}
	for _, id := range bases {
		name := id.Name
		if declared[name] || g.s.bindings[name] != nil || autos[name] != "" {
			continue
		}
		if p := g.s.imports[name]; p != "" {
			autos[name] = p
		} else if p := g.s.autos[name]; p != "" {
			autos[name] = p
		}
	}
	return autos
}

// importName guesses the name an import declares: its explicit name, or the last
// element of its path without a major-version suffix.
func importName(spec *ast.ImportSpec) string {
	if spec.Name != nil {
		return spec.Name.Name
	}
	p, _ := unquote(spec.Path.Value)
	els := strings.Split(p, "/")
	name := els[len(els)-1]
	if len(els) > 1 && len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
		name = els[len(els)-2]
	}
	if i := strings.IndexAny(name, ".-"); i > 0 {
		name = name[:i]
	}
	return name
}

// unquote returns the text of a Go string literal.
func unquote(lit string) (string, error) {
	if len(lit) >= 2 && (lit[0] == '"' || lit[0] == '`') && lit[len(lit)-1] == lit[0] {
		if lit[0] == '`' {
			return lit[1 : len(lit)-1], nil
		}
		return strconv.Unquote(lit)
	}
	return "", fmt.Errorf("bad string literal %s", lit)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
