package kernel

import (
	"go/types"
	"maps"
	"sort"
)

// Scope is what the next cell sees: the scratch module, the packages it may name
// without importing them, and the names earlier cells bound. Editors use it to give a
// cell's text the context it is compiled in (see NewView).
type Scope struct {
	// Dir is the scratch module's directory.
	Dir string `json:"dir"`
	// Env holds the variables the kernel sets for its go commands (GOWORK,
	// CGO_ENABLED, ...), on top of the environment it was given.
	Env []string `json:"env,omitempty"`
	// Imports maps package names to the paths that cells imported, and Autos those
	// imported automatically (common standard packages and gonx modules).
	Imports map[string]string `json:"imports,omitempty"`
	Autos   map[string]string `json:"autos,omitempty"`
	// Bindings are the names earlier cells bound, sorted by name.
	Bindings []Binding `json:"bindings,omitempty"`
	// Members are the unexported field and method names of the types that cells
	// declared, which compiled code spells with Ξ (see Demangle), sorted.
	Members []string `json:"members,omitempty"`
	// Modules counts the changes of the scratch module's requirements (go get).
	Modules int `json:"modules,omitempty"`
}

// Binding is a name an earlier cell bound.
type Binding struct {
	Name string `json:"name"`
	// Kind is "var", "const", "type" or "func".
	Kind string `json:"kind"`
	// Pkg is the path of the package of the evaluation that bound it.
	Pkg string `json:"pkg"`
	// Generic reports a generic type or function.
	Generic bool `json:"generic,omitempty"`
}

// Scope returns what the next cell sees.
func (s *Session) Scope() *Scope {
	sc := &Scope{
		Dir:     s.cfg.Dir,
		Env:     s.goEnv,
		Imports: maps.Clone(s.imports),
		Autos:   maps.Clone(s.autos),
		Modules: s.requires,
	}
	for name, b := range s.bindings {
		bd := Binding{Name: name, Pkg: b.pkg.path}
		switch o := b.obj.(type) {
		case *types.Var:
			bd.Kind = "var"
		case *types.Const:
			bd.Kind = "const"
		case *types.TypeName:
			bd.Kind = "type"
			if n, ok := o.Type().(*types.Named); ok && n.TypeParams().Len() > 0 {
				bd.Generic = true
			}
		case *types.Func:
			bd.Kind = "func"
			if sig, ok := o.Type().(*types.Signature); ok && sig.TypeParams().Len() > 0 {
				bd.Generic = true
			}
		default:
			continue
		}
		sc.Bindings = append(sc.Bindings, bd)
	}
	sort.Slice(sc.Bindings, func(i, j int) bool { return sc.Bindings[i].Name < sc.Bindings[j].Name })
	members := map[string]bool{}
	for _, b := range s.bindings {
		switch o := b.obj.(type) {
		case *types.TypeName, *types.Var:
			cellMembers(o.Type(), members, 0)
		}
	}
	sc.Members = sortedKeys(members)
	return sc
}

// cellMembers adds to set the unexported fields and methods of t, a type that cells
// declared, or a struct or pointer type made of such types.
func cellMembers(t types.Type, set map[string]bool, depth int) {
	if depth > 4 {
		return
	}
	switch t := t.(type) {
	case *types.Named:
		if pkg := t.Obj().Pkg(); pkg == nil || pkg.Path() != modulePath {
			return // a type of another package: its names are its own
		}
		for i := 0; i < t.NumMethods(); i++ {
			if m := t.Method(i); !m.Exported() {
				set[m.Name()] = true
			}
		}
		cellMembers(t.Underlying(), set, depth+1)
	case *types.Struct:
		for i := 0; i < t.NumFields(); i++ {
			f := t.Field(i)
			if !f.Exported() && f.Name() != "_" {
				set[f.Name()] = true
			}
			cellMembers(f.Type(), set, depth+1)
		}
	case *types.Pointer:
		cellMembers(t.Elem(), set, depth+1)
	case *types.Slice:
		cellMembers(t.Elem(), set, depth+1)
	case *types.Array:
		cellMembers(t.Elem(), set, depth+1)
	case *types.Map:
		cellMembers(t.Elem(), set, depth+1)
	}
}
