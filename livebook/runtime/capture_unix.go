//go:build linux || darwin || freebsd

package runtime

import (
	"os"
	"syscall"
	"time"
)

// canCapture reports whether startCapture works here.
const canCapture = true

// capture redirects the process's standard output and error to a pipe.
type capture struct {
	saved [2]int
	out   *output
	done  chan struct{}
}

// startCapture points descriptors 1 and 2 at a pipe whose contents stop returns;
// stream and rich, if not nil, get them as they come.
func startCapture(cellID string, stream func(cellID, text string), rich func(cellID string, out Output)) (*capture, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	c := &capture{out: newOutput("", stream, rich), done: make(chan struct{})}
	c.out.begin(cellID)
	for i, fd := range []int{1, 2} {
		if c.saved[i], err = syscall.Dup(fd); err != nil {
			r.Close()
			w.Close()
			return nil, err
		}
		syscall.CloseOnExec(c.saved[i])
		if err := dup2(int(w.Fd()), fd); err != nil {
			r.Close()
			w.Close()
			return nil, err
		}
	}
	w.Close()
	go func() {
		defer close(c.done)
		defer r.Close()
		buf := make([]byte, 32<<10)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				c.out.write(buf[:n])
			}
			if err != nil {
				c.out.close()
				return
			}
		}
	}()
	return c, nil
}

// stop restores descriptors 1 and 2 and returns what was written to them.
func (c *capture) stop() string {
	for i, fd := range []int{1, 2} {
		_ = dup2(c.saved[i], fd)
		syscall.Close(c.saved[i])
	}
	select {
	case <-c.done:
	case <-time.After(drainTimeout): // a program the cell started holds the pipe
	}
	return c.out.take()
}
