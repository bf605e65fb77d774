package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"unicode/utf16"
)

// ErrChangeSet is the error for a change set that cannot be read, or that does
// not fit the document it is applied to.
var ErrChangeSet = errors.New("invalid change set")

// ChangeSet is a change to a text, in CodeMirror 6's ChangeSet JSON form: an
// array whose elements are either a number, the length of a stretch the change
// keeps, or an array [deleted, line, line, ...], a stretch of that length
// replaced by the lines (joined with "\n"; [n] alone deletes n). Lengths count
// UTF-16 code units, as JavaScript strings do, and the stretches cover the whole
// document they apply to.
//
// The zero ChangeSet changes nothing in an empty document.
type ChangeSet struct {
	sections []section
}

// section is one stretch of a ChangeSet: len units of the old text, kept when
// ins is nil, else replaced by ins (possibly empty).
type section struct {
	len int
	ins []uint16 // nil: kept
}

// maxChangeLen bounds any length in a change set, far beyond any cell.
const maxChangeLen = 1 << 30

// ParseChangeSet reads a change set from its JSON form. It accepts what
// CodeMirror's ChangeSet.fromJSON accepts, except lengths that are not whole
// numbers in [0, 2^30).
func ParseChangeSet(data []byte) (ChangeSet, error) {
	var parts []json.RawMessage
	if err := json.Unmarshal(data, &parts); err != nil {
		return ChangeSet{}, fmt.Errorf("%w: %v", ErrChangeSet, err)
	}
	if parts == nil {
		return ChangeSet{}, fmt.Errorf("%w: not an array", ErrChangeSet)
	}
	cs := ChangeSet{sections: make([]section, 0, len(parts))}
	for i, p := range parts {
		p = bytes.TrimSpace(p)
		if len(p) > 0 && p[0] == '[' {
			var elems []json.RawMessage
			if err := json.Unmarshal(p, &elems); err != nil || len(elems) == 0 {
				return ChangeSet{}, fmt.Errorf("%w: part %d is not [length, text...]", ErrChangeSet, i)
			}
			n, err := parseLen(elems[0])
			if err != nil {
				return ChangeSet{}, fmt.Errorf("%w: part %d: %v", ErrChangeSet, i, err)
			}
			lines := make([]string, len(elems)-1)
			for j, e := range elems[1:] {
				if err := json.Unmarshal(e, &lines[j]); err != nil || !isJSONString(e) {
					return ChangeSet{}, fmt.Errorf("%w: part %d: line %d is not a string", ErrChangeSet, i, j)
				}
			}
			ins := utf16.Encode([]rune(strings.Join(lines, "\n")))
			if ins == nil {
				ins = []uint16{}
			}
			if len(ins) >= maxChangeLen {
				return ChangeSet{}, fmt.Errorf("%w: part %d: insertion too long", ErrChangeSet, i)
			}
			cs.sections = append(cs.sections, section{len: n, ins: ins})
			continue
		}
		n, err := parseLen(p)
		if err != nil {
			return ChangeSet{}, fmt.Errorf("%w: part %d: %v", ErrChangeSet, i, err)
		}
		cs.sections = append(cs.sections, section{len: n})
	}
	if cs.Len() >= maxChangeLen {
		return ChangeSet{}, fmt.Errorf("%w: covers too long a document", ErrChangeSet)
	}
	return cs, nil
}

func isJSONString(raw json.RawMessage) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '"'
}

// parseLen reads a length: a JSON number that is a whole number in range.
func parseLen(raw json.RawMessage) (int, error) {
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, fmt.Errorf("%s is not a length", raw)
	}
	if f < 0 || f >= maxChangeLen || f != math.Trunc(f) {
		return 0, fmt.Errorf("%s is not a length", raw)
	}
	return int(f), nil
}

// Len returns the length, in UTF-16 code units, of the documents the change set
// applies to.
func (cs ChangeSet) Len() int {
	n := 0
	for _, s := range cs.sections {
		n += s.len
	}
	return n
}

// NewLen returns the length of the document the change set produces.
func (cs ChangeSet) NewLen() int {
	n := 0
	for _, s := range cs.sections {
		if s.ins == nil {
			n += s.len
		} else {
			n += len(s.ins)
		}
	}
	return n
}

// Empty reports whether the change set changes nothing.
func (cs ChangeSet) Empty() bool {
	for _, s := range cs.sections {
		if s.ins != nil && (s.len > 0 || len(s.ins) > 0) {
			return false
		}
	}
	return true
}

// Apply returns doc with the changes made. The change set must cover the whole
// document: its Len must be doc's length in UTF-16 code units.
func (cs ChangeSet) Apply(doc string) (string, error) {
	text := utf16.Encode([]rune(doc))
	if n := cs.Len(); n != len(text) {
		return "", fmt.Errorf("%w: it applies to a text of length %d, not %d", ErrChangeSet, n, len(text))
	}
	out := make([]uint16, 0, cs.NewLen())
	pos := 0
	for _, s := range cs.sections {
		if s.ins == nil {
			out = append(out, text[pos:pos+s.len]...)
		} else {
			out = append(out, s.ins...)
		}
		pos += s.len
	}
	return string(utf16.Decode(out)), nil
}

// MarshalJSON writes the change set in CodeMirror's JSON form.
func (cs ChangeSet) MarshalJSON() ([]byte, error) {
	parts := make([]any, 0, len(cs.sections))
	for _, s := range cs.sections {
		if s.ins == nil {
			parts = append(parts, s.len)
			continue
		}
		part := []any{s.len}
		if len(s.ins) > 0 {
			for _, l := range strings.Split(string(utf16.Decode(s.ins)), "\n") {
				part = append(part, l)
			}
		}
		parts = append(parts, part)
	}
	return json.Marshal(parts)
}

// UnmarshalJSON reads the change set from CodeMirror's JSON form.
func (cs *ChangeSet) UnmarshalJSON(data []byte) error {
	c, err := ParseChangeSet(data)
	if err != nil {
		return err
	}
	*cs = c
	return nil
}

// Replacement returns the change set that turns old into new, replacing only
// the stretch between their common prefix and suffix.
func Replacement(old, new string) ChangeSet {
	a, b := utf16.Encode([]rune(old)), utf16.Encode([]rune(new))
	start := 0
	for start < len(a) && start < len(b) && a[start] == b[start] {
		start++
	}
	endA, endB := len(a), len(b)
	for endA > start && endB > start && a[endA-1] == b[endB-1] {
		endA--
		endB--
	}
	var cs ChangeSet
	if start > 0 {
		cs.sections = append(cs.sections, section{len: start})
	}
	if endA > start || endB > start {
		ins := append([]uint16{}, b[start:endB]...)
		cs.sections = append(cs.sections, section{len: endA - start, ins: ins})
	}
	if n := len(a) - endA; n > 0 {
		cs.sections = append(cs.sections, section{len: n})
	}
	return cs
}

// normalizeLines turns "\r\n" and "\r" line breaks into "\n", as CodeMirror's
// editors do with the text they are given.
func normalizeLines(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}
