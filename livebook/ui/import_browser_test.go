package ui_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserImport imports a notebook through the list page's dialog: a URL of
// another scheme shows the server's error in the dialog, an http URL on loopback
// opens the imported notebook, and the file is under the root. The notebook's
// "Go program" export, refused by this server, shows the reason.
func TestBrowserImport(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	b := startBrowser(t)
	web := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("# From the web\n\n## Part\n\n```go\nx := 1\n```\n"))
	}))
	defer web.Close()

	b.do("opening the import dialog",
		chromedp.Navigate(b.url),
		chromedp.WaitVisible(chromedp.CSS("button.import-open")),
		chromedp.Click(chromedp.CSS("button.import-open")),
		chromedp.WaitVisible(chromedp.CSS("dialog.import-dialog .import-url")),
		chromedp.SendKeys(chromedp.CSS(".import-url"), "ftp://example.com/a.livemd"),
		chromedp.Click(chromedp.CSS("button.import-submit")),
	)
	b.wait("the refusal", `(() => {
		const e = document.querySelector(".import-error");
		return e && !e.hidden && e.textContent.includes('the scheme "ftp"') && document.querySelector("dialog.import-dialog").open;
	})()`)
	eval[string](b, `document.querySelector(".import-url").value = ""`)
	b.do("importing over http",
		chromedp.SendKeys(chromedp.CSS(".import-url"), web.URL+"/shared/web.livemd"),
		chromedp.Click(chromedp.CSS("button.import-submit")),
	)
	b.wait("the imported notebook", `location.hash === "#/notebook/web.livemd" &&
		document.querySelectorAll(".cell").length === 1 && document.body.innerText.includes("From the web")`)
	if _, err := os.Stat(filepath.Join(b.root, "web.livemd")); err != nil {
		t.Fatal(err)
	}

	// This server has no Go exporter: the export button says so in a toast.
	b.do("exporting as Go", chromedp.Click(chromedp.CSS("button.export-go")))
	b.wait("the toast", `[...document.querySelectorAll(".toast")].some(t =>
		t.textContent === "Export failed: this server cannot export Go programs")`)
}
