package decode

import (
	"errors"
	"fmt"
	"io"
)

// ErrCorrupt is wrapped by every error that reports malformed input.
var ErrCorrupt = errors.New("corrupt data")

// ErrTruncated is wrapped by errors that report input ending too early. It wraps
// [ErrCorrupt], so errors.Is(err, ErrCorrupt) holds for truncated input too.
var ErrTruncated = fmt.Errorf("%w: truncated", ErrCorrupt)

// Error reports where a decoder met bad input.
type Error struct {
	// File names the input, as given to the decoder (for members of an
	// archive, "archive/member").
	File string
	// Format is the format being read: "gzip", "idx", "cifar", "csv" or "tar".
	Format string
	// Offset is the byte offset at which the problem was found, counted in the
	// stream the format reads: the compressed file for "gzip", the
	// decompressed stream for the others.
	Offset int64
	// Err describes the problem; it wraps ErrTruncated or ErrCorrupt.
	Err error
}

// Error formats e as "file: format: byte N: problem".
func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s: byte %d: %v", e.File, e.Format, e.Offset, e.Err)
}

// Unwrap returns the underlying problem.
func (e *Error) Unwrap() error { return e.Err }

// corrupt returns an *Error wrapping ErrCorrupt with a formatted message.
func corrupt(file, format string, off int64, msg string, args ...any) *Error {
	return &Error{File: file, Format: format, Offset: off,
		Err: fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(msg, args...))}
}

// readFailure turns an error met while reading at off into an *Error. An *Error
// from a lower layer (a gzip stream under a tar archive) is returned unchanged,
// so the report names the layer that failed; io.EOF and io.ErrUnexpectedEOF
// become ErrTruncated.
func readFailure(file, format string, off int64, err error, what string) error {
	var de *Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{File: file, Format: format, Offset: off,
			Err: fmt.Errorf("%w: input ends inside %s", ErrTruncated, what)}
	}
	return &Error{File: file, Format: format, Offset: off,
		Err: fmt.Errorf("reading %s: %w", what, err)}
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// expectEOF reads one more byte from r and reports trailing data as corrupt. It
// also makes a compressed stream below r check its trailer (the gzip CRC).
func expectEOF(file, format string, off int64, r io.Reader) error {
	var b [1]byte
	for range 100 {
		n, err := r.Read(b[:])
		if n > 0 {
			return corrupt(file, format, off, "unexpected data after the end of the content")
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return readFailure(file, format, off, err, "the end of the stream")
		}
	}
	return readFailure(file, format, off, io.ErrNoProgress, "the end of the stream")
}
