package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gonx-dev/gonx/livebook/runtime"
	"github.com/gonx-dev/gonx/livebook/server"
)

// checkoutRoot returns the gonx checkout holding this test: the directory above
// it with go.work.
func checkoutRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.work")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			t.Skipf("%s is not in a gonx checkout (no go.work above it)", dir)
		}
	}
}

// kernelServer sets GONX_ROOT to the checkout, checks that cells can run here
// (skipping the test where Go plugins cannot be built), and returns a server
// over a temporary root with the command's runtimes, the standalone kernel by
// default.
func kernelServer(t testing.TB, root string) *server.Server {
	t.Helper()
	t.Setenv("GONX_ROOT", checkoutRoot(t))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	k, err := runtime.Start(ctx, runtime.Options{GonxRoot: os.Getenv("GONX_ROOT")})
	if errors.Is(err, runtime.ErrUnsupported) {
		t.Skipf("cells cannot run here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	k.Close()
	srv, err := server.New(server.Config{
		Home:           root,
		Token:          "kernel-test-token",
		Autosave:       100 * time.Millisecond,
		DefaultRuntime: "standalone",
		Runtimes:       runtimes(""),
		Logger:         slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv
}

// kernelBrowser is Chromium on a server with the real runtimes.
type kernelBrowser struct {
	t   *testing.T
	ctx context.Context // the browser tab's
	url string          // the server's start-up URL, with its token
}

// startKernelBrowser starts a server over a temporary root with the command's
// runtimes, the standalone kernel by default, and Chromium; it skips the test
// where Chromium is not installed or cells cannot run.
func startKernelBrowser(t *testing.T) *kernelBrowser {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Chromium and builds Go plugins")
	}
	exe := "/usr/bin/chromium"
	if _, err := os.Stat(exe); err != nil {
		if exe, err = exec.LookPath("chromium"); err != nil {
			t.Skip("chromium is not installed: make setup installs it")
		}
	}
	root := t.TempDir()
	srv := kernelServer(t, root)
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

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
	})
	// The first action starts Chromium, for as long as bctx lives.
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[int]("1")); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return &kernelBrowser{t: t, ctx: bctx, url: srv.URL(ln.Addr())}
}

// do runs actions, failing the test with the page's text when they fail.
func (b *kernelBrowser) do(what string, timeout time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		b.t.Fatalf("%s: %v\npage text:\n%s", what, err, text)
	}
}

// wait polls the JavaScript condition cond until it holds.
func (b *kernelBrowser) wait(what string, timeout time.Duration, cond string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout+2*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[any](cond, chromedp.WithPollingTimeout(timeout))); err != nil {
		text, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		b.t.Fatalf("waiting for %s: %v\npage text:\n%s", what, err, text)
	}
}

// cellSel is a JavaScript expression for the code cell i.
func cellSel(i int) string {
	return fmt.Sprintf(`document.querySelectorAll('.cell[data-kind="code"]')[%d]`, i)
}

// inCell is a CSS selector for something in the code cell i.
func (b *kernelBrowser) inCell(i int, sel string) string {
	id := eval[string](b.ctx, b.t, cellSel(i)+".dataset.cellId")
	return fmt.Sprintf(`.cell[data-cell-id=%q] %s`, id, sel)
}

// output is a JavaScript expression for the text output of code cell i.
func output(i int) string {
	return fmt.Sprintf(`(%s.querySelector(".outputs > .output-text") || {}).textContent`, cellSel(i))
}

// status is a JavaScript expression for the status of code cell i.
func status(i int) string { return cellSel(i) + ".dataset.status" }

// TestBrowserKernel drives the UI in Chromium against the real standalone kernel:
// it creates a notebook with the cells x := 21 and fmt.Println(x * 2), evaluates
// all and sees 42; after a reload the notebook and its outputs are there; a cell
// that loops forever is stopped from the UI within two seconds, the cells before
// it go stale, the server goes on serving, and evaluating the stale cells gives
// 42 again.
func TestBrowserKernel(t *testing.T) {
	start := time.Now()
	b := startKernelBrowser(t)
	bctx, url := b.ctx, b.url
	do, wait, inCell := b.do, b.wait, b.inCell

	// Create the notebook; type the two cells.
	do("opening the server", 20*time.Second, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(".new-title")))
	do("creating a notebook", 10*time.Second,
		chromedp.SendKeys(chromedp.CSS(".new-title"), "Kernel test"),
		chromedp.Click(chromedp.CSS("button.create")),
	)
	wait("the new notebook", 10*time.Second, `document.querySelectorAll('.cell[data-kind="code"] .cm-content').length === 1`)
	do("typing the first cell", 10*time.Second,
		chromedp.SendKeys(chromedp.CSS(inCell(0, ".cm-content")), "x := 21"),
		chromedp.Click(chromedp.CSS(".cell-wrap .insert-code")),
	)
	wait("the second cell", 10*time.Second, `document.querySelectorAll('.cell[data-kind="code"]').length === 2`)
	do("typing the second cell", 10*time.Second, chromedp.SendKeys(chromedp.CSS(inCell(1, ".cm-content")), "fmt.Println(x * 2)"))

	// Evaluate all: 42.
	evalStart := time.Now()
	do("evaluating all", 10*time.Second, chromedp.Click(chromedp.CSS("button.evaluate-all")))
	wait("42", 60*time.Second, fmt.Sprintf(`%s === "evaluated" && %s === "evaluated" && %s === "42\n"`, status(0), status(1), output(1)))
	t.Logf("evaluate all (two cells, warm build cache) took %v", time.Since(evalStart).Round(time.Millisecond))

	// Reload: the notebook and its outputs are there.
	do("reloading", 20*time.Second, chromedp.Reload())
	wait("the notebook after the reload", 10*time.Second, fmt.Sprintf(`document.querySelector(".notebook-page").dataset.connection === "open" &&
		%s === "evaluated" && %s === "42\n" &&
		[...document.querySelectorAll('.cell[data-kind="code"] .cm-content')].map(c => c.innerText.trim()).join("|") === "x := 21|fmt.Println(x * 2)"`,
		status(1), output(1)))

	// A runaway cell, stopped from the UI.
	second := eval[string](bctx, t, cellSel(1)+".dataset.cellId")
	do("adding a third cell", 10*time.Second, chromedp.Click(chromedp.CSS(fmt.Sprintf(`.cell[data-cell-id=%q] + .inserter .insert-code`, second))))
	wait("the third cell", 10*time.Second, `document.querySelectorAll('.cell[data-kind="code"]').length === 3`)
	do("typing the loop", 10*time.Second,
		chromedp.SendKeys(chromedp.CSS(inCell(2, ".cm-content")), "fmt.Println(\"looping\")\nfor {}"),
		chromedp.Click(chromedp.CSS(inCell(2, ".evaluate"))),
	)
	// What it prints streams in while it runs.
	wait("the loop to run", 60*time.Second, fmt.Sprintf(`%s === "evaluating" && %s === "looping\n" &&
		!document.querySelector("button.interrupt").disabled`, status(2), output(2)))
	clicked := time.Now()
	do("stopping", 5*time.Second, chromedp.Click(chromedp.CSS("button.interrupt")))
	wait("the loop to stop", 5*time.Second, fmt.Sprintf(`%s === "aborted"`, status(2)))
	if took := time.Since(clicked); took > 2*time.Second {
		t.Errorf("stopping the loop took %v, want under 2s", took)
	} else {
		t.Logf("stopping the loop took %v", took.Round(time.Millisecond))
	}
	wait("the stale cells", 5*time.Second, fmt.Sprintf(`%s === "stale" && %s === "stale" && !document.querySelector("button.evaluate-stale").disabled`, status(0), status(1)))

	// The server goes on: a request succeeds, and the stale cells run again.
	resp, err := http.Get(strings.TrimSuffix(strings.Split(url, "?")[0], "/") + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("healthz after the stop: %s", resp.Status)
	}
	do("evaluating the stale cells", 10*time.Second, chromedp.Click(chromedp.CSS("button.evaluate-stale")))
	wait("42 again", 60*time.Second, fmt.Sprintf(`%s === "evaluated" && %s === "evaluated" && %s === "42\n" && %s === "aborted"`,
		status(0), status(1), output(1), status(2)))
	t.Logf("browser test with the kernel took %v", time.Since(start).Round(time.Millisecond))
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](ctx context.Context, t *testing.T, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}
