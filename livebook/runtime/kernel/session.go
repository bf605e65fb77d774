package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/importer"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Config configures a Session.
type Config struct {
	// Dir is the scratch directory that holds the cells' module; it is created if
	// needed. Required.
	Dir string
	// GonxRoot is a gonx checkout whose modules cells may import (the directory of its
	// go.work); empty for the standard library only.
	GonxRoot string
	// GoCmd is the go command; "go" (from PATH) when empty.
	GoCmd string
	// BuildFlags are added to every go build of a cell, for instance -race when the
	// process that loads the plugins was built with it.
	BuildFlags []string
	// Env is the environment of the go commands; os.Environ() when nil.
	Env []string
}

// Session evaluates cells in the calling process: it builds each cell into a plugin
// and loads it into this process, so the process must be built with cgo, by the same
// toolchain, with the same flags as the plugins. A Session is not safe for concurrent
// use.
type Session struct {
	cfg       Config
	env       []string
	goVersion string
	fset      *token.FileSet
	sizes     types.Sizes
	imp       types.Importer
	exports   map[string]export
	autos     map[string]string // package name -> path, for automatic imports
	imports   map[string]string // package name -> path, from cells' imports
	bindings  map[string]*binding
	pkgs      map[*types.Package]*evalPkg
	cells     map[int]string // evaluation -> cell ID
	modules   []module       // the gonx checkout's modules, when there is one
	exported  []*evalPkg     // the cells Export added, in order
	seq       int
	goEnv     []string // the variables set for go commands
	requires  int      // changes of the scratch module's requirements
}

// evalPkg is the package of one evaluation.
type evalPkg struct {
	seq   int
	name  string         // cell0003
	path  string         // gonxcells/cell0003
	cell  string         // the cell's ID
	types *types.Package // the checked package, with the cell's own names
}

// binding is a name a cell declared, as later cells see it.
type binding struct {
	obj types.Object
	pkg *evalPkg
}

// export locates a package's export data, or says why there is none.
type export struct {
	file string
	err  string
}

// ErrUnsupported is returned when cells cannot run here: no cgo, or a platform without
// Go plugins.
var ErrUnsupported = errors.New("kernel: Go plugins are not supported here")

// NewSession prepares the scratch module in cfg.Dir and checks the toolchain.
func NewSession(cfg Config) (*Session, error) {
	if cfg.Dir == "" {
		return nil, errors.New("kernel: no scratch directory")
	}
	if !pluginsSupported() {
		return nil, fmt.Errorf("%w (%s)", ErrUnsupported, runtime.GOOS)
	}
	if cfg.GoCmd == "" {
		cfg.GoCmd = "go"
	}
	if cfg.Env == nil {
		cfg.Env = os.Environ()
	}
	dir, err := filepath.Abs(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	cfg.Dir = dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	s := &Session{
		cfg:      cfg,
		fset:     token.NewFileSet(),
		exports:  map[string]export{},
		imports:  map[string]string{},
		bindings: map[string]*binding{},
		pkgs:     map[*types.Package]*evalPkg{},
		cells:    map[int]string{},
	}
	work := "off"
	var modules []module
	if cfg.GonxRoot != "" {
		root, err := filepath.Abs(cfg.GonxRoot)
		if err != nil {
			return nil, fmt.Errorf("kernel: gonx root: %w", err)
		}
		if modules, err = workspaceModules(root); err != nil {
			return nil, fmt.Errorf("kernel: gonx root: %w", err)
		}
		s.modules = modules
		work = filepath.Join(dir, "go.work")
	}
	s.goEnv = []string{"GOWORK=" + work, "CGO_ENABLED=1", "GOTOOLCHAIN=local", "GO111MODULE=on"}
	s.env = append(environ(cfg.Env, "GOWORK", "CGO_ENABLED", "GOTOOLCHAIN", "GO111MODULE"), s.goEnv...)
	var info struct{ GOVERSION, GOARCH, CGO_ENABLED string }
	out, err := s.goOutput("env", "-json", "GOVERSION", "GOARCH", "CGO_ENABLED")
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(out, &info); err != nil {
		return nil, fmt.Errorf("kernel: go env: %w", err)
	}
	if info.CGO_ENABLED != "1" {
		return nil, fmt.Errorf("%w: cgo is disabled, and Go plugins need it (install a C compiler)", ErrUnsupported)
	}
	s.goVersion = info.GOVERSION
	s.sizes = types.SizesFor("gc", info.GOARCH)
	version := strings.TrimPrefix(info.GOVERSION, "go")
	if i := strings.IndexAny(version, " -+"); i >= 0 {
		version = version[:i]
	}
	mod := fmt.Sprintf("module %s\n\ngo %s\n", modulePath, version)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod), 0o644); err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	s.autos = stdPackages()
	if work != "off" {
		var b strings.Builder
		fmt.Fprintf(&b, "go %s\n\nuse .\n", version)
		for _, m := range modules {
			fmt.Fprintf(&b, "use %s\n", quoteWorkPath(m.dir))
			if name := m.path[strings.LastIndex(m.path, "/")+1:]; m.hasPackage && s.autos[name] == "" {
				s.autos[name] = m.path
			}
		}
		if err := os.WriteFile(work, []byte(b.String()), 0o644); err != nil {
			return nil, fmt.Errorf("kernel: %w", err)
		}
	}
	s.imp = importer.ForCompiler(s.fset, "gc", s.lookup)
	return s, nil
}

// GoVersion returns the version of the toolchain that builds the cells.
func (s *Session) GoVersion() string { return s.goVersion }

// environ returns env without the named variables.
func environ(env []string, drop ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, d := range drop {
			if strings.HasPrefix(kv, d+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// quoteWorkPath quotes a path for go.work when it needs quoting.
func quoteWorkPath(path string) string {
	if strings.ContainsAny(path, " \t\"'`\\") {
		return fmt.Sprintf("%q", path)
	}
	return path
}

// command returns a go command run in the scratch module.
func (s *Session) command(args ...string) *exec.Cmd {
	cmd := exec.Command(s.cfg.GoCmd, args...)
	cmd.Dir = s.cfg.Dir
	cmd.Env = s.env
	return cmd
}

// goOutput runs a go command and returns its standard output.
func (s *Session) goOutput(args ...string) ([]byte, error) {
	cmd := s.command(args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("kernel: go %s: %w: %s", args[0], err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// ensureExports makes sure the export data of the packages at paths, and of their
// dependencies, is built and located.
func (s *Session) ensureExports(paths []string) {
	var need []string
	for _, p := range paths {
		if _, ok := s.exports[p]; !ok && p != "unsafe" && p != "C" {
			need = append(need, p)
		}
	}
	if len(need) == 0 {
		return
	}
	// -mod=readonly, whatever GOFLAGS says: an import that no required module
	// provides must fail here, so that fetchModules gets its module, at the version
	// the cell names, with its progress in the cell's output.
	args := append([]string{"list", "-mod=readonly", "-e", "-export", "-deps", "-json=ImportPath,Export,Error"}, need...)
	cmd := s.command(args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p struct {
			ImportPath, Export string
			Error              *struct{ Err string }
		}
		if dec.Decode(&p) != nil {
			break
		}
		e := export{file: p.Export}
		if p.Error != nil {
			e.err = p.Error.Err
		}
		if e.file == "" && e.err == "" {
			e.err = "no export data"
		}
		s.exports[p.ImportPath] = e
	}
	for _, p := range need {
		if _, ok := s.exports[p]; !ok {
			msg := strings.TrimSpace(stderr.String())
			if msg == "" && err != nil {
				msg = err.Error()
			}
			s.exports[p] = export{err: "cannot find package: " + msg}
		}
	}
}

// lookup opens the export data of a package for the gc importer.
func (s *Session) lookup(path string) (io.ReadCloser, error) {
	e, ok := s.exports[path]
	if !ok {
		s.ensureExports([]string{path})
		e = s.exports[path]
	}
	if e.file == "" {
		return nil, errors.New(e.err)
	}
	return os.Open(e.file)
}

// module is a module of a gonx checkout.
type module struct {
	dir, path  string
	hasPackage bool // the module's root directory holds a package
}

// workspaceModules lists the modules of the checkout at root: those its go.work uses,
// or root itself and its subdirectories with a go.mod.
func workspaceModules(root string) ([]module, error) {
	var dirs []string
	if data, err := os.ReadFile(filepath.Join(root, "go.work")); err == nil {
		inUse := false
		for _, line := range strings.Split(string(data), "\n") {
			line = strings.TrimSpace(line)
			if i := strings.Index(line, "//"); i >= 0 {
				line = strings.TrimSpace(line[:i])
			}
			switch {
			case line == "use (":
				inUse = true
			case inUse && line == ")":
				inUse = false
			case inUse && line != "":
				dirs = append(dirs, strings.Trim(line, "\"`"))
			case strings.HasPrefix(line, "use "):
				dirs = append(dirs, strings.Trim(strings.TrimSpace(line[4:]), "\"`"))
			}
		}
	} else {
		dirs = append(dirs, ".")
		entries, err := os.ReadDir(root)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() {
				dirs = append(dirs, e.Name())
			}
		}
	}
	var mods []module
	for _, d := range dirs {
		if !filepath.IsAbs(d) {
			d = filepath.Join(root, d)
		}
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err != nil {
			continue
		}
		m := module{dir: d}
		for _, line := range strings.Split(string(data), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
				m.path = strings.Trim(f[1], "\"`")
				break
			}
		}
		if m.path == "" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(d, "*.go"))
		for _, f := range files {
			if !strings.HasSuffix(f, "_test.go") {
				m.hasPackage = true
				break
			}
		}
		mods = append(mods, m)
	}
	if len(mods) == 0 {
		return nil, fmt.Errorf("no Go modules in %s", root)
	}
	return mods, nil
}

// pluginsSupported reports whether this platform can load Go plugins.
func pluginsSupported() bool {
	switch runtime.GOOS {
	case "linux", "darwin", "freebsd":
		return true
	}
	return false
}
