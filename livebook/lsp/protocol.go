package lsp

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Position is a place in a text document: a 0-based line and a 0-based character
// offset in the line, counted in UTF-16 code units (the protocol's default).
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// Range is the part of a document from Start up to End.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// TextEdit replaces Range with NewText.
type TextEdit struct {
	Range   Range  `json:"range"`
	NewText string `json:"newText"`
}

// Markup is documentation text: Markdown when Kind is "markdown", plain otherwise.
// It decodes from a MarkupContent object, a plain string, or a MarkedString.
type Markup struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// UnmarshalJSON accepts a string, {kind, value} or {language, value}.
func (m *Markup) UnmarshalJSON(data []byte) error {
	var s string
	if json.Unmarshal(data, &s) == nil {
		*m = Markup{Kind: "plaintext", Value: s}
		return nil
	}
	var obj struct {
		Kind     string `json:"kind"`
		Language string `json:"language"`
		Value    string `json:"value"`
	}
	if err := json.Unmarshal(data, &obj); err != nil {
		return fmt.Errorf("lsp: markup: %w", err)
	}
	if obj.Language != "" {
		*m = Markup{Kind: "markdown", Value: "```" + obj.Language + "\n" + obj.Value + "\n```"}
		return nil
	}
	*m = Markup{Kind: obj.Kind, Value: obj.Value}
	return nil
}

// CompletionItem is one completion a server offers.
type CompletionItem struct {
	Label  string `json:"label"`
	Kind   int    `json:"kind,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Documentation is nil when the server sent none.
	Documentation *Markup `json:"documentation,omitempty"`
	SortText      string  `json:"sortText,omitempty"`
	FilterText    string  `json:"filterText,omitempty"`
	InsertText    string  `json:"insertText,omitempty"`
	// TextEdit, when set, is the edit that applies the completion (an
	// InsertReplaceEdit decodes to its insert range).
	TextEdit *TextEdit `json:"textEdit,omitempty"`
}

// UnmarshalJSON decodes an item, taking the insert range of an InsertReplaceEdit.
func (c *CompletionItem) UnmarshalJSON(data []byte) error {
	type plain CompletionItem
	var raw struct {
		plain
		TextEdit json.RawMessage `json:"textEdit"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*c = CompletionItem(raw.plain)
	if len(raw.TextEdit) == 0 || string(raw.TextEdit) == "null" {
		return nil
	}
	var e struct {
		NewText string `json:"newText"`
		Range   *Range `json:"range"`
		Insert  *Range `json:"insert"`
	}
	if err := json.Unmarshal(raw.TextEdit, &e); err != nil {
		return fmt.Errorf("lsp: completion text edit: %w", err)
	}
	switch {
	case e.Range != nil:
		c.TextEdit = &TextEdit{Range: *e.Range, NewText: e.NewText}
	case e.Insert != nil:
		c.TextEdit = &TextEdit{Range: *e.Insert, NewText: e.NewText}
	}
	return nil
}

// Completion item kinds of the protocol (CompletionItemKind), those Go servers use.
const (
	KindText          = 1
	KindMethod        = 2
	KindFunction      = 3
	KindConstructor   = 4
	KindField         = 5
	KindVariable      = 6
	KindClass         = 7
	KindInterface     = 8
	KindModule        = 9
	KindProperty      = 10
	KindUnit          = 11
	KindValue         = 12
	KindEnum          = 13
	KindKeyword       = 14
	KindSnippet       = 15
	KindColor         = 16
	KindFile          = 17
	KindReference     = 18
	KindFolder        = 19
	KindEnumMember    = 20
	KindConstant      = 21
	KindStruct        = 22
	KindEvent         = 23
	KindOperator      = 24
	KindTypeParameter = 25
)

// CompletionList is the answer to a completion request.
type CompletionList struct {
	IsIncomplete bool             `json:"isIncomplete"`
	Items        []CompletionItem `json:"items"`
}

// UnmarshalJSON accepts a CompletionList, a bare array of items, or null.
func (l *CompletionList) UnmarshalJSON(data []byte) error {
	var items []CompletionItem
	if err := json.Unmarshal(data, &items); err == nil {
		*l = CompletionList{Items: items}
		return nil
	}
	type plain CompletionList
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return fmt.Errorf("lsp: completion list: %w", err)
	}
	*l = CompletionList(p)
	return nil
}

// Hover is the answer to a hover request.
type Hover struct {
	Contents Markup `json:"contents"`
	// Range is the part of the document the hover is about; nil when not given.
	Range *Range `json:"range,omitempty"`
}

// SignatureHelp is the answer to a signature help request.
type SignatureHelp struct {
	Signatures      []Signature `json:"signatures"`
	ActiveSignature int         `json:"activeSignature"`
	ActiveParameter int         `json:"activeParameter"`
}

// Signature is one signature of a callable.
type Signature struct {
	Label         string      `json:"label"`
	Documentation *Markup     `json:"documentation,omitempty"`
	Parameters    []Parameter `json:"parameters,omitempty"`
	// ActiveParameter overrides SignatureHelp.ActiveParameter when set.
	ActiveParameter *int `json:"activeParameter,omitempty"`
}

// UnmarshalJSON decodes a signature, resolving parameter labels given as [start, end]
// offsets (UTF-16 code units) into the signature's label to their text.
func (s *Signature) UnmarshalJSON(data []byte) error {
	var raw struct {
		Label           string  `json:"label"`
		Documentation   *Markup `json:"documentation"`
		ActiveParameter *int    `json:"activeParameter"`
		Parameters      []struct {
			Label         json.RawMessage `json:"label"`
			Documentation *Markup         `json:"documentation"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("lsp: signature: %w", err)
	}
	*s = Signature{Label: raw.Label, Documentation: raw.Documentation, ActiveParameter: raw.ActiveParameter}
	for _, p := range raw.Parameters {
		var label string
		if err := json.Unmarshal(p.Label, &label); err != nil {
			var span [2]int
			if err := json.Unmarshal(p.Label, &span); err != nil || span[0] < 0 || span[0] > span[1] {
				return fmt.Errorf("lsp: parameter label %s", p.Label)
			}
			from := UTF16Offset(raw.Label, Position{Character: span[0]})
			to := UTF16Offset(raw.Label, Position{Character: span[1]})
			label = raw.Label[from:to]
		}
		s.Parameters = append(s.Parameters, Parameter{Label: label, Documentation: p.Documentation})
	}
	return nil
}

// Parameter is one parameter of a signature; Label is its text in the signature's
// label (a label given as offsets is resolved to the text).
type Parameter struct {
	Label         string  `json:"label"`
	Documentation *Markup `json:"documentation,omitempty"`
}

// FileEvent tells a server that a file changed on disk.
type FileEvent struct {
	URI string `json:"uri"`
	// Type is FileCreated, FileChanged or FileDeleted.
	Type int `json:"type"`
}

// File change types of FileEvent.
const (
	FileCreated = 1
	FileChanged = 2
	FileDeleted = 3
)

// UTF16Offset returns the byte offset in text of pos, whose character counts UTF-16
// code units; a position past the end of its line or of the text is clamped to it.
func UTF16Offset(text string, pos Position) int {
	off := 0
	for line := 0; line < pos.Line; line++ {
		i := indexNewline(text[off:])
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	for units := 0; units < pos.Character && off < len(text) && text[off] != '\n'; {
		r, size := utf8.DecodeRuneInString(text[off:])
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
		off += size
	}
	return off
}

// PositionOf returns the position of byte offset off of text (clamped to the text).
func PositionOf(text string, off int) Position {
	off = max(0, min(off, len(text)))
	var p Position
	start := 0
	for i := 0; i < off; i++ {
		if text[i] == '\n' {
			p.Line++
			start = i + 1
		}
	}
	for _, r := range text[start:off] {
		if r >= 0x10000 {
			p.Character += 2
		} else {
			p.Character++
		}
	}
	return p
}

func indexNewline(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return i
		}
	}
	return -1
}
