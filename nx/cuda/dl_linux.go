//go:build linux && (amd64 || arm64)

package cuda

import (
	"fmt"

	"github.com/ebitengine/purego"
)

// dlopen loads the shared library at path (a file name alone goes through the
// system loader's search: LD_LIBRARY_PATH, the ld.so cache, /lib, /usr/lib).
func dlopen(path string) (uintptr, error) {
	return purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_LOCAL)
}

// dlsym returns the address of name in the library h, or 0 when it is absent.
func dlsym(h uintptr, name string) uintptr {
	addr, err := purego.Dlsym(h, name)
	if err != nil {
		return 0
	}
	return addr
}

// bind points the function variable *fptr at the C function at addr.
func bind(fptr any, addr uintptr) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	purego.RegisterFunc(fptr, addr)
	return nil
}

// ccall calls the C function at addr with integer and pointer arguments and
// returns its integer result (the full register: callers truncate it to the
// C type).
func ccall(addr uintptr, args ...uintptr) uintptr {
	r, _, _ := purego.SyscallN(addr, args...)
	return r
}
