package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/gonx-dev/gonx/livebook/runtime"
)

// completions is a JavaScript expression for the labels of the open completion
// list, joined by "|".
const completions = `[...document.querySelectorAll(".cm-tooltip-autocomplete .cm-completionLabel")].map(e => e.textContent).join("|")`

// enter presses Enter in the focused element as a person does, without the char
// event that would type a new line even when the editor handled the key.
var enter = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for _, k := range kb.Encode('\r') {
		if k.Type == kb.KeyChar {
			continue
		}
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *k); err != nil {
			return err
		}
	}
	return nil
})

// TestBrowserAssist drives completion, signature help and hover in Chromium against
// the real kernel and gopls: typing fmt.Pri offers Println; after a cell evaluates
// answer := 42, typing ans in a later cell offers answer first, inside Println's
// call, whose signature shows; choosing it completes the text, which runs and
// prints 42; hovering over answer shows its declaration.
func TestBrowserAssist(t *testing.T) {
	if runtime.FindGopls(runtime.Options{GonxRoot: checkoutRoot(t)}) == "" {
		t.Skip("gopls is not installed (make setup installs it)")
	}
	start := time.Now()
	b := startKernelBrowser(t)
	b.do("opening the server", 20*time.Second, chromedp.Navigate(b.url), chromedp.WaitVisible(chromedp.CSS(".new-title")))
	b.do("creating a notebook", 10*time.Second,
		chromedp.SendKeys(chromedp.CSS(".new-title"), "Assist test"),
		chromedp.Click(chromedp.CSS("button.create")),
	)
	b.wait("the new notebook", 10*time.Second, `document.querySelectorAll('.cell[data-kind="code"] .cm-content').length === 1`)
	b.do("typing and evaluating the first cell", 10*time.Second,
		chromedp.SendKeys(chromedp.CSS(b.inCell(0, ".cm-content")), "answer := 42"),
		chromedp.Click(chromedp.CSS(b.inCell(0, ".evaluate"))),
	)
	b.wait("the first cell", 60*time.Second, status(0)+` === "evaluated"`)
	b.do("adding a cell", 10*time.Second, chromedp.Click(chromedp.CSS(".cell-wrap .insert-code")))
	b.wait("the second cell", 10*time.Second, `document.querySelectorAll('.cell[data-kind="code"]').length === 2`)

	typed := time.Now()
	b.do("typing fmt.Pri", 10*time.Second, chromedp.SendKeys(chromedp.CSS(b.inCell(1, ".cm-content")), "fmt.Pri"))
	b.wait("Println offered", 90*time.Second, completions+`.split("|").includes("Println")`)
	t.Logf("the first completion (gopls loading the workspace) took %v", time.Since(typed).Round(time.Millisecond))
	b.do("closing the list", 5*time.Second, chromedp.SendKeys(chromedp.CSS(b.inCell(1, ".cm-content")), kb.Escape))
	b.wait("the list closed", 5*time.Second, `!document.querySelector(".cm-tooltip-autocomplete")`)

	typed = time.Now()
	b.do("typing ntln(ans", 10*time.Second, chromedp.SendKeys(chromedp.CSS(b.inCell(1, ".cm-content")), "ntln(ans"))
	b.wait("answer offered first", 30*time.Second, completions+`.split("|")[0] === "answer"`)
	t.Logf("completing ans took %v", time.Since(typed).Round(time.Millisecond))
	b.wait("Println's signature", 30*time.Second, `(document.querySelector(".cm-assist-signature .cm-assist-sig") || {}).textContent === "Println(a ...any) (n int, err error)" &&
		document.querySelector(".cm-assist-signature .cm-assist-param").textContent === "a ...any"`)
	// CodeMirror ignores Enter for a moment after the list changes, lest a person
	// choose what they have not seen; so does the test.
	b.do("choosing answer", 5*time.Second, chromedp.Sleep(300*time.Millisecond), enter, chromedp.SendKeys(chromedp.CSS(b.inCell(1, ".cm-content")), ")"))
	b.wait("the completed text", 5*time.Second, fmt.Sprintf(`%s.querySelector(".cm-content").innerText.trim() === "fmt.Println(answer)"`, cellSel(1)))
	b.do("evaluating the second cell", 5*time.Second, chromedp.Click(chromedp.CSS(b.inCell(1, ".evaluate"))))
	b.wait("42", 60*time.Second, fmt.Sprintf(`%s === "evaluated" && %s === "42\n"`, status(1), output(1)))

	// Hover over answer: find where the word is drawn and move the mouse there.
	where := eval[[]float64](b.ctx, t, fmt.Sprintf(`(() => {
		const line = %s.querySelector(".cm-line");
		const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
		for (let n = walker.nextNode(); n; n = walker.nextNode()) {
			const i = n.textContent.indexOf("answer");
			if (i < 0) continue;
			const r = document.createRange();
			r.setStart(n, i + 2);
			r.setEnd(n, i + 3);
			const box = r.getBoundingClientRect();
			return [box.left + box.width / 2, box.top + box.height / 2];
		}
		return [];
	})()`, cellSel(1)))
	if len(where) != 2 {
		t.Fatalf("answer is not drawn in the second cell")
	}
	b.do("hovering over answer", 5*time.Second, chromedp.MouseEvent(chromedp.MouseMoved, where[0], where[1]))
	b.wait("answer's documentation", 30*time.Second, `[...document.querySelectorAll(".cm-assist-hover")].some(e => e.textContent.includes("var answer int"))`)
	if page := eval[string](b.ctx, t, `document.body.innerText`); strings.Contains(page, "Completion unavailable") {
		t.Errorf("the page says completion is unavailable:\n%s", page)
	}
	t.Logf("browser test of completion took %v", time.Since(start).Round(time.Millisecond))
}
