package kernel

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
)

// edit replaces the cell's bytes [start, end) with text.
type edit struct {
	start, end int
	text       string
}

// rewriter collects the edits that turn a cell into its compiled form.
type rewriter struct {
	g     *cellGen
	edits []edit
	pkgs  map[*evalPkg]bool // earlier cells referred to
	names map[string]bool   // names of earlier cells used
	pkgNm map[string][]int  // where imports are used, by name + "\x00" + path
}

// add records an edit of the cell's bytes.
func (r *rewriter) add(start, end int, text string) {
	if start >= 0 && end >= start {
		r.edits = append(r.edits, edit{start, end, text})
	}
}

// at maps a position of the checked text to an offset of the cell, or -1.
func (r *rewriter) at(p token.Pos) int {
	return r.g.cellOffset(r.g.offset(p))
}

// idents rewrites the identifiers in n: names of earlier cells become qualified
// references to their packages, names the cells declare get their exported form.
func (r *rewriter) idents(n ast.Node, info *types.Info, cur *types.Package, svar func(types.Object) bool, env map[types.Object]*binding) {
	ast.Inspect(n, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		obj := info.Uses[id]
		if obj == nil {
			obj = info.Defs[id]
		}
		if obj == nil {
			return true
		}
		if pn, ok := obj.(*types.PkgName); ok {
			key := pn.Name() + "\x00" + pn.Imported().Path()
			r.pkgNm[key] = append(r.pkgNm[key], r.at(id.Pos()))
			return true
		}
		var text string
		switch b := env[obj]; {
		case b != nil:
			text = b.pkg.name + "." + mangle(obj.Name())
			r.pkgs[b.pkg] = true
			r.names[obj.Name()] = true
		case isInit(obj):
		case svar(obj), obj.Pkg() == cur && obj.Parent() == cur.Scope():
			text = mangle(obj.Name())
		case isMember(obj) && obj.Pkg() != nil && obj.Pkg().Path() == modulePath:
			text = mangle(obj.Name())
		}
		if text != "" && text != id.Name {
			if off := r.at(id.Pos()); off >= 0 {
				r.add(off, off+len(id.Name), text)
			}
		}
		return true
	})
}

// uses reports whether the import name of path is used outside the parts of the cell
// the edits delete.
func (r *rewriter) uses(name, path string) bool {
next:
	for _, off := range r.pkgNm[name+"\x00"+path] {
		for _, e := range r.edits {
			if e.text == "" && e.start <= off && off < e.end {
				continue next
			}
		}
		return true
	}
	return false
}

// isInit reports whether obj is an init function.
func isInit(obj types.Object) bool {
	fn, ok := obj.(*types.Func)
	return ok && fn.Name() == "init" && fn.Signature().Recv() == nil
}

// hideFields records the edits that keep encoding/json from seeing the fields that
// the compiled form exports: each field of a struct type declaration whose names are
// all unexported gets the tag json:"-". (Only the fields of declared types: the types
// of anonymous structs must stay as the variables' declarations write them.)
func (r *rewriter) hideFields(d ast.Decl) {
	gd, ok := d.(*ast.GenDecl)
	if !ok || gd.Tok != token.TYPE {
		return
	}
	for _, spec := range gd.Specs {
		st, ok := spec.(*ast.TypeSpec).Type.(*ast.StructType)
		if !ok {
			continue
		}
	fields:
		for _, f := range st.Fields.List {
			if len(f.Names) == 0 {
				continue
			}
			for _, id := range f.Names {
				if id.IsExported() || id.Name == "_" {
					continue fields
				}
			}
			if f.Tag == nil {
				off := r.at(f.Type.End())
				r.add(off, off, " `json:\"-\"`")
				continue
			}
			tag, err := strconv.Unquote(f.Tag.Value)
			if err != nil {
				continue
			}
			start, end := r.at(f.Tag.Pos()), r.at(f.Tag.End())
			r.add(start, end, strconv.Quote(hideJSON(tag)))
		}
	}
}

// hideJSON returns a struct tag with json:"-" in place of its json key, or added.
func hideJSON(tag string) string {
	var keys []string
	found := false
	for rest := strings.TrimSpace(tag); rest != ""; rest = strings.TrimSpace(rest) {
		i := strings.IndexByte(rest, ':')
		if i <= 0 || i+1 >= len(rest) || rest[i+1] != '"' {
			return tag + ` json:"-"`
		}
		j := i + 2
		for j < len(rest) && rest[j] != '"' {
			if rest[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(rest) {
			return tag + ` json:"-"`
		}
		if rest[:i] == "json" {
			keys = append(keys, `json:"-"`)
			found = true
		} else {
			keys = append(keys, rest[:j+1])
		}
		rest = rest[j+1:]
	}
	if !found {
		keys = append(keys, `json:"-"`)
	}
	return strings.Join(keys, " ")
}

// isMember reports whether obj is a struct field or a method.
func isMember(obj types.Object) bool {
	switch obj := obj.(type) {
	case *types.Var:
		return obj.IsField()
	case *types.Func:
		return obj.Signature().Recv() != nil
	}
	return false
}

// statements records the edits that turn the top-level statements into code that
// assigns the package-level variables and sets the cell's result.
func (r *rewriter) statements(c *stmtCheck) {
	for _, st := range c.run.Body.List {
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				off := r.at(st.TokPos)
				r.add(off, off+2, "=")
			}
		case *ast.DeclStmt:
			gd, ok := st.Decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			if !gd.Lparen.IsValid() {
				if vs := gd.Specs[0].(*ast.ValueSpec); len(vs.Values) == 0 {
					r.add(r.at(gd.Pos()), r.at(gd.End()), "")
					continue
				}
				r.add(r.at(gd.Pos()), r.at(gd.Specs[0].Pos()), "")
			} else {
				r.add(r.at(gd.Pos()), r.at(gd.Lparen)+1, "")
				r.add(r.at(gd.Rparen), r.at(gd.Rparen)+1, "")
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				switch {
				case len(vs.Values) == 0:
					r.add(r.at(vs.Pos()), r.at(vs.End()), "")
				case vs.Type != nil:
					r.add(r.at(vs.Names[len(vs.Names)-1].End()), r.at(vs.Type.End()), "")
				}
			}
		}
	}
	if c.last != nil {
		start, end := r.at(c.last.X.Pos()), r.at(c.last.X.End())
		r.add(start, start, mark+"V, "+mark+"OK = any(")
		r.add(end, end, "), true")
	}
}

// apply returns the cell's bytes [start, end) with the edits in that range applied;
// after each edit a /*line*/ comment restores the cell's columns.
func (r *rewriter) apply(start, end int) string {
	var b strings.Builder
	pos := start
	for _, e := range r.edits {
		if e.start < pos || e.end > end {
			continue
		}
		b.WriteString(r.g.src[pos:e.start])
		b.WriteString(e.text)
		line, col := r.g.lines.pos(e.end)
		fmt.Fprintf(&b, "/*line :%d:%d*/", line, col)
		pos = e.end
	}
	b.WriteString(r.g.src[pos:end])
	return b.String()
}

// assemble writes the compiled form of the cell.
func (g *cellGen) assemble(ep *evalPkg, f *ast.File, c1 *stmtCheck, c2 *declCheck) (*generated, *Failure) {
	r := &rewriter{g: g, pkgs: map[*evalPkg]bool{}, names: map[string]bool{}, pkgNm: map[string][]int{}}
	r.statements(c1)
	r.idents(c1.run.Body, c1.info, c1.pkg, func(o types.Object) bool { _, ok := c1.sdef[asVar(o)]; return ok }, c1.env)
	for _, d := range c2.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT || g.offset(d.Pos()) >= c2.varsAt {
			continue
		}
		r.idents(d, c2.info, c2.pkg, func(types.Object) bool { return false }, c2.env)
		r.hideFields(d)
	}
	// Imports: those of the cell that nothing uses become blank imports (and stay
	// available to later cells); automatic ones that nothing uses are dropped.
	explicit := map[string]string{}
	for _, spec := range f.Imports {
		pn, _ := c1.info.Implicits[spec].(*types.PkgName)
		if spec.Name != nil {
			pn, _ = c1.info.Defs[spec.Name].(*types.PkgName)
		}
		off := r.at(spec.Pos())
		if off < 0 || pn == nil || spec.Name != nil && (spec.Name.Name == "_" || spec.Name.Name == ".") {
			continue
		}
		// Remembered for later cells even when this one does not use it (a setup
		// cell that only imports).
		explicit[pn.Name()] = pn.Imported().Path()
		if r.uses(pn.Name(), pn.Imported().Path()) {
			continue
		}
		if spec.Name != nil {
			r.add(off, off+len(spec.Name.Name), "_")
		} else {
			r.add(off, off, "_ ")
		}
	}
	// In order; at the same place, insertions first, then longer edits (a deletion
	// drops the edits inside it).
	sort.SliceStable(r.edits, func(i, j int) bool {
		a, b := r.edits[i], r.edits[j]
		if a.start != b.start {
			return a.start < b.start
		}
		la, lb := a.end-a.start, b.end-b.start
		if (la == 0) != (lb == 0) {
			return la == 0
		}
		return la > lb
	})
	for p := range c2.final.used {
		r.pkgs[p] = true
	}

	var b strings.Builder
	fmt.Fprintf(&b, "// Code generated by the gonx kernel from cell %q. DO NOT EDIT.\n\npackage %s\n\n", ep.cell, ep.name)
	var imports []string
	for _, name := range sortedKeys(g.autos) {
		if r.uses(name, g.autos[name]) {
			imports = append(imports, fmt.Sprintf("%s %q", name, g.autos[name]))
		}
	}
	var used []*evalPkg
	for p := range r.pkgs {
		used = append(used, p)
	}
	sort.Slice(used, func(i, j int) bool { return used[i].seq < used[j].seq })
	for _, p := range used {
		imports = append(imports, fmt.Sprintf("%s %q", p.name, p.path))
	}
	for _, path := range c2.final.order {
		imports = append(imports, fmt.Sprintf("%s %q", c2.final.paths[path], path))
	}
	if len(imports) > 0 {
		fmt.Fprintf(&b, "import (\n\t%s\n)\n\n", strings.Join(imports, "\n\t"))
	}
	items := func(kind itemKind) {
		for _, it := range g.items {
			if it.kind == kind {
				g.directive(&b, it.start)
				b.WriteString(r.apply(it.start, it.end))
				b.WriteString("\n")
			}
		}
	}
	reset := func() {
		fmt.Fprintf(&b, "//line %s/kernel.go:%d\n", ep.name, strings.Count(b.String(), "\n")+2)
	}
	items(itemImport)
	reset()
	for _, v := range c1.svars {
		fmt.Fprintf(&b, "var %s %s\n", mangle(v.Name()), c2.types[v])
	}
	items(itemDecl)
	reset()
	fmt.Fprintf(&b, "func %sRun() (%sV any, %sOK bool) {\n", mark, mark, mark)
	items(itemStmt)
	reset()
	b.WriteString("\treturn\n}\n")

	out := &generated{
		pkg:     ep,
		file:    b.String(),
		imports: explicit,
		bind:    map[string]types.Object{},
		main: fmt.Sprintf("// Code generated by the gonx kernel. DO NOT EDIT.\n\npackage main\n\nimport cell %q\n%s\n// Run evaluates the cell.\nvar Run = cell.%sRun\n",
			ep.path, g.s.gpuImport(c2.pkg), mark),
	}
	ep.types = c2.pkg
	for name := range c1.decls {
		if obj := c2.pkg.Scope().Lookup(name); obj != nil && obj.Pkg() == c2.pkg {
			out.bind[name] = obj
		}
	}
	for _, v := range c1.svars {
		if obj := c2.pkg.Scope().Lookup(v.Name()); obj != nil && obj.Pkg() == c2.pkg {
			out.bind[v.Name()] = obj
		}
	}
	out.defined = sortedKeys(out.bind)
	out.used = sortedKeys(r.names)
	return out, nil
}

// asVar returns obj as a *types.Var, or nil.
func asVar(obj types.Object) *types.Var {
	v, _ := obj.(*types.Var)
	return v
}
