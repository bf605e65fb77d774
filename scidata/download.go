package scidata

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// userAgent identifies scidata to servers.
const userAgent = "gonx-scidata/1 (+https://github.com/gonx-dev/gonx)"

// maxBackoff caps the wait between two tries of a URL.
const maxBackoff = time.Minute

// stallTimeout is how long a download may go without receiving a byte (or its
// response headers) before it is abandoned and tried again.
const stallTimeout = time.Minute

// errStalled reports a download that stopped receiving data.
var errStalled = errors.New("no data received for too long")

// fetch downloads file f of data set ds to dst, trying each source in turn, and
// lands it there only once it matches its checksum.
func (c *config) fetch(ctx context.Context, ds Dataset, f File, dst string) error {
	var errs []error
	for _, url := range c.sources(ds, f) {
		err := c.fetchURL(ctx, ds.Name+"/"+f.Name, f, url, dst)
		if err == nil {
			return nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
	}
	if len(errs) == 0 {
		return fmt.Errorf("%s/%s: no URL to download it from", ds.Name, f.Name)
	}
	return errors.Join(errs...)
}

// fetchURL downloads url into dst+".part", resuming what an earlier try left
// there, retrying with back-off, and renames it to dst once it is verified.
func (c *config) fetchURL(ctx context.Context, label string, f File, url, dst string) error {
	part := dst + ".part"
	var err error
	for attempt := range c.attempts {
		if attempt > 0 {
			if serr := sleep(ctx, c.delay(attempt, err)); serr != nil {
				return serr
			}
		}
		var resumed bool
		resumed, err = c.get(ctx, label, f, url, part)
		if err == nil {
			if err = discard(verifyFile(part, f)); err == nil {
				return os.Rename(part, dst)
			}
			// A fresh download that does not match will not match the next
			// time either; a resumed one may have joined two versions.
			if !resumed {
				return err
			}
			continue
		}
		if !retryable(err) {
			return err
		}
	}
	return err
}

// get makes one request for url and appends the response to part, asking only
// for the bytes part lacks. It reports whether it resumed a partial file.
func (c *config) get(ctx context.Context, label string, f File, url, part string) (resumed bool, err error) {
	out, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return false, err
	}
	defer func() {
		if cerr := out.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	have, err := out.Seek(0, io.SeekEnd)
	if err != nil {
		return false, err
	}
	if f.Size > 0 && have > f.Size {
		if have, err = restart(out); err != nil {
			return false, err
		}
	}
	if f.Size > 0 && have == f.Size {
		return true, nil // complete; the checksum decides
	}
	idle := c.stall
	if idle <= 0 {
		idle = stallTimeout
	}
	reqCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchdog := time.AfterFunc(idle, func() { cancel(errStalled) })
	defer watchdog.Stop()
	defer func() {
		if err != nil && context.Cause(reqCtx) == errStalled && ctx.Err() == nil {
			err = fmt.Errorf("GET %s: %w", url, errStalled)
		}
	}()
	req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, url, nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("User-Agent", userAgent)
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		if start, ok := rangeStart(resp.Header.Get("Content-Range")); !ok || start != have {
			if _, err := restart(out); err != nil {
				return false, err
			}
			return false, fmt.Errorf("GET %s: asked for bytes from %d, got %q; starting over", url, have, resp.Header.Get("Content-Range"))
		}
		resumed = true
	case resp.StatusCode == http.StatusOK:
		if have, err = restart(out); err != nil {
			return false, err
		}
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && have > 0:
		if f.Size <= 0 {
			return true, nil // probably complete; the checksum decides
		}
		if _, err := restart(out); err != nil {
			return false, err
		}
		return false, fmt.Errorf("GET %s: range from byte %d refused; starting over", url, have)
	default:
		return false, &statusError{url: url, status: resp.Status, code: resp.StatusCode, retryAfter: retryAfter(resp)}
	}
	total := int64(-1)
	switch {
	case f.Size > 0:
		total = f.Size
	case resp.ContentLength >= 0:
		total = have + resp.ContentLength
	}
	body := io.Reader(resp.Body)
	if f.Size > 0 {
		body = io.LimitReader(body, f.Size-have+1) // one byte too many is enough to fail the checksum
	}
	bar := newProgress(c.progress, label, total, have)
	n, err := io.Copy(io.MultiWriter(out, bar, kick{watchdog, idle}), body)
	bar.finish()
	if err != nil {
		return resumed, fmt.Errorf("GET %s: stopped after %d bytes: %w", url, have+n, err)
	}
	if err := out.Sync(); err != nil {
		return resumed, err
	}
	return resumed, nil
}

// kick is a writer that pushes a watchdog timer back on every write.
type kick struct {
	t *time.Timer
	d time.Duration
}

func (k kick) Write(b []byte) (int, error) {
	k.t.Reset(k.d)
	return len(b), nil
}

// restart empties a partial file.
func restart(f *os.File) (int64, error) {
	if err := f.Truncate(0); err != nil {
		return 0, err
	}
	return f.Seek(0, io.SeekStart)
}

// rangeStart parses the first byte position of a Content-Range header
// ("bytes 100-199/200").
func rangeStart(h string) (int64, bool) {
	rest, ok := strings.CutPrefix(h, "bytes ")
	if !ok {
		return 0, false
	}
	first, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(first, 10, 64)
	return n, err == nil
}

// retryAfter returns the wait a 429 or 503 response asks for in seconds, or 0.
func retryAfter(resp *http.Response) time.Duration {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return 0
	}
	secs, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	if err != nil || secs < 0 {
		return 0
	}
	return min(time.Duration(secs)*time.Second, maxBackoff)
}

// retryable reports whether trying the same URL again may help: network errors
// and server-side statuses (5xx, 408, 429) yes; other statuses, a cancelled
// context and local file errors no.
func retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var se *statusError
	if errors.As(err, &se) {
		return se.code >= 500 || se.code == http.StatusRequestTimeout || se.code == http.StatusTooManyRequests
	}
	var pe *os.PathError
	return !errors.As(err, &pe)
}

// delay returns the wait before try number attempt (1 for the second try):
// the back-off doubled per try, with jitter, at least what the server asked.
func (c *config) delay(attempt int, last error) time.Duration {
	d := c.backoff << (attempt - 1)
	if d > maxBackoff || d < 0 {
		d = maxBackoff
	}
	if d > 0 {
		d = d*3/4 + rand.N(d/2+1)
	}
	var se *statusError
	if errors.As(last, &se) && se.retryAfter > d {
		d = se.retryAfter
	}
	return d
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
