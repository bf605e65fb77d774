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
// statements stay in order in a function's body; its imports and declarations are
// moved before and after the function, and blanks left where they were; the
// unexported fields and methods of earlier cells' types get the mark that compiled
// code spells them with. ViewOffset and CellOffset map offsets between the two.
type View struct {
	// Text is the Go file.
	Text string

	n      int    // the length of the cell's text as the view holds it
	bodyAt int    // where the cell's text starts in Text
	moved  []move // the items moved out of the body
	orig   int    // the cell's length
	ins    []int  // where mark was put before members of cells' types, in the cell
}

// move records an item of the cell placed at offset at of the view.
type move struct {
	start, end, at int
}

// NewView lays out a cell's source as a file of package ViewPackage, in sc's scratch
// module. It accepts any text: what does not parse stays where it was.
func NewView(sc *Scope, cell string) *View {
	// Members of earlier cells' types are spelled as compiled code spells them.
	src, ins := mangleSelectors(cell, sc.Members)
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

	v := &View{n: len(src), orig: len(cell), ins: ins}
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
	off = max(0, min(off, v.orig))
	shift := 0
	for _, p := range v.ins {
		if p >= off {
			break
		}
		shift += len(mark)
	}
	off += shift
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
	m := -1
	if off >= v.bodyAt && off <= v.bodyAt+v.n {
		m = off - v.bodyAt
	} else {
		for _, mv := range v.moved {
			if mv.at <= off && off <= mv.at+mv.end-mv.start {
				m = mv.start + off - mv.at
				break
			}
		}
	}
	if m < 0 {
		return -1
	}
	// Undo the marks: the i-th sits at ins[i] + i*len(mark) of the view's text.
	for i, p := range v.ins {
		at := p + i*len(mark)
		switch {
		case m <= at:
			return m - i*len(mark)
		case m < at+len(mark):
			return p
		}
	}
	return m - len(v.ins)*len(mark)
}

// mangleSelectors puts mark before the names in src that follow a period and are in
// members, and returns the new text and the offsets in src where marks went.
func mangleSelectors(src string, members []string) (string, []int) {
	if len(members) == 0 || !strings.Contains(src, ".") {
		return src, nil
	}
	set := map[string]bool{}
	for _, m := range members {
		set[m] = true
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), nil, 0)
	var ins []int
	prev := token.ILLEGAL
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok == token.IDENT && prev == token.PERIOD && set[lit] {
			ins = append(ins, file.Offset(pos))
		}
		prev = tok
	}
	if len(ins) == 0 {
		return src, nil
	}
	var b strings.Builder
	last := 0
	for _, p := range ins {
		b.WriteString(src[last:p])
		b.WriteString(mark)
		last = p
	}
	b.WriteString(src[last:])
	return b.String(), ins
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
