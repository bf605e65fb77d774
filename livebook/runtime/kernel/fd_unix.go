//go:build unix

package kernel

import (
	"fmt"
	"os"
	"syscall"
)

// descriptors opens the request and response descriptors and a duplicate of standard
// output for the markers, so that cells that close or replace os.Stdout do not lose
// them. None is inherited by the commands a cell starts.
func descriptors() (*os.File, *os.File, *os.File, error) {
	for _, fd := range []int{RequestFD, ResponseFD} {
		var st syscall.Stat_t
		if err := syscall.Fstat(fd, &st); err != nil {
			return nil, nil, nil, fmt.Errorf("descriptor %d: %w (the kernel is started by the livebook runtime)", fd, err)
		}
		syscall.CloseOnExec(fd)
	}
	syscall.ForkLock.RLock()
	marks, err := syscall.Dup(1)
	if err == nil {
		syscall.CloseOnExec(marks)
	}
	syscall.ForkLock.RUnlock()
	if err != nil {
		return nil, nil, nil, fmt.Errorf("duplicating standard output: %w", err)
	}
	return os.NewFile(RequestFD, "requests"), os.NewFile(ResponseFD, "responses"), os.NewFile(uintptr(marks), "markers"), nil
}
