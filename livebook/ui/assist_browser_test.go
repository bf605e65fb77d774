package ui_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserAssistUnavailable checks that, over a runtime that offers no
// completion, typing in a Go cell says once why completion is unavailable and the
// cell still takes the text and runs.
func TestBrowserAssistUnavailable(t *testing.T) {
	b := startBrowser(t)
	b.do("opening the token URL", chromedp.Navigate(b.url), chromedp.WaitVisible(chromedp.CSS(".new-title")))
	b.do("creating a notebook",
		chromedp.SendKeys(chromedp.CSS(".new-title"), "No completion"),
		chromedp.Click(chromedp.CSS("button.create")),
	)
	b.wait("the new notebook", `document.querySelectorAll('.cell[data-kind="code"] .cm-content').length === 1`)
	id := eval[string](b, `document.querySelector('.cell[data-kind="code"]').dataset.cellId`)
	b.do("typing", chromedp.SendKeys(chromedp.CSS(cell(id, ".cm-content")), "fmt.Pri"))
	b.wait("the notice", `(document.querySelector(".cm-assist-notice") || {}).textContent ===
		"Completion unavailable: this runtime offers no completion or documentation"`)
	b.do("typing on and evaluating", chromedp.SendKeys(chromedp.CSS(cell(id, ".cm-content")), "ntln(1)"), shiftEnter)
	b.wait("the output", fmt.Sprintf(`(() => {
		const c = document.querySelector(%q);
		const o = c && c.querySelector(".output-text");
		return c.dataset.status === "evaluated" && o && o.textContent === "echo: fmt.Println(1)";
	})()`, cell(id, "")))
	if n := eval[int](b, `document.querySelectorAll(".cm-tooltip-autocomplete").length`); n != 0 {
		t.Errorf("%d completion lists shown", n)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("page problem: %s", p)
	}
}
