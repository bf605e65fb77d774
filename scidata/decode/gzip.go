package decode

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/gzip"
)

// gzipBufferSize is the read-ahead buffer between a file and the decompressor.
// Large reads keep system calls rare; the decompressor's fast path needs a
// *bufio.Reader (or *bytes.Reader) below it.
const gzipBufferSize = 1 << 20

// GzipReader is a reader of the decompressed content of a gzip stream that
// reports damage as an [*Error] with the offset in the compressed input.
type GzipReader struct {
	name     string
	zr       *gzip.Reader
	consumed func() int64 // compressed bytes taken by the decompressor so far
	err      error
}

// Gzip returns a reader of the decompressed content of the gzip stream r, named
// name in errors. It reads the gzip header at once, so an empty or non-gzip
// input fails here. Concatenated gzip members are read as one stream, as gzip
// itself does. The CRC and length in each member's trailer are checked when the
// reader reaches the end of the member.
func Gzip(name string, r io.Reader) (*GzipReader, error) {
	g := &GzipReader{name: name}
	var src io.Reader
	switch r := r.(type) {
	case *bytes.Reader:
		size := r.Size()
		g.consumed = func() int64 { return size - int64(r.Len()) }
		src = r
	default:
		cr := &countingReader{r: r}
		br := bufio.NewReaderSize(cr, gzipBufferSize)
		g.consumed = func() int64 { return cr.n - int64(br.Buffered()) }
		src = br
	}
	zr, err := gzip.NewReader(src)
	if err != nil {
		return nil, g.wrap(err)
	}
	g.zr = zr
	return g, nil
}

// Read reads decompressed bytes into p.
func (g *GzipReader) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.zr.Read(p)
	if err != nil && err != io.EOF {
		g.err = g.wrap(err)
		err = g.err
	}
	return n, err
}

// Close releases the decompressor. It does not close the underlying reader.
func (g *GzipReader) Close() error {
	if g.zr == nil {
		return nil
	}
	return g.zr.Close()
}

// wrap turns a decompressor error into an *Error at the current offset.
func (g *GzipReader) wrap(err error) error {
	off := g.consumed()
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{File: g.name, Format: "gzip", Offset: off,
			Err: fmt.Errorf("%w: compressed stream ends early", ErrTruncated)}
	default:
		return &Error{File: g.name, Format: "gzip", Offset: off,
			Err: fmt.Errorf("%w: %w", ErrCorrupt, err)}
	}
}
