//go:build !linux || !(amd64 || arm64)

package cuda

import (
	"errors"
	"runtime"
)

var errUnsupported = errors.New("loading CUDA libraries is supported on linux/amd64 and linux/arm64 only, not " + runtime.GOOS + "/" + runtime.GOARCH)

// dlopen always fails on this platform.
func dlopen(string) (uintptr, error) { return 0, errUnsupported }

// dlsym always returns 0 on this platform.
func dlsym(uintptr, string) uintptr { return 0 }

// bind always fails on this platform.
func bind(any, uintptr) error { return errUnsupported }

// ccall is never reached on this platform: no library loads.
func ccall(uintptr, ...uintptr) uintptr { panic(errUnsupported) }
