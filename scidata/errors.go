package scidata

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gonx-dev/gonx/scidata/decode"
)

// ErrChecksum is wrapped by errors for files whose checksum does not match the
// published one. The file has been deleted when such an error is returned.
var ErrChecksum = errors.New("checksum mismatch")

// ErrNotCached is wrapped by errors for files missing from the cache in offline
// mode.
var ErrNotCached = errors.New("not in the cache")

// ErrUnknownDataset is wrapped by errors for data set names that scidata does
// not know.
var ErrUnknownDataset = errors.New("unknown data set")

// ErrCorrupt is wrapped by errors for files that cannot be decoded (truncated or
// malformed). It is the same value as [decode.ErrCorrupt].
var ErrCorrupt = decode.ErrCorrupt

// ChecksumError reports a file whose checksum differs from the published one.
// It wraps ErrChecksum.
type ChecksumError struct {
	Path      string // the file that was checked (and deleted)
	Algorithm string // "sha256" or "md5"
	Expected  string // published checksum, hex
	Actual    string // checksum of the file, hex
}

// Error formats e with the file, the expected and the actual checksum.
func (e *ChecksumError) Error() string {
	return fmt.Sprintf("%s: %v: %s expected %s, got %s (file deleted)", e.Path, ErrChecksum, e.Algorithm, e.Expected, e.Actual)
}

// Unwrap returns ErrChecksum.
func (e *ChecksumError) Unwrap() error { return ErrChecksum }

// NotCachedError reports a file missing from the cache in offline mode. It
// wraps ErrNotCached.
type NotCachedError struct {
	Dataset string   // data set name
	File    string   // file name
	Path    string   // where the cache would hold it
	URLs    []string // where it would be downloaded from
}

// Error says which file is missing, where it was looked for and where it would
// come from.
func (e *NotCachedError) Error() string {
	return fmt.Sprintf("offline: %s/%s is %v (looked for %s); online it would be downloaded from %s",
		e.Dataset, e.File, ErrNotCached, e.Path, strings.Join(e.URLs, " or "))
}

// Unwrap returns ErrNotCached.
func (e *NotCachedError) Unwrap() error { return ErrNotCached }

// statusError is an HTTP response with a status that is not a success.
type statusError struct {
	url        string
	status     string
	code       int
	retryAfter time.Duration // wait the server asked for, or 0
}

func (e *statusError) Error() string { return fmt.Sprintf("GET %s: %s", e.url, e.status) }
