package livemd

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// TestFormatCanonical checks that documents written the way Livebook exports them
// come back byte for byte.
func TestFormatCanonical(t *testing.T) {
	tests := []struct{ name, doc string }{
		{"minimal", "# Notebook\n"},
		{"go notebook", "# Go\n\n```go\nimport \"fmt\"\n```\n\n## Section 1\n\nHello *world*.\n\n```go\nfmt.Println(1)\n```\n"},
		{"livebook acceptance", `# My Notebook

## Section 1

Make sure to install:

* Erlang
* Elixir
* PostgreSQL

$x_{i} + y_{i}$

<!-- livebook:{"continue_on_error":true,"output_size":"wide","reevaluate_automatically":true} -->

` + "```elixir" + `
Enum.to_list(1..10)
` + "```" + `

This is it for this section.

## Section 2

` + "```elixir" + `
IO.gets("length: ")
` + "```" + `

<!-- livebook:{"branch_parent_index":1} -->

## Section 3

<!-- livebook:{"attrs":"eyJ0ZXh0IjoiTXkgdGV4dCJ9","chunks":null,"kind":"text","livebook_object":"smart_cell","output_size":"full"} -->

` + "```elixir" + `
IO.puts("My text")
` + "```" + `

` + "```erlang" + `
lists:seq(1, 10).
` + "```" + `

` + "```python" + `
range(0, 10)
` + "```" + `
`},
		{"leading comments, metadata, outputs, stamp", `<!-- vim: set syntax=markdown: -->

<!--
  Multi
  line
-->

<!-- livebook:{"app_settings":{"access_type":"public","slug":"app"},"persist_outputs":true} -->

# T

` + "```elixir\nMix.install([])\n```" + `

## S

Cell 1

<!-- livebook:{"break_markdown":true} -->

Cell 2

<!-- livebook:{"force_markdown":true} -->

` + "```elixir\n[1, 2, 3]\n```" + `

` + "```elixir\nIO.puts(\"hey\")\n```" + `

<!-- livebook:{"output":true} -->

` + "```\nhey\n```" + `

<!-- livebook:{"offset":58,"stamp":{"token":"XCP.abc","version":2}} -->
`},
		{"backticks in code", "# T\n\n## S\n\n`````elixir\n\"\"\"\n```elixir\nx = 1\n```\n````markdown\n# Heading\n````\n\"\"\"\n`````\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse([]byte(tt.doc))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got := string(Format(n)); got != tt.doc {
				t.Errorf("Format(Parse(doc)) =\n%s\nwant\n%s", got, tt.doc)
			}
		})
	}
}

// TestFormatBuilt checks what Format writes for notebooks built in Go, including
// sources that need escaping, and that they read back the same.
func TestFormatBuilt(t *testing.T) {
	n := New("Built")
	n.Metadata = Metadata{"autosave_interval_s": json.Number("30")}
	s := n.AddSection("Intro")
	s.AddMarkdown("First.")
	s.AddMarkdown("Second, with a fence:\n\n```go\nnot run\n```")
	s.AddCode(LangGo, "x := \"```\"").Metadata = Metadata{"reevaluate_automatically": true}
	s.AddMarkdown("")
	b := n.AddSection("Branch")
	b.SetBranchParent(0)
	b.AddMarkdown("### Kept heading")

	want := `<!-- livebook:{"autosave_interval_s":30} -->

# Built

## Intro

First.

<!-- livebook:{"break_markdown":true} -->

Second, with a fence:

<!-- livebook:{"force_markdown":true} -->

` + "```go\nnot run\n```" + `

<!-- livebook:{"reevaluate_automatically":true} -->

` + "````go\nx := \"```\"\n````" + `

<!-- livebook:{"break_markdown":true} -->

<!-- livebook:{"branch_parent_index":0} -->

## Branch

### Kept heading
`
	got := Format(n)
	if string(got) != want {
		t.Errorf("Format =\n%s\nwant\n%s", got, want)
	}
	back, err := Parse(got)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if !reflect.DeepEqual(back, n) {
		t.Errorf("read back\n%s\nwant\n%s", dump(back), dump(n))
	}
	if p, ok := back.BranchParent(1); !ok || p != 0 {
		t.Errorf("BranchParent(1) = %d, %v; want 0, true", p, ok)
	}
}

func TestFormatRepairs(t *testing.T) {
	tests := []struct {
		name string
		n    *Notebook
		want string
	}{
		{
			name: "h1 and h2 in markdown are escaped",
			n:    &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{md("# one\n## two\n### three")}}}},
			want: "# T\n\n## S\n\n\\# one\n\\## two\n### three\n",
		},
		{
			name: "open fence closed before what follows",
			n: &Notebook{Name: "T", Sections: []*Section{
				{Name: "A", Cells: []*Cell{md("```shell\nls")}},
				{Name: "B"},
			}},
			want: "# T\n\n## A\n\n```shell\nls\n```\n\n## B\n",
		},
		{
			name: "open comment closed before the stamp",
			n: &Notebook{Name: "T", Sections: []*Section{{Name: "A", Cells: []*Cell{md("<!-- note")}}},
				Stamp: Metadata{"offset": json.Number("1"), "stamp": "x"}},
			want: "# T\n\n## A\n\n<!-- note\n-->\n\n<!-- livebook:{\"offset\":1,\"stamp\":\"x\"} -->\n",
		},
		{
			name: "names on one line, comment markers in text",
			n: &Notebook{Name: "A\nB", LeadingComments: []string{"x --> y"},
				Sections: []*Section{{Name: " S ", Metadata: Metadata{"v": "a-->b"}}}},
			want: "<!-- x -- > y -->\n\n# A B\n\n<!-- livebook:{\"v\":\"a--\\u003eb\"} -->\n\n## S\n",
		},
		{
			name: "output info with a backtick",
			n: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				{Kind: Code, Language: LangElixir, Source: "1", Outputs: []Output{{Info: "a`b", Text: "~~~"}}},
			}}}},
			want: "# T\n\n## S\n\n```elixir\n1\n```\n\n<!-- livebook:{\"output\":true} -->\n\n~~~~a`b\n~~~\n~~~~\n",
		},
		{
			name: "smart cell without metadata",
			n: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				{Kind: Smart, Language: LangElixir, Source: "1"},
			}}}},
			want: "# T\n\n## S\n\n<!-- livebook:{\"livebook_object\":\"smart_cell\"} -->\n\n```elixir\n1\n```\n",
		},
		{
			name: "unencodable metadata values become null",
			n:    &Notebook{Name: "T", Metadata: Metadata{"f": func() {}, "ok": true}},
			want: "<!-- livebook:{\"f\":null,\"ok\":true} -->\n\n# T\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Format(tt.n))
			if got != tt.want {
				t.Errorf("Format =\n%q\nwant\n%q", got, tt.want)
			}
			checkRoundTrip(t, []byte(got))
		})
	}
}

func TestMarshalText(t *testing.T) {
	n := New("T")
	n.AddSection("S").AddCode(LangGo, "1")
	b, err := n.MarshalText()
	if err != nil || string(b) != string(Format(n)) {
		t.Errorf("MarshalText = %q, %v", b, err)
	}
}

func TestRunnable(t *testing.T) {
	tests := []struct {
		cell     *Cell
		runnable bool
		reason   string
	}{
		{code(LangGo, "x := 1"), true, ""},
		{md("text"), false, ""},
		{code(LangElixir, "1"), false, "Elixir cell: gonx runs Go cells only"},
		{code(LangErlang, "1."), false, "Erlang cell"},
		{code(LangPython, "1"), false, "Python cell"},
		{code(LangPyproject, ""), false, "pyproject.toml cell"},
		{&Cell{Kind: Smart, Language: LangElixir, Metadata: Metadata{"kind": "Kino.SmartCell.SQL"}}, false, "smart cell (Kino.SmartCell.SQL)"},
		{&Cell{Kind: Smart, Language: LangGo}, false, "Livebook smart cell: needs"},
	}
	for _, tt := range tests {
		if got := tt.cell.Runnable(); got != tt.runnable {
			t.Errorf("%v %q: Runnable() = %v", tt.cell.Kind, tt.cell.Language, got)
		}
		got := tt.cell.ReadOnlyReason()
		if tt.reason == "" && got != "" || !strings.Contains(got, tt.reason) {
			t.Errorf("%v %q: ReadOnlyReason() = %q, want %q", tt.cell.Kind, tt.cell.Language, got, tt.reason)
		}
	}
}

func TestSmartAttrs(t *testing.T) {
	for _, attrs := range []any{"eyJ0ZXh0IjoiTXkgdGV4dCJ9", map[string]any{"text": "My text"}} {
		c := &Cell{Kind: Smart, Metadata: Metadata{"attrs": attrs, "kind": "text"}}
		got, err := c.SmartAttrs()
		if err != nil || !reflect.DeepEqual(got, map[string]any{"text": "My text"}) {
			t.Errorf("SmartAttrs(%v) = %v, %v", attrs, got, err)
		}
		if c.SmartKind() != "text" {
			t.Errorf("SmartKind() = %q", c.SmartKind())
		}
	}
	if _, err := code(LangElixir, "").SmartAttrs(); err == nil {
		t.Error("SmartAttrs of a code cell: no error")
	}
	if _, err := (&Cell{Kind: Smart, Metadata: Metadata{"attrs": "!!"}}).SmartAttrs(); err == nil {
		t.Error("SmartAttrs of bad base64: no error")
	}
}

func TestMetadataAccessors(t *testing.T) {
	m := Metadata{"b": true, "n": json.Number("30"), "f": 2.0, "s": "x", "bad": json.Number("1.5")}
	if !m.Bool("b") || m.Bool("s") {
		t.Error("Bool")
	}
	if v, ok := m.Int("n"); !ok || v != 30 {
		t.Errorf("Int(n) = %d, %v", v, ok)
	}
	if v, ok := m.Int("f"); !ok || v != 2 {
		t.Errorf("Int(f) = %d, %v", v, ok)
	}
	if _, ok := m.Int("bad"); ok {
		t.Error("Int(bad) ok")
	}
	if v, ok := m.StringValue("s"); !ok || v != "x" {
		t.Errorf("StringValue = %q, %v", v, ok)
	}
	var s Section
	s.SetBranchParent(2)
	if p, ok := s.BranchParentIndex(); !ok || p != 2 {
		t.Errorf("BranchParentIndex = %d, %v", p, ok)
	}
	s.SetBranchParent(-1)
	if s.Metadata != nil {
		t.Errorf("metadata after SetBranchParent(-1) = %v", s.Metadata)
	}
}

func TestBranchParent(t *testing.T) {
	sec := func(parent int) *Section {
		s := &Section{}
		if parent >= 0 {
			s.SetBranchParent(parent)
		}
		return s
	}
	n := &Notebook{Sections: []*Section{sec(-1), sec(0), sec(1), sec(3), sec(0)}}
	want := []struct {
		p  int
		ok bool
	}{{0, false}, {0, true}, {0, false}, {0, false}, {0, true}}
	for i, w := range want {
		if p, ok := n.BranchParent(i); p != w.p || ok != w.ok {
			t.Errorf("BranchParent(%d) = %d, %v; want %d, %v", i, p, ok, w.p, w.ok)
		}
	}
	if _, ok := n.BranchParent(9); ok {
		t.Error("BranchParent out of range: ok")
	}
}
