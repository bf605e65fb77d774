package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
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
			ins := []uint16{}
			for j, e := range elems[1:] {
				var line string
				if err := json.Unmarshal(e, &line); err != nil || !isJSONString(e) {
					return ChangeSet{}, fmt.Errorf("%w: part %d: line %d is not a string", ErrChangeSet, i, j)
				}
				if j > 0 {
					ins = append(ins, '\n')
				}
				ins = appendUnits(ins, bytes.TrimSpace(e))
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

// appendUnits appends the UTF-16 code units of a valid JSON string literal to
// units. Unlike encoding/json, it keeps lone surrogates (\ud83d), which
// JavaScript strings, and so CodeMirror's changes, may hold.
func appendUnits(units []uint16, lit []byte) []uint16 {
	lit = lit[1 : len(lit)-1]
	for len(lit) > 0 {
		c := lit[0]
		if c != '\\' {
			r, size := utf8.DecodeRune(lit)
			units = utf16.AppendRune(units, r)
			lit = lit[size:]
			continue
		}
		switch lit[1] {
		case 'u':
			var v uint16
			for _, h := range lit[2:6] {
				v <<= 4
				switch {
				case h >= '0' && h <= '9':
					v |= uint16(h - '0')
				case h >= 'a' && h <= 'f':
					v |= uint16(h - 'a' + 10)
				case h >= 'A' && h <= 'F':
					v |= uint16(h - 'A' + 10)
				}
			}
			units = append(units, v)
			lit = lit[6:]
			continue
		case 'b':
			units = append(units, '\b')
		case 'f':
			units = append(units, '\f')
		case 'n':
			units = append(units, '\n')
		case 'r':
			units = append(units, '\r')
		case 't':
			units = append(units, '\t')
		default: // " \\ /
			units = append(units, uint16(lit[1]))
		}
		lit = lit[2:]
	}
	return units
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
// document: its Len must be doc's length in UTF-16 code units. Where changes
// split a character outside the Basic Multilingual Plane (a surrogate pair),
// the text is made as JavaScript makes it, and halves left alone become U+FFFD.
func (cs ChangeSet) Apply(doc string) (string, error) {
	if n, m := cs.Len(), utf16Len(doc); n != m {
		return "", fmt.Errorf("%w: it applies to a text of length %d, not %d", ErrChangeSet, n, m)
	}
	var b strings.Builder
	b.Grow(len(doc) + 16)
	at := 0 // a byte offset in doc
	for _, sec := range cs.sections {
		if sec.ins != nil {
			if n := len(sec.ins); n > 0 && (utf16.IsSurrogate(rune(sec.ins[0])) || utf16.IsSurrogate(rune(sec.ins[n-1]))) {
				return cs.applyUnits(doc), nil
			}
			b.WriteString(string(utf16.Decode(sec.ins)))
		}
		end, units := at, 0
		for units < sec.len {
			r, size := utf8.DecodeRuneInString(doc[end:])
			u := 1
			if r >= 0x10000 {
				u = 2
			}
			if units+u > sec.len {
				return cs.applyUnits(doc), nil // the section ends inside a pair
			}
			end, units = end+size, units+u
		}
		if sec.ins == nil {
			b.WriteString(doc[at:end])
		}
		at = end
	}
	return b.String(), nil
}

// applyUnits applies the change set on the text as UTF-16 code units, as
// JavaScript does; slower than Apply, for changes that split surrogate pairs.
func (cs ChangeSet) applyUnits(doc string) string {
	text := utf16.Encode([]rune(doc))
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
	return string(utf16.Decode(out))
}

// MarshalJSON writes the change set in CodeMirror's JSON form.
func (cs ChangeSet) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	for i, s := range cs.sections {
		if i > 0 {
			b = append(b, ',')
		}
		if s.ins == nil {
			b = strconv.AppendInt(b, int64(s.len), 10)
			continue
		}
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(s.len), 10)
		if len(s.ins) > 0 {
			line := 0
			for k, u := range s.ins {
				if u == '\n' {
					b = appendJSONUnits(append(b, ','), s.ins[line:k])
					line = k + 1
				}
			}
			b = appendJSONUnits(append(b, ','), s.ins[line:])
		}
		b = append(b, ']')
	}
	return append(b, ']'), nil
}

// appendJSONUnits appends UTF-16 code units as a JSON string literal, escaped
// as encoding/json escapes, with lone surrogates as \uXXXX.
func appendJSONUnits(b []byte, units []uint16) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for k := 0; k < len(units); k++ {
		r := rune(units[k])
		if utf16.IsSurrogate(r) {
			if k+1 < len(units) {
				if pair := utf16.DecodeRune(r, rune(units[k+1])); pair != utf8.RuneError {
					b = utf8.AppendRune(b, pair)
					k++
					continue
				}
			}
			b = append(b, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
			continue
		}
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r == '\n':
			b = append(b, '\\', 'n')
		case r == '\r':
			b = append(b, '\\', 'r')
		case r == '\t':
			b = append(b, '\\', 't')
		case r < 0x20 || r == '<' || r == '>' || r == '&' || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
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
