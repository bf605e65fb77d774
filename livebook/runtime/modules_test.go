package runtime

import (
	"archive/zip"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// mustGetwd returns the working directory.
func mustGetwd(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// gonxRoot returns the gonx checkout these tests run in, or skips the test.
func gonxRoot(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds cells against the gonx workspace")
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(filepath.Dir(wd))
	if _, err := os.Stat(filepath.Join(root, "go.work")); err != nil {
		t.Skip("not in a gonx checkout")
	}
	return root
}

// proxyModule is one version of a module served by a test's module proxy.
type proxyModule struct {
	path, version string
	files         map[string]string // name -> content, go.mod included
}

// moduleProxy writes a module proxy in the layout of GOPROXY=file://DIR (module/@v/list,
// VERSION.info, VERSION.mod, VERSION.zip) and returns its GOPROXY value.
func moduleProxy(t *testing.T, mods ...proxyModule) string {
	t.Helper()
	dir := t.TempDir()
	lists := map[string][]string{}
	for _, m := range mods {
		v := filepath.Join(dir, filepath.FromSlash(m.path), "@v")
		if err := os.MkdirAll(v, 0o755); err != nil {
			t.Fatal(err)
		}
		lists[v] = append(lists[v], m.version)
		write := func(name, data string) {
			if err := os.WriteFile(filepath.Join(v, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		write(m.version+".info", `{"Version":"`+m.version+`","Time":"2025-01-02T03:04:05Z"}`)
		write(m.version+".mod", m.files["go.mod"])
		f, err := os.Create(filepath.Join(v, m.version+".zip"))
		if err != nil {
			t.Fatal(err)
		}
		zw := zip.NewWriter(f)
		for name, data := range m.files {
			w, err := zw.Create(m.path + "@" + m.version + "/" + name)
			if err == nil {
				_, err = w.Write([]byte(data))
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	for v, versions := range lists {
		if err := os.WriteFile(filepath.Join(v, "list"), []byte(strings.Join(versions, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return "file://" + filepath.ToSlash(dir)
}

// offlineEnv returns the environment of a kernel whose go commands fetch modules from
// proxy alone, into a module cache of the test's own.
func offlineEnv(t *testing.T, proxy, goflags string) []string {
	cache := t.TempDir()
	t.Cleanup(func() {
		// The module cache is read-only unless -modcacherw; make sure it can go.
		_ = filepath.WalkDir(cache, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				_ = os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	return append(without(os.Environ(), "GOPROXY", "GOFLAGS", "GOSUMDB", "GONOSUMDB", "GOMODCACHE", "GOPRIVATE", "GONOPROXY"),
		"GOPROXY="+proxy, "GOSUMDB=off", "GOFLAGS="+strings.TrimSpace(goflags+" -modcacherw"), "GOMODCACHE="+cache)
}

// TestKernelFetchesModules checks that a cell importing a package of a module the
// scratch module does not require gets it with go get, from GOPROXY, with the go
// command's progress in the cell's output; that a comment pins the version; that
// later cells use the module without fetching it again; and that a module no proxy
// has fails the cell with a clear error at the import's line.
func TestKernelFetchesModules(t *testing.T) {
	gomod := func(path string) string { return "module " + path + "\n\ngo 1.21\n" }
	proxy := moduleProxy(t,
		proxyModule{path: "example.com/tiny", version: "v1.0.0", files: map[string]string{
			"go.mod":  gomod("example.com/tiny"),
			"tiny.go": "// Package tiny greets.\npackage tiny\n\n// Hello greets.\nfunc Hello() string { return \"hello from tiny\" }\n",
		}},
		proxyModule{path: "example.com/pinned", version: "v1.0.0", files: map[string]string{
			"go.mod":    gomod("example.com/pinned"),
			"pinned.go": "package pinned\n\nconst Version = \"one\"\n",
		}},
		proxyModule{path: "example.com/pinned", version: "v1.1.0", files: map[string]string{
			"go.mod":    gomod("example.com/pinned"),
			"pinned.go": "package pinned\n\nconst Version = \"one point one\"\n",
		}},
	)
	t.Run("module", func(t *testing.T) {
		// With gopls, when there is one: it sees the modules that cells add.
		gopls := FindGopls(Options{GonxRoot: filepath.Dir(filepath.Dir(mustGetwd(t)))})
		fetchModules(t, Options{Env: offlineEnv(t, proxy, "-mod=mod"), TempDir: t.TempDir(), Gopls: gopls})
	})
	t.Run("workspace", func(t *testing.T) {
		root := gonxRoot(t)
		// The workspace's own requirements come from the local module cache, which is
		// laid out as a proxy too: the test stays offline.
		out, err := exec.Command("go", "env", "GOMODCACHE").Output()
		if err != nil {
			t.Fatal(err)
		}
		local := "file://" + filepath.ToSlash(filepath.Join(strings.TrimSpace(string(out)), "cache", "download"))
		fetchModules(t, Options{GonxRoot: root, Env: offlineEnv(t, proxy+","+local, ""), TempDir: t.TempDir()})
	})
}

// fetchModules runs the cells of TestKernelFetchesModules, and checks completion
// of the fetched module's names when opts names gopls.
func fetchModules(t *testing.T, opts Options) {
	k := startKernel(t, opts)
	ctx := t.Context()
	if opts.Gopls != "" {
		// gopls starts before the module is there.
		if _, err := k.Complete(ctx, "x", 1); err != nil {
			t.Fatal(err)
		}
	}

	res, err := k.Eval(ctx, "setup", "import \"example.com/tiny\"\n\ntiny.Hello()")
	if err != nil {
		t.Fatalf("Eval: %v (output %q)", err, res.Output)
	}
	if res.Value != `"hello from tiny"` {
		t.Errorf("value %q", res.Value)
	}
	for _, want := range []string{"go get example.com/tiny\n", "go: downloading example.com/tiny v1.0.0", "go: added example.com/tiny v1.0.0"} {
		if !strings.Contains(res.Output, want) {
			t.Errorf("output %q lacks %q", res.Output, want)
		}
	}

	if opts.Gopls != "" {
		c, err := k.Complete(ctx, "tiny.He", 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Items) == 0 || c.Items[0].Label != "Hello" || !strings.Contains(c.Items[0].Doc, "Hello greets.") {
			t.Errorf("completing the fetched module: %+v", c.Items)
		}
	}

	res, err = k.Eval(ctx, "again", "tiny.Hello() + \"!\"")
	if err != nil || res.Value != `"hello from tiny!"` || res.Output != "" {
		t.Errorf("a later cell: value %q, output %q, error %v; want the module without a fetch", res.Value, res.Output, err)
	}

	res, err = k.Eval(ctx, "pinned", "import (\n\t\"example.com/pinned\" // v1.0.0\n)\n\npinned.Version")
	if err != nil || res.Value != `"one"` || !strings.Contains(res.Output, "go get example.com/pinned@v1.0.0") {
		t.Errorf("a pinned version: value %q, output %q, error %v", res.Value, res.Output, err)
	}

	step{name: "missing", src: "x := 1\nimport \"example.com/nosuch\"\n\nnosuch.Thing()",
		kind: KindCompile, line: 2, msg: `cannot add the module that provides "example.com/nosuch": go get failed`}.run(t, k)
}
