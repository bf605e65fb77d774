package kernel

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// stmtCheck is the first type check of a cell: its statements in order in a function,
// its declarations without their bodies, against the bindings of earlier cells. It
// resolves every identifier in the statements and gives the types of the variables
// they define.
type stmtCheck struct {
	file    *ast.File
	pkg     *types.Package
	info    *types.Info
	run     *ast.FuncDecl // func _, holding the statements
	env     map[types.Object]*binding
	svars   []*types.Var // variables the statements define at top level, in order
	sdef    map[*types.Var]*ast.Ident
	last    *ast.ExprStmt // the last statement, when its value is the cell's result
	decls   map[string]bool
	imports map[string]bool
}

// declCheck is the second type check: the cell's declarations with their bodies and the
// variables its statements define, at package level. It resolves the identifiers in the
// declarations and is the package later cells see.
type declCheck struct {
	file   *ast.File
	pkg    *types.Package
	info   *types.Info
	env    map[types.Object]*binding
	final  *speller
	types  map[*types.Var]string // the variables' types as the compiled file spells them
	varsAt int                   // offset in the checked text where the variables start
}

func newInfo() *types.Info {
	return &types.Info{
		Types:     map[ast.Expr]types.TypeAndValue{},
		Defs:      map[*ast.Ident]types.Object{},
		Uses:      map[*ast.Ident]types.Object{},
		Implicits: map[ast.Node]types.Object{},
		Scopes:    map[ast.Node]*types.Scope{},
	}
}

// offset returns the offset of p in its file, ignoring //line directives.
func (g *cellGen) offset(p token.Pos) int {
	return g.s.fset.PositionFor(p, false).Offset
}

// check type-checks f as package pkg and returns the errors. A panic in the type
// checker becomes an error too.
func (s *Session) check(pkg *types.Package, f *ast.File, info *types.Info) (errs []types.Error) {
	defer func() {
		if r := recover(); r != nil {
			errs = append(errs, types.Error{Fset: s.fset, Pos: f.Package, Msg: fmt.Sprintf("kernel: type checker failed: %v", r)})
		}
	}()
	conf := types.Config{
		Importer: s.imp,
		Sizes:    s.sizes,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				errs = append(errs, te)
			}
		},
	}
	_ = types.NewChecker(&conf, s.fset, pkg, info).Files([]*ast.File{f})
	return errs
}

// insertEnv declares the names earlier cells bound in scope, except those skip
// reports, and returns the objects declared.
func (s *Session) insertEnv(scope *types.Scope, skip func(string) bool) map[types.Object]*binding {
	env := map[types.Object]*binding{}
	for name, b := range s.bindings {
		if skip(name) {
			continue
		}
		if scope.Insert(b.obj) == nil {
			env[b.obj] = b
		}
	}
	return env
}

// checkStatements runs the first check.
func (g *cellGen) checkStatements(f *ast.File) (*stmtCheck, *Failure) {
	c := &stmtCheck{
		file:    f,
		pkg:     types.NewPackage(modulePath, "cells"),
		info:    newInfo(),
		sdef:    map[*types.Var]*ast.Ident{},
		decls:   map[string]bool{},
		imports: map[string]bool{},
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if g.offset(d.Pos()) == g.runAt {
				c.run = d
				continue
			}
			if d.Recv == nil && d.Name.Name != "_" && d.Name.Name != "init" {
				c.decls[d.Name.Name] = true
			}
			d.Body = nil
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch spec := spec.(type) {
				case *ast.TypeSpec:
					c.decls[spec.Name.Name] = true
				case *ast.ValueSpec:
					for _, id := range spec.Names {
						c.decls[id.Name] = true
					}
				case *ast.ImportSpec:
					c.imports[importName(spec)] = true
				}
			}
		}
	}
	if c.run == nil {
		return nil, compileFailure([]Diagnostic{{Message: "the cell's statements could not be parsed"}})
	}
	// Methods must be declared with their type: Go allows no methods on the types of
	// other packages, and earlier cells are other packages.
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && len(fd.Recv.List) == 1 {
			if base := receiverBase(fd.Recv.List[0].Type); base != nil && !c.decls[base.Name] && g.s.bindings[base.Name] != nil {
				g.diag(g.s.fset.Position(base.Pos()), fmt.Sprintf(
					"cannot define method %s on %s, a type of an earlier cell: declare methods in the cell that declares their type",
					fd.Name.Name, base.Name))
			}
		}
	}
	if len(g.diags) > 0 {
		return nil, g.failure()
	}
	c.env = g.s.insertEnv(c.pkg.Scope(), func(name string) bool { return c.decls[name] || c.imports[name] })
	if n := len(c.run.Body.List); n > 0 {
		c.last, _ = c.run.Body.List[n-1].(*ast.ExprStmt)
	}
	for _, e := range g.s.check(c.pkg, f, c.info) {
		if ignored(e) {
			continue
		}
		if c.last != nil && strings.HasSuffix(e.Msg, " is not used") && e.Pos >= c.last.Pos() && e.Pos < c.last.End() {
			continue
		}
		g.diag(g.s.fset.Position(e.Pos), e.Msg)
	}
	if len(g.diags) > 0 {
		return nil, g.failure()
	}
	scope := c.info.Scopes[c.run.Type]
	for _, st := range c.run.Body.List {
		var ids []*ast.Ident
		switch st := st.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, e := range st.Lhs {
					if id, ok := e.(*ast.Ident); ok {
						ids = append(ids, id)
					}
				}
			}
		case *ast.DeclStmt:
			if gd, ok := st.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
				for _, spec := range gd.Specs {
					ids = append(ids, spec.(*ast.ValueSpec).Names...)
				}
			}
		}
		for _, id := range ids {
			if v, ok := c.info.Defs[id].(*types.Var); ok && v.Parent() == scope && id.Name != "_" {
				c.svars = append(c.svars, v)
				c.sdef[v] = id
			}
		}
	}
	if c.last != nil {
		tv := c.info.Types[c.last.X]
		if _, tuple := tv.Type.(*types.Tuple); tuple || !tv.IsValue() || tv.Type == nil {
			c.last = nil
		}
	}
	return c, nil
}

// checkDeclarations runs the second check.
func (g *cellGen) checkDeclarations(c1 *stmtCheck) (*declCheck, *Failure) {
	c := &declCheck{
		pkg:   types.NewPackage(modulePath, "cells"),
		info:  newInfo(),
		types: map[*types.Var]string{},
	}
	chk := &speller{cur: c1.pkg, cells: g.s.pkgs, check: true, pkg: c.pkg}
	c.final = &speller{cur: c1.pkg, cells: g.s.pkgs, paths: map[string]string{}, used: map[*evalPkg]bool{}}
	var vars strings.Builder
	svars := map[string]bool{}
	for _, v := range c1.svars {
		svars[v.Name()] = true
		checked, err := chk.spell(v.Type())
		var final string
		if err == nil {
			final, err = c.final.spell(v.Type())
		}
		if err != nil {
			g.diag(g.s.fset.Position(c1.sdef[v].Pos()), fmt.Sprintf(
				"cannot keep %s for later cells: its type %s cannot be written outside its package (%v); declare it with a type that can be, as in var %s T = ...",
				v.Name(), types.TypeString(v.Type(), shortQualifier), err, v.Name()))
			continue
		}
		fmt.Fprintf(&vars, "var %s %s\n", v.Name(), checked)
		c.types[v] = final
	}
	if len(g.diags) > 0 {
		return nil, g.failure()
	}
	text := g.text[:g.runAt] + "//line kernel.go:1\n"
	c.varsAt = len(text)
	text += vars.String()
	f, err := parseFile(g.s.fset, text)
	if err != nil {
		return nil, compileFailure([]Diagnostic{{Message: "kernel: " + err.Error()}})
	}
	c.file = f
	for _, a := range chk.alias {
		c.pkg.Scope().Insert(a)
	}
	c.env = g.s.insertEnv(c.pkg.Scope(), func(name string) bool {
		return c1.decls[name] || c1.imports[name] || svars[name]
	})
	for _, e := range g.s.check(c.pkg, f, c.info) {
		if !ignored(e) {
			g.diag(g.s.fset.Position(e.Pos), e.Msg)
		}
	}
	if len(g.diags) > 0 {
		return nil, g.failure()
	}
	return c, nil
}

// receiverBase returns the name of a receiver's base type: T in T, *T, T[P], *T[P].
func receiverBase(e ast.Expr) *ast.Ident {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.Ident:
			return x
		default:
			return nil
		}
	}
}

// ignored reports whether a type error is left to the compiler: unused variables and
// imports (the compiled form uses the variables a cell defines, and imports nothing
// needlessly), and positional literals of other cells' structs, whose fields the
// compiled form exports.
func ignored(e types.Error) bool {
	return e.Soft || strings.HasPrefix(e.Msg, "implicit assignment to unexported field ")
}

// shortQualifier writes packages by name in messages.
func shortQualifier(p *types.Package) string {
	if p.Path() == modulePath {
		return ""
	}
	return p.Name()
}
