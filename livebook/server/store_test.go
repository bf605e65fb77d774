package server

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// storeFixture makes a root with notebooks, an outside directory and links.
func storeFixture(t *testing.T) (*Store, string, string) {
	t.Helper()
	base := t.TempDir()
	root, outside := filepath.Join(base, "root"), filepath.Join(base, "outside")
	for _, d := range []string{root, outside, filepath.Join(root, "sub"), filepath.Join(root, ".hidden")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		filepath.Join(root, "a.livemd"):               simpleNotebook,
		filepath.Join(root, "sub", "b.livemd"):        "# B\n",
		filepath.Join(root, ".hidden", "h.livemd"):    "# H\n",
		filepath.Join(root, "notes.txt"):              "not a notebook",
		filepath.Join(outside, "secret.livemd"):       "# Secret\n",
		filepath.Join(outside, "other", "x.livemd"):   "# X\n",
		filepath.Join(outside, "other", "y.livemd"):   "# Y\n",
		filepath.Join(root, ".a.livemd.tmp-deadbeef"): "partial",
	}
	for p, c := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"escape.livemd":   "../outside/secret.livemd",
		"abs.livemd":      filepath.Join(outside, "secret.livemd"),
		"outdir":          "../outside/other",
		"inside.livemd":   "a.livemd",
		"sub/up.livemd":   "../a.livemd",
		"dangling.livemd": "nowhere.livemd",
		"text.livemd":     "notes.txt",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(name))); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	s, err := OpenStore(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, root, outside
}

func TestResolve(t *testing.T) {
	s, _, _ := storeFixture(t)
	tests := []struct {
		name, want string
		err        error
	}{
		{name: "a.livemd", want: "a.livemd"},
		{name: "./sub//b.livemd", want: "sub/b.livemd"},
		{name: "new.livemd", want: "new.livemd"},
		{name: "inside.livemd", want: "a.livemd"},
		{name: "sub/up.livemd", want: "a.livemd"},
		{name: "../x.livemd", err: ErrBadPath},
		{name: "sub/../../x.livemd", err: ErrBadPath},
		{name: "sub/../a.livemd", err: ErrBadPath},
		{name: "/etc/passwd.livemd", err: ErrBadPath},
		{name: `sub\b.livemd`, err: ErrBadPath},
		{name: "", err: ErrBadPath},
		{name: "a.md", err: ErrBadPath},
		{name: "notes.txt", err: ErrBadPath},
		{name: "text.livemd", err: ErrBadPath},
		{name: "dangling.livemd", err: ErrBadPath},
		{name: "escape.livemd", err: ErrOutsideRoot},
		{name: "abs.livemd", err: ErrOutsideRoot},
		{name: "outdir/x.livemd", err: ErrOutsideRoot},
		{name: "outdir/new.livemd", err: ErrOutsideRoot},
		{name: "missing/x.livemd", err: fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Resolve(tt.name)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("Resolve(%q) = %q, %v; want %v", tt.name, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Resolve(%q) = %q, %v; want %q", tt.name, got, err, tt.want)
			}
		})
	}
}

func TestStoreRefusesEscapes(t *testing.T) {
	s, _, outside := storeFixture(t)
	if _, err := s.Read("escape.livemd"); err == nil {
		t.Error("Read followed a link out of the root")
	}
	if _, err := s.Read("outdir/x.livemd"); err == nil {
		t.Error("Read followed a directory link out of the root")
	}
	if err := s.Create("outdir/new.livemd", []byte("# New\n")); err == nil {
		t.Error("Create wrote through a directory link out of the root")
	}
	if err := s.Write("outdir/x.livemd", []byte("# Changed\n")); err == nil {
		t.Error("Write wrote through a directory link out of the root")
	}
	for _, name := range []string{"secret.livemd", "other/x.livemd"} {
		data, err := os.ReadFile(filepath.Join(outside, name))
		if err != nil || strings.Contains(string(data), "Changed") {
			t.Errorf("%s: %q, %v", name, data, err)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "other", "new.livemd")); err == nil {
		t.Error("a file appeared outside the root")
	}
}

func TestList(t *testing.T) {
	s, _, _ := storeFixture(t)
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range list {
		got = append(got, n.Path)
	}
	want := "a.livemd inside.livemd sub/b.livemd sub/up.livemd"
	if strings.Join(got, " ") != want {
		t.Errorf("List = %q, want %q", got, want)
	}
}

func TestWriteAtomic(t *testing.T) {
	s, root, _ := storeFixture(t)
	p := filepath.Join(root, "a.livemd")
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	nb := livemd.New("Rewritten")
	nb.AddSection("S").AddCode(livemd.LangGo, "y := 2")
	if err := s.Write("a.livemd", livemd.Format(nb)); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if os.SameFile(before, after) {
		t.Error("Write rewrote the file in place; want a new file renamed over it")
	}
	if after.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", after.Mode().Perm())
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := livemd.Parse(data)
	if err != nil || got.Name != "Rewritten" || got.Sections[0].Cells[0].Source != "y := 2" {
		t.Errorf("saved notebook reads back as %+v, %v", got, err)
	}
	assertNoTemp(t, root, ".a.livemd.tmp-deadbeef")
}

// assertNoTemp fails if dir holds temporary files other than keep.
func assertNoTemp(t *testing.T, dir, keep string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") && e.Name() != keep {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestWriteCrashLeavesOldFile(t *testing.T) {
	s, root, _ := storeFixture(t)
	newData := []byte("# New\n\n## S\n\n```go\nz := 3\n```\n")
	var sawTemp bool
	s.beforeRename = func(tmp string) error {
		// The new contents are complete and durable in a temporary file in the
		// same directory, and the notebook itself is still the old one.
		sawTemp = true
		if filepath.Dir(filepath.FromSlash(tmp)) != "." || !strings.HasPrefix(tmp, ".a.livemd.tmp-") {
			t.Errorf("temporary file %q, want a hidden file beside a.livemd", tmp)
		}
		data, err := os.ReadFile(filepath.Join(root, tmp))
		if err != nil || string(data) != string(newData) {
			t.Errorf("temporary file holds %q, %v", data, err)
		}
		old, _ := os.ReadFile(filepath.Join(root, "a.livemd"))
		if string(old) != simpleNotebook {
			t.Errorf("notebook changed before the rename: %q", old)
		}
		return errors.New("simulated crash")
	}
	if err := s.Write("a.livemd", newData); err == nil {
		t.Fatal("Write succeeded despite the crash")
	}
	if !sawTemp {
		t.Fatal("Write did not go through a temporary file")
	}
	data, err := os.ReadFile(filepath.Join(root, "a.livemd"))
	if err != nil || string(data) != simpleNotebook {
		t.Errorf("after a failed save the notebook holds %q, %v", data, err)
	}
	if _, err := livemd.Parse(data); err != nil {
		t.Errorf("old notebook no longer parses: %v", err)
	}
	assertNoTemp(t, root, ".a.livemd.tmp-deadbeef")
}

func TestCreate(t *testing.T) {
	s, root, _ := storeFixture(t)
	if err := s.Create("sub/c.livemd", []byte("# C\n")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(root, "sub", "c.livemd")); string(data) != "# C\n" {
		t.Errorf("created %q", data)
	}
	if err := s.Create("sub/c.livemd", []byte("# D\n")); !errors.Is(err, fs.ErrExist) {
		t.Errorf("second Create: %v, want fs.ErrExist", err)
	}
}
