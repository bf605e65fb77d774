package kernel

import (
	"errors"
	"strings"
	"testing"
)

func TestSegment(t *testing.T) {
	src := `package main
import "fmt"
import (
	"strings"
)
type t struct{ a int }
const c = 1
var v = 2
func f() {}
func (x t) m() {}
func() { fmt.Println(strings.ToUpper("a")) }()
func (n int) int { return n }(3); x := 1
if x > 0 {
} else {
}`
	want := []itemKind{itemSkip, itemImport, itemImport, itemDecl, itemDecl, itemStmt, itemDecl, itemDecl, itemStmt, itemStmt, itemStmt, itemStmt}
	items := segment([]byte(src))
	if len(items) != len(want) {
		for _, it := range items {
			t.Logf("%v %q", it.kind, src[it.start:it.end])
		}
		t.Fatalf("%d items, want %d", len(items), len(want))
	}
	for i, it := range items {
		if it.kind != want[i] {
			t.Errorf("item %d %q: kind %v, want %v", i, src[it.start:it.end], it.kind, want[i])
		}
	}
	if last := items[len(items)-1]; src[last.start:last.end] != "if x > 0 {\n} else {\n}" {
		t.Errorf("last item %q", src[last.start:last.end])
	}
}

func TestDemangle(t *testing.T) {
	for in, want := range map[string]string{
		"gonxcells/cell0003.Ξpoint{Ξx:1 Y:2}":           "point{x:1 Y:2}",
		"cannot use cell0012.Ξx (variable of type int)": "cannot use x (variable of type int)",
		"cell0001.Point":          "Point",
		"gonxcells/cell0002.ΞRun": "cell",
		"ΞΕΝΟΣ cells cell42.x":    "ΞΕΝΟΣ cells cell42.x",
		"Ξ_under Ξé":              "_under é",
	} {
		if got := Demangle(in); got != want {
			t.Errorf("Demangle(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"x": "Ξx", "X": "X", "_": "_", "_x": "Ξ_x", "é": "Ξé"} {
		if got := mangle(in); got != want {
			t.Errorf("mangle(%q) = %q, want %q", in, got, want)
		}
	}
}

// newTestSession returns a session whose cells are generated but not built.
func newTestSession(t *testing.T) *Session {
	t.Helper()
	s, err := NewSession(Config{Dir: t.TempDir()})
	if errors.Is(err, ErrUnsupported) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// generate generates a cell and binds its names as if it had run.
func generate(t *testing.T, s *Session, src string) (*generated, *Failure) {
	t.Helper()
	g, fail := s.generate("c", src)
	if fail == nil {
		s.commit(g)
	}
	return g, fail
}

// TestGenerate checks the compiled form of cells: how names of earlier cells are
// referred to, how top-level variables are declared and typed, and that type errors
// point at the cell's lines.
func TestGenerate(t *testing.T) {
	s := newTestSession(t)
	steps := []struct {
		src      string
		contains []string // in the generated file
		line     int      // of the first error; 0 for success
		msg      string
	}{{
		src: "type point struct{ x, y int }\nfunc (p point) sum() int { return p.x + p.y }\np := point{1, 2}\nvar b strings.Builder\nm := map[string][]*strings.Builder{}",
		contains: []string{
			"type Ξpoint/*line :1:11*/ struct{ Ξx/*line :1:21*/, Ξy/*line :1:24*/ int `json:\"-\"`/*line :1:28*/ }",
			"func (p Ξpoint/*line :2:14*/) Ξsum/*line :2:19*/() int { return p.Ξx",
			"var Ξp Ξpoint\n", "var Ξb Ξp0.Builder\n", "var Ξm map[string][]*Ξp0.Builder\n",
			"Ξp0 \"strings\"",
		},
	}, {
		src:      "q := p\nq.x = 3\nout := struct{ n int }{p.sum()}\n_ = out\np",
		contains: []string{"cell0001 \"gonxcells/cell0001\"", "var Ξq cell0001.Ξpoint\n", "Ξq/*line :1:2*/ =/*line :1:5*/ cell0001.Ξp/*line :1:7*/", "var Ξout struct{Ξn int}", "ΞV, ΞOK = any("},
	}, {
		src:      "p := p.sum() + 1 // rebinding reads the earlier p",
		contains: []string{"var Ξp int\n", "Ξp/*line :1:2*/ =/*line :1:5*/ cell0001.Ξp/*line :1:7*/.Ξsum"},
	}, {
		src:      "import \"os\"\nimport m \"math\"\nfunc half(x float64) float64 { return x / 2 }",
		contains: []string{"import _ /*line :1:8*/\"os\"", "import _/*line :2:9*/ \"math\""},
	}, {
		src:      "import str \"strconv\"\ns1 := str.Itoa(1)",
		contains: []string{"import str \"strconv\"", "var Ξs1 string\n"},
	}, {
		src:      "s2 := str.Quote(s1) // str was imported by the cell before",
		contains: []string{"str \"strconv\"", "var Ξs2 string\n"},
	}, {
		src:  "a := 1\nb := a + nope",
		line: 2, msg: "undefined: nope",
	}, {
		src:  "var s string = q.x",
		line: 1, msg: "cannot use q.x (variable of type int) as string value",
	}, {
		src:  "func (p point) twice() int { return 2 * p.sum() }",
		line: 1, msg: "cannot define method twice on point, a type of an earlier cell",
	}, {
		src:  "x := (1",
		line: 1, msg: "expected ')'",
	}}
	for i, st := range steps {
		g, fail := generate(t, s, st.src)
		if st.line != 0 {
			if fail == nil {
				t.Fatalf("step %d: no error, want %q at line %d", i, st.msg, st.line)
			}
			if fail.Kind != FailCompile || fail.Line != st.line || !strings.Contains(fail.Message, st.msg) {
				t.Fatalf("step %d: %s failure at line %d: %q; want line %d, %q", i, fail.Kind, fail.Line, fail.Message, st.line, st.msg)
			}
			continue
		}
		if fail != nil {
			t.Fatalf("step %d: %s", i, fail.Message)
		}
		for _, c := range st.contains {
			if !strings.Contains(g.file, c) {
				t.Errorf("step %d: generated file lacks %q:\n%s", i, c, g.file)
			}
		}
	}
}

func TestHideJSON(t *testing.T) {
	for in, want := range map[string]string{
		``:                           `json:"-"`,
		`json:"label"`:               `json:"-"`,
		`xml:"a" json:"b,omitempty"`: `xml:"a" json:"-"`,
		`yaml:"x\"y"`:                `yaml:"x\"y" json:"-"`,
		`malformed`:                  `malformed json:"-"`,
	} {
		if got := hideJSON(in); got != want {
			t.Errorf("hideJSON(%q) = %q, want %q", in, got, want)
		}
	}
}
