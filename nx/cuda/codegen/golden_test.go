package codegen

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestGolden compares the generated plans and sources with testdata/<family>.cu.
func TestGolden(t *testing.T) {
	files := map[string]*strings.Builder{}
	var order []string
	for _, c := range cases() {
		if !c.golden {
			continue
		}
		p, err := Generate(graphOf(t, c.fn, c.args))
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		b := files[c.family]
		if b == nil {
			b = &strings.Builder{}
			files[c.family] = b
			order = append(order, c.family)
		}
		b.WriteString("/* ==== " + c.name + " ====\n" + p.Graph.String() + "-- plan\n" + p.String() + "*/\n")
		b.WriteString(p.Source)
		b.WriteString("\n")
	}
	for _, fam := range order {
		path := filepath.Join("testdata", fam+".cu")
		got := files[fam].String()
		if *update {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if string(want) != got {
			t.Errorf("%s differs from the generated code; run go test -run TestGolden -update and review the diff", path)
		}
	}
}

// TestDeterministic generates every case twice.
func TestDeterministic(t *testing.T) {
	for _, c := range cases() {
		g := graphOf(t, c.fn, c.args)
		a, err := Generate(g)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		b, _ := Generate(g)
		if a.Source != b.Source || a.String() != b.String() {
			t.Errorf("%s: two generations differ", c)
		}
	}
}
