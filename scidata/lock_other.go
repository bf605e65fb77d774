//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package scidata

import (
	"errors"
	"os"
	"time"
)

// staleLock is the age after which a lock file left by a dead process is
// broken. A live holder refreshes its lock's time while downloading.
const staleLock = 10 * time.Minute

// tryLock creates path exclusively; the file's existence is the lock. Where
// flock(2) is missing this is the portable way; a lock file older than
// staleLock is taken to be left over from a process that died.
func tryLock(path string) (unlock func(), ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		if fi, serr := os.Stat(path); serr == nil && time.Since(fi.ModTime()) > staleLock {
			os.Remove(path)
		}
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	f.Close()
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(staleLock / 4)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				os.Chtimes(path, now, now)
			}
		}
	}()
	return func() {
		close(done)
		os.Remove(path)
	}, true, nil
}
