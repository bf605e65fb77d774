package kernel

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

// TestView checks the layout of a cell as a file: moved imports and declarations,
// the bindings of earlier cells, automatic imports, and offsets both ways.
func TestView(t *testing.T) {
	sc := &Scope{
		Imports: map[string]string{"tiny": "example.com/tiny"},
		Autos:   map[string]string{"fmt": "fmt", "strings": "strings", "os": "os"},
		Bindings: []Binding{
			{Name: "answer", Kind: "var", Pkg: "gonxcells/cell0003"},
			{Name: "point", Kind: "type", Pkg: "gonxcells/cell0002"},
			{Name: "limit", Kind: "const", Pkg: "gonxcells/cell0002"},
			{Name: "norm", Kind: "func", Pkg: "gonxcells/cell0004"},
			{Name: "Box", Kind: "type", Pkg: "gonxcells/cell0004", Generic: true},
			{Name: "shadowed", Kind: "var", Pkg: "gonxcells/cell0001"},
		},
	}
	src := "import \"math\"\n\nfunc shadowed() int { return answer }\n\nx := math.Sqrt(2) + float64(limit)\nfmt.Println(strings.ToUpper(\"é\"), tiny.Hello(), x, point{})\nans"
	v := NewView(sc, src)
	for _, want := range []string{
		"package edit\n",
		"import \"math\"\n",
		"import cell0002 \"gonxcells/cell0002\"\n",
		"import cell0003 \"gonxcells/cell0003\"\n",
		"import fmt \"fmt\"\n",
		"import strings \"strings\"\n",
		"import tiny \"example.com/tiny\"\n",
		"var answer = cell0003.Ξanswer\n",
		"type point = cell0002.Ξpoint\n",
		"const limit = cell0002.Ξlimit\n",
		"var norm = cell0004.Ξnorm\n",
		"func shadowed() int { return answer }\n",
	} {
		if !strings.Contains(v.Text, want) {
			t.Errorf("the view lacks %q:\n%s", want, v.Text)
		}
	}
	for _, unwanted := range []string{"import os", "var shadowed", "Box"} {
		if strings.Contains(v.Text, unwanted) {
			t.Errorf("the view has %q:\n%s", unwanted, v.Text)
		}
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "", v.Text, 0); err != nil {
		t.Errorf("the view does not parse: %v\n%s", err, v.Text)
	}
	// Every offset of the cell maps to the same text in the view and back.
	for off := 0; off <= len(src); off++ {
		vo := v.ViewOffset(off)
		if rest := src[off:]; off < len(src) && src[off] != ' ' && !strings.HasPrefix(v.Text[vo:], rest[:1]) {
			t.Fatalf("offset %d (%q) maps to %d (%q)", off, rest[:min(len(rest), 10)], vo, v.Text[vo:min(len(v.Text), vo+10)])
		}
		if back := v.CellOffset(vo); back != off {
			t.Fatalf("offset %d maps to %d and back to %d", off, vo, back)
		}
	}
	if v.CellOffset(0) != -1 {
		t.Errorf("the package clause maps into the cell")
	}
	// Incomplete text still lays out, with the statement in the function.
	v = NewView(sc, "fmt.Pri")
	if !strings.Contains(v.Text, "func _() {\nfmt.Pri\n}") || !strings.Contains(v.Text, "import fmt \"fmt\"") {
		t.Errorf("incomplete cell:\n%s", v.Text)
	}
	v = NewView(sc, "func f(")
	if v.ViewOffset(7) != strings.Index(v.Text, "func f(")+7 {
		t.Errorf("an unfinished declaration is not moved:\n%s", v.Text)
	}
}

// TestViewMembers checks that members of earlier cells' types are spelled with the
// mark, as compiled code spells them, and that offsets still map both ways.
func TestViewMembers(t *testing.T) {
	sc := &Scope{Members: []string{"norm", "x"}}
	src := "v := p.x + p.norm() + q.y\nfunc f(p point) int { return p.x }\nx.x"
	v := NewView(sc, src)
	for _, want := range []string{"v := p.Ξx + p.Ξnorm() + q.y\n", "func f(p point) int { return p.Ξx }", "\nx.Ξx\n"} {
		if !strings.Contains(v.Text, want) {
			t.Errorf("the view lacks %q:\n%s", want, v.Text)
		}
	}
	for off := 0; off <= len(src); off++ {
		vo := v.ViewOffset(off)
		if back := v.CellOffset(vo); back != off {
			t.Fatalf("offset %d maps to %d and back to %d", off, vo, back)
		}
		// A name that got a mark starts after it.
		if off < len(src) && src[off] != ' ' && strings.TrimPrefix(v.Text[vo:], mark)[0] != src[off] {
			t.Fatalf("offset %d (%q) maps to %q", off, src[off], v.Text[vo])
		}
	}
	// Inside a mark is the start of the name.
	at := strings.Index(v.Text, "Ξnorm")
	if got, want := v.CellOffset(at+1), strings.Index(src, "norm"); got != want {
		t.Errorf("inside the mark: %d, want %d", got, want)
	}
	if got, want := v.CellOffset(at+len(mark)+4), strings.Index(src, "norm")+4; got != want {
		t.Errorf("after norm: %d, want %d", got, want)
	}
}
