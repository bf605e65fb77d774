package livemd

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
)

// Code languages: a fenced block whose info string is exactly one of these is a code
// cell. Livebook knows the last four; gonx adds Go, the only language it runs.
const (
	LangGo        = "go"
	LangElixir    = "elixir"
	LangErlang    = "erlang"
	LangPython    = "python"
	LangPyproject = "pyproject.toml"
)

// DefaultName is the name Parse gives a notebook without a title, as Livebook does.
const DefaultName = "Untitled notebook"

// DefaultSectionName names the section Parse makes for cells that come before the
// first section heading and do not form a setup cell, as Livebook does.
const DefaultSectionName = "Section"

// IsCodeLanguage reports whether a fenced block with the info string lang is a code
// cell rather than part of a Markdown cell.
func IsCodeLanguage(lang string) bool {
	switch lang {
	case LangGo, LangElixir, LangErlang, LangPython, LangPyproject:
		return true
	}
	return false
}

// languageName is the display name of a code language.
func languageName(lang string) string {
	switch lang {
	case LangGo:
		return "Go"
	case LangElixir:
		return "Elixir"
	case LangErlang:
		return "Erlang"
	case LangPython:
		return "Python"
	case "":
		return "Unknown-language"
	}
	return lang
}

// Notebook is a parsed .livemd notebook.
type Notebook struct {
	// Name is the notebook title, the text of its # heading.
	Name string
	// Metadata is the <!-- livebook:{...} --> object just before the title:
	// persist_outputs, autosave_interval_s, default_language, hub_id, app_settings,
	// file_entries and whatever else it holds. Nil when there is none.
	Metadata Metadata
	// LeadingComments are the HTML comments before the title (and its metadata), each
	// the comment's text without the <!-- and --> markers.
	LeadingComments []string
	// Setup holds the setup cell: the code cell between the title and the first
	// section (in Livebook, Mix.install), optionally followed by a pyproject.toml
	// cell. Nil when there is none.
	Setup []*Cell
	// Sections are the notebook's sections in order.
	Sections []*Section
	// Stamp is the hub stamp footer, {"offset":...,"stamp":...}, kept as read (it
	// signs the bytes before it, so it stays valid only if those bytes are unchanged).
	// Nil when there is none.
	Stamp Metadata
}

// Section is a ## section of a notebook.
type Section struct {
	// Name is the section title, the text of its ## heading.
	Name string
	// Metadata is the <!-- livebook:{...} --> object before the heading, such as
	// {"branch_parent_index":0} for a branching section. Nil when there is none.
	Metadata Metadata
	// Cells are the section's cells in order.
	Cells []*Cell
}

// CellKind tells Markdown, code and smart cells apart.
type CellKind int

// Cell kinds.
const (
	// Markdown is a Markdown cell.
	Markdown CellKind = iota
	// Code is a code cell: a fenced block in a code language.
	Code
	// Smart is a Livebook smart cell: a code block generated from the attributes in
	// its <!-- livebook:{"livebook_object":"smart_cell",...} --> annotation.
	Smart
)

// String returns "markdown", "code" or "smart".
func (k CellKind) String() string {
	switch k {
	case Markdown:
		return "markdown"
	case Code:
		return "code"
	case Smart:
		return "smart"
	}
	return fmt.Sprintf("CellKind(%d)", int(k))
}

// Cell is one cell of a notebook.
type Cell struct {
	// Kind is Markdown, Code or Smart.
	Kind CellKind
	// Language is the code language of a code or smart cell (LangGo, LangElixir, ...);
	// empty for Markdown cells.
	Language string
	// Source is the cell's text: Markdown for Markdown cells, code otherwise.
	Source string
	// Metadata is the <!-- livebook:{...} --> object before the cell, such as
	// {"reevaluate_automatically":true}. For a smart cell it is the smart-cell object
	// (attrs, chunks, kind, ...) without its "livebook_object" key. Nil when there is
	// none.
	Metadata Metadata
	// Outputs are the outputs persisted after a code or smart cell.
	Outputs []Output
}

// Output is a persisted cell output: a fenced block after a code cell, marked by
// <!-- livebook:{"output":true} -->.
type Output struct {
	// Info is the fence's info string: empty for text output, otherwise the kind of
	// data Livebook exported (for example "vega-lite").
	Info string
	// Text is the content of the fenced block.
	Text string
}

// Runnable reports whether gonx can run the cell: a code cell in Go.
func (c *Cell) Runnable() bool {
	return c.Kind == Code && c.Language == LangGo
}

// ReadOnlyReason returns why the notebook server shows the cell read-only, as a label
// for the user, or "" for Markdown cells and cells gonx runs.
func (c *Cell) ReadOnlyReason() string {
	switch {
	case c.Kind == Markdown || c.Runnable():
		return ""
	case c.Kind == Smart:
		if kind := c.SmartKind(); kind != "" {
			return fmt.Sprintf("Livebook smart cell (%s): needs Livebook's Elixir runtime; gonx shows it read-only", kind)
		}
		return "Livebook smart cell: needs Livebook's Elixir runtime; gonx shows it read-only"
	}
	return languageName(c.Language) + " cell: gonx runs Go cells only; shown read-only"
}

// SmartKind returns the kind of a smart cell (its "kind" attribute, such as
// "Kino.SmartCell.SQL"), or "" for other cells.
func (c *Cell) SmartKind() string {
	if c.Kind != Smart {
		return ""
	}
	s, _ := c.Metadata.StringValue("kind")
	return s
}

// SmartAttrs decodes a smart cell's attributes. Livebook stores them as unpadded
// base64 of a JSON object (older files hold the object itself); SmartAttrs accepts
// both.
func (c *Cell) SmartAttrs() (map[string]any, error) {
	if c.Kind != Smart {
		return nil, fmt.Errorf("livemd: smart attributes of a %s cell", c.Kind)
	}
	switch v := c.Metadata["attrs"].(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return v, nil
	case string:
		raw, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(v, "="))
		if err != nil {
			return nil, fmt.Errorf("livemd: smart cell attrs: %w", err)
		}
		var m map[string]any
		d := json.NewDecoder(strings.NewReader(string(raw)))
		d.UseNumber()
		if err := d.Decode(&m); err != nil {
			return nil, fmt.Errorf("livemd: smart cell attrs: %w", err)
		}
		return m, nil
	default:
		return nil, fmt.Errorf("livemd: smart cell attrs: unexpected %T", v)
	}
}

// BranchParentIndex returns the section's "branch_parent_index" metadata as written,
// without checking it against the notebook (see Notebook.BranchParent).
func (s *Section) BranchParentIndex() (int, bool) {
	i, ok := s.Metadata.Int("branch_parent_index")
	if !ok || i < 0 || int64(int(i)) != i {
		return 0, false
	}
	return int(i), true
}

// SetBranchParent makes the section a branch of the section at index parent; a
// negative parent makes it a regular section again.
func (s *Section) SetBranchParent(parent int) {
	if parent < 0 {
		delete(s.Metadata, "branch_parent_index")
		if len(s.Metadata) == 0 {
			s.Metadata = nil
		}
		return
	}
	if s.Metadata == nil {
		s.Metadata = Metadata{}
	}
	s.Metadata["branch_parent_index"] = json.Number(fmt.Sprint(parent))
}

// BranchParent returns the index of the section that section i branches from, with
// Livebook's rules: the parent must come earlier and must not itself be a branch.
// It returns false for regular sections and for invalid parents.
func (n *Notebook) BranchParent(i int) (int, bool) {
	if i < 0 || i >= len(n.Sections) {
		return 0, false
	}
	p := n.branchParents(i + 1)[i]
	return max(p, 0), p >= 0
}

// branchParents returns the valid parent of each of the first k sections, or -1.
func (n *Notebook) branchParents(k int) []int {
	parents := make([]int, k)
	for j := range parents {
		parents[j] = -1
		if p, ok := n.Sections[j].BranchParentIndex(); ok && p < j && parents[p] < 0 {
			parents[j] = p
		}
	}
	return parents
}

// New returns an empty notebook named name.
func New(name string) *Notebook {
	return &Notebook{Name: name}
}

// AddSection appends a section named name and returns it.
func (n *Notebook) AddSection(name string) *Section {
	s := &Section{Name: name}
	n.Sections = append(n.Sections, s)
	return s
}

// AddMarkdown appends a Markdown cell and returns it.
func (s *Section) AddMarkdown(source string) *Cell {
	c := &Cell{Kind: Markdown, Source: source}
	s.Cells = append(s.Cells, c)
	return c
}

// AddCode appends a code cell in language (LangGo, ...) and returns it.
func (s *Section) AddCode(language, source string) *Cell {
	c := &Cell{Kind: Code, Language: language, Source: source}
	s.Cells = append(s.Cells, c)
	return c
}
