package lsp

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadMessage(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     []string // the messages read, in order
		err      error    // the error after them
	}{
		{"one", "Content-Length: 2\r\n\r\n{}", []string{"{}"}, io.EOF},
		{"two", "Content-Length: 1\r\n\r\naContent-Length: 3\r\n\r\nbcd", []string{"a", "bcd"}, io.EOF},
		{"type and case", "content-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH:  4 \r\n\r\nnull", []string{"null"}, io.EOF},
		{"bare LF", "Content-Length: 2\n\n[]", []string{"[]"}, io.EOF},
		{"empty content", "Content-Length: 0\r\n\r\n", []string{""}, io.EOF},
		{"empty input", "", nil, io.EOF},
		{"short content", "Content-Length: 5\r\n\r\nab", nil, io.ErrUnexpectedEOF},
		{"cut in headers", "Content-Length: 5\r\n", nil, io.ErrUnexpectedEOF},
		{"cut in a line", "Content-Len", nil, io.ErrUnexpectedEOF},
		{"no length", "Content-Type: x\r\n\r\n{}", nil, ErrFraming},
		{"negative", "Content-Length: -1\r\n\r\n", nil, ErrFraming},
		{"plus", "Content-Length: +1\r\n\r\n", nil, ErrFraming},
		{"not a number", "Content-Length: 1e3\r\n\r\n", nil, ErrFraming},
		{"huge", "Content-Length: 99999999999999999999\r\n\r\n", nil, ErrFraming},
		{"over the limit", "Content-Length: 67108865\r\n\r\n", nil, ErrFraming},
		{"twice", "Content-Length: 1\r\nContent-Length: 1\r\n\r\na", nil, ErrFraming},
		{"no colon", "Content-Length 1\r\n\r\na", nil, ErrFraming},
		{"long line", "X: " + strings.Repeat("y", 5000) + "\r\n", nil, ErrFraming},
		{"many headers", strings.Repeat("X: y\r\n", 40) + "Content-Length: 0\r\n\r\n", nil, ErrFraming},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := bufio.NewReaderSize(strings.NewReader(tc.in), 16)
			var got []string
			var err error
			for {
				var m []byte
				if m, err = ReadMessage(r); err != nil {
					break
				}
				got = append(got, string(m))
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
				t.Errorf("messages %q, want %q", got, tc.want)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("error %v, want %v", err, tc.err)
			}
		})
	}
}

// FuzzReadMessage checks that the reader never panics nor reads past a message, and
// that what WriteMessage writes reads back.
func FuzzReadMessage(f *testing.F) {
	for _, s := range []string{
		"Content-Length: 2\r\n\r\n{}",
		"Content-Length: 10\r\nContent-Type: x\r\n\r\n0123456789Content-Length: 0\r\n\r\n",
		"content-length:3\n\nabc",
		"Content-Length: -3\r\n\r\n",
		"\r\n\r\n",
		"Content-Length: 18446744073709551616\r\n\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bufio.NewReaderSize(bytes.NewReader(in), 16)
		total := 0
		for i := 0; i < 100; i++ {
			m, err := ReadMessage(r)
			if err != nil {
				break
			}
			total += len(m)
			if total > len(in) {
				t.Fatalf("read %d bytes of content from %d bytes of input", total, len(in))
			}
		}
		var buf bytes.Buffer
		if err := WriteMessage(&buf, in); err != nil {
			t.Fatal(err)
		}
		got, err := ReadMessage(bufio.NewReader(&buf))
		if err != nil || !bytes.Equal(got, in) {
			t.Fatalf("round trip: %q, %v", got, err)
		}
	})
}

func TestPositions(t *testing.T) {
	text := "aé\n𝔸x\n\nlast"
	for _, tc := range []struct {
		off int
		pos Position
	}{
		{0, Position{0, 0}},
		{1, Position{0, 1}},
		{3, Position{0, 2}},  // after é (2 bytes, 1 unit)
		{4, Position{1, 0}},  // start of line 2
		{8, Position{1, 2}},  // after 𝔸 (4 bytes, 2 units)
		{9, Position{1, 3}},  // after x
		{11, Position{3, 0}}, // after the empty line
		{15, Position{3, 4}}, // the end
	} {
		if got := PositionOf(text, tc.off); got != tc.pos {
			t.Errorf("PositionOf(%d) = %+v, want %+v", tc.off, got, tc.pos)
		}
		if got := UTF16Offset(text, tc.pos); got != tc.off {
			t.Errorf("UTF16Offset(%+v) = %d, want %d", tc.pos, got, tc.off)
		}
	}
	if got := UTF16Offset(text, Position{0, 99}); got != 3 {
		t.Errorf("past the line's end: %d, want 3", got)
	}
	if got := UTF16Offset(text, Position{9, 0}); got != len(text) {
		t.Errorf("past the text's end: %d, want %d", got, len(text))
	}
}
