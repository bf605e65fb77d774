package livemd

import (
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Parse reads a .livemd notebook.
//
// Parse never fails outright, as Livebook's import does not: it always returns a
// usable notebook. When the input is malformed (bad metadata JSON, an unterminated
// fence or comment, metadata with nothing to attach to, several # titles, ...) it also
// returns a *ParseError that lists each problem with its line and what Parse did about
// it. Callers that want strict parsing treat any error as failure; callers that open
// files as Livebook does show the warnings and keep the notebook.
//
// Line endings may be \n, \r\n or \r; a leading byte-order mark is ignored.
func Parse(data []byte) (*Notebook, error) {
	p := &parser{}
	n := p.parse(splitLines(data))
	if len(p.warns) == 0 {
		return n, nil
	}
	slices.SortStableFunc(p.warns, func(a, b Warning) int { return a.Line - b.Line })
	return n, &ParseError{Warnings: p.warns}
}

// UnmarshalText parses text into n, replacing its contents; see Parse.
func (n *Notebook) UnmarshalText(text []byte) error {
	m, err := Parse(text)
	*n = *m
	return err
}

// splitLines normalizes line endings and splits data into lines.
func splitLines(data []byte) []string {
	s := strings.TrimPrefix(string(data), "\ufeff")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// annotKind classifies a Livebook annotation by its JSON.
type annotKind uint8

const (
	annotMeta   annotKind = iota // metadata of what follows
	annotForce                   // {"force_markdown":true}
	annotBreak                   // {"break_markdown":true}
	annotOutput                  // {"output":true}
	annotSmart                   // a smart cell
	annotInput                   // an input cell, no longer supported by Livebook
	annotStamp                   // the hub stamp
)

func classify(m Metadata) annotKind {
	if len(m) == 1 {
		switch {
		case m["force_markdown"] == true:
			return annotForce
		case m["break_markdown"] == true:
			return annotBreak
		case m["output"] == true:
			return annotOutput
		}
	}
	switch m["livebook_object"] {
	case "smart_cell":
		return annotSmart
	case "cell_input":
		return annotInput
	}
	if _, ok := m["stamp"]; ok {
		return annotStamp
	}
	return annotMeta
}

// isCodeFence reports whether b is a code cell's fence.
func isCodeFence(b block) bool {
	return b.kind == kindFence && b.fence.indent == 0 && !b.forced && IsCodeLanguage(b.fence.info)
}

// isOutputFence reports whether b can hold a persisted output.
func isOutputFence(b block) bool {
	return b.kind == kindFence && b.fence.indent == 0 && !b.forced
}

// itemKind classifies the elements a notebook is built from.
type itemKind uint8

const (
	itemSection itemKind = iota // ## heading
	itemMeta                    // metadata for the next item
	itemSmart                   // smart-cell annotation for the next code block
	itemBreak                   // start of a new Markdown cell
	itemCode                    // code block, with its outputs
	itemText                    // Markdown
	itemNone                    // past the end
)

// item is one element of the notebook: a block with its role.
type item struct {
	kind    itemKind
	b       block
	outputs []Output
}

// parser turns lines into a Notebook, collecting warnings.
type parser struct {
	lines []string
	warns []Warning
}

// warn records a warning about the 0-based line.
func (p *parser) warn(line int, msg string) {
	p.warns = append(p.warns, Warning{Line: line + 1, Msg: msg})
}

// parse builds the notebook: scan the blocks, take the stamp, apply
// {"force_markdown":true}, take the title and what precedes it, classify the rest
// into items, attach metadata and assemble cells and sections.
func (p *parser) parse(lines []string) *Notebook {
	sc := &scanner{lines: lines}
	bs := sc.scan()
	titles, second := 0, 0
	for _, b := range bs {
		if b.kind == kindTitle {
			if titles++; titles == 2 {
				second = b.start
			}
		}
	}
	if titles > 1 {
		// As Livebook does with arbitrary Markdown: no title, every heading one
		// level down, so # headings start sections.
		lines = downgrade(lines, sc.heads)
		sc = &scanner{lines: lines}
		bs = sc.scan()
		p.warn(second, "found several level-1 headings; moved every heading down one level, so the notebook has no title")
	}
	p.lines = lines
	p.warns = append(p.warns, sc.warns...)

	n := &Notebook{}
	bs = p.applyForce(p.dropInputs(bs))
	if k := len(bs) - 1; k >= 0 && bs[k].kind == kindAnnot && classify(bs[k].meta) == annotStamp {
		n.Stamp = bs[k].meta
		bs = bs[:k]
	}
	bs, titled := p.preamble(n, bs)
	its := p.own(p.items(bs))
	p.build(n, its, titled)
	return n
}

// downgrade moves every heading one level down; level 6 becomes bold text.
func downgrade(lines []string, heads []int) []string {
	lines = slices.Clone(lines)
	for _, i := range heads {
		level, text, _ := atxHeading(lines[i])
		switch {
		case level < 6 && text == "":
			lines[i] = strings.Repeat("#", level+1)
		case level < 6:
			lines[i] = strings.Repeat("#", level+1) + " " + text
		case text == "":
			lines[i] = ""
		default:
			lines[i] = "**" + text + "**"
		}
	}
	return lines
}

// dropInputs drops input cells, which Livebook no longer supports.
func (p *parser) dropInputs(bs []block) []block {
	return slices.DeleteFunc(bs, func(b block) bool {
		if b.kind == kindAnnot && classify(b.meta) == annotInput {
			p.warn(b.start, "found an input cell, which Livebook no longer supports (use Kino.Input); dropped")
			return true
		}
		return false
	})
}

// applyForce applies {"force_markdown":true}: the fence after it is Markdown.
func (p *parser) applyForce(bs []block) []block {
	out := make([]block, 0, len(bs))
	for i := 0; i < len(bs); i++ {
		b := bs[i]
		if b.kind != kindAnnot || classify(b.meta) != annotForce {
			out = append(out, b)
			continue
		}
		if i+1 < len(bs) {
			switch next := &bs[i+1]; next.kind {
			case kindFence:
				next.forced = true
				continue
			case kindText, kindComment:
				continue // Markdown anyway
			}
		}
		p.warn(b.start, `{"force_markdown":true} is not followed by a code block; ignored`)
	}
	return out
}

// preamble takes the title, the metadata before it and the leading comments, and
// returns the blocks that follow the title. Content found before the title moves
// after it, as in Livebook.
func (p *parser) preamble(n *Notebook, bs []block) ([]block, bool) {
	h := slices.IndexFunc(bs, func(b block) bool { return b.kind == kindTitle })
	if h < 0 {
		n.Name = DefaultName
		return bs, false
	}
	n.Name = bs[h].name
	k := h
	for k > 0 && (bs[k-1].kind == kindComment || bs[k-1].kind == kindAnnot) {
		k--
	}
	if k > 0 {
		p.warn(bs[h].start, "moved the title to the top of the notebook; the content before it now follows it")
	}
	run := bs[k:h]
	if len(run) > 0 {
		if last := run[len(run)-1]; last.kind == kindAnnot {
			if c := classify(last.meta); c == annotMeta || c == annotOutput {
				n.Metadata = last.meta
				run = run[:len(run)-1]
			}
		}
	}
	for _, b := range run {
		if b.kind == kindAnnot {
			p.warn(b.start, "livebook annotation before the title is not the notebook's metadata; kept as a leading comment")
		}
		n.LeadingComments = append(n.LeadingComments, b.inner)
	}
	return append(slices.Clone(bs[:k]), bs[h+1:]...), true
}

// items classifies blocks and gathers code cells' outputs.
func (p *parser) items(bs []block) []item {
	var its []item
	for i := 0; i < len(bs); i++ {
		b := bs[i]
		it := item{kind: itemText, b: b}
		switch b.kind {
		case kindSection:
			it.kind = itemSection
		case kindAnnot:
			switch classify(b.meta) {
			case annotBreak:
				it.kind = itemBreak
			case annotSmart:
				it.kind = itemSmart
			case annotStamp:
				p.warn(b.start, "notebook stamp is not at the end of the notebook; kept as metadata of what follows")
				it.kind = itemMeta
			default:
				it.kind = itemMeta
			}
		case kindFence:
			if isCodeFence(b) {
				it.kind = itemCode
				it.outputs, i = takeOutputs(bs, i)
			}
		}
		its = append(its, it)
	}
	return its
}

// takeOutputs collects the outputs after the code block bs[i] and returns them with
// the index of the last block they use.
func takeOutputs(bs []block, i int) ([]Output, int) {
	var outs []Output
	for j := i + 1; j < len(bs); {
		b := bs[j]
		switch {
		case isOutputFence(b) && b.fence.info == "output":
			// ```output: how Livebook marked text outputs before annotations.
			outs = append(outs, Output{Text: b.code})
			j++
		case b.kind == kindAnnot && classify(b.meta) == annotOutput && j+1 < len(bs) && isOutputFence(bs[j+1]):
			outs = append(outs, Output{Info: bs[j+1].fence.info, Text: bs[j+1].code})
			j += 2
		default:
			return outs, j - 1
		}
	}
	return outs, len(bs) - 1
}

// own checks that metadata and smart-cell annotations have something to apply to,
// from the end backwards as Livebook does; the others become Markdown.
func (p *parser) own(its []item) []item {
	for i := len(its) - 1; i >= 0; i-- {
		next := itemNone
		if i+1 < len(its) {
			next = its[i+1].kind
		}
		switch its[i].kind {
		case itemMeta:
			if next == itemSection || next == itemBreak || next == itemCode || next == itemText {
				continue
			}
			p.warn(its[i].b.start, "livebook metadata is not followed by a section or cell to apply to; kept as Markdown")
		case itemSmart:
			if next == itemCode {
				continue
			}
			p.warn(its[i].b.start, "smart cell annotation is not followed by its code block; kept as Markdown")
		default:
			continue
		}
		its[i].kind = itemText
	}
	return its
}

// build assembles the notebook from its items.
func (p *parser) build(n *Notebook, its []item, titled bool) {
	var (
		zone     []*Cell
		sections []*Section
		starts   []int // first line of each section
		cells    = &zone
		pending  Metadata
		smart    Metadata
		md       *Cell
		mdBlocks []block
	)
	flush := func() {
		if md != nil {
			md.Source = p.markdown(mdBlocks)
			md, mdBlocks = nil, nil
		}
	}
	for _, it := range its {
		if it.kind != itemText {
			flush()
		}
		switch it.kind {
		case itemSection:
			s := &Section{Name: it.b.name, Metadata: pending}
			sections, starts = append(sections, s), append(starts, it.b.start)
			cells, pending = &s.Cells, nil
		case itemMeta:
			pending = it.b.meta
		case itemSmart:
			smart = maps.Clone(it.b.meta)
			delete(smart, "livebook_object")
		case itemBreak:
			md = &Cell{Kind: Markdown, Metadata: pending}
			*cells, pending = append(*cells, md), nil
		case itemCode:
			c := &Cell{Kind: Code, Language: it.b.fence.info, Source: it.b.code, Metadata: pending, Outputs: it.outputs}
			if smart != nil {
				c.Kind, c.Metadata = Smart, smart
			}
			*cells, pending, smart = append(*cells, c), nil, nil
		case itemText:
			if md == nil {
				md = &Cell{Kind: Markdown, Metadata: pending}
				*cells, pending = append(*cells, md), nil
			}
			mdBlocks = append(mdBlocks, it.b)
		}
	}
	flush()
	if titled && isSetup(zone) {
		n.Setup = zone
	} else if len(zone) > 0 {
		sections = append([]*Section{{Name: DefaultSectionName, Cells: zone}}, sections...)
		starts = append([]int{0}, starts...)
	}
	n.Sections = sections
	parents := n.branchParents(len(sections))
	for i, s := range sections {
		if _, ok := s.Metadata["branch_parent_index"]; ok {
			if parents[i] < 0 {
				p.warn(starts[i], "section "+strconv.Quote(s.Name)+": branch_parent_index does not name an earlier, non-branching section; treated as a regular section")
			}
		}
	}
}

// isSetup reports whether the cells before the first section form a setup cell:
// one Elixir or Go code cell, optionally followed by a pyproject.toml cell.
func isSetup(cells []*Cell) bool {
	main := func(c *Cell) bool {
		return c.Kind == Code && (c.Language == LangElixir || c.Language == LangGo)
	}
	switch len(cells) {
	case 1:
		return main(cells[0])
	case 2:
		return main(cells[0]) && cells[1].Kind == Code && cells[1].Language == LangPyproject
	}
	return false
}

// markdown returns the source of a Markdown cell made of blocks: the text as written
// where blocks were adjacent, one blank line where something between them was taken out.
func (p *parser) markdown(bs []block) string {
	var lines []string
	for i, b := range bs {
		if i > 0 {
			if prev := bs[i-1]; b.order == prev.order+1 {
				lines = append(lines, p.lines[prev.end:b.start]...)
			} else {
				lines = append(lines, "")
			}
		}
		lines = append(lines, p.lines[b.start:b.end]...)
	}
	return trimMarkdown(strings.Join(lines, "\n"))
}

// trimMarkdown removes leading blank lines and trailing whitespace.
func trimMarkdown(s string) string {
	s = strings.TrimRight(s, " \t\n")
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || !isBlank(line) {
			break
		}
		s = rest
	}
	if isBlank(s) {
		return ""
	}
	return s
}
