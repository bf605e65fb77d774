//go:build !unix

package kernel

import (
	"errors"
	"os"
)

// descriptors fails: kernels run on Unix systems only.
func descriptors() (*os.File, *os.File, *os.File, error) {
	return nil, nil, nil, errors.New("the kernel needs a Unix system")
}
