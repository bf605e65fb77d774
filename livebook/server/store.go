package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Extension is the file name extension of notebooks.
const Extension = ".livemd"

// Errors the Store returns for paths it refuses; callers branch on them with
// errors.Is (the API answers 400 or 403).
var (
	// ErrBadPath: the path is absolute, holds "..", is empty or is not a notebook.
	ErrBadPath = errors.New("invalid notebook path")
	// ErrOutsideRoot: the path resolves, through symbolic links, outside the root.
	ErrOutsideRoot = errors.New("path leaves the notebooks root")
)

// maxListed caps how many notebooks Store.List returns.
const maxListed = 10000

// Store is the notebooks root: it lists, reads and writes .livemd files beneath one
// directory and never outside it. Every name it takes is slash-separated and relative
// to the root; symbolic links are followed only while they stay inside.
type Store struct {
	dir  string // the root's absolute path with symbolic links resolved
	root *os.Root

	// beforeRename, for tests, runs after the temporary file is written and synced
	// and before it replaces the notebook; an error aborts the write as a crash
	// would.
	beforeRename func(tmp string) error
}

// OpenStore opens the notebooks root dir.
func OpenStore(dir string) (*Store, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("server: notebooks root: %w", err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("server: notebooks root: %w", err)
	}
	root, err := os.OpenRoot(real)
	if err != nil {
		return nil, fmt.Errorf("server: notebooks root: %w", err)
	}
	return &Store{dir: real, root: root}, nil
}

// Dir returns the root's absolute path.
func (s *Store) Dir() string { return s.dir }

// Close releases the root.
func (s *Store) Close() error { return s.root.Close() }

// Abs returns the absolute file name of name, a path Resolve returned.
func (s *Store) Abs(name string) string {
	return filepath.Join(s.dir, filepath.FromSlash(name))
}

// checkName validates the syntax of a notebook name relative to the root.
func checkName(name string) error {
	switch {
	case name == "" || strings.ContainsRune(name, 0):
		return fmt.Errorf("%w: empty", ErrBadPath)
	case strings.HasPrefix(name, "/") || filepath.IsAbs(name) || strings.Contains(name, `\`):
		return fmt.Errorf("%w: %q is not a relative path", ErrBadPath, name)
	}
	for _, elem := range strings.Split(name, "/") {
		if elem == ".." {
			return fmt.Errorf("%w: %q: \"..\" is not allowed", ErrBadPath, name)
		}
	}
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("%w: %q", ErrBadPath, name)
	}
	if path.Ext(name) != Extension {
		return fmt.Errorf("%w: %q is not a %s file", ErrBadPath, name, Extension)
	}
	return nil
}

// Resolve checks name and returns the notebook's canonical name: cleaned, and with
// symbolic links resolved, so that two names for one file give one session. It
// fails with ErrBadPath for absolute names, names holding "..", and names that are
// not .livemd files, and with ErrOutsideRoot when a symbolic link leads outside the
// root. The file need not exist, but its directory must.
func (s *Store) Resolve(name string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	clean := path.Clean(name)
	full := s.Abs(clean)
	real, err := filepath.EvalSymlinks(full)
	if errors.Is(err, fs.ErrNotExist) {
		if _, lerr := os.Lstat(full); lerr == nil {
			return "", fmt.Errorf("server: %s: %w: a dangling symbolic link", clean, ErrBadPath)
		}
		// A new file: its directory must resolve inside the root.
		var dir string
		dir, err = filepath.EvalSymlinks(filepath.Dir(full))
		real = filepath.Join(dir, filepath.Base(full))
	}
	if err != nil {
		return "", fmt.Errorf("server: %s: %w", clean, err)
	}
	rel, err := filepath.Rel(s.dir, real)
	if err != nil || !filepath.IsLocal(rel) {
		return "", fmt.Errorf("server: %s: %w", clean, ErrOutsideRoot)
	}
	rel = filepath.ToSlash(rel)
	if path.Ext(rel) != Extension {
		return "", fmt.Errorf("server: %s: %w: links to a file that is not a notebook", clean, ErrBadPath)
	}
	return rel, nil
}

// Read returns the contents of the notebook name, a name Resolve returned.
func (s *Store) Read(name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	data, err := s.root.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("server: read %s: %w", name, err)
	}
	return data, nil
}

// Create writes a new notebook name with data; it fails with fs.ErrExist when the
// file is there already. Like Write it is atomic: the data goes to a synced
// temporary file, which is then linked to name (a link, unlike a rename, fails when
// name exists), so that a crash never leaves a truncated notebook.
func (s *Store) Create(name string, data []byte) (err error) {
	if err := checkName(name); err != nil {
		return err
	}
	if _, err := s.root.Lstat(name); err == nil {
		return fmt.Errorf("server: create %s: %w", name, fs.ErrExist)
	}
	dir, base := path.Split(name)
	tmp := dir + "." + base + ".tmp-" + randomHex(6)
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("server: create %s: %w", name, err)
	}
	defer func() {
		_ = s.root.Remove(tmp)
		if err != nil {
			err = fmt.Errorf("server: create %s: %w", name, err)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if s.beforeRename != nil {
		if err := s.beforeRename(tmp); err != nil {
			return err
		}
	}
	if err := s.root.Link(tmp, name); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		// A file system without hard links: refuse to replace, then rename.
		if _, serr := s.root.Lstat(name); serr == nil {
			return fs.ErrExist
		}
		if err := s.root.Rename(tmp, name); err != nil {
			return err
		}
	}
	return s.syncDir(path.Dir(name))
}

// Remove deletes the notebook name, a name Resolve returned; it fails with
// fs.ErrNotExist when there is none.
func (s *Store) Remove(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := s.root.Remove(name); err != nil {
		return fmt.Errorf("server: remove %s: %w", name, err)
	}
	return s.syncDir(path.Dir(name))
}

// Write replaces the notebook name with data atomically: it writes a temporary file
// in the same directory, syncs it, renames it over name and syncs the directory. A
// crash at any point leaves either the old file or the new one, never a truncated
// one (at worst a stray hidden temporary file, which List ignores).
func (s *Store) Write(name string, data []byte) (err error) {
	if err := checkName(name); err != nil {
		return err
	}
	mode := fs.FileMode(0o644)
	if fi, err := s.root.Stat(name); err == nil {
		mode = fi.Mode().Perm()
	}
	dir, base := path.Split(name)
	tmp := dir + "." + base + ".tmp-" + randomHex(6)
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("server: save %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			_ = s.root.Remove(tmp)
			err = fmt.Errorf("server: save %s: %w", name, err)
		}
	}()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if s.beforeRename != nil {
		if err := s.beforeRename(tmp); err != nil {
			return err
		}
	}
	if err := s.root.Rename(tmp, name); err != nil {
		return err
	}
	return s.syncDir(path.Dir(name))
}

// syncDir flushes a directory, so that a rename or a new entry in it survives a
// crash.
func (s *Store) syncDir(dir string) error {
	d, err := s.root.Open(dir)
	if err != nil {
		return fmt.Errorf("server: sync %s: %w", dir, err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("server: sync %s: %w", dir, err)
	}
	return nil
}

// NotebookInfo describes a notebook file under the root.
type NotebookInfo struct {
	// Path is the notebook's name relative to the root, slash-separated.
	Path string `json:"path"`
	// Size is the file size in bytes.
	Size int64 `json:"size"`
	// Modified is the file's modification time.
	Modified time.Time `json:"modified"`
}

// List returns the notebooks beneath the root, sorted by path. It skips hidden files
// and directories (names starting with "."), does not descend into symbolic links to
// directories, and lists a symbolic link only when it leads to a notebook inside
// the root.
func (s *Store) List() ([]NotebookInfo, error) {
	var out []NotebookInfo
	err := fs.WalkDir(s.root.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == "." {
				return err
			}
			return nil // an unreadable directory: skip it
		}
		if name != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || path.Ext(name) != Extension {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if _, err := s.Resolve(name); err != nil {
				return nil // a link out of the root, or to something else
			}
		}
		fi, err := s.root.Stat(name) // follows links, refuses those that leave
		if err != nil || !fi.Mode().IsRegular() {
			return nil
		}
		out = append(out, NotebookInfo{Path: name, Size: fi.Size(), Modified: fi.ModTime()})
		if len(out) >= maxListed {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("server: list notebooks: %w", err)
	}
	slices.SortFunc(out, func(a, b NotebookInfo) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails
	return hex.EncodeToString(b)
}
