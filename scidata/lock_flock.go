//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package scidata

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes a non-blocking flock(2) on path. Locks taken through separate
// opens exclude each other, within a process as between processes, and the
// kernel drops them when the holder exits. The lock file stays in place;
// removing it could let two processes lock two different files of one name.
func tryLock(path string) (unlock func(), ok bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, false, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		f.Close()
		return nil, false, nil
	}
	if err != nil {
		f.Close()
		return nil, false, &os.PathError{Op: "flock", Path: path, Err: err}
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, true, nil
}
