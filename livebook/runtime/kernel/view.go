package kernel

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// ViewPackage is the directory, in the scratch module, of the package that views
// belong to; ViewFile is the name of a view's file in it.
const (
	ViewPackage = "edit"
	ViewFile    = "view.go"
)

// View is a cell's text laid out as a Go file of the scratch module in which the names
// of earlier cells and the packages a cell may use without importing them resolve as
// they do when the cell runs, for tools that read Go files, such as gopls. The cell's
// statements keep their offsets in a function's body; its imports and declarations
// are moved before and after the function, and blanks left where they were.
type View struct {
	// Text is the Go file.
	Text string

	n      int    // the cell's length
	bodyAt int    // where the cell's text starts in Text
	moved  []move // the items moved out of the body
}

// move records an item of the cell placed at offset at of the view.
type move struct {
	start, end, at int
}

// NewView lays out a cell's source as a file of package ViewPackage, in sc's scratch
// module. It accepts any text: what does not parse stays where it was.
func NewView(sc *Scope, src string) *View {
	items := segment([]byte(src))
	declared := map[string]bool{} // names the cell declares at package level or imports
	var imports, decls []item
	body := []byte(src)
	for _, it := range items {
		switch it.kind {
		case itemImport:
			imports = append(imports, it)
		case itemDecl:
			decls = append(decls, it)
		case itemStmt:
			continue
		}
		for i := it.start; i < it.end; i++ {
			if body[i] != '\n' {
				body[i] = ' '
			}
		}
	}
	for _, name := range declaredNames(src, imports, decls) {
		declared[name] = true
	}
	bound := map[string]bool{}
	for _, b := range sc.Bindings {
		bound[b.Name] = true
	}

	v := &View{n: len(src)}
	var b strings.Builder
	b.WriteString("package " + ViewPackage + "\n\n")
	place := func(it item) {
		v.moved = append(v.moved, move{start: it.start, end: it.end, at: b.Len()})
		b.WriteString(src[it.start:it.end])
		b.WriteString("\n")
	}
	for _, it := range imports {
		place(it)
	}
	// The packages the cell names as pkg.X without importing them.
	pkgs := map[string]string{}
	for _, name := range selectorBases(src) {
		if declared[name] || bound[name] || pkgs[name] != "" {
			continue
		}
		if p := sc.Imports[name]; p != "" {
			pkgs[name] = p
		} else if p := sc.Autos[name]; p != "" {
			pkgs[name] = p
		}
	}
	// The names of earlier cells, as the variables, constants, types and functions
	// of their evaluations' packages.
	var defs strings.Builder
	for _, bd := range sc.Bindings {
		if declared[bd.Name] || pkgs[bd.Name] != "" || bd.Generic && bd.Kind == "type" {
			continue
		}
		pkg := bd.Pkg[strings.LastIndex(bd.Pkg, "/")+1:]
		if _, taken := pkgs[pkg]; !taken && !declared[pkg] {
			pkgs[pkg] = bd.Pkg
		}
		ref := pkg + "." + mangle(bd.Name)
		switch bd.Kind {
		case "type":
			fmt.Fprintf(&defs, "type %s = %s\n", bd.Name, ref)
		case "const":
			fmt.Fprintf(&defs, "const %s = %s\n", bd.Name, ref)
		default:
			fmt.Fprintf(&defs, "var %s = %s\n", bd.Name, ref)
		}
	}
	for _, name := range sortedKeys(pkgs) {
		fmt.Fprintf(&b, "import %s %q\n", name, pkgs[name])
	}
	b.WriteString(defs.String())
	b.WriteString("\nfunc _() {\n")
	v.bodyAt = b.Len()
	b.Write(body)
	b.WriteString("\n}\n\n")
	for _, it := range decls {
		place(it)
	}
	v.Text = b.String()
	return v
}

// ViewOffset returns the offset in the view of offset off of the cell.
func (v *View) ViewOffset(off int) int {
	off = max(0, min(off, v.n))
	for _, m := range v.moved {
		if m.start <= off && off <= m.end {
			return m.at + off - m.start
		}
	}
	return v.bodyAt + off
}

// CellOffset returns the offset in the cell of offset off of the view, or -1 when off
// is not in the cell's text.
func (v *View) CellOffset(off int) int {
	if off >= v.bodyAt && off <= v.bodyAt+v.n {
		return off - v.bodyAt
	}
	for _, m := range v.moved {
		if m.at <= off && off <= m.at+m.end-m.start {
			return m.start + off - m.at
		}
	}
	return -1
}

// declaredNames returns the names that the cell's imports and package-level
// declarations declare.
func declaredNames(src string, imports, decls []item) []string {
	var b strings.Builder
	b.WriteString("package p\n")
	for _, its := range [][]item{imports, decls} {
		for _, it := range its {
			b.WriteString(src[it.start:it.end])
			b.WriteString("\n")
		}
	}
	f, _ := parser.ParseFile(token.NewFileSet(), "", b.String(), parser.SkipObjectResolution)
	if f == nil {
		return nil
	}
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.ImportSpec:
					names = append(names, importName(spec))
				case *ast.TypeSpec:
					names = append(names, spec.Name.Name)
				case *ast.ValueSpec:
					for _, id := range spec.Names {
						names = append(names, id.Name)
					}
				}
			}
		}
	}
	return names
}

// selectorBases returns the identifiers that src follows by a period, in order, and
// not after a period themselves: the x of x.y, not the y of x.y.z.
func selectorBases(src string) []string {
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	var names []string
	prev, last := token.ILLEGAL, ""
	lastTok := token.ILLEGAL
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.PERIOD && lastTok == token.IDENT && prev != token.PERIOD {
			names = append(names, last)
		}
		prev, lastTok = lastTok, tok
		if tok == token.IDENT {
			last = lit
		}
	}
	return names
}
