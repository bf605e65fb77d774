package livemd

import (
	"maps"
	"strings"
)

const (
	breakAnnotation  = `<!-- livebook:{"break_markdown":true} -->`
	forceAnnotation  = `<!-- livebook:{"force_markdown":true} -->`
	outputAnnotation = `<!-- livebook:{"output":true} -->`
)

// Format writes n as a .livemd notebook, the way Livebook exports one: blocks separated
// by one blank line, metadata as <!-- livebook:{...} --> with sorted keys, a fence
// longer than any run of backticks in the code, {"break_markdown":true} between
// consecutive Markdown cells and {"force_markdown":true} before code-language blocks
// inside Markdown cells, then the stamp footer.
//
// Markdown sources are written as they are, except that a # or ## heading line in a
// Markdown cell is escaped (\#), since it would start a notebook or section, and that a
// fence or comment left open is closed when more of the notebook follows it.
// Outputs are written whenever a cell has them (Livebook writes them only when the
// notebook has "persist_outputs"). Code and smart cells must have a code language (see
// IsCodeLanguage), and setup cells must form a setup cell as Parse would find it,
// for the notebook to read back the same.
func Format(n *Notebook) []byte {
	w := &writer{}
	for _, c := range n.LeadingComments {
		w.part(comment(c))
	}
	if n.Metadata != nil {
		w.part(annotation(n.Metadata))
	}
	w.part("# " + oneLine(n.Name))
	w.cells(n.Setup)
	for _, s := range n.Sections {
		if s.Metadata != nil {
			w.part(annotation(s.Metadata))
		}
		w.part("## " + oneLine(s.Name))
		w.cells(s.Cells)
	}
	if n.Stamp != nil {
		w.close()
	}
	out := strings.Join(w.parts, "\n\n") + "\n"
	if n.Stamp != nil {
		out += "\n" + annotation(n.Stamp) + "\n"
	}
	return []byte(out)
}

// MarshalText returns Format(n).
func (n *Notebook) MarshalText() ([]byte, error) {
	return Format(n), nil
}

// writer collects the blocks of a notebook.
type writer struct {
	parts  []string
	closer string // closes a fence or comment the last Markdown part left open
}

// part appends a block.
func (w *writer) part(s string) {
	w.close()
	w.parts = append(w.parts, s)
}

// close closes what the last Markdown part left open.
func (w *writer) close() {
	if w.closer != "" {
		w.parts[len(w.parts)-1] += w.closer
		w.closer = ""
	}
}

// cells writes a list of cells.
func (w *writer) cells(cells []*Cell) {
	var prev *Cell
	for _, c := range cells {
		if c.Kind == Markdown {
			w.markdown(c, prev)
		} else {
			w.code(c)
		}
		prev = c
	}
}

// markdown writes a Markdown cell that follows prev (nil at the start of a section).
func (w *writer) markdown(c, prev *Cell) {
	src, closer, output := renderMarkdown(c.Source)
	// A Markdown cell needs a break annotation to start it when nothing else would:
	// after another Markdown cell, when it is empty, or when it starts with what
	// would read as an output of the code cell before it.
	brk := src == "" || prev != nil && (prev.Kind == Markdown || output)
	if c.Metadata != nil {
		// Metadata starts the cell, unless it is {"output":true} after a code cell,
		// which would read as an output marker.
		w.part(annotation(c.Metadata))
		brk = src == "" || prev != nil && prev.Kind != Markdown && classify(c.Metadata) == annotOutput
	}
	if brk {
		w.part(breakAnnotation)
	}
	if src != "" {
		w.part(src)
		w.closer = closer
	}
}

// code writes a code or smart cell with its outputs.
func (w *writer) code(c *Cell) {
	if c.Kind == Smart {
		m := maps.Clone(c.Metadata)
		if m == nil {
			m = Metadata{}
		}
		m["livebook_object"] = "smart_cell"
		w.part(annotation(m))
	} else if c.Metadata != nil {
		w.part(annotation(c.Metadata))
	}
	w.part(fenced(c.Language, c.Source))
	for _, o := range c.Outputs {
		w.part(outputAnnotation)
		w.part(fenced(o.Info, o.Text))
	}
}

// renderMarkdown prepares a Markdown source for writing. It returns the text, what
// closes a fence or comment left open at its end, and whether it starts with what
// would read as an output of a preceding code cell.
func renderMarkdown(src string) (text, closer string, output bool) {
	src = trimMarkdown(src)
	if src == "" {
		return "", "", false
	}
	lines := strings.Split(src, "\n")
	sc := &scanner{lines: lines}
	bs := sc.scan()
	force := map[int]bool{}
	for _, b := range bs {
		switch {
		case b.kind == kindTitle || b.kind == kindSection:
			_, rest := lineIndent(lines[b.start])
			lines[b.start] = lines[b.start][:len(lines[b.start])-len(rest)] + `\` + rest
		case b.kind == kindFence && b.fence.indent == 0 && IsCodeLanguage(b.fence.info):
			force[b.start] = true
		}
	}
	if last := bs[len(bs)-1]; last.kind == kindFence && !last.closed {
		closer = "\n" + strings.Repeat(" ", last.fence.indent) + strings.Repeat(string(last.fence.char), last.fence.n)
	} else if last.kind == kindText && last.cmt && !last.closed {
		closer = "\n-->"
	}
	first := bs[0]
	output = first.kind == kindFence && first.fence.indent == 0 && first.fence.info == "output" ||
		first.kind == kindAnnot && classify(first.meta) == annotOutput
	if len(force) == 0 {
		return strings.Join(lines, "\n"), closer, output
	}
	var out []string
	for i, line := range lines {
		if force[i] {
			for len(out) > 0 && isBlank(out[len(out)-1]) {
				out = out[:len(out)-1]
			}
			if len(out) > 0 {
				out = append(out, "")
			}
			out = append(out, forceAnnotation, "")
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n"), closer, output
}

// fenced writes a fenced block, with a fence longer than any run of three or more
// fence characters in text (backticks, or tildes when info holds a backtick).
func fenced(info, text string) string {
	info = oneLine(info)
	ch := byte('`')
	if strings.IndexByte(info, '`') >= 0 {
		ch = '~'
	}
	longest, run := 2, 0
	for i := 0; i < len(text); i++ {
		if text[i] == ch {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	delim := strings.Repeat(string(ch), longest+1)
	return delim + info + "\n" + text + "\n" + delim
}

// annotation writes m as a <!-- livebook:{...} --> comment.
func annotation(m Metadata) string {
	return "<!-- livebook:" + encodeJSON(m) + " -->"
}

// comment writes an HTML comment holding text.
func comment(text string) string {
	text = strings.ReplaceAll(text, "-->", "-- >")
	if strings.Contains(text, "\n") {
		return "<!--\n" + text + "\n-->"
	}
	return "<!-- " + text + " -->"
}

// oneLine makes s fit on a heading or info-string line.
func oneLine(s string) string {
	return strings.Trim(strings.ReplaceAll(s, "\n", " "), " \t")
}
