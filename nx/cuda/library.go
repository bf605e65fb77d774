package cuda

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
)

// EnvLibraryPath names the environment variable that, when set to a
// colon-separated list of directories, makes this package look for libcuda.so.1,
// libnvrtc.so.* and libcublas.so.* in those directories only.
const EnvLibraryPath = "NX_CUDA_LIBRARY_PATH"

// libFiles lists, for each library, the file names tried in order (newest
// release first).
var libFiles = [...][]string{
	libDriver: {"libcuda.so.1", "libcuda.so"},
	libNVRTC:  {"libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2", "libnvrtc.so"},
	libCUBLAS: {"libcublas.so.13", "libcublas.so.12", "libcublas.so.11", "libcublas.so"},
}

// libTitles names each library in messages.
var libTitles = [...]string{libDriver: "CUDA driver", libNVRTC: "NVRTC", libCUBLAS: "cuBLAS"}

// searchDirs returns the directories to search, in order; "" stands for the
// system loader's own search. NX_CUDA_LIBRARY_PATH, when set, replaces them.
func searchDirs() []string {
	if v := os.Getenv(EnvLibraryPath); v != "" {
		var dirs []string
		for _, d := range filepath.SplitList(v) {
			if d != "" {
				dirs = append(dirs, d)
			}
		}
		return dirs
	}
	dirs := []string{""}
	for _, env := range []string{"CUDA_PATH", "CUDA_HOME"} {
		if v := os.Getenv(env); v != "" {
			dirs = append(dirs, filepath.Join(v, "lib64"), filepath.Join(v, "lib"))
		}
	}
	arch := map[string]string{"amd64": "x86_64", "arm64": "sbsa"}[runtime.GOARCH]
	dirs = append(dirs, "/usr/local/cuda/lib64", "/usr/local/cuda/targets/"+arch+"-linux/lib", "/usr/lib/wsl/lib")
	return dirs
}

// loaded is the outcome of loading one library.
type loaded struct {
	path string // the file that was loaded
	err  error  // why none could be loaded or bound
}

var (
	loadMu sync.Mutex
	libs   [3]*loaded // nil until the library's first use
)

// load loads library l once and binds its symbols; later calls return the
// first outcome.
func load(l lib) *loaded {
	loadMu.Lock()
	defer loadMu.Unlock()
	if libs[l] == nil {
		libs[l] = open(l)
	}
	return libs[l]
}

// open searches for library l and binds its symbols.
func open(l lib) *loaded {
	sentinel := ErrNoLibrary
	if l == libDriver {
		sentinel = ErrNoDriver
	}
	dirs := searchDirs()
	var lastErr error
	for _, dir := range dirs {
		for _, name := range libFiles[l] {
			path := name
			if dir != "" {
				path = filepath.Join(dir, name)
				if _, err := os.Stat(path); err != nil {
					continue
				}
			}
			h, err := dlopen(path)
			if err != nil {
				lastErr = err
				continue
			}
			if err := bindAll(l, h); err != nil {
				return &loaded{path: path, err: fmt.Errorf("cuda: %w: %s (%s): %v", sentinel, libTitles[l], path, err)}
			}
			return &loaded{path: path}
		}
	}
	var where []string
	for _, d := range dirs {
		if d == "" {
			where = append(where, "the system loader's path")
		} else {
			where = append(where, d)
		}
	}
	title := libTitles[l] + ": "
	if l == libDriver {
		title = ""
	}
	msg := fmt.Sprintf("cuda: %v: %slooked for %s in %s", sentinel, title, strings.Join(libFiles[l], ", "), strings.Join(where, ", "))
	if v := os.Getenv(EnvLibraryPath); v != "" {
		msg += " (from " + EnvLibraryPath + ")"
	} else {
		msg += " (set " + EnvLibraryPath + " to the directory holding " + libFiles[l][0] + ")"
	}
	if lastErr != nil {
		msg += "; last error: " + lastErr.Error()
	}
	return &loaded{err: &loadError{msg: msg, sentinel: sentinel}}
}

// loadError is a failure to find a library; it wraps ErrNoDriver or ErrNoLibrary.
type loadError struct {
	msg      string
	sentinel error
}

func (e *loadError) Error() string { return e.msg }
func (e *loadError) Unwrap() error { return e.sentinel }

// bindAll binds every symbol of library l from the handle h. A missing
// required symbol is an error; a missing optional one leaves its variable nil.
func bindAll(l lib, h uintptr) error {
	var missing []string
	for _, s := range symbols {
		if s.lib != l {
			continue
		}
		addr := dlsym(h, s.name)
		if p := fastAddrs[s.name]; p != nil {
			*p = addr
		}
		if addr == 0 {
			reflect.ValueOf(s.fn).Elem().SetZero()
			if !s.optional {
				missing = append(missing, s.name)
			}
			continue
		}
		if err := bind(s.fn, addr); err != nil {
			return fmt.Errorf("binding %s: %w", s.name, err)
		}
	}
	if len(missing) > 0 {
		return errors.New("missing entry points " + strings.Join(missing, ", "))
	}
	return nil
}
