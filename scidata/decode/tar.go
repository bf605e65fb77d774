package decode

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxEntryBytes bounds the size of one text file that TarText reads
// when the caller gives no limit.
const DefaultMaxEntryBytes int64 = 64 << 20

// TarEntry is a regular file met while reading a tar archive.
type TarEntry struct {
	// Path is the member's name in the archive ("aclImdb/train/pos/0_9.txt").
	Path string
	// Size is the member's size in bytes, from its header.
	Size int64
	// Offset is where the member's content starts in the archive stream.
	Offset int64
	// R reads the member's content; it returns io.EOF after Size bytes.
	R io.Reader
}

// Tar reads the tar archive r, named name in errors, and calls fn for each
// regular file in archive order. Directories, links and other special members
// are skipped. fn may read as much of e.R as it needs; the rest is skipped. An
// error from fn stops the walk and is returned as is; damage to the archive is
// returned as an [*Error] with the offset of the header or content where
// reading failed.
func Tar(name string, r io.Reader, fn func(e TarEntry) error) error {
	const format = "tar"
	cr := &countingReader{r: r}
	tr := tar.NewReader(cr)
	for {
		off := cr.n
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if errors.Is(err, tar.ErrInsecurePath) && hdr != nil {
			// Nothing is written to disk, so member names need not be local.
			err = nil
		}
		if err != nil {
			if errors.Is(err, tar.ErrHeader) {
				return corrupt(name, format, off, "bad header: %v", err)
			}
			return readFailure(name, format, off, err, "a member header")
		}
		if hdr.Typeflag != tar.TypeReg {
			continue
		}
		if hdr.Size < 0 {
			return corrupt(name, format, off, "member %q has negative size %d", hdr.Name, hdr.Size)
		}
		e := TarEntry{Path: hdr.Name, Size: hdr.Size, Offset: cr.n,
			R: &entryReader{r: tr, name: name, path: hdr.Name, start: cr.n, size: hdr.Size}}
		if err := fn(e); err != nil {
			return err
		}
	}
}

// entryReader reads one member's content and reports a stream that ends before
// the header's size as a truncated archive at the right offset.
type entryReader struct {
	r     io.Reader
	name  string
	path  string
	start int64
	size  int64
	n     int64
}

func (e *entryReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.n += int64(n)
	if err == io.EOF && e.n < e.size {
		err = io.ErrUnexpectedEOF
	}
	if err != nil && err != io.EOF {
		err = readFailure(e.name, "tar", e.start+e.n, err, fmt.Sprintf("member %q (%d of %d bytes read)", e.path, e.n, e.size))
	}
	return n, err
}

// TarText reads the tar archive r, named name in errors, and calls fn with the
// path and content of each regular file for which keep returns true, in archive
// order. Each content slice is freshly allocated and belongs to fn. A member
// larger than maxEntryBytes (0 or less means DefaultMaxEntryBytes) is reported
// as corrupt rather than read.
func TarText(name string, r io.Reader, maxEntryBytes int64, keep func(path string) bool, fn func(path string, text []byte) error) error {
	if maxEntryBytes <= 0 {
		maxEntryBytes = DefaultMaxEntryBytes
	}
	return Tar(name, r, func(e TarEntry) error {
		if !keep(e.Path) {
			return nil
		}
		if e.Size > maxEntryBytes {
			return corrupt(name, "tar", e.Offset, "member %q declares %d bytes, more than the limit of %d", e.Path, e.Size, maxEntryBytes)
		}
		buf := make([]byte, e.Size)
		if _, err := io.ReadFull(e.R, buf); err != nil {
			return err
		}
		return fn(e.Path, buf)
	})
}
