package nx

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
)

// Backends.
//
// Compiled functions run on the CPU unless another backend is selected. As
// with database/sql drivers, a backend package registers itself from its init
// function (a blank import, such as _ "github.com/gonx-dev/gonx/nx/cuda", is
// enough), so programs that never import it link none of it. Registering
// opens nothing: a backend's Open runs the first time it is selected, and its
// failure (no GPU driver, say) is an error of that selection or of the first
// compiled call, never a failure at start-up.
//
// The backend a compiled function uses is, in order: the one named by its
// OnBackend option, the one set by SetBackend, the one named by the
// environment variable NX_BACKEND, and "cpu".

// CPUBackend is the name of the built-in backend: the compiled plan runs on
// the CPU (pure Go with assembly kernels).
const CPUBackend = "cpu"

// Driver is a backend: it compiles graphs into executables for its device.
type Driver interface {
	// Compile returns an executable that computes g's outputs from its inputs.
	Compile(g *Graph) (Executable, error)
}

// Executable is a graph compiled by a Driver.
type Executable interface {
	// Run computes the graph's outputs from concrete inputs of the shapes and
	// types of Graph.Inputs. It is called from several goroutines at once.
	Run(inputs []*Tensor) ([]*Tensor, error)
}

type backendEntry struct {
	open   func() (Driver, error)
	once   sync.Once
	driver Driver
	err    error
}

var backends = struct {
	sync.Mutex
	m        map[string]*backendEntry
	selected string // set by SetBackend; "" for NX_BACKEND or the CPU
}{m: map[string]*backendEntry{}}

// RegisterBackend makes a backend available under name. open is called once,
// the first time the backend is selected; it should report a missing device
// or library as an error. RegisterBackend panics if name is empty, is "cpu",
// or is already registered, as database/sql.Register does.
func RegisterBackend(name string, open func() (Driver, error)) {
	if name == "" || name == CPUBackend || open == nil {
		panic(&Error{Op: "nx.RegisterBackend", Msg: fmt.Sprintf("invalid backend %q (the name must be new and not %q, open not nil)", name, CPUBackend)})
	}
	backends.Lock()
	defer backends.Unlock()
	if _, dup := backends.m[name]; dup {
		panic(&Error{Op: "nx.RegisterBackend", Msg: fmt.Sprintf("backend %q registered twice", name)})
	}
	backends.m[name] = &backendEntry{open: open}
}

// Backends returns the names of the available backends, sorted, "cpu"
// included.
func Backends() []string {
	backends.Lock()
	defer backends.Unlock()
	names := []string{CPUBackend}
	for n := range backends.m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Backend returns the name of the backend that compiled functions without an
// OnBackend option use: the one set by SetBackend, else NX_BACKEND's, else
// "cpu". It does not open the backend; SetBackend does, and reports whether
// it can run.
func Backend() string {
	backends.Lock()
	defer backends.Unlock()
	return defaultBackendLocked()
}

func defaultBackendLocked() string {
	if backends.selected != "" {
		return backends.selected
	}
	if env := strings.TrimSpace(os.Getenv("NX_BACKEND")); env != "" {
		return strings.ToLower(env)
	}
	return CPUBackend
}

// SetBackend opens the backend called name and makes it the default of
// compiled functions traced from then on; "" restores the default of
// NX_BACKEND or the CPU. It returns an error, and changes nothing, when no
// backend has that name (its package was not imported) or when it cannot run
// here (for "cuda", an error containing "no CUDA driver found" on a machine
// without a GPU).
func SetBackend(name string) error {
	name = strings.ToLower(strings.TrimSpace(name))
	if name != CPUBackend && name != "" {
		if _, err := openBackend(name); err != nil {
			return err
		}
	}
	backends.Lock()
	backends.selected = name
	backends.Unlock()
	return nil
}

// OnBackend makes Jit compile for the backend called name instead of the
// default (see Backend). When that backend is missing or cannot run, the
// first call of the compiled function panics with an *Error saying why, which
// Recover turns into an error.
func OnBackend(name string) JitOption {
	return func(c *jitConfig) { c.backend = strings.ToLower(strings.TrimSpace(name)) }
}

// openBackend returns the driver of a registered backend, opening it the
// first time.
func openBackend(name string) (Driver, error) {
	backends.Lock()
	e, ok := backends.m[name]
	backends.Unlock()
	if !ok {
		hint := ""
		if name == "cuda" {
			hint = " (import _ \"github.com/gonx-dev/gonx/nx/cuda\" to register it)"
		}
		return nil, fmt.Errorf("nx: backend %q is not registered%s; available: %s", name, hint, strings.Join(Backends(), ", "))
	}
	e.once.Do(func() {
		defer func() {
			if r := recover(); r != nil {
				e.err = fmt.Errorf("nx: backend %q: opening panicked: %v", name, r)
			}
		}()
		e.driver, e.err = e.open()
		if e.err == nil && e.driver == nil {
			e.err = fmt.Errorf("nx: backend %q: open returned no driver", name)
		}
	})
	if e.err != nil {
		return nil, fmt.Errorf("nx: backend %q: %w", name, e.err)
	}
	return e.driver, nil
}

// resolveBackend returns the backend a Jit configuration uses.
func resolveBackend(cfg *jitConfig) string {
	if cfg.backend != "" {
		return cfg.backend
	}
	return Backend()
}
