package lsp

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Limits of the framing.
const (
	// MaxMessage bounds the content of one message.
	MaxMessage = 64 << 20
	// maxHeaderLine bounds one header line; maxHeaders the header lines of a message.
	maxHeaderLine = 4096
	maxHeaders    = 32
)

// ErrFraming is wrapped by the errors of ReadMessage for input that is not a
// well-formed message.
var ErrFraming = errors.New("lsp: bad message framing")

// ReadMessage reads one message in the base protocol's framing: header lines ending
// in CRLF ("Content-Length: N" required, "Content-Type" allowed, others ignored), an
// empty line, then N bytes of content, which it returns. At the end of the input
// before a message starts it returns io.EOF; input that ends inside a message gives
// io.ErrUnexpectedEOF, and malformed headers an error wrapping ErrFraming.
func ReadMessage(r *bufio.Reader) ([]byte, error) {
	length := -1
	for n := 0; ; n++ {
		line, err := readLine(r)
		if err != nil {
			if err == io.EOF && n > 0 {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if line == "" {
			break
		}
		if n >= maxHeaders {
			return nil, fmt.Errorf("%w: more than %d header lines", ErrFraming, maxHeaders)
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%w: header line %q has no colon", ErrFraming, line)
		}
		if !strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			continue
		}
		if length >= 0 {
			return nil, fmt.Errorf("%w: two Content-Length headers", ErrFraming)
		}
		value = strings.TrimSpace(value)
		v, err := strconv.Atoi(value)
		if err != nil || v < 0 || value[0] == '+' || value[0] == '-' {
			return nil, fmt.Errorf("%w: Content-Length %q is not a length", ErrFraming, value)
		}
		if v > MaxMessage {
			return nil, fmt.Errorf("%w: Content-Length %d is over the limit of %d", ErrFraming, v, MaxMessage)
		}
		length = v
	}
	if length < 0 {
		return nil, fmt.Errorf("%w: no Content-Length header", ErrFraming)
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return body, nil
}

// readLine reads a header line ending in CRLF (or LF alone) and returns it without the
// line ending.
func readLine(r *bufio.Reader) (string, error) {
	var b []byte
	for {
		frag, err := r.ReadSlice('\n')
		b = append(b, frag...)
		if len(b) > maxHeaderLine {
			return "", fmt.Errorf("%w: header line longer than %d bytes", ErrFraming, maxHeaderLine)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && len(b) > 0:
			return "", io.ErrUnexpectedEOF
		case err != nil:
			return "", err
		}
		b = b[:len(b)-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
		return string(b), nil
	}
}

// WriteMessage writes content as one message: a Content-Length header, an empty line
// and the content.
func WriteMessage(w io.Writer, content []byte) error {
	if len(content) > MaxMessage {
		return fmt.Errorf("lsp: message of %d bytes is over the limit of %d", len(content), MaxMessage)
	}
	buf := make([]byte, 0, len(content)+32)
	buf = append(buf, "Content-Length: "...)
	buf = strconv.AppendInt(buf, int64(len(content)), 10)
	buf = append(buf, "\r\n\r\n"...)
	buf = append(buf, content...)
	_, err := w.Write(buf)
	return err
}
