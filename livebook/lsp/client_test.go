package lsp

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// findGopls returns gopls for the tests: $GONX_GOPLS, gopls on PATH, or the one
// make setup installs into the checkout's .tools.
func findGopls() string {
	if p := os.Getenv("GONX_GOPLS"); p != "" {
		return p
	}
	if p, err := exec.LookPath("gopls"); err == nil {
		return p
	}
	tools, _ := filepath.Glob(filepath.Join("..", "..", ".tools", "gopls-*"))
	sort.Strings(tools)
	if len(tools) > 0 {
		if p, err := filepath.Abs(tools[len(tools)-1]); err == nil {
			return p
		}
	}
	return ""
}

// A gopls shared by the tests of the package, started on first use.
var (
	goplsOnce   sync.Once
	goplsClient *Client
	goplsDir    string
	goplsErr    error
)

// TestMain stops the shared gopls after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if goplsClient != nil {
		goplsClient.Close()
		os.RemoveAll(goplsDir)
	}
	os.Exit(code)
}

// sharedGopls returns the package's gopls over a module of its own, or skips the test
// when gopls is not installed.
func sharedGopls(t *testing.T) (*Client, string) {
	t.Helper()
	path := findGopls()
	if path == "" {
		t.Skip("gopls is not installed (make setup installs it)")
	}
	goplsOnce.Do(func() {
		if goplsDir, goplsErr = os.MkdirTemp("", "lsp-test-"); goplsErr != nil {
			return
		}
		if goplsErr = os.WriteFile(filepath.Join(goplsDir, "go.mod"), []byte("module example.com/m\n\ngo 1.21\n"), 0o644); goplsErr != nil {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		env := append(os.Environ(), "GOWORK=off", "GOTOOLCHAIN=local", "GOFLAGS=")
		goplsClient, goplsErr = Start(ctx, Config{Command: []string{path}, Env: env, Root: goplsDir,
			Options: map[string]any{"completeUnimported": false}})
	})
	if goplsErr != nil {
		t.Fatal(goplsErr)
	}
	return goplsClient, goplsDir
}

// openDoc opens a new document of the shared module with text and returns its URI.
func openDoc(t *testing.T, name, text string) string {
	c, dir := sharedGopls(t)
	uri := FileURI(filepath.Join(dir, name))
	if err := c.DidOpen(uri, "go", 1, text); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.DidClose(uri) })
	return uri
}

// TestGoplsCompletion checks completion, with the edit's range, against gopls, on a
// document that then changes.
func TestGoplsCompletion(t *testing.T) {
	c, _ := sharedGopls(t)
	text := "package m\n\nimport \"fmt\"\n\nfunc f() {\n\tfmt.Pri\n}\n"
	uri := openDoc(t, "complete.go", text)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	at := strings.Index(text, "fmt.Pri") + len("fmt.Pri")
	list, err := c.Completion(ctx, uri, PositionOf(text, at))
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	var println *CompletionItem
	for i, it := range list.Items {
		labels = append(labels, it.Label)
		if it.Label == "Println" {
			println = &list.Items[i]
		}
	}
	if println == nil {
		t.Fatalf("no Println among %q", labels)
	}
	if println.Kind != KindFunction || println.TextEdit == nil {
		t.Fatalf("Println: kind %d, edit %+v", println.Kind, println.TextEdit)
	}
	if from := UTF16Offset(text, println.TextEdit.Range.Start); text[from:at] != "Pri" {
		t.Errorf("the edit replaces %q, want %q", text[from:at], "Pri")
	}
	if println.Documentation == nil || !strings.Contains(println.Documentation.Value, "Println formats") {
		t.Errorf("Println's documentation %+v", println.Documentation)
	}

	// The document changes; completion sees the new text.
	text2 := "package m\n\nfunc f() {\n\tanswer := 42\n\tans\n}\n"
	if err := c.DidChange(uri, 2, text2); err != nil {
		t.Fatal(err)
	}
	list, err = c.Completion(ctx, uri, PositionOf(text2, strings.Index(text2, "\tans\n")+4))
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) == 0 || list.Items[0].Label != "answer" {
		t.Errorf("after a change: %+v, want answer first", list.Items)
	}
}

// TestGoplsHoverAndSignature checks hover documentation and signature help.
func TestGoplsHoverAndSignature(t *testing.T) {
	c, _ := sharedGopls(t)
	text := "package m\n\nimport \"strings\"\n\nvar s = strings.Repeat(\"é\", 2)\n"
	uri := openDoc(t, "hover.go", text)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	at := strings.Index(text, "Repeat") + 2
	h, err := c.Hover(ctx, uri, PositionOf(text, at))
	if err != nil {
		t.Fatal(err)
	}
	if h == nil || h.Contents.Kind != "markdown" || !strings.Contains(h.Contents.Value, "func strings.Repeat(s string, count int) string") ||
		!strings.Contains(h.Contents.Value, "Repeat returns a new string") {
		t.Fatalf("hover %+v", h)
	}
	if h.Range == nil || UTF16Offset(text, h.Range.Start) != strings.Index(text, "Repeat") {
		t.Errorf("hover range %+v", h.Range)
	}
	// In the call, after the first argument: the second parameter is active.
	at = strings.Index(text, ", 2)") + 2
	sh, err := c.SignatureHelp(ctx, uri, PositionOf(text, at))
	if err != nil {
		t.Fatal(err)
	}
	if sh == nil || len(sh.Signatures) != 1 {
		t.Fatalf("signature help %+v", sh)
	}
	sig := sh.Signatures[0]
	active := sh.ActiveParameter
	if sig.ActiveParameter != nil {
		active = *sig.ActiveParameter
	}
	if sig.Label != "Repeat(s string, count int) string" || len(sig.Parameters) != 2 ||
		sig.Parameters[1].Label != "count int" || active != 1 {
		t.Errorf("signature %+v, active %d", sig, active)
	}
	// Outside any call there is no signature.
	sh, err = c.SignatureHelp(ctx, uri, PositionOf(text, 3))
	if err != nil || (sh != nil && len(sh.Signatures) > 0) {
		t.Errorf("outside a call: %+v, %v", sh, err)
	}
}
