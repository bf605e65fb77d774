package livemd

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// md, code and so on build expected cells.
func md(src string) *Cell         { return &Cell{Kind: Markdown, Source: src} }
func code(lang, src string) *Cell { return &Cell{Kind: Code, Language: lang, Source: src} }

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *Notebook
	}{
		{
			name: "go notebook",
			in: "# Go tour\n\n```go\nimport \"fmt\"\n```\n\n## Basics\n\nSome *markdown*.\n\n" +
				"```go\nfmt.Println(\"hi\")\n```\n\n### A deeper heading\n\nMore text.\n",
			want: &Notebook{
				Name:  "Go tour",
				Setup: []*Cell{code("go", `import "fmt"`)},
				Sections: []*Section{{Name: "Basics", Cells: []*Cell{
					md("Some *markdown*."),
					code("go", `fmt.Println("hi")`),
					md("### A deeper heading\n\nMore text."),
				}}},
			},
		},
		{
			name: "four-backtick fence",
			in:   "# T\n\n## S\n\n````elixir\nx = \"\"\"\n```go\ny\n```\n\"\"\"\n````\n",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				code("elixir", "x = \"\"\"\n```go\ny\n```\n\"\"\""),
			}}}},
		},
		{
			name: "tilde fence and empty code",
			in:   "# T\n\n## S\n\n~~~python\nprint(1)\n~~~\n\n```erlang\n```\n",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				code("python", "print(1)"), code("erlang", ""),
			}}}},
		},
		{
			name: "metadata, known and unknown",
			in: `<!-- livebook:{"autosave_interval_s":30,"persist_outputs":true,"x_custom":{"a":[1,2.5,null]}} -->

# T

<!-- livebook:{"x_section":"kept"} -->

## S

<!-- livebook:{"continue_on_error":true,"reevaluate_automatically":true} -->

` + "```elixir\n1\n```\n\n<!-- livebook:{\"x_md\":1} -->\n\nText.\n",
			want: &Notebook{
				Name: "T",
				Metadata: Metadata{"autosave_interval_s": num("30"), "persist_outputs": true,
					"x_custom": map[string]any{"a": []any{num("1"), num("2.5"), nil}}},
				Sections: []*Section{{Name: "S", Metadata: Metadata{"x_section": "kept"}, Cells: []*Cell{
					{Kind: Code, Language: "elixir", Source: "1",
						Metadata: Metadata{"continue_on_error": true, "reevaluate_automatically": true}},
					{Kind: Markdown, Source: "Text.", Metadata: Metadata{"x_md": num("1")}},
				}}},
			},
		},
		{
			name: "outputs",
			in: "# T\n\n## S\n\n```elixir\nIO.puts(\"hey\")\n```\n\n<!-- livebook:{\"output\":true} -->\n\n```\nhey\n```\n\n" +
				"<!-- livebook:{\"output\":true} -->\n\n```vega-lite\n{}\n```\n\n```output\n:ok\n```\n\nAfter.\n",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				{Kind: Code, Language: "elixir", Source: `IO.puts("hey")`, Outputs: []Output{
					{Text: "hey"}, {Info: "vega-lite", Text: "{}"}, {Text: ":ok"},
				}},
				md("After."),
			}}}},
		},
		{
			name: "setup cell with pyproject",
			in:   "# T\n\n```elixir\nMix.install([:pythonx])\n```\n\n```pyproject.toml\n[project]\n```\n",
			want: &Notebook{Name: "T", Setup: []*Cell{
				code("elixir", "Mix.install([:pythonx])"), code("pyproject.toml", "[project]"),
			}},
		},
		{
			name: "cells before the first section that are not a setup cell",
			in:   "# T\n\nIntro.\n\n```elixir\n1\n```\n\n## S\n",
			want: &Notebook{Name: "T", Sections: []*Section{
				{Name: DefaultSectionName, Cells: []*Cell{md("Intro."), code("elixir", "1")}},
				{Name: "S"},
			}},
		},
		{
			name: "branching section",
			in:   "# T\n\n## Main\n\n```elixir\n1\n```\n\n<!-- livebook:{\"branch_parent_index\":0} -->\n\n## Branch\n\n```elixir\n2\n```\n",
			want: &Notebook{Name: "T", Sections: []*Section{
				{Name: "Main", Cells: []*Cell{code("elixir", "1")}},
				{Name: "Branch", Metadata: Metadata{"branch_parent_index": num("0")}, Cells: []*Cell{code("elixir", "2")}},
			}},
		},
		{
			name: "smart cell",
			in: "# T\n\n## S\n\n<!-- livebook:{\"attrs\":\"eyJ0ZXh0IjoiaGkifQ\",\"chunks\":[[0,5]],\"kind\":\"text\",\"livebook_object\":\"smart_cell\"} -->\n\n" +
				"```elixir\nIO.puts(\"hi\")\n```\n",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				{Kind: Smart, Language: "elixir", Source: `IO.puts("hi")`, Metadata: Metadata{
					"attrs": "eyJ0ZXh0IjoiaGkifQ", "chunks": []any{[]any{num("0"), num("5")}}, "kind": "text"}},
			}}}},
		},
		{
			name: "break and force markdown",
			in: "# T\n\n## S\n\nCell 1\n\n<!-- livebook:{\"break_markdown\":true} -->\n\nCell 2:\n\n" +
				"<!-- livebook:{\"force_markdown\":true} -->\n\n```elixir\n[1, 2, 3]\n```\n\n```shell\nmix deps.get\n```\n",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				md("Cell 1"),
				md("Cell 2:\n\n```elixir\n[1, 2, 3]\n```\n\n```shell\nmix deps.get\n```"),
			}}}},
		},
		{
			name: "html comments that are not metadata",
			in: "<!-- vim: set syntax=markdown: -->\n\n<!--\n  Multi\n  line\n-->\n\n# T\n\n## S\n\nText <!-- inline --> here.\n\n" +
				"<!-- a note -->\n\n<!--\n## not a section\n```elixir\nnot a cell\n```\n-->\n\n<!-- livebook:not json -->\n",
			want: &Notebook{Name: "T", LeadingComments: []string{"vim: set syntax=markdown:", "  Multi\n  line"},
				Sections: []*Section{{Name: "S", Cells: []*Cell{
					md("Text <!-- inline --> here.\n\n<!-- a note -->\n\n<!--\n## not a section\n```elixir\nnot a cell\n```\n-->\n\n<!-- livebook:not json -->"),
				}}}},
		},
		{
			name: "headings inside fences stay code",
			in:   "# T\n\n## S\n\n```bash\n# comment\n## another\n```\n\n    ## indented code\n",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				md("```bash\n# comment\n## another\n```\n\n    ## indented code"),
			}}}},
		},
		{
			name: "stamp",
			in:   "# T\n\n## S\n\n```elixir\n1\n```\n\n<!-- livebook:{\"offset\":42,\"stamp\":{\"token\":\"abc\",\"version\":2}} -->\n",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{code("elixir", "1")}}},
				Stamp: Metadata{"offset": num("42"), "stamp": map[string]any{"token": "abc", "version": num("2")}}},
		},
		{
			name: "no title",
			in:   "Some text.\n\n## S\n",
			want: &Notebook{Name: DefaultName, Sections: []*Section{
				{Name: DefaultSectionName, Cells: []*Cell{md("Some text.")}}, {Name: "S"},
			}},
		},
		{
			name: "empty input",
			in:   "",
			want: &Notebook{Name: DefaultName},
		},
		{
			name: "crlf line endings",
			in:   "# T\r\n\r\n## S\r\n\r\n```go\r\nx := 1\r\n```\r\n",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{code("go", "x := 1")}}}},
		},
		{
			name: "info string with more than a language is markdown",
			in:   "# T\n\n## S\n\n```elixir title\nx\n```\n",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{md("```elixir title\nx\n```")}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in))
			if err != nil && !strings.Contains(tt.name, "html comments") {
				t.Errorf("Parse: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\ngot:\n%s\nwant:\n%s", tt.in, dump(got), dump(tt.want))
			}
			checkRoundTrip(t, []byte(tt.in))
		})
	}
}

func TestParseWarnings(t *testing.T) {
	tests := []struct {
		name string
		in   string
		line int    // line of the first warning
		msg  string // part of its message
		want *Notebook
	}{
		{
			name: "bad metadata JSON",
			in:   "# T\n\n## S\n\n<!-- livebook:{\"persist_outputs\":tru} -->\n\n```go\n1\n```\n",
			line: 5, msg: "invalid livebook metadata JSON",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				md(`<!-- livebook:{"persist_outputs":tru} -->`), code("go", "1"),
			}}}},
		},
		{
			name: "unterminated code fence",
			in:   "# T\n\n## S\n\n```go\nx := 1\n\n## not a section\n",
			line: 5, msg: "never closed",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				code("go", "x := 1\n\n## not a section"),
			}}}},
		},
		{
			name: "unterminated comment",
			in:   "# T\n\n## S\n\n<!-- open\n\n## swallowed\n",
			line: 5, msg: "never closed",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				md("<!-- open\n\n## swallowed"),
			}}}},
		},
		{
			name: "metadata with nothing after it",
			in:   "# T\n\n## S\n\nText.\n\n<!-- livebook:{\"x\":1} -->\n",
			line: 7, msg: "not followed by a section or cell",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				md("Text.\n\n<!-- livebook:{\"x\":1} -->"),
			}}}},
		},
		{
			name: "several titles",
			in:   "# One\n\n## Sub\n\nText.\n\n# Two\n\n###### Tiny\n",
			line: 7, msg: "several level-1 headings",
			want: &Notebook{Name: DefaultName, Sections: []*Section{
				{Name: "One", Cells: []*Cell{md("### Sub\n\nText.")}},
				{Name: "Two", Cells: []*Cell{md("**Tiny**")}},
			}},
		},
		{
			name: "title not first",
			in:   "Intro.\n\n<!-- livebook:{\"persist_outputs\":true} -->\n\n# T\n\nMore.\n",
			line: 5, msg: "moved the title",
			want: &Notebook{Name: "T", Metadata: Metadata{"persist_outputs": true}, Sections: []*Section{
				{Name: DefaultSectionName, Cells: []*Cell{md("Intro.\n\nMore.")}},
			}},
		},
		{
			name: "invalid branch parent",
			in:   "# T\n\n<!-- livebook:{\"branch_parent_index\":3} -->\n\n## S\n",
			line: 5, msg: "branch_parent_index",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Metadata: Metadata{"branch_parent_index": num("3")}}}},
		},
		{
			name: "input cell",
			in:   "# T\n\n## S\n\n<!-- livebook:{\"livebook_object\":\"cell_input\",\"name\":\"x\"} -->\n",
			line: 5, msg: "input cell",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S"}}},
		},
		{
			name: "stamp not at the end",
			in:   "# T\n\n<!-- livebook:{\"offset\":1,\"stamp\":{}} -->\n\n## S\n",
			line: 3, msg: "stamp is not at the end",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Metadata: Metadata{"offset": num("1"), "stamp": map[string]any{}}}}},
		},
		{
			name: "smart cell without code",
			in:   "# T\n\n## S\n\n<!-- livebook:{\"kind\":\"k\",\"livebook_object\":\"smart_cell\"} -->\n\nText.\n",
			line: 5, msg: "smart cell annotation",
			want: &Notebook{Name: "T", Sections: []*Section{{Name: "S", Cells: []*Cell{
				md("<!-- livebook:{\"kind\":\"k\",\"livebook_object\":\"smart_cell\"} -->\n\nText."),
			}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse([]byte(tt.in))
			var pe *ParseError
			if !errors.As(err, &pe) || len(pe.Warnings) == 0 {
				t.Fatalf("Parse: got error %v, want a *ParseError", err)
			}
			if w := pe.Warnings[0]; w.Line != tt.line || !strings.Contains(w.Msg, tt.msg) {
				t.Errorf("first warning = %v, want line %d with %q", w, tt.line, tt.msg)
			}
			if !strings.Contains(err.Error(), "livemd: line ") {
				t.Errorf("error %q does not name a line", err)
			}
			if got == nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\ngot:\n%s\nwant:\n%s", tt.in, dump(got), dump(tt.want))
			}
			checkRoundTrip(t, []byte(tt.in))
		})
	}
}

func TestUnmarshalText(t *testing.T) {
	var n Notebook
	if err := n.UnmarshalText([]byte("# T\n\n## S\n")); err != nil {
		t.Fatal(err)
	}
	if n.Name != "T" || len(n.Sections) != 1 {
		t.Errorf("got %s", dump(&n))
	}
	if err := n.UnmarshalText([]byte("# T\n\n```go\n")); err == nil {
		t.Error("unterminated fence: no error")
	}
}
