package scidata

import (
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ensure returns the cache path of file f of data set ds, downloading it first
// if it is not cached. Concurrent callers, in this process or others, wait on a
// lock file and find the file there when the first one is done.
func (c *config) ensure(ctx context.Context, ds Dataset, f File) (string, error) {
	dst := c.path(ds, f)
	if _, err := os.Stat(dst); err == nil {
		return dst, nil
	}
	if c.offline {
		return "", &NotCachedError{Dataset: ds.Name, File: f.Name, Path: dst, URLs: c.sources(ds, f)}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	unlock, err := lockFile(ctx, dst+".lock")
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(dst); err == nil {
		return dst, nil // another caller downloaded it while we waited
	}
	if err := c.fetch(ctx, ds, f, dst); err != nil {
		return "", err
	}
	return dst, nil
}

// ensureAll ensures every named file of ds is cached, in order, and returns
// their paths.
func (c *config) ensureAll(ctx context.Context, ds Dataset, names ...string) ([]string, error) {
	paths := make([]string, len(names))
	for i, n := range names {
		p, err := c.ensure(ctx, ds, ds.file(n))
		if err != nil {
			return nil, err
		}
		paths[i] = p
	}
	return paths, nil
}

// Download fetches every file of the named data set into the cache, verifying
// each against its published checksum. Files already cached are verified
// again, and a file that fails is deleted and downloaded anew.
func Download(ctx context.Context, name string, opts ...Option) error {
	c := newConfig(opts)
	ds, err := c.dataset(name)
	if err != nil {
		return err
	}
	for _, f := range ds.Files {
		for try := 0; ; try++ {
			path, err := c.ensure(ctx, ds, f)
			if err != nil {
				return fmt.Errorf("scidata: %s: %w", name, err)
			}
			err = discard(verifyFile(path, f))
			if err == nil {
				break
			}
			if !errors.Is(err, ErrChecksum) || try > 0 || c.offline {
				return fmt.Errorf("scidata: %s: %w", name, err)
			}
		}
	}
	return nil
}

// Path returns the folder where the cache keeps the named data set, or the
// cache's root folder when name is empty. It does not create or fill it.
func Path(name string, opts ...Option) (string, error) {
	c := newConfig(opts)
	if name == "" {
		return c.cacheDir, nil
	}
	ds, err := c.dataset(name)
	if err != nil {
		return "", err
	}
	return filepath.Join(c.cacheDir, ds.Name), nil
}

// FileStatus is the state of one cached file, as Verify found it.
type FileStatus struct {
	Dataset string // data set name
	File    File   // the file as published
	Path    string // where the cache keeps it
	Cached  bool   // whether the file was in the cache
	// Err is nil for a cached file that matches every published checksum. A
	// mismatch is a *ChecksumError (and the file has been deleted).
	Err error
}

// Verify checks the cached files of the named data set against every published
// checksum (SHA-256 and, where known, MD5) and reports each file. Missing files
// are reported, not downloaded; files that do not match are deleted. The
// returned error is for failures to run the check (an unknown name, a
// cancelled context), not for bad files.
func Verify(ctx context.Context, name string, opts ...Option) ([]FileStatus, error) {
	c := newConfig(opts)
	ds, err := c.dataset(name)
	if err != nil {
		return nil, err
	}
	var out []FileStatus
	for _, f := range ds.Files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		st := FileStatus{Dataset: ds.Name, File: f, Path: c.path(ds, f)}
		if _, err := os.Stat(st.Path); err == nil {
			st.Cached = true
			st.Err = discard(verifyAll(st.Path, f))
		}
		out = append(out, st)
	}
	return out, nil
}

// verifyAll checks path against both of f's checksums in one read.
func verifyAll(path string, f File) error {
	if f.SHA256 == "" && f.MD5 == "" {
		return fmt.Errorf("%s: no published checksum to verify it against", f.Name)
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	s, m := sha256.New(), md5.New()
	if _, err := io.Copy(io.MultiWriter(s, m), file); err != nil {
		return fmt.Errorf("hashing %s: %w", path, err)
	}
	if got := hex.EncodeToString(s.Sum(nil)); f.SHA256 != "" && got != f.SHA256 {
		return &ChecksumError{Path: path, Algorithm: "sha256", Expected: f.SHA256, Actual: got}
	}
	if got := hex.EncodeToString(m.Sum(nil)); f.MD5 != "" && got != f.MD5 {
		return &ChecksumError{Path: path, Algorithm: "md5", Expected: f.MD5, Actual: got}
	}
	return nil
}
