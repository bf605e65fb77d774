package ui_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// socketHook runs before the page's scripts: it keeps the page's websockets in
// window.__sockets, and while window.__offline is set, new ones go to a path
// the server refuses, so the page stays offline and keeps retrying.
const socketHook = `(() => {
	const Real = window.WebSocket;
	window.__sockets = [];
	window.__offline = false;
	window.WebSocket = function (url, protocols) {
		const ws = new Real(window.__offline ? String(url).replace("/ws", "/offline") : url, protocols);
		window.__sockets.push(ws);
		return ws;
	};
	window.WebSocket.prototype = Real.prototype;
	Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
})()`

// join logs in at the token URL as name, with the socket hook and focus
// emulation (so a tab in the background behaves as a focused one), and opens
// the notebook.
func (b *browser) join(name, notebook string) {
	b.t.Helper()
	setup := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: socketHook}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	})
	b.do("logging in as "+name, setup, chromedp.Navigate(b.url), chromedp.WaitVisible(chromedp.CSS(".new-title")))
	eval[bool](b, fmt.Sprintf(`(localStorage.setItem("livebook.profile", JSON.stringify({name: %q})), location.hash = "#/notebook/%s", true)`, name, notebook))
	b.wait(name+"'s notebook", `(() => {
		const p = document.querySelector(".notebook-page");
		return p && p.dataset.connection === "open" && document.querySelector(".cell .cm-content") !== null;
	})()`)
}

// text returns the text in the first cell's editor.
func (b *browser) text() string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(%s)(document.querySelector(".cell"))`, editorText))
}

// avatars returns the names on the avatars in the header, in order.
func (b *browser) avatars() string {
	b.t.Helper()
	return eval[string](b, `[...document.querySelectorAll(".presence .avatar")].map(a => a.dataset.name + "=" + a.textContent).join(",")`)
}

// typeChunks types text into the focused editor a few keys at a time, with
// short random pauses, so that two people's keystrokes interleave.
func typeChunks(ctx context.Context, text string, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, 1))
	for len(text) > 0 {
		n := min(len(text), 1+r.IntN(6))
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := chromedp.Do(ctx, chromedp.KeyEvent(text[:n]))
		cancel()
		if err != nil {
			return err
		}
		text = text[n:]
		time.Sleep(time.Duration(r.IntN(4)) * time.Millisecond)
	}
	return nil
}

// repeat returns n characters cycling through alphabet.
func repeat(alphabet string, n int) string {
	var sb strings.Builder
	for i := range n {
		sb.WriteByte(alphabet[i%len(alphabet)])
	}
	return sb.String()
}

// TestBrowserCollaboration has two people (separate browser contexts) type
// hundreds of keystrokes into the same cell at once, one at its end and one at
// its start: both editors and the session end with the same text, each
// person's keystrokes in order. A third person joining late sees that text and
// everyone's avatar, and renames herself; one typing while offline loses nothing and catches up on
// reconnecting; a person who leaves disappears from the others' headers.
func TestBrowserCollaboration(t *testing.T) {
	ada := startBrowser(t)
	start := time.Now()
	const initial = "// shared"
	if err := os.WriteFile(filepath.Join(ada.root, "collab.livemd"), []byte("# Collab\n\n## One\n\n```go\n"+initial+"\n```\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	grace, _ := ada.newUser()
	ada.join("Ada Lovelace", "collab.livemd")
	grace.join("Grace Hopper", "collab.livemd")
	ada.wait("both avatars", `document.querySelectorAll(".presence .avatar").length === 2`)

	// Ada types at the end of the cell, Grace at its start, at the same time.
	const keys = 200
	adaTyped, graceTyped := repeat("abcdefghijklmnopqrstuvwxyz ", keys), repeat("0123456789_", keys)
	ctrl := chromedp.KeyModifiers(chromedp.ModifierCtrl)
	ada.do("Ada's cursor at the end", chromedp.Click(chromedp.CSS(".cell .cm-content")), chromedp.KeyEvent(kb.End, ctrl))
	grace.do("Grace's cursor at the start", chromedp.Click(chromedp.CSS(".cell .cm-content")), chromedp.KeyEvent(kb.Home, ctrl))
	typing := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = typeChunks(ada.ctx, adaTyped, 1) })
	wg.Go(func() { errs[1] = typeChunks(grace.ctx, graceTyped, 2) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("typing: %v", err)
	}
	typed := time.Since(typing)

	want := graceTyped + initial + adaTyped
	converge := func(what, want string, tabs ...*browser) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			src := ada.snapshot().Sections[0].Cells[0].Source
			same := src == want
			for _, b := range tabs {
				same = same && b.text() == want
			}
			if same {
				return
			}
			if time.Now().After(deadline) {
				var texts []string
				for _, b := range tabs {
					texts = append(texts, b.text())
				}
				t.Fatalf("%s: the session has\n%q\nthe editors\n%q\nwant\n%q", what, src, texts, want)
			}
			time.Sleep(25 * time.Millisecond)
		}
	}
	converge("after typing together", want, ada, grace)
	version := ada.snapshot().Sections[0].Cells[0].Version
	t.Logf("%d keystrokes each typed in %v, converged %v after the first; %d updates", keys, typed.Round(time.Millisecond), time.Since(typing).Round(time.Millisecond), version)

	// Each sees the other's cursor, in the other's colour and name.
	ada.wait("Grace's cursor", `[...document.querySelectorAll(".cell .cm-remote-name")].some(n => n.dataset.name === "Grace Hopper")`)
	grace.wait("Ada's cursor", `[...document.querySelectorAll(".cell .cm-remote-name")].some(n => n.dataset.name === "Ada Lovelace")`)

	// A third person joins late: the same text, and everyone's avatar.
	hedy, leave := ada.newUser()
	hedy.join("Hedy", "collab.livemd")
	if got := hedy.text(); got != want {
		t.Errorf("the late joiner sees %q, want %q", got, want)
	}
	hedy.wait("three avatars", `document.querySelectorAll(".presence .avatar").length === 3`)
	avatars := hedy.avatars()
	for _, a := range []string{"Ada Lovelace=AL", "Grace Hopper=GH", "Hedy=H"} {
		if !strings.Contains(avatars, a) {
			t.Errorf("avatars %q, want %q among them", avatars, a)
		}
	}

	// Hedy names herself in full by clicking her avatar; the others see it.
	eval[bool](hedy, `(window.prompt = () => "Hedy Lamarr", true)`)
	hedy.do("renaming", chromedp.Click(chromedp.CSS(".presence .avatar.me")))
	grace.wait("the new name", `[...document.querySelectorAll(".presence .avatar")].some(a => a.dataset.name === "Hedy Lamarr" && a.textContent === "HL")`)

	// Ada goes offline and types; Grace types meanwhile. Back online, Ada's
	// editor catches up on Grace's updates (the same editor, not a fresh one)
	// and sends her own, rebased.
	eval[bool](ada, `(document.querySelector(".cell .cm-editor").__mark = true, window.__offline = true, window.__sockets.forEach(s => s.close()), true)`)
	ada.wait("Ada offline", `document.querySelector(".notebook-page").dataset.connection !== "open"`)
	ada.do("typing offline", chromedp.KeyEvent(" OFFLINE"))
	grace.do("typing meanwhile", chromedp.KeyEvent("ONLINE "))
	want = graceTyped + "ONLINE " + initial + adaTyped + " OFFLINE"
	converge("Grace's edit", strings.Replace(want, " OFFLINE", "", 1), grace)
	eval[bool](ada, `(window.__offline = false, true)`)
	converge("after Ada reconnects", want, ada, grace, hedy)
	if !eval[bool](ada, `document.querySelector(".cell .cm-editor").__mark === true`) {
		t.Error("Ada's editor was made again rather than catching up")
	}

	// Hedy leaves: her avatar goes from the others' headers within seconds.
	leave()
	left := time.Now()
	for _, b := range []*browser{ada, grace} {
		b.wait("Hedy's avatar gone", `document.querySelectorAll(".presence .avatar").length === 2 &&
			![...document.querySelectorAll(".presence .avatar")].some(a => a.dataset.name === "Hedy Lamarr")`)
	}
	t.Logf("a departure shows in %v", time.Since(left).Round(time.Millisecond))

	for _, b := range []*browser{ada, grace, hedy} {
		b.mu.Lock()
		for _, p := range b.problems {
			if !strings.Contains(p, "/offline") { // the refused reconnections while offline
				t.Errorf("page problem: %s", p)
			}
		}
		b.mu.Unlock()
	}
	t.Logf("collaboration test took %v", time.Since(start).Round(time.Millisecond))
}
