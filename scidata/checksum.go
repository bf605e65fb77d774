package scidata

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
)

// hasher returns a fresh hash for verifying f, its name and the expected hex
// digest: SHA-256 when known, else MD5.
func hasher(f File) (hash.Hash, string, string, error) {
	switch {
	case f.SHA256 != "":
		return sha256.New(), "sha256", f.SHA256, nil
	case f.MD5 != "":
		return md5.New(), "md5", f.MD5, nil
	}
	return nil, "", "", fmt.Errorf("%s: no published checksum to verify it against", f.Name)
}

// verifyFile checks the file at path against f's checksum and returns a
// *ChecksumError on a mismatch. It leaves the file in place: callers remove it
// with discard once they have closed it.
func verifyFile(path string, f File) error {
	h, algo, want, err := hasher(f)
	if err != nil {
		return err
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(h, file)
	file.Close()
	if err != nil {
		return fmt.Errorf("hashing %s: %w", path, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return &ChecksumError{Path: path, Algorithm: algo, Expected: want, Actual: got}
	}
	return nil
}

// discard deletes the file that err reports a checksum mismatch for, and
// returns err (noting a failed removal).
func discard(err error) error {
	var ce *ChecksumError
	if !errors.As(err, &ce) {
		return err
	}
	if rmErr := os.Remove(ce.Path); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
		return fmt.Errorf("%w (removing the file failed: %v)", err, rmErr)
	}
	return err
}

// verifyAsync checks path against f in a new goroutine and delivers the result
// on the returned channel. Loaders start it before decoding the same file, so
// hashing and decoding overlap.
func verifyAsync(path string, f File) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- verifyFile(path, f) }()
	return ch
}
