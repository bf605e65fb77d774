package livemd

import (
	"fmt"
	"strings"
)

// The scanner splits lines into the blocks that matter to the .livemd format: # and
// ## headings, fenced blocks, HTML comments (Livebook annotations among them) and runs
// of other text. Whether a line starts a block depends on that line alone, except
// inside fences and comments, so scanning a Markdown cell's source on its own finds
// the same blocks as scanning it inside the notebook; the writer relies on that.

// blockKind classifies a block.
type blockKind uint8

const (
	kindText    blockKind = iota // other Markdown: paragraphs, lists, HTML, ### headings
	kindTitle                    // # heading
	kindSection                  // ## heading
	kindFence                    // fenced block
	kindComment                  // HTML comment on lines of its own
	kindAnnot                    // <!-- livebook:{...} --> annotation
)

// fence describes the opening line of a fenced block.
type fence struct {
	indent int    // columns of indentation
	char   byte   // '`' or '~'
	n      int    // length of the fence run
	info   string // info string, trimmed
}

// block is one block of the input.
type block struct {
	kind   blockKind
	start  int    // first line, 0-based
	end    int    // one past the last line
	order  int    // index in scan order; blocks with consecutive orders are adjacent
	name   string // heading text
	fence  fence
	code   string   // fence content
	closed bool     // for fences and comments: whether the closing line was found
	inner  string   // comment text without <!-- and -->, normalized
	raw    string   // annotation JSON as written
	meta   Metadata // annotation object
	forced bool     // fence marked Markdown by {"force_markdown":true}
	cmt    bool     // a text block that is an unclosed or impure HTML comment
}

// isBlank reports whether line holds only spaces and tabs.
func isBlank(line string) bool {
	return strings.Trim(line, " \t") == ""
}

// lineIndent returns the indentation width of line (a tab advances to the next
// multiple of four) and the rest of the line.
func lineIndent(line string) (int, string) {
	w := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return w, line[i:]
		}
	}
	return w, ""
}

// atxHeading parses an ATX heading line.
func atxHeading(line string) (level int, text string, ok bool) {
	ind, rest := lineIndent(line)
	if ind >= 4 {
		return 0, "", false
	}
	n := 0
	for n < len(rest) && rest[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n < len(rest) && rest[n] != ' ' && rest[n] != '\t' {
		return 0, "", false
	}
	return n, strings.Trim(rest[n:], " \t"), true
}

// openFence parses the opening line of a fenced block.
func openFence(line string) (fence, bool) {
	ind, rest := lineIndent(line)
	if ind >= 4 || len(rest) < 3 || rest[0] != '`' && rest[0] != '~' {
		return fence{}, false
	}
	ch := rest[0]
	n := 0
	for n < len(rest) && rest[n] == ch {
		n++
	}
	if n < 3 {
		return fence{}, false
	}
	info := strings.Trim(rest[n:], " \t")
	if ch == '`' && strings.IndexByte(info, '`') >= 0 {
		return fence{}, false
	}
	return fence{indent: ind, char: ch, n: n, info: info}, true
}

// closesFence reports whether line closes the fenced block f.
func closesFence(line string, f fence) bool {
	ind, rest := lineIndent(line)
	if ind >= 4 {
		return false
	}
	n := 0
	for n < len(rest) && rest[n] == f.char {
		n++
	}
	return n >= f.n && isBlank(rest[n:])
}

// opensComment reports whether line starts an HTML comment block.
func opensComment(line string) bool {
	ind, rest := lineIndent(line)
	return ind < 4 && strings.HasPrefix(rest, "<!--")
}

// startsBlock reports whether line starts a block other than text.
func startsBlock(line string) bool {
	if level, _, ok := atxHeading(line); ok && level <= 2 {
		return true
	}
	if _, ok := openFence(line); ok {
		return true
	}
	return opensComment(line)
}

// normalizeComment trims a comment's text as Livebook does: a one-line comment loses
// surrounding whitespace, a longer one its leading and trailing blank lines.
func normalizeComment(inner string) string {
	lines := strings.Split(inner, "\n")
	for len(lines) > 0 && isBlank(lines[0]) {
		lines = lines[1:]
	}
	for len(lines) > 0 && isBlank(lines[len(lines)-1]) {
		lines = lines[:len(lines)-1]
	}
	if len(lines) <= 1 {
		return strings.Trim(strings.Join(lines, ""), " \t")
	}
	return strings.Join(lines, "\n")
}

// scanner holds the lines being scanned and collects warnings.
type scanner struct {
	lines []string
	warns []Warning
	heads []int // lines holding ATX headings, of any level, outside fences and comments
}

// warn records a warning about the 0-based line.
func (s *scanner) warn(line int, format string, args ...any) {
	s.warns = append(s.warns, Warning{Line: line + 1, Msg: fmt.Sprintf(format, args...)})
}

// scan splits s.lines into blocks.
func (s *scanner) scan() []block {
	var bs []block
	lines := s.lines
	for i := 0; i < len(lines); {
		line := lines[i]
		if isBlank(line) {
			i++
			continue
		}
		var b block
		if level, text, ok := atxHeading(line); ok && level <= 2 {
			s.heads = append(s.heads, i)
			b = block{kind: kindTitle, start: i, end: i + 1, name: text}
			if level == 2 {
				b.kind = kindSection
			}
		} else if f, ok := openFence(line); ok {
			b = s.scanFence(i, f)
		} else if opensComment(line) {
			b = s.scanComment(i)
		} else {
			b = block{kind: kindText, start: i, end: i}
			for b.end < len(lines) && !isBlank(lines[b.end]) && (b.end == i || !startsBlock(lines[b.end])) {
				if _, _, ok := atxHeading(lines[b.end]); ok {
					s.heads = append(s.heads, b.end)
				}
				b.end++
			}
		}
		b.order = len(bs)
		bs = append(bs, b)
		i = b.end
	}
	return bs
}

// scanFence scans the fenced block opened on line i.
func (s *scanner) scanFence(i int, f fence) block {
	b := block{kind: kindFence, start: i, fence: f}
	j := i + 1
	for j < len(s.lines) && !closesFence(s.lines[j], f) {
		j++
	}
	if j < len(s.lines) {
		b.closed, b.end = true, j+1
	} else {
		b.end = j
		s.warn(i, "the fenced block opened here is never closed; it runs to the end of the notebook")
	}
	b.code = strings.Join(s.lines[i+1:j], "\n")
	return b
}

// scanComment scans the HTML comment opened on line i.
func (s *scanner) scanComment(i int) block {
	_, first := lineIndent(s.lines[i])
	from := 4 // skip "<!--"
	for j := i; j < len(s.lines); j++ {
		line := s.lines[j]
		if j == i {
			line = first
		} else {
			from = 0
		}
		k := strings.Index(line[from:], "-->")
		if k < 0 {
			continue
		}
		k += from
		b := block{start: i, end: j + 1, closed: true}
		if !isBlank(line[k+3:]) {
			// Text after the comment: an HTML block, Markdown to us.
			b.kind, b.cmt = kindText, true
			return b
		}
		text := strings.Join(append([]string{first}, s.lines[i+1:j+1]...), "\n")
		b.inner = normalizeComment(text[4 : len(text)-len(line)+k])
		b.kind = kindComment
		if raw, ok := strings.CutPrefix(b.inner, "livebook:"); ok && !strings.Contains(raw, "\n") {
			m, err := decodeMetadata(raw)
			if err != nil {
				s.warn(i, "invalid livebook metadata JSON (%v); kept as an ordinary comment", err)
				return b
			}
			b.kind, b.raw, b.meta = kindAnnot, raw, m
		}
		return b
	}
	s.warn(i, "the HTML comment opened here is never closed; it runs to the end of the notebook")
	return block{kind: kindText, start: i, end: len(s.lines), cmt: true}
}
