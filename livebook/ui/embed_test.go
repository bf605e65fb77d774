package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// manifest is dist/manifest.json, written by build.mjs.
type manifest struct {
	SourcesSHA256 string   `json:"sources_sha256"`
	Index         string   `json:"index"`
	JS            string   `json:"js"`
	CSS           string   `json:"css"`
	Chunks        []string `json:"chunks"`
}

func readManifest(t *testing.T) manifest {
	t.Helper()
	data, err := fs.ReadFile(Dist(), "manifest.json")
	if err != nil {
		t.Fatalf("the UI bundle is missing (%v): run `make ui` and commit livebook/ui/dist", err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("dist/manifest.json: %v", err)
	}
	return m
}

// TestBundlePresent checks that the committed bundle has the page and the assets
// it names.
func TestBundlePresent(t *testing.T) {
	m := readManifest(t)
	dist := Dist()
	page, err := fs.ReadFile(dist, m.Index)
	if err != nil {
		t.Fatalf("the UI bundle has no page: %v; run `make ui`", err)
	}
	for _, asset := range []string{m.JS, m.CSS, "assets/licenses.txt"} {
		fi, err := fs.Stat(dist, asset)
		if err != nil {
			t.Fatalf("the UI bundle lacks %s: %v; run `make ui`", asset, err)
		}
		if fi.Size() == 0 {
			t.Errorf("%s is empty", asset)
		}
	}
	for _, asset := range []string{m.JS, m.CSS} {
		if !bytes.Contains(page, []byte(`"/`+asset+`"`)) {
			t.Errorf("index.html does not load /%s", asset)
		}
	}
	// Only the assets of the latest build: stale hashed files would be embedded too.
	names, err := fs.Glob(dist, "assets/*")
	if err != nil {
		t.Fatal(err)
	}
	want := append([]string{m.CSS, "assets/licenses.txt", m.JS}, m.Chunks...)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("dist/assets holds %q, want %q", names, want)
	}
}

// TestBundleFresh checks that the bundle was built from the sources in src/, as
// build.mjs hashes them.
func TestBundleFresh(t *testing.T) {
	m := readManifest(t)
	files := []string{"build.mjs", "package.json", "package-lock.json", "tsconfig.json"}
	err := fs.WalkDir(os.DirFS("."), "src", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	h := sha256.New()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(f))
		h.Write([]byte{0})
		h.Write(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
		h.Write([]byte{0})
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SourcesSHA256 {
		t.Errorf("livebook/ui/dist was built from other sources (hash %s, sources now %s): run `make ui` and commit dist/", m.SourcesSHA256, got)
	}
}

// TestAssetNames checks that asset names carry content hashes, which lets the
// server tell browsers to cache them for good.
func TestAssetNames(t *testing.T) {
	m := readManifest(t)
	hashed := regexp.MustCompile(`^assets/(main|style)-[A-Z0-9]{8,}\.(js|css)$`)
	chunk := regexp.MustCompile(`^assets/chunk-[A-Z0-9]{8,}\.js$`)
	if len(m.Chunks) == 0 {
		t.Error("no chunks: the Vega chunk is missing")
	}
	for _, c := range m.Chunks {
		if !chunk.MatchString(c) {
			t.Errorf("chunk %q: want chunk-HASH.js", c)
		}
	}
	for _, a := range []string{m.JS, m.CSS} {
		if !hashed.MatchString(a) {
			t.Errorf("asset %q has no content hash in its name", a)
		}
		if path.Ext(a) == ".js" && !strings.HasPrefix(path.Base(a), "main-") {
			t.Errorf("asset %q: want main-HASH.js", a)
		}
	}
}
