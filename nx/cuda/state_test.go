package cuda

import (
	"reflect"
	"sync"
	"testing"
)

// fakeLoaded and systemLoaded record which libcuda.so.1 this test process has
// loaded: the fake (testdata/fake) or the system's. Both have the same soname,
// so once one is loaded the dynamic loader hands it out for the other too;
// tests that need the other one skip.
var fakeLoaded, systemLoaded bool

// resetState forgets every loaded library, the driver state and the opened
// devices, so that the next call loads afresh (from NX_CUDA_LIBRARY_PATH as it
// is then). Libraries stay mapped; loading the same file again reuses them.
func resetState() {
	loadMu.Lock()
	libs = [3]*loaded{}
	loadMu.Unlock()
	devMu.Lock()
	drv, devices = nil, nil
	devMu.Unlock()
	archOnce, archList = sync.Once{}, nil
	for _, s := range symbols {
		reflect.ValueOf(s.fn).Elem().SetZero()
	}
	for _, p := range fastAddrs {
		*p = 0
	}
}

// useSystem resets the package to search the system's libraries, as a program
// would, and restores a clean state after the test.
func useSystem(t *testing.T) {
	t.Helper()
	t.Setenv(EnvLibraryPath, "")
	resetState()
	t.Cleanup(resetState)
}

// useDir resets the package to load libraries from dir only.
func useDir(t *testing.T, dir string) {
	t.Helper()
	t.Setenv(EnvLibraryPath, dir)
	resetState()
	t.Cleanup(resetState)
}
