package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/gonx-dev/gonx/livebook/server"
)

// chromiumPath is where Debian installs Chromium (scripts/apt-install chromium;
// make setup does it).
const chromiumPath = "/usr/bin/chromium"

// echo is an evaluator whose cells print "echo: " and their source, except
// cells starting with "fail", which fail, and the cell "frames", which streams a
// frame's six steps and a line for each, 150 ms apart; the cells of richCell
// produce rich outputs (rich_browser_test.go). A cell "NAME := ..."
// defines NAME, and uses the other names it holds.
type echo struct {
	stream func(cellID string, out server.Output)
	inputs func() map[string]json.RawMessage
}

func (e echo) Eval(ctx context.Context, cellID, source string) (server.Result, error) {
	if res, ok, err := richCell(ctx, e, cellID, source); ok {
		return res, err
	}
	if strings.HasPrefix(source, "fail") {
		return server.Result{Error: "cell failed: " + source}, nil
	}
	if source == "frames" {
		var frame server.Output
		for i := 1; i <= 6; i++ {
			frame = server.Output{Type: server.TypeFrame, ID: "f1", Outputs: []server.Output{{Type: "text", Text: fmt.Sprint("step ", i)}}}
			e.stream(cellID, frame)
			e.stream(cellID, server.Output{Type: "text", Text: "tick\n"})
			select {
			case <-time.After(150 * time.Millisecond):
			case <-ctx.Done():
				return server.Result{}, ctx.Err()
			}
		}
		return server.Result{Outputs: []server.Output{frame, {Type: "text", Text: strings.Repeat("tick\n", 6)}}}, nil
	}
	res := server.Result{Outputs: []server.Output{{Type: "text", Text: "echo: " + source}}}
	rest := source
	if lhs, rhs, ok := strings.Cut(source, ":="); ok {
		res.Defined, rest = []string{strings.TrimSpace(lhs)}, rhs
	}
	res.Used = names.FindAllString(rest, -1)
	return res, nil
}

// names matches the names in a cell.
var names = regexp.MustCompile(`[A-Za-z_]\w*`)

func (echo) Close() error { return nil }

// browser is a headless Chromium tab on a livebook server.
type browser struct {
	t    *testing.T
	ctx  context.Context
	srv  *server.Server
	root string
	url  string // with the token

	mu       sync.Mutex
	problems []string // exceptions and console errors of the page
}

func startBrowser(t *testing.T) *browser {
	t.Helper()
	exe := chromiumPath
	if _, err := os.Stat(exe); err != nil {
		if exe, err = exec.LookPath("chromium"); err != nil {
			t.Skipf("chromium is not installed (%s): install it with scripts/apt-install chromium (make setup does) to run the browser test", chromiumPath)
		}
	}
	b := &browser{t: t, root: t.TempDir()}
	profile := t.TempDir()

	srv, err := server.New(server.Config{
		Home:           b.root,
		Token:          "browser-test-token",
		Autosave:       50 * time.Millisecond,
		DefaultRuntime: "echo",
		Runtimes: map[string]server.Runtime{"echo": server.RuntimeFunc(
			func(_ context.Context, info server.StartInfo) (server.Evaluator, error) {
				return echo{info.Output, info.Inputs}, nil
			})},
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	t.Cleanup(func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	b.srv, b.url = srv, srv.URL(ln.Addr())

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc() // waits for Chromium to exit, before the profile goes
	})
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int]("1")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	b.ctx = ctx
	b.listen()
	return b
}

// listen records the page's exceptions and console errors in b.problems.
func (b *browser) listen() {
	messages := chromedp.Console(b.ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				b.mu.Lock()
				b.problems = append(b.problems, m.String())
				b.mu.Unlock()
			}
		}
	}()
}

// newUser returns another person at the same server: a tab in a new browser
// context of the same Chromium, with cookies and storage of its own. Cancelling
// it closes the tab.
func (b *browser) newUser() (*browser, context.CancelFunc) {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int]("1")); err != nil {
		b.t.Fatalf("opening a browser context: %v", err)
	}
	u := &browser{t: b.t, ctx: ctx, srv: b.srv, root: b.root, url: b.url}
	u.listen()
	b.t.Cleanup(cancel)
	return u, cancel
}

// do runs actions, failing the test on error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v%s", what, err, b.page())
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// wait polls a JavaScript condition until it holds.
func (b *browser) wait(what, cond string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 12*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[any](cond, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		b.t.Fatalf("waiting for %s: %v%s", what, err, b.page())
	}
}

// page describes the page for failure messages: its text and its problems.
func (b *browser) page() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	b.mu.Lock()
	defer b.mu.Unlock()
	return fmt.Sprintf("\npage text:\n%s\npage problems: %q", text, b.problems)
}

// shiftEnter presses Shift+Enter in the focused element as a person does. (A
// KeyEvent would also send the char event, which types a new line even though
// the editor handled the key.)
var shiftEnter = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for _, k := range kb.Encode('\r') {
		if k.Type == kb.KeyChar {
			continue
		}
		k.Modifiers |= int64(chromedp.ModifierShift)
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *k); err != nil {
			return err
		}
	}
	return nil
})

// editorText is a JavaScript function that returns the text in a cell's editor.
const editorText = `(c) => [...c.querySelectorAll(".cm-line")].map(l => l.textContent).join("\n")`

// cell is a selector for the cell with id, or for something inside it.
func cell(id, inside string) string {
	return strings.TrimSpace(fmt.Sprintf(`.cell[data-cell-id=%q] %s`, id, inside))
}

// TestBrowser drives the UI in Chromium: it creates a notebook, adds a Go cell,
// types into its editor, evaluates it with Shift+Enter and sees the output;
// sees an edit made by another client arrive; reconnects when the server drops
// the session; after a reload finds everything still there; and deletes the
// notebook from the list.
func TestBrowser(t *testing.T) {
	b := startBrowser(t)
	start := time.Now()

	// The token URL logs in and lands on the notebook list.
	b.do("opening the token URL", chromedp.Navigate(b.url), chromedp.WaitVisible(chromedp.CSS(".new-title")))
	if got := eval[string](b, "location.search"); got != "" {
		t.Errorf("the token stays in the address: %q", got)
	}

	// Create a notebook: it opens with one section and an empty Go cell.
	b.do("creating a notebook",
		chromedp.SendKeys(chromedp.CSS(".new-title"), "Browser test"),
		chromedp.Click(chromedp.CSS("button.create")),
	)
	b.wait("the new notebook", `location.hash === "#/notebook/browser-test.livemd" &&
		document.querySelectorAll('.cell[data-kind="code"] .cm-content').length === 1`)
	if got := eval[string](b, `document.querySelector(".title").textContent`); got != "Browser test" {
		t.Errorf("title %q, want %q", got, "Browser test")
	}

	// Add a code cell below the first one; it gets the focus.
	b.do("adding a code cell", chromedp.Click(chromedp.CSS(".cell-wrap .insert-code")))
	b.wait("the second code cell", `document.querySelectorAll('.cell[data-kind="code"]').length === 2`)
	ids := eval[[]string](b, `[...document.querySelectorAll('.cell[data-kind="code"]')].map(e => e.dataset.cellId)`)
	id := ids[1]
	if st := eval[string](b, fmt.Sprintf(`document.querySelector(%q).dataset.status`, cell(id, ""))); st != "fresh" {
		t.Errorf("new cell's status %q, want fresh", st)
	}

	// Type into CodeMirror and evaluate with Shift+Enter.
	const src = "x := y + 41"
	b.do("typing and evaluating",
		chromedp.SendKeys(chromedp.CSS(cell(id, ".cm-content")), src),
		shiftEnter,
	)
	b.wait("the output", fmt.Sprintf(`(() => {
		const c = document.querySelector(%q);
		const o = c && c.querySelector(".output-text");
		return c.dataset.status === "evaluated" && o && o.textContent === %q;
	})()`, cell(id, ""), "echo: "+src))
	if got := eval[string](b, fmt.Sprintf(`(%s)(document.querySelector(%q))`, editorText, cell(id, ""))); got != src {
		t.Errorf("editor holds %q, want %q (Shift+Enter must not insert a line)", got, src)
	}

	// Another client's edits arrive in order: a Markdown cell, rendered and
	// sanitized, and a new source for the first cell (never evaluated, so the
	// cell below stays evaluated).
	sessions := b.srv.Sessions().List()
	if len(sessions) != 1 {
		t.Fatalf("%d sessions, want 1", len(sessions))
	}
	sess := sessions[0]
	snap, err := sess.Snapshot(b.ctx)
	if err != nil {
		t.Fatal(err)
	}
	zero := 0
	for _, op := range []server.Op{
		{Op: server.OpInsertCell, SectionID: snap.Sections[0].ID, Index: &zero, Kind: "markdown",
			Source: "# Hello *there*\n\n<img src=\"data:,\" onerror=\"window.__xss = 1\"> <a href=\"javascript:window.__xss = 2\">link</a>"},
		{Op: server.OpSetCellSource, CellID: ids[0], Source: "y := 1"},
	} {
		if _, err := sess.Apply(b.ctx, op); err != nil {
			t.Fatal(err)
		}
	}
	b.wait("another client's edits", fmt.Sprintf(`(() => {
		const h = document.querySelector(".cell-markdown h1");
		return h && h.textContent === "Hello there" &&
			(%s)(document.querySelector(%q)) === "y := 1";
	})()`, editorText, cell(ids[0], "")))
	if bad := eval[int](b, `document.querySelectorAll(".cell-markdown [onerror], .cell-markdown a[href^='javascript']").length + (window.__xss || 0)`); bad != 0 {
		t.Errorf("Markdown was not sanitized (%d)", bad)
	}

	// Evaluating the first cell, which defines y, makes the second, which uses
	// it, stale.
	b.do("evaluating the first cell", chromedp.Click(chromedp.CSS(cell(ids[0], ".evaluate"))))
	b.wait("the stale cell", fmt.Sprintf(`document.querySelector(%q).dataset.status === "evaluated" &&
		document.querySelector(%q).dataset.status === "stale"`, cell(ids[0], ""), cell(id, "")))

	// The server drops the session: the page reconnects and shows a fresh
	// snapshot from a new session of the same notebook, whose ids may differ.
	if err := b.srv.Sessions().CloseSession(sess.ID()); err != nil {
		t.Fatal(err)
	}
	b.wait("reconnection", fmt.Sprintf(`(() => {
		const p = document.querySelector(".notebook-page");
		return p.dataset.connection === "open" && p.dataset.session && p.dataset.session !== %q &&
			document.querySelectorAll('.cell[data-kind="code"]').length === 2;
	})()`, sess.ID()))
	ids = eval[[]string](b, `[...document.querySelectorAll('.cell[data-kind="code"]')].map(e => e.dataset.cellId)`)
	id = ids[1]
	if got := eval[string](b, fmt.Sprintf(`(%s)(document.querySelector(%q))`, editorText, cell(id, ""))); got != src {
		t.Errorf("after reconnecting the editor holds %q, want %q", got, src)
	}

	// Evaluate all, then reload: the notebook, the source and the output are
	// still there, and the file on disk has the cell.
	b.do("evaluating all", chromedp.Click(chromedp.CSS("button.evaluate-all")))
	b.wait("evaluate all", fmt.Sprintf(`document.querySelector(%q).dataset.status === "evaluated" &&
		document.querySelector(%q).dataset.status === "evaluated"`, cell(ids[0], ""), cell(id, "")))
	b.do("reloading", chromedp.Reload())
	b.wait("the notebook after the reload", fmt.Sprintf(`(() => {
		const c = [...document.querySelectorAll('.cell[data-kind="code"]')][1];
		return c && (%s)(c) === %q &&
			c.dataset.status === "evaluated" && c.querySelector(".output-text").textContent === %q;
	})()`, editorText, src, "echo: "+src))
	deadline := time.Now().Add(5 * time.Second)
	for {
		data, err := os.ReadFile(filepath.Join(b.root, "browser-test.livemd"))
		if err == nil && strings.Contains(string(data), "```go\n"+src+"\n```") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the file does not hold the cell: %v\n%s", err, data)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// Back to the list: the notebook is there, marked open.
	b.do("going to the list", chromedp.Click(chromedp.CSS("a.home")))
	b.wait("the list", `[...document.querySelectorAll("a.open-notebook")].some(a => a.textContent === "browser-test.livemd")`)

	// Delete it (saying yes to the confirmation): the file and the row go.
	eval[bool](b, `(window.confirm = () => true, true)`)
	b.do("deleting", chromedp.Click(chromedp.CSS(`tr[data-path="browser-test.livemd"] .delete-notebook`)))
	b.wait("the deletion", `document.querySelector(".notebook-list .empty") !== null`)
	if _, err := os.Stat(filepath.Join(b.root, "browser-test.livemd")); err == nil {
		t.Error("the deleted notebook's file is still there")
	}

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		// Chrome reports the handler in the sanitized Markdown when DOMPurify
		// parses it (inertly); nothing ran, as window.__xss shows.
		if !strings.Contains(p, "Executing inline event handler violates") {
			t.Errorf("page problem: %s", p)
		}
	}
	t.Logf("browser test took %v", time.Since(start).Round(time.Millisecond))
}

// snapshot returns the state of the only open session.
func (b *browser) snapshot() server.Snapshot {
	b.t.Helper()
	list := b.srv.Sessions().List()
	if len(list) != 1 {
		b.t.Fatalf("%d sessions open, want 1", len(list))
	}
	snap, err := list[0].Snapshot(b.ctx)
	if err != nil {
		b.t.Fatal(err)
	}
	return snap
}

// until polls the session's state until ok holds.
func (b *browser) until(what string, ok func(server.Snapshot) bool) server.Snapshot {
	b.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		snap := b.snapshot()
		if ok(snap) {
			return snap
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("waiting for %s: the session has %+v%s", what, snap, b.page())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// sources lists the sources of a snapshot's cells, section by section.
func sources(snap server.Snapshot) [][]string {
	var out [][]string
	for _, s := range snap.Sections {
		var cells []string
		for _, c := range s.Cells {
			cells = append(cells, c.Source)
		}
		out = append(out, cells)
	}
	return out
}

// TestBrowserEditing edits a notebook through the UI: renames it, edits a
// Markdown cell, moves cells within and across sections, deletes one, adds a
// named section, sees a failing cell's error, and sees evaluated cells go stale
// when the runtime restarts.
func TestBrowserEditing(t *testing.T) {
	b := startBrowser(t)
	const nb = "# Edit me\n\n## One\n\nSome *text*.\n\n```go\na := 1\n```\n\n```go\nb := 2\n```\n\n## Two\n\n```go\nfail now\n```\n"
	if err := os.WriteFile(filepath.Join(b.root, "edit.livemd"), []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("opening the notebook",
		chromedp.Navigate(b.url),
		chromedp.WaitVisible(chromedp.CSS(".new-title")),
		chromedp.Click(chromedp.CSS(`a.open-notebook`)),
	)
	b.wait("the notebook", `document.querySelectorAll(".cell").length === 4 &&
		document.querySelector(".notebook-page").dataset.connection === "open"`)

	// Rename the notebook in place.
	b.do("renaming",
		chromedp.Click(chromedp.CSS(".title")),
		chromedp.SendKeys(chromedp.CSS(".title input"), "Renamed"),
		chromedp.KeyEvent(kb.Enter),
	)
	b.until("the new name", func(s server.Snapshot) bool { return s.Name == "Renamed" })

	// Edit the Markdown cell: double-click, type, Escape shows it rendered.
	b.do("editing Markdown",
		chromedp.DoubleClick(chromedp.CSS(".cell-markdown .cell-body")),
		chromedp.WaitVisible(chromedp.CSS(".cell-markdown .cm-content")),
		chromedp.KeyEvent(kb.End),
		chromedp.KeyEvent(" More **bold**."),
		chromedp.KeyEvent(kb.Escape),
	)
	b.wait("the rendered edit", `(() => {
		const m = document.querySelector(".cell-markdown .markdown");
		return m && m.querySelector("strong") && m.querySelector("strong").textContent === "bold" &&
			document.querySelector(".cell-markdown .cell-editor").hidden;
	})()`)
	b.until("the Markdown source", func(s server.Snapshot) bool {
		return s.Sections[0].Cells[0].Source == "Some *text*. More **bold**."
	})

	// Move "b := 2" above "a := 1", then "fail now" from section Two up into One.
	snap := b.snapshot()
	bID, failID := snap.Sections[0].Cells[2].ID, snap.Sections[1].Cells[0].ID
	b.do("moving a cell up", chromedp.Click(chromedp.CSS(cell(bID, ".move-up"))))
	b.until("the move", func(s server.Snapshot) bool {
		return fmt.Sprint(sources(s)) == "[[Some *text*. More **bold**. b := 2 a := 1] [fail now]]"
	})
	b.do("moving a cell across sections", chromedp.Click(chromedp.CSS(cell(failID, ".move-up"))))
	b.until("the move across sections", func(s server.Snapshot) bool {
		return fmt.Sprint(sources(s)) == "[[Some *text*. More **bold**. b := 2 a := 1 fail now] []]"
	})
	b.wait("the cell in its new place", fmt.Sprintf(`document.querySelector(%q) !== null &&
		document.querySelectorAll(".section")[1].querySelector(".cell") === null`, ".section:first-of-type "+cell(failID, "")))

	// A failing cell shows its error.
	b.do("evaluating a failing cell", chromedp.Click(chromedp.CSS(cell(failID, ".evaluate"))))
	b.wait("the error", fmt.Sprintf(`(() => {
		const c = document.querySelector(%q);
		const e = c.querySelector(".output-error");
		return c.dataset.status === "error" && e && e.textContent === "cell failed: fail now";
	})()`, cell(failID, "")))

	// Delete "a := 1"; add a section named Three.
	aID := b.snapshot().Sections[0].Cells[2].ID
	b.do("deleting a cell", chromedp.Click(chromedp.CSS(cell(aID, ".delete"))))
	b.wait("the deletion", fmt.Sprintf(`document.querySelector(%q) === null`, cell(aID, "")))
	b.do("adding a section",
		chromedp.Click(chromedp.CSS("button.add-section")),
		chromedp.WaitVisible(chromedp.CSS(".section:last-of-type .section-name input")),
		chromedp.KeyEvent("Three"),
		chromedp.KeyEvent(kb.Enter),
	)
	b.until("the new section", func(s server.Snapshot) bool {
		return len(s.Sections) == 3 && s.Sections[2].Name == "Three" && len(s.Sections[0].Cells) == 3
	})

	// Evaluate b := 2, then restart the runtime: the cell goes stale.
	b.do("evaluating", chromedp.Click(chromedp.CSS(cell(bID, ".evaluate"))))
	b.wait("the evaluation", fmt.Sprintf(`document.querySelector(%q).dataset.status === "evaluated"`, cell(bID, "")))
	b.do("restarting the runtime", chromedp.Click(chromedp.CSS("button.restart")))
	b.wait("the stale cell", fmt.Sprintf(`document.querySelector(%q).dataset.status === "stale"`, cell(bID, "")))

	// "Evaluate stale" evaluates it again.
	b.do("evaluating stale cells", chromedp.Click(chromedp.CSS("button.evaluate-stale")))
	b.wait("the evaluation of the stale cell", fmt.Sprintf(`document.querySelector(%q).dataset.status === "evaluated" &&
		document.querySelector("button.evaluate-stale").disabled`, cell(bID, "")))

	// A running cell's outputs stream in: its frame changes in place (the same
	// element shows a later step while the cell runs), its lines add up, and the
	// result replaces them at the end.
	if _, err := b.srv.Sessions().List()[0].Apply(b.ctx, server.Op{Op: server.OpSetCellSource, CellID: bID, Source: "frames"}); err != nil {
		t.Fatal(err)
	}
	b.wait("the new source", fmt.Sprintf(`(%s)(document.querySelector(%q)) === "frames"`, editorText, cell(bID, "")))
	b.do("evaluating the streaming cell", chromedp.Click(chromedp.CSS(cell(bID, ".evaluate"))))
	b.wait("a frame updated in place", fmt.Sprintf(`(() => {
		const c = document.querySelector(%q);
		const f = c.querySelector('.output-frame[data-frame-id="f1"]');
		if (!f || c.dataset.status !== "evaluating") return false;
		if (!window.__frame) { window.__frame = f; window.__step = f.textContent; }
		return f === window.__frame && f.textContent !== window.__step &&
			c.querySelectorAll(".output-frame").length === 1 &&
			c.querySelector(".outputs > .output-text").textContent.startsWith("tick\ntick\n");
	})()`, cell(bID, "")))
	b.wait("the streaming cell's result", fmt.Sprintf(`(() => {
		const c = document.querySelector(%q);
		return c.dataset.status === "evaluated" && c.querySelectorAll(".output-frame").length === 1 &&
			c.querySelector(".output-frame").textContent === "step 6" &&
			c.querySelector(".outputs > .output-text").textContent === "tick\n".repeat(6);
	})()`, cell(bID, "")))

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("page problem: %s", p)
	}
}
