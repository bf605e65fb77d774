package scidata

import (
	"context"
	"time"
)

// lockPoll is how often a waiting process retries a held lock.
const lockPoll = 50 * time.Millisecond

// lockFile takes an exclusive lock named by path (a file beside the one being
// downloaded), waiting until it is free or ctx is done. It returns the function
// that releases the lock. The lock is held by the open file, so a process that
// dies releases it.
func lockFile(ctx context.Context, path string) (unlock func(), err error) {
	for {
		unlock, ok, err := tryLock(path)
		if err != nil || ok {
			return unlock, err
		}
		t := time.NewTimer(lockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}
