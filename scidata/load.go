package scidata

import (
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/gonx-dev/gonx/scidata/decode"
)

// decodeFile opens the cached file path (published as f), verifies its
// checksum while fn decodes it, and returns fn's error, or the checksum error
// in preference (a corrupt file explains a decoding failure). A file that fails
// its checksum is deleted, so the next load downloads it again.
func decodeFile(path string, f File, fn func(r io.Reader) error) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	verified := verifyAsync(path, f)
	err = fn(file)
	file.Close()
	if verr := <-verified; verr != nil {
		return discard(verr)
	}
	return err
}

// decodeGzip is decodeFile for a gzip-compressed file: fn reads the
// decompressed content.
func decodeGzip(path string, f File, fn func(r io.Reader) error) error {
	return decodeFile(path, f, func(r io.Reader) error {
		zr, err := decode.Gzip(f.Name, r)
		if err != nil {
			return err
		}
		defer zr.Close()
		return fn(zr)
	})
}

// parallel runs fns concurrently and returns the first error in fns' order.
func parallel(fns ...func() error) error {
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// wrapErr prefixes err with the package and data set names.
func wrapErr(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("scidata: %s: %w", name, err)
}
