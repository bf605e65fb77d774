package kernel

import (
	"fmt"
	"go/token"
	"go/types"
	"strconv"
	"strings"
)

// speller writes types as Go source, for the package-level variables that hold the
// names a cell's statements define.
//
// In final mode the text is for the compiled cell package: the current cell's types by
// their mangled names, earlier cells' types qualified by their package, other types
// through imports it records. In check mode the text is for the second type check of
// the cell, in which cells keep their own names: the current cell's types by name and
// every other named type through an alias it declares in the check's package.
type speller struct {
	cur   *types.Package              // the cell's package in the first check
	cells map[*types.Package]*evalPkg // earlier cells' checked packages
	check bool                        // check mode
	pkg   *types.Package              // check mode: where aliases are declared
	alias []*types.TypeName           // check mode: the aliases declared
	paths map[string]string           // final mode: import path -> name
	used  map[*evalPkg]bool           // final mode: earlier cells referred to
	order []string                    // final mode: import paths in first-use order
	seen  map[*types.Named]bool       // cycle guard
	err   error
}

// spell returns t as source text, or an error saying why it cannot be written.
func (sp *speller) spell(t types.Type) (string, error) {
	sp.err = nil
	var b strings.Builder
	sp.write(&b, t)
	return b.String(), sp.err
}

func (sp *speller) fail(format string, args ...any) {
	if sp.err == nil {
		sp.err = fmt.Errorf(format, args...)
	}
}

func (sp *speller) write(b *strings.Builder, t types.Type) {
	switch t := t.(type) {
	case *types.Alias:
		sp.write(b, types.Unalias(t))
	case *types.Basic:
		switch {
		case t.Info()&types.IsUntyped != 0 || t.Kind() == types.Invalid:
			sp.fail("%s has no type a variable can have", t)
		case t.Kind() == types.UnsafePointer:
			if sp.check {
				b.WriteString(sp.aliasFor(t))
			} else {
				b.WriteString(sp.importName("unsafe") + ".Pointer")
			}
		default:
			b.WriteString(t.Name())
		}
	case *types.Pointer:
		b.WriteString("*")
		sp.write(b, t.Elem())
	case *types.Slice:
		b.WriteString("[]")
		sp.write(b, t.Elem())
	case *types.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		sp.write(b, t.Elem())
	case *types.Map:
		b.WriteString("map[")
		sp.write(b, t.Key())
		b.WriteString("]")
		sp.write(b, t.Elem())
	case *types.Chan:
		switch t.Dir() {
		case types.SendOnly:
			b.WriteString("chan<- ")
			sp.write(b, t.Elem())
		case types.RecvOnly:
			b.WriteString("<-chan ")
			sp.write(b, t.Elem())
		default:
			b.WriteString("chan ")
			if c, ok := t.Elem().(*types.Chan); ok && c.Dir() == types.RecvOnly {
				b.WriteString("(")
				sp.write(b, t.Elem())
				b.WriteString(")")
			} else {
				sp.write(b, t.Elem())
			}
		}
	case *types.Signature:
		b.WriteString("func")
		sp.signature(b, t)
	case *types.Struct:
		b.WriteString("struct{")
		for i := range t.NumFields() {
			if i > 0 {
				b.WriteString("; ")
			}
			f := t.Field(i)
			if !f.Embedded() {
				b.WriteString(sp.memberName(f))
				b.WriteString(" ")
			}
			sp.write(b, f.Type())
			if tag := t.Tag(i); tag != "" {
				b.WriteString(" " + strconv.Quote(tag))
			}
		}
		b.WriteString("}")
	case *types.Interface:
		b.WriteString("interface{")
		n := 0
		for i := range t.NumEmbeddeds() {
			if n > 0 {
				b.WriteString("; ")
			}
			n++
			sp.write(b, t.EmbeddedType(i))
		}
		for i := range t.NumExplicitMethods() {
			if n > 0 {
				b.WriteString("; ")
			}
			n++
			m := t.ExplicitMethod(i)
			b.WriteString(sp.memberName(m))
			sp.signature(b, m.Signature())
		}
		b.WriteString("}")
	case *types.Named:
		sp.named(b, t)
	case *types.TypeParam:
		sp.fail("type parameter %s", t)
	default:
		sp.fail("type %s", t)
	}
}

// memberName spells the name of a struct field or interface method.
func (sp *speller) memberName(obj types.Object) string {
	name := obj.Name()
	if obj.Exported() {
		return name
	}
	if obj.Pkg() != nil && obj.Pkg().Path() == modulePath {
		if sp.check {
			return name
		}
		return mangle(name)
	}
	sp.fail("unexported member %s of package %s", name, obj.Pkg().Path())
	return name
}

func (sp *speller) signature(b *strings.Builder, s *types.Signature) {
	if s.TypeParams().Len() > 0 {
		sp.fail("generic function type")
		return
	}
	b.WriteString("(")
	for i := range s.Params().Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		t := s.Params().At(i).Type()
		if s.Variadic() && i == s.Params().Len()-1 {
			b.WriteString("...")
			if sl, ok := t.(*types.Slice); ok {
				t = sl.Elem()
			}
		}
		sp.write(b, t)
	}
	b.WriteString(")")
	switch r := s.Results(); r.Len() {
	case 0:
	case 1:
		b.WriteString(" ")
		sp.write(b, r.At(0).Type())
	default:
		b.WriteString(" (")
		for i := range r.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			sp.write(b, r.At(i).Type())
		}
		b.WriteString(")")
	}
}

func (sp *speller) named(b *strings.Builder, t *types.Named) {
	obj := t.Obj()
	if obj.Pkg() == nil { // error, comparable
		b.WriteString(obj.Name())
		return
	}
	if p := obj.Parent(); p != nil && p != obj.Pkg().Scope() {
		sp.fail("%s is declared inside a function", obj.Name())
		return
	}
	if sp.check && obj.Pkg() != sp.cur {
		b.WriteString(sp.aliasFor(t))
		return
	}
	switch ep := sp.cells[obj.Pkg()]; {
	case obj.Pkg() == sp.cur:
		if sp.check {
			b.WriteString(obj.Name())
		} else {
			b.WriteString(mangle(obj.Name()))
		}
	case ep != nil:
		sp.used[ep] = true
		b.WriteString(ep.name + "." + mangle(obj.Name()))
	default:
		path := obj.Pkg().Path()
		if !obj.Exported() || isInternal(path) || path == "main" {
			sp.fail("%s.%s is not exported", path, obj.Name())
			return
		}
		b.WriteString(sp.importName(path) + "." + obj.Name())
	}
	if args := t.TypeArgs(); args.Len() > 0 {
		if sp.seen == nil {
			sp.seen = map[*types.Named]bool{}
		}
		if sp.seen[t] {
			sp.fail("recursive type %s", t)
			return
		}
		sp.seen[t] = true
		defer delete(sp.seen, t)
		b.WriteString("[")
		for i := range args.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			sp.write(b, args.At(i))
		}
		b.WriteString("]")
	}
}

// aliasFor declares (once) an alias for t in the check package and returns its name.
func (sp *speller) aliasFor(t types.Type) string {
	for _, a := range sp.alias {
		if types.Identical(a.Type(), t) {
			return a.Name()
		}
	}
	a := types.NewTypeName(token.NoPos, sp.pkg, mark+"t"+itoa(len(sp.alias)), t)
	sp.alias = append(sp.alias, a)
	return a.Name()
}

// importName returns the name under which the final file imports path.
func (sp *speller) importName(path string) string {
	if name, ok := sp.paths[path]; ok {
		return name
	}
	name := mark + "p" + itoa(len(sp.paths))
	sp.paths[path] = name
	sp.order = append(sp.order, path)
	return name
}

// isInternal reports whether path has an internal element (so it cannot be imported
// from the scratch module) or is vendored.
func isInternal(path string) bool {
	for _, el := range strings.Split(path, "/") {
		if el == "internal" || el == "vendor" {
			return true
		}
	}
	return false
}
