package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gonx-dev/gonx/livebook/lsp"
	"github.com/gonx-dev/gonx/livebook/runtime/kernel"
)

// Assistant helps edit Go cells with what gopls knows of the scratch workspace the
// cells compile in, earlier cells' names included. Positions and ranges are offsets in
// the cell's source counted in UTF-16 code units, as browsers' editors count them.
// *Kernel and *Embedded implement it.
type Assistant interface {
	// Complete returns the completions at pos of source.
	Complete(ctx context.Context, source string, pos int) (Completion, error)
	// Hover returns the documentation of what is at pos; its Doc is empty when
	// there is none.
	Hover(ctx context.Context, source string, pos int) (Hover, error)
	// Signature returns the signature of the call around pos; its Label is empty
	// outside calls.
	Signature(ctx context.Context, source string, pos int) (Signature, error)
}

// Completion is what completing a cell at a position offers.
type Completion struct {
	// From and To delimit the text the items replace.
	From int `json:"from"`
	To   int `json:"to"`
	// Items are in the order gopls ranks them.
	Items []CompletionItem `json:"items"`
}

// CompletionItem is one completion.
type CompletionItem struct {
	// Label is what the list shows; Insert what choosing it writes.
	Label  string `json:"label"`
	Insert string `json:"insert,omitempty"`
	// Kind is the kind of name, as CodeMirror names them: "function", "method",
	// "variable", "constant", "type", "class", "interface", "property",
	// "namespace", "keyword" or "text".
	Kind string `json:"kind,omitempty"`
	// Detail is the item's type or signature.
	Detail string `json:"detail,omitempty"`
	// Doc is its documentation, in Markdown.
	Doc string `json:"doc,omitempty"`
}

// Hover is the documentation of a name, in Markdown, and the range of the name.
type Hover struct {
	From int    `json:"from"`
	To   int    `json:"to"`
	Doc  string `json:"doc,omitempty"`
}

// Signature is the signature of the function a call calls.
type Signature struct {
	// Label is the signature, such as "Println(a ...any) (n int, err error)".
	Label string `json:"label,omitempty"`
	// Doc is the function's documentation, in Markdown.
	Doc string `json:"doc,omitempty"`
	// Params are the parameters' [start, end) offsets in Label, UTF-16 code units.
	Params [][2]int `json:"params,omitempty"`
	// Active is the index of the parameter at the position, or -1.
	Active int `json:"active"`
}

// ErrNoGopls is returned by an Assistant's methods when gopls is not installed.
var ErrNoGopls = errors.New("runtime: completion and documentation need gopls, which was not found (make setup installs it into .tools; or put gopls on PATH, or name it with GONX_GOPLS)")

// assistTimeout bounds one request to gopls, the loading of the workspace included.
const assistTimeout = 30 * time.Second

// maxItems bounds the completions returned.
const maxItems = 200

// FindGopls returns the gopls program an evaluator of opts would use: opts.Gopls,
// else $GONX_GOPLS from opts.Env, else gopls on PATH, else the newest gopls-* that
// make setup installed into the .tools directory of opts.GonxRoot; "" when there is
// none.
func FindGopls(opts Options) string {
	if opts.Gopls != "" {
		return opts.Gopls
	}
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "GONX_GOPLS="); ok && v != "" {
			return v
		}
	}
	if p, err := exec.LookPath("gopls"); err == nil {
		return p
	}
	if opts.GonxRoot != "" {
		tools, _ := filepath.Glob(filepath.Join(opts.GonxRoot, ".tools", "gopls-*"))
		sort.Strings(tools)
		if len(tools) > 0 {
			return tools[len(tools)-1]
		}
	}
	return ""
}

// assistant runs gopls over the scratch module of a kernel, restarting it when the
// kernel's scratch module changes.
type assistant struct {
	gopls string   // "" when not installed
	env   []string // the kernel's environment
	goCmd string

	smu    sync.Mutex
	next   *kernel.Scope // the latest scope, not yet applied
	cur    *lsp.Client   // the running gopls, for close
	closed bool

	mu      sync.Mutex // serializes requests; guards what follows
	scope   *kernel.Scope
	client  *lsp.Client
	dir     string // the scratch module gopls runs in
	uri     string // the view's URI
	version int
	pkgs    map[string]bool // evaluation packages gopls knows of
	modules int
}

func newAssistant(opts Options) *assistant {
	return &assistant{gopls: FindGopls(opts), env: opts.Env, goCmd: opts.GoCmd}
}

// setScope records what the next cell sees; it returns at once.
func (a *assistant) setScope(sc *kernel.Scope) {
	if sc == nil {
		return
	}
	a.smu.Lock()
	a.next = sc
	a.smu.Unlock()
}

// close stops gopls without waiting for a request in flight, which then fails.
func (a *assistant) close() {
	a.smu.Lock()
	a.closed = true
	c := a.cur
	a.cur = nil
	a.smu.Unlock()
	if c != nil {
		c.Close()
	}
}

// stop stops gopls; a.mu must be held.
func (a *assistant) stop() {
	if a.client == nil {
		return
	}
	a.client.Close()
	a.smu.Lock()
	if a.cur == a.client {
		a.cur = nil
	}
	a.smu.Unlock()
	a.client = nil
}

// prepare brings gopls up to date with the latest scope and the view of src, and
// returns the view. a.mu must be held.
func (a *assistant) prepare(ctx context.Context, src string) (*kernel.View, error) {
	if a.gopls == "" {
		return nil, ErrNoGopls
	}
	a.smu.Lock()
	closed := a.closed
	if a.next != nil {
		a.scope, a.next = a.next, nil
	}
	a.smu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	if a.scope == nil {
		return nil, errors.New("runtime: the kernel has not started")
	}
	if a.client != nil {
		select {
		case <-a.client.Done():
			a.client = nil // it exited; start it again
		default:
		}
	}
	if a.client != nil && a.dir != a.scope.Dir {
		a.stop()
	}
	v := kernel.NewView(a.scope, src)
	if a.client == nil {
		if err := a.start(ctx, v.Text); err != nil {
			return nil, err
		}
		return v, nil
	}
	var events []lsp.FileEvent
	for _, b := range a.scope.Bindings {
		if !a.pkgs[b.Pkg] {
			a.pkgs[b.Pkg] = true
			name := b.Pkg[strings.LastIndex(b.Pkg, "/")+1:]
			events = append(events, lsp.FileEvent{URI: lsp.FileURI(filepath.Join(a.dir, name, "cell.go")), Type: lsp.FileCreated})
		}
	}
	if a.scope.Modules != a.modules {
		a.modules = a.scope.Modules
		events = append(events, lsp.FileEvent{URI: lsp.FileURI(filepath.Join(a.dir, "go.mod")), Type: lsp.FileChanged})
	}
	if len(events) > 0 {
		if err := a.client.DidChangeWatchedFiles(events); err != nil {
			return nil, a.failed(err)
		}
	}
	a.version++
	if err := a.client.DidChange(a.uri, a.version, v.Text); err != nil {
		return nil, a.failed(err)
	}
	return v, nil
}

// start starts gopls over the scope's scratch module and opens the view.
func (a *assistant) start(ctx context.Context, text string) error {
	dir := a.scope.Dir
	pkgDir := filepath.Join(dir, kernel.ViewPackage)
	if err := os.MkdirAll(pkgDir, 0o755); err != nil {
		return fmt.Errorf("runtime: %w", err)
	}
	doc := filepath.Join(pkgDir, "doc.go")
	if err := os.WriteFile(doc, []byte("// Package "+kernel.ViewPackage+" holds the views of cells being edited.\npackage "+kernel.ViewPackage+"\n"), 0o644); err != nil {
		return fmt.Errorf("runtime: %w", err)
	}
	env := a.env
	if env == nil {
		env = os.Environ()
	}
	var names []string
	for _, kv := range a.scope.Env {
		if i := strings.IndexByte(kv, '='); i > 0 {
			names = append(names, kv[:i+1])
		}
	}
	var goplsEnv []string
	for _, kv := range env {
		keep := true
		for _, n := range names {
			if strings.HasPrefix(kv, n) {
				keep = false
			}
		}
		if keep && strings.HasPrefix(kv, "PATH=") && strings.ContainsRune(a.goCmd, os.PathSeparator) {
			// gopls runs "go" from PATH: make it the kernel's.
			kv = "PATH=" + filepath.Dir(a.goCmd) + string(os.PathListSeparator) + kv[len("PATH="):]
		}
		if keep {
			goplsEnv = append(goplsEnv, kv)
		}
	}
	goplsEnv = append(goplsEnv, a.scope.Env...)
	settings := map[string]any{
		"completeUnimported": false, // a cell can use only what the kernel imports
		"usePlaceholders":    false,
		"hoverKind":          "FullDocumentation",
		"linksInHover":       false,
		"diagnosticsTrigger": "Save", // no diagnostics while typing: they are not shown
	}
	c, err := lsp.Start(ctx, lsp.Config{Command: []string{a.gopls}, Env: goplsEnv, Root: dir, Options: settings})
	if err != nil {
		return fmt.Errorf("runtime: starting gopls: %w", err)
	}
	a.smu.Lock()
	closed := a.closed
	if !closed {
		a.cur = c
	}
	a.smu.Unlock()
	if closed {
		c.Close()
		return ErrClosed
	}
	a.client, a.dir, a.version = c, dir, 1
	a.uri = lsp.FileURI(filepath.Join(pkgDir, kernel.ViewFile))
	a.modules = a.scope.Modules
	a.pkgs = map[string]bool{}
	for _, b := range a.scope.Bindings {
		a.pkgs[b.Pkg] = true
	}
	if err := c.DidOpen(a.uri, "go", a.version, text); err != nil {
		return a.failed(err)
	}
	return nil
}

// failed stops gopls after an error of the connection, so that the next request
// starts it again.
func (a *assistant) failed(err error) error {
	a.stop()
	return fmt.Errorf("runtime: gopls: %w", err)
}

// request runs f against gopls with the view of src and the position of pos in it.
func (a *assistant) request(ctx context.Context, src string, pos int, f func(ctx context.Context, c *lsp.Client, v *kernel.View, at int) error) error {
	ctx, cancel := context.WithTimeout(ctx, assistTimeout)
	defer cancel()
	a.mu.Lock()
	defer a.mu.Unlock()
	v, err := a.prepare(ctx, src)
	if err != nil {
		return err
	}
	at := v.ViewOffset(byteOffset(src, pos))
	err = f(ctx, a.client, v, at)
	var rpcErr *lsp.Error
	if err != nil && !errors.As(err, &rpcErr) && ctx.Err() == nil {
		return a.failed(err)
	}
	return err
}

// complete returns the completions at pos of src.
func (a *assistant) complete(ctx context.Context, src string, pos int) (Completion, error) {
	var out Completion
	err := a.request(ctx, src, pos, func(ctx context.Context, c *lsp.Client, v *kernel.View, at int) error {
		list, err := c.Completion(ctx, a.uri, lsp.PositionOf(v.Text, at))
		if err != nil {
			return err
		}
		var from, to int
		out.Items, from, to = completionItems(list, v)
		off := byteOffset(src, pos)
		start := identStart(src, off)
		if len(out.Items) == 0 && start > 0 && src[start-1] == '.' && a.memberPrefix(src[start:off]) {
			// p.no, where p's type is an earlier cell's, completes to norm, which
			// the view spells with the mark: ask again with the mark typed.
			v = kernel.NewView(a.scope, src[:start]+kernel.Mark+src[start:])
			a.version++
			if err := c.DidChange(a.uri, a.version, v.Text); err != nil {
				return err
			}
			if list, err = c.Completion(ctx, a.uri, lsp.PositionOf(v.Text, v.ViewOffset(off+len(kernel.Mark)))); err != nil {
				return err
			}
			out.Items, _, _ = completionItems(list, v)
			from = -1
		}
		if from < 0 || to < from || from > off {
			from, to = start, off
		}
		out.From, out.To = utf16Len(src[:from]), utf16Len(src[:to])
		return nil
	})
	return out, err
}

// memberPrefix reports whether name starts a member of an earlier cell's types.
// a.mu must be held.
func (a *assistant) memberPrefix(name string) bool {
	for _, m := range a.scope.Members {
		if strings.HasPrefix(m, name) {
			return true
		}
	}
	return false
}

// completionItems converts gopls's completions, and returns the part of the cell
// they replace (-1, -1 when they do not say).
func completionItems(list lsp.CompletionList, v *kernel.View) (items []CompletionItem, from, to int) {
	from, to = -1, -1
	for _, it := range list.Items {
		if len(items) == maxItems {
			break
		}
		insert := it.InsertText
		if it.TextEdit != nil {
			insert = it.TextEdit.NewText
			if from < 0 {
				from = v.CellOffset(lsp.UTF16Offset(v.Text, it.TextEdit.Range.Start))
				to = v.CellOffset(lsp.UTF16Offset(v.Text, it.TextEdit.Range.End))
			}
		}
		item := CompletionItem{
			Label:  kernel.Demangle(it.Label),
			Insert: kernel.Demangle(insert),
			Kind:   completionKind(it.Kind),
			Detail: kernel.Demangle(it.Detail),
		}
		if item.Insert == item.Label {
			item.Insert = ""
		}
		if it.Documentation != nil {
			item.Doc = kernel.Demangle(it.Documentation.Value)
		}
		items = append(items, item)
	}
	return items, from, to
}

// hover returns the documentation of what is at pos of src.
func (a *assistant) hover(ctx context.Context, src string, pos int) (Hover, error) {
	out := Hover{From: pos, To: pos}
	err := a.request(ctx, src, pos, func(ctx context.Context, c *lsp.Client, v *kernel.View, at int) error {
		h, err := c.Hover(ctx, a.uri, lsp.PositionOf(v.Text, at))
		if err != nil || h == nil {
			return err
		}
		out.Doc = a.cleanHover(kernel.Demangle(h.Contents.Value))
		if h.Range != nil {
			from := v.CellOffset(lsp.UTF16Offset(v.Text, h.Range.Start))
			to := v.CellOffset(lsp.UTF16Offset(v.Text, h.Range.End))
			if from >= 0 && to >= from {
				out.From, out.To = utf16Len(src[:from]), utf16Len(src[:to])
			}
		}
		return nil
	})
	return out, err
}

// signature returns the signature of the call around pos of src.
func (a *assistant) signature(ctx context.Context, src string, pos int) (Signature, error) {
	out := Signature{Active: -1}
	err := a.request(ctx, src, pos, func(ctx context.Context, c *lsp.Client, v *kernel.View, at int) error {
		h, err := c.SignatureHelp(ctx, a.uri, lsp.PositionOf(v.Text, at))
		if err != nil || h == nil || len(h.Signatures) == 0 {
			return err
		}
		i := h.ActiveSignature
		if i < 0 || i >= len(h.Signatures) {
			i = 0
		}
		sig := h.Signatures[i]
		out.Label = kernel.Demangle(sig.Label)
		if sig.Documentation != nil {
			out.Doc = kernel.Demangle(sig.Documentation.Value)
		}
		active := h.ActiveParameter
		if sig.ActiveParameter != nil {
			active = *sig.ActiveParameter
		}
		search := strings.IndexByte(out.Label, '(') + 1
		for _, p := range sig.Parameters {
			label := kernel.Demangle(p.Label)
			j := strings.Index(out.Label[search:], label)
			if label == "" || j < 0 {
				out.Params = nil
				break
			}
			start := search + j
			out.Params = append(out.Params, [2]int{utf16Len(out.Label[:start]), utf16Len(out.Label[:start+len(label)])})
			search = start + len(label)
		}
		if active >= 0 && active < len(out.Params) {
			out.Active = active
		}
		return nil
	})
	return out, err
}

var (
	// selfAliasRE matches the declaration a view gives a type of an earlier cell, once
	// demangled: type point = point.
	selfAliasRE = regexp.MustCompile(`(?m)^type (\pL[\pL\pN_]*) = (\pL[\pL\pN_]*)\n\n`)
	// funcVarRE matches the declaration a view gives a function of an earlier cell.
	funcVarRE = regexp.MustCompile("^```go\nvar (\\pL[\\pL\\pN_]*) func\\(")
	// noJSONTag and noJSON are the struct tag the kernel gives cells' unexported
	// fields, alone or added to a tag.
	noJSONTag = " `json:\"-\"`"
	noJSON    = ` json:"-"`
)

// cleanHover takes out of hover text what the view and the kernel add: a type of
// an earlier cell declared as an alias of itself, a function declared as a
// variable, the json:"-" tags of unexported fields. a.mu must be held.
func (a *assistant) cleanHover(doc string) string {
	doc = selfAliasRE.ReplaceAllStringFunc(doc, func(m string) string {
		if sub := selfAliasRE.FindStringSubmatch(m); sub[1] == sub[2] {
			return ""
		}
		return m
	})
	if m := funcVarRE.FindStringSubmatch(doc); m != nil {
		for _, b := range a.scope.Bindings {
			if b.Name == m[1] && b.Kind == "func" {
				doc = "```go\nfunc " + m[1] + "(" + doc[len(m[0]):]
				break
			}
		}
	}
	doc = strings.ReplaceAll(doc, noJSONTag, "")
	return strings.ReplaceAll(doc, noJSON, "")
}

// completionKind names a protocol completion kind as CodeMirror does.
func completionKind(k int) string {
	switch k {
	case lsp.KindFunction, lsp.KindConstructor:
		return "function"
	case lsp.KindMethod:
		return "method"
	case lsp.KindVariable, lsp.KindValue:
		return "variable"
	case lsp.KindConstant, lsp.KindEnumMember:
		return "constant"
	case lsp.KindStruct, lsp.KindTypeParameter, lsp.KindEnum:
		return "type"
	case lsp.KindClass:
		return "class"
	case lsp.KindInterface:
		return "interface"
	case lsp.KindField, lsp.KindProperty:
		return "property"
	case lsp.KindModule, lsp.KindFolder, lsp.KindFile:
		return "namespace"
	case lsp.KindKeyword:
		return "keyword"
	}
	return "text"
}

// byteOffset returns the byte offset in s of UTF-16 offset u (clamped to s).
func byteOffset(s string, u int) int {
	n := 0
	for i, r := range s {
		if n >= u {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}

// utf16Len returns the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// identStart returns where the identifier that ends at off of s starts.
func identStart(s string, off int) int {
	for off > 0 {
		r, size := utf8.DecodeLastRuneInString(s[:off])
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		off -= size
	}
	return off
}
