package ui_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gonx-dev/gonx/livebook/server"
)

// chartSpec is a Vega-Lite scatter plot of the records in the data set "values".
const chartSpec = `{"mark":"point","encoding":{"x":{"field":"step","type":"quantitative"},` +
	`"y":{"field":"loss","type":"quantitative"}},"data":{"name":"values","values":[%s]}}`

// record is one point of chartSpec's chart.
func record(step int) string {
	return fmt.Sprintf(`{"step":%d,"loss":%g}`, step, 1/float64(step+1))
}

// richCell evaluates the cells of the rich-output test, reporting ok for them:
//
//   - "chart" streams a frame holding a chart of three points, then pushes three
//     more (kino.Chart's wire form: vega-lite-data outputs appended to the frame),
//     100 ms apart;
//   - "table" returns a table of 45 rows, columns n and name;
//   - "slider" returns a kino slider input "Batches" (10 to 500 by 10, at 60);
//   - "read" prints the value of "Batches" it was given, as kino's Input.Int reads
//     it: "Batches = N".
func richCell(ctx context.Context, e echo, cellID, source string) (res server.Result, ok bool, err error) {
	stream := e.stream
	switch source {
	case "slider":
		spec := `{"id":"Batches","kind":"slider","label":"Batches","default":60,"min":10,"max":500,"step":10}`
		return server.Result{Outputs: []server.Output{{Type: "input", MIME: "application/json", Text: spec}}}, true, nil
	case "read":
		v := "60"
		if raw, ok := e.inputs()["Batches"]; ok {
			v = string(raw)
		}
		return server.Result{Outputs: []server.Output{{Type: "text", Text: "Batches = " + v}}}, true, nil
	case "chart":
		var first []string
		for i := range 3 {
			first = append(first, record(i))
		}
		chart := server.Output{Type: "vega-lite", MIME: "application/vnd.vegalite.v5+json", Text: fmt.Sprintf(chartSpec, strings.Join(first, ","))}
		frame := server.Output{Type: server.TypeFrame, ID: "chart-1", Outputs: []server.Output{chart}}
		stream(cellID, frame)
		for i := 3; i < 6; i++ {
			select {
			case <-time.After(100 * time.Millisecond):
			case <-ctx.Done():
				return res, true, ctx.Err()
			}
			push := server.Output{Type: "vega-lite-data", MIME: "application/json", Text: "[" + record(i) + "]"}
			stream(cellID, server.Output{Type: server.TypeFrame, ID: "chart-1", Append: true, Outputs: []server.Output{push}})
			frame.Outputs = append(frame.Outputs, push)
		}
		return server.Result{Outputs: []server.Output{frame}}, true, nil
	case "table":
		rows := make([][]any, 45)
		for i := range rows {
			rows[i] = []any{i, fmt.Sprintf("row %02d", i)}
		}
		text, _ := json.Marshal(map[string]any{"columns": []string{"n", "name"}, "rows": rows})
		return server.Result{Outputs: []server.Output{{Type: "table", MIME: "application/json", Text: string(text)}}}, true, nil
	}
	return res, false, nil
}

// TestBrowserRichOutputs checks that a Vega-Lite output is drawn as SVG by the
// lazily loaded Vega chunk, that records pushed into it while the cell runs are
// drawn in place, that it is drawn again from the saved result after a reload, and
// that a table pages and sorts.
func TestBrowserRichOutputs(t *testing.T) {
	b := startBrowser(t)
	const nb = "# Rich\n\n## Outputs\n\n```go\nchart\n```\n\n```go\ntable\n```\n"
	if err := os.WriteFile(filepath.Join(b.root, "rich.livemd"), []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("opening the notebook",
		chromedp.Navigate(b.url),
		chromedp.WaitVisible(chromedp.CSS(".new-title")),
		chromedp.Click(chromedp.CSS(`a.open-notebook`)),
	)
	b.wait("the notebook", `document.querySelectorAll(".cell").length === 2 &&
		document.querySelector(".notebook-page").dataset.connection === "open"`)
	// Vega's chunk (800 KiB; a small chunk of shared helpers may load with main)
	// waits for the first chart.
	const vegaLoads = `performance.getEntriesByType("resource").filter(e => /\/assets\/chunk-/.test(e.name) && e.decodedBodySize > 100000).length`
	if n := eval[int](b, vegaLoads); n != 0 {
		t.Errorf("the Vega chunk was loaded before any chart: %d requests", n)
	}
	snap := b.snapshot()
	chartID, tableID := snap.Sections[0].Cells[0].ID, snap.Sections[0].Cells[1].ID
	sess := b.srv.Sessions().List()[0]
	for _, id := range []string{chartID, tableID} {
		if _, err := sess.Apply(b.ctx, server.Op{Op: server.OpEvaluateCell, CellID: id}); err != nil {
			t.Fatal(err)
		}
	}

	// The chart is drawn as SVG, first with its three points, then with the
	// pushed ones, in the same frame.
	points := fmt.Sprintf(`document.querySelectorAll(%q).length`, cell(chartID, ".output-frame .output-vega-lite svg .mark-symbol path"))
	b.wait("the chart drawn as SVG with its six points", points+` === 6`)
	if n := eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, cell(chartID, ".output-vega-lite"))); n != 1 {
		t.Errorf("%d charts in the cell, want 1 (pushes extend the chart)", n)
	}
	if n := eval[int](b, vegaLoads); n != 1 {
		t.Errorf("the Vega chunk was loaded %d times, want once", n)
	}
	b.wait("the chart cell evaluated", fmt.Sprintf(`document.querySelector(%q).dataset.status === "evaluated"`, cell(chartID, "")))

	// The table shows 20 rows a page, pages forward, and sorts by a column.
	rowsText := fmt.Sprintf(`[...document.querySelectorAll(%q)].map(td => td.textContent)`, cell(tableID, "tbody tr td:first-child"))
	b.wait("the first page", rowsText+`.length === 20`)
	b.do("paging", chromedp.Click(chromedp.CSS(cell(tableID, "button.table-next"))))
	if got := eval[[]string](b, rowsText); len(got) != 20 || got[0] != "20" || got[19] != "39" {
		t.Errorf("second page %q, want rows 20 to 39", got)
	}
	b.do("sorting descending",
		chromedp.Click(chromedp.CSS(cell(tableID, `th[data-col="0"]`))),
		chromedp.Click(chromedp.CSS(cell(tableID, `th[data-col="0"]`))),
	)
	if got := eval[[]string](b, rowsText); len(got) != 20 || got[0] != "44" || got[1] != "43" {
		t.Errorf("sorted descending: %q, want 44, 43, ...", got)
	}
	if got := eval[string](b, fmt.Sprintf(`document.querySelector(%q).textContent`, cell(tableID, ".table-pages"))); got != "rows 1–20 of 45" {
		t.Errorf("pager says %q", got)
	}

	// After a reload the chart is drawn from the session's result, pushes folded in.
	b.do("reloading", chromedp.Reload())
	b.wait("the chart after a reload", points+` === 6`)
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.problems) > 0 {
		t.Errorf("page problems: %q", b.problems)
	}
}

// TestBrowserInput checks that a slider input shows as a control, that moving it
// stores the value in the session (and the notebook file), that a later cell reads
// it, and that the control shows it after a reload.
func TestBrowserInput(t *testing.T) {
	b := startBrowser(t)
	const nb = "# Inputs\n\n## Controls\n\n```go\nslider\n```\n\n```go\nread\n```\n"
	file := filepath.Join(b.root, "inputs.livemd")
	if err := os.WriteFile(file, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("opening the notebook",
		chromedp.Navigate(b.url),
		chromedp.WaitVisible(chromedp.CSS(".new-title")),
		chromedp.Click(chromedp.CSS(`a.open-notebook`)),
	)
	b.wait("the notebook", `document.querySelectorAll(".cell").length === 2 &&
		document.querySelector(".notebook-page").dataset.connection === "open"`)
	snap := b.snapshot()
	sliderID, readID := snap.Sections[0].Cells[0].ID, snap.Sections[0].Cells[1].ID
	sess := b.srv.Sessions().List()[0]
	evaluate := func(id string) {
		t.Helper()
		if _, err := sess.Apply(b.ctx, server.Op{Op: server.OpEvaluateCell, CellID: id}); err != nil {
			t.Fatal(err)
		}
	}
	evaluate(sliderID)
	slider := cell(sliderID, `.output-input input[type="range"]`)
	b.wait("the slider", fmt.Sprintf(`(() => { const s = document.querySelector(%q); return s && s.value === "60"; })()`, slider))

	// Move the slider as a person does: input events while dragging, change on release.
	b.do("moving the slider", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		s.value = "120";
		s.dispatchEvent(new Event("input", { bubbles: true }));
		s.dispatchEvent(new Event("change", { bubbles: true }));
	})()`, slider)))
	if got := eval[string](b, fmt.Sprintf(`document.querySelector(%q).textContent`, cell(sliderID, ".input-value"))); got != "120" {
		t.Errorf("the slider shows %q, want 120", got)
	}
	b.until("the value in the session", func(s server.Snapshot) bool { return string(s.Inputs["Batches"]) == "120" })

	evaluate(readID)
	b.wait("the later cell's output", fmt.Sprintf(`(() => {
		const o = document.querySelector(%q);
		return o && o.textContent === "Batches = 120";
	})()`, cell(readID, ".output-text")))

	// Saved with the notebook; shown again after a reload.
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(file)
		if err == nil && strings.Contains(string(data), `"gonx_inputs":{"Batches":120}`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the notebook file has no saved input:\n%s", data)
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.do("reloading", chromedp.Reload())
	b.wait("the slider after a reload", fmt.Sprintf(`(() => { const s = document.querySelector(%q); return s && s.value === "120"; })()`, slider))
}
