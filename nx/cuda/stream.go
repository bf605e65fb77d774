package cuda

import (
	"fmt"
	"sync"
)

// Stream is an ordered queue of work on one device. Copies, launches and GEMMs
// issued on the same stream run in order; work on different streams may
// overlap. A nil *Stream stands for the device's default stream. Its methods
// are safe for concurrent use.
type Stream struct {
	dev    *Device
	mu     sync.Mutex
	h      uintptr
	closed bool
}

// NewStream creates a stream on d. Close it when done.
func (d *Device) NewStream() (*Stream, error) {
	s := &Stream{dev: d}
	err := d.do(func() error { return cuErr("cuStreamCreate", cuStreamCreate(&s.h, 0)) })
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Device returns the device s belongs to.
func (s *Stream) Device() *Device { return s.dev }

// handle returns the CUstream for s on device d (0, the default stream, for a
// nil s) or an error when s is closed or belongs to another device.
func (s *Stream) handle(d *Device) (uintptr, error) {
	if s == nil {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, errClosed
	}
	if s.dev != d {
		return 0, fmt.Errorf("cuda: stream of device %d used with device %d", s.dev.ordinal, d.ordinal)
	}
	return s.h, nil
}

// Synchronize waits until all work queued on s has finished. It returns the
// first asynchronous error (a failed kernel, for instance) the device reported.
func (s *Stream) Synchronize() error {
	if s == nil {
		return fmt.Errorf("cuda: Synchronize on the nil (default) stream: use Device.Synchronize")
	}
	h, err := s.handle(s.dev)
	if err != nil {
		return err
	}
	return s.dev.do(func() error { return cuErr("cuStreamSynchronize", cuStreamSynchronize(h)) })
}

// Close destroys s. Work already queued on it still runs to completion; using s
// afterwards is an error. Closing twice is a no-op.
func (s *Stream) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.dev.do(func() error { return cuErr("cuStreamDestroy_v2", cuStreamDestroy(s.h)) })
}
