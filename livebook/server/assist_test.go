package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// assistRuntime starts evaluators that also help edit: they complete with the words
// the source holds, and fail on a source that says "unavailable".
type assistRuntime struct{ fakeRuntime }

type assistEvaluator struct{ *fakeEvaluator }

func (r *assistRuntime) Start(ctx context.Context, info StartInfo) (Evaluator, error) {
	ev, err := r.fakeRuntime.Start(ctx, info)
	return assistEvaluator{ev.(*fakeEvaluator)}, err
}

func (e assistEvaluator) Assist(_ context.Context, req AssistRequest) (AssistResult, error) {
	if strings.Contains(req.Source, "unavailable") {
		return AssistResult{}, errors.New("gopls was not found")
	}
	res := AssistResult{From: 0, To: req.Pos, Active: -1}
	switch req.Kind {
	case AssistComplete:
		for _, w := range strings.Fields(req.Source) {
			res.Items = append(res.Items, CompletionItem{Label: w, Kind: "variable"})
		}
	case AssistHover:
		res.Doc = fmt.Sprintf("hover at %d of %s", req.Pos, req.Source)
	case AssistSignature:
		res.Label, res.Params, res.Active = "f(a int)", [][2]int{{2, 7}}, 0
	}
	return res, nil
}

// TestAssist checks POST /api/sessions/{id}/assist: it starts the session's
// runtime, which evaluations then share, answers each kind, and refuses bad
// requests.
func TestAssist(t *testing.T) {
	rt := &assistRuntime{}
	e := newEnv(t, func(c *Config) { c.Runtimes = map[string]Runtime{"fake": rt} })
	e.write("a.livemd", "# A\n\n## S\n\n```go\ndef x\n```\n")
	id := e.open("a.livemd")
	ask := func(req any) (int, AssistResult, string) {
		t.Helper()
		status, body := e.do("POST", "/api/sessions/"+id+"/assist", req)
		var res AssistResult
		var fail struct{ Error string }
		if status == http.StatusOK {
			if err := json.Unmarshal(body, &res); err != nil {
				t.Fatal(err)
			}
		} else {
			_ = json.Unmarshal(body, &fail)
		}
		return status, res, fail.Error
	}

	status, res, _ := ask(AssistRequest{Kind: AssistComplete, Source: "answer ans", Pos: 10})
	if status != http.StatusOK || len(res.Items) != 2 || res.Items[0].Label != "answer" || res.To != 10 {
		t.Fatalf("complete: %d %+v", status, res)
	}
	if n := rt.starts.Load(); n != 1 {
		t.Fatalf("%d runtimes started, want 1", n)
	}
	status, res, _ = ask(AssistRequest{Kind: AssistHover, Source: "é𝔸x", Pos: 3})
	if status != http.StatusOK || res.Doc != "hover at 3 of é𝔸x" {
		t.Errorf("hover: %d %+v", status, res)
	}
	status, res, _ = ask(AssistRequest{Kind: AssistSignature, Source: "f(", Pos: 2})
	if status != http.StatusOK || res.Label != "f(a int)" || res.Active != 0 {
		t.Errorf("signature: %d %+v", status, res)
	}

	// An evaluation uses the runtime the assistant started.
	c := e.snapshot(id).Sections[0].Cells[0]
	e.apply(id, Op{Op: OpEvaluateCell, CellID: c.ID})
	eventually(t, "the cell evaluated", func() bool {
		c := e.snapshot(id).Sections[0].Cells[0]
		return c.Eval != nil && c.Eval.Status == StatusOK
	})
	if n := rt.starts.Load(); n != 1 {
		t.Errorf("%d runtimes started, want 1", n)
	}

	for _, tc := range []struct {
		req    any
		status int
		msg    string
	}{
		{AssistRequest{Kind: "define", Source: "x", Pos: 0}, http.StatusBadRequest, `kind "define"`},
		{AssistRequest{Kind: AssistHover, Source: "é", Pos: 2}, http.StatusBadRequest, "outside the source"},
		{AssistRequest{Kind: AssistHover, Source: "x", Pos: -1}, http.StatusBadRequest, "outside the source"},
		{map[string]any{"kind": "hover", "source": "x", "pos": 0, "cell": "c1"}, http.StatusBadRequest, "unknown field"},
	} {
		if status, _, msg := ask(tc.req); status != tc.status || !strings.Contains(msg, tc.msg) {
			t.Errorf("%+v: %d %q, want %d %q", tc.req, status, msg, tc.status, tc.msg)
		}
	}
	if status, res, _ := ask(AssistRequest{Kind: AssistComplete, Source: "unavailable", Pos: 0}); status != http.StatusOK ||
		res.Unavailable != "gopls was not found" || len(res.Items) != 0 {
		t.Errorf("unavailable: %d %+v", status, res)
	}
	if status, _ := e.do("POST", "/api/sessions/nosuch/assist", AssistRequest{Kind: AssistHover}); status != http.StatusNotFound {
		t.Errorf("no such session: %d", status)
	}
	req, _ := http.NewRequest("POST", e.http.URL+"/api/sessions/"+id+"/assist", strings.NewReader(`{"kind":"hover","source":"x","pos":0}`))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := e.http.Client().Do(req); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("without a token: %v %v", resp.StatusCode, err)
	} else {
		resp.Body.Close()
	}
}

// TestAssistUnsupported checks the answer when the runtime offers no help.
func TestAssistUnsupported(t *testing.T) {
	e := newEnv(t, nil)
	e.write("a.livemd", "# A\n\n## S\n\n```go\nx\n```\n")
	id := e.open("a.livemd")
	status, body := e.do("POST", "/api/sessions/"+id+"/assist", AssistRequest{Kind: AssistComplete, Source: "x", Pos: 1})
	var res AssistResult
	if err := json.Unmarshal(body, &res); err != nil || status != http.StatusOK || res.Unavailable != ErrNoAssistant.Error() {
		t.Errorf("%d %s", status, body)
	}
}
