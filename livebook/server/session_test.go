package server

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// layout describes a doc as "Section[cell cell] Section[...]", with setup cells
// first as "setup[...]".
func layout(d *doc) string {
	var b strings.Builder
	if len(d.nb.Setup) > 0 {
		b.WriteString("setup[")
		for i, c := range d.nb.Setup {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(c.Source)
		}
		b.WriteString("] ")
	}
	for i, s := range d.nb.Sections {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s.Name)
		if p, ok := s.BranchParentIndex(); ok {
			b.WriteString("^" + d.nb.Sections[p].Name)
		}
		b.WriteByte('[')
		for j, c := range s.Cells {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(c.Source)
		}
		b.WriteByte(']')
	}
	return b.String()
}

func TestApply(t *testing.T) {
	const src = "# N\n\n```go\nsetup\n```\n\n## A\n\n```go\na1\n```\n\n```go\na2\n```\n\n" +
		"## B\n\n```elixir\nb1\n```\n\n<!-- livebook:{\"branch_parent_index\":0} -->\n\n## C\n\nc1\n"
	// Ids: setup c1; A s2 (a1 c3, a2 c4); B s5 (b1 c6); C s7 (c1 c8).
	idx := func(i int) *int { return &i }
	tests := []struct {
		name string
		ops  []Op
		want string
		err  string
	}{
		{name: "nothing", want: "setup[setup] A[a1 a2] B[b1] C^A[c1]"},
		{name: "insert cell at top", ops: []Op{{Op: OpInsertCell, SectionID: "s2", Index: idx(0), Source: "new"}}, want: "setup[setup] A[new a1 a2] B[b1] C^A[c1]"},
		{name: "insert cell at end", ops: []Op{{Op: OpInsertCell, SectionID: "s5", Kind: "markdown", Source: "md"}}, want: "setup[setup] A[a1 a2] B[b1 md] C^A[c1]"},
		{name: "insert cell bad index", ops: []Op{{Op: OpInsertCell, SectionID: "s2", Index: idx(3)}}, err: "out of range"},
		{name: "insert cell bad kind", ops: []Op{{Op: OpInsertCell, SectionID: "s2", Kind: "smart"}}, err: "cannot insert"},
		{name: "insert cell bad language", ops: []Op{{Op: OpInsertCell, SectionID: "s2", Language: "cobol"}}, err: "language"},
		{name: "insert cell no section", ops: []Op{{Op: OpInsertCell, SectionID: "s9"}}, err: "no section"},
		{name: "delete cell", ops: []Op{{Op: OpDeleteCell, CellID: "c3"}}, want: "setup[setup] A[a2] B[b1] C^A[c1]"},
		{name: "delete setup", ops: []Op{{Op: OpDeleteCell, CellID: "c1"}}, err: "setup"},
		{name: "delete cell twice", ops: []Op{{Op: OpDeleteCell, CellID: "c3"}, {Op: OpDeleteCell, CellID: "c3"}}, err: "no cell"},
		{name: "move cell within", ops: []Op{{Op: OpMoveCell, CellID: "c3", Index: idx(1)}}, want: "setup[setup] A[a2 a1] B[b1] C^A[c1]"},
		{name: "move cell across", ops: []Op{{Op: OpMoveCell, CellID: "c3", SectionID: "s5", Index: idx(1)}}, want: "setup[setup] A[a2] B[b1 a1] C^A[c1]"},
		{name: "move cell to end", ops: []Op{{Op: OpMoveCell, CellID: "c6", SectionID: "s7"}}, want: "setup[setup] A[a1 a2] B[] C^A[c1 b1]"},
		{name: "move cell bad index", ops: []Op{{Op: OpMoveCell, CellID: "c3", Index: idx(2)}}, err: "out of range"},
		{name: "move setup", ops: []Op{{Op: OpMoveCell, CellID: "c1", SectionID: "s2"}}, err: "setup"},
		{name: "set source", ops: []Op{{Op: OpSetCellSource, CellID: "c4", Source: "A2"}}, want: "setup[setup] A[a1 A2] B[b1] C^A[c1]"},
		{name: "set setup source", ops: []Op{{Op: OpSetCellSource, CellID: "c1", Source: "S"}}, want: "setup[S] A[a1 a2] B[b1] C^A[c1]"},
		{name: "set read-only source", ops: []Op{{Op: OpSetCellSource, CellID: "c6", Source: "x"}}, err: "read-only"},
		{name: "insert section", ops: []Op{{Op: OpInsertSection, Index: idx(0), Name: "Z"}}, want: "setup[setup] Z[] A[a1 a2] B[b1] C^A[c1]"},
		{name: "insert section at end", ops: []Op{{Op: OpInsertSection}}, want: "setup[setup] A[a1 a2] B[b1] C^A[c1] Section[]"},
		{name: "move section keeps branch", ops: []Op{{Op: OpMoveSection, SectionID: "s5", Index: idx(0)}}, want: "setup[setup] B[b1] A[a1 a2] C^A[c1]"},
		{name: "branch after its parent only", ops: []Op{{Op: OpMoveSection, SectionID: "s7", Index: idx(0)}}, want: "setup[setup] C[c1] A[a1 a2] B[b1]"},
		{name: "delete parent drops branch", ops: []Op{{Op: OpDeleteSection, SectionID: "s2"}}, want: "setup[setup] B[b1] C[c1]"},
		{name: "deleted section's cells go", ops: []Op{{Op: OpDeleteSection, SectionID: "s2"}, {Op: OpSetCellSource, CellID: "c3"}}, err: "no cell"},
		{name: "rename section", ops: []Op{{Op: OpRenameSection, SectionID: "s5", Name: "Bee"}}, want: "setup[setup] A[a1 a2] Bee[b1] C^A[c1]"},
		{name: "rename notebook", ops: []Op{{Op: OpRenameNotebook, Name: "M"}}, want: "setup[setup] A[a1 a2] B[b1] C^A[c1]"},
		{name: "unknown", ops: []Op{{Op: "explode"}}, err: "unknown operation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nb, err := livemd.Parse([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			d := newDoc(nb)
			for _, op := range tt.ops {
				if err = d.apply(&op); err != nil {
					break
				}
			}
			if tt.err != "" {
				if !errors.Is(err, ErrInvalidOp) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one about %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := layout(d); got != tt.want {
				t.Errorf("layout %q, want %q", got, tt.want)
			}
			// What the session saves reads back the same.
			back, err := livemd.Parse(livemd.Format(nb))
			if err != nil || layout(newDoc(back)) != tt.want {
				t.Errorf("saved notebook reads back as %q, %v", layout(newDoc(back)), err)
			}
		})
	}
}

func TestApplyFillsIDs(t *testing.T) {
	nb, _ := livemd.Parse([]byte(simpleNotebook))
	d := newDoc(nb)
	op := Op{Op: OpInsertSection, Name: "New"}
	if err := d.apply(&op); err != nil || op.SectionID == "" {
		t.Fatalf("insert section: %+v %v", op, err)
	}
	cell := Op{Op: OpInsertCell, SectionID: op.SectionID}
	if err := d.apply(&cell); err != nil || cell.CellID == "" || cell.Kind != "code" || cell.Language != livemd.LangGo {
		t.Fatalf("insert cell: %+v %v", cell, err)
	}
	snap := d.snapshot()
	if got := snap.Sections[2]; got.ID != op.SectionID || got.Cells[0].ID != cell.CellID {
		t.Errorf("snapshot %+v", got)
	}
}

// newTestSession opens a session directly on a notebook in a fresh root.
func newTestSession(t *testing.T, src string, autosave time.Duration) (*Session, string, *Metrics) {
	t.Helper()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "n.livemd"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	store, err := OpenStore(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	metrics := NewMetrics()
	m := newManager(store, metrics, slog.New(slog.DiscardHandler), autosave, "fake", &fakeRuntime{})
	s, _, err := m.Open("n.livemd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return s, filepath.Join(root, "n.livemd"), metrics
}

func TestAutosave(t *testing.T) {
	s, file, metrics := newTestSession(t, simpleNotebook, 10*time.Millisecond)
	ctx := context.Background()
	snap, _ := s.Snapshot(ctx)
	cell := snap.Sections[0].Cells[0].ID
	if _, err := s.Apply(ctx, Op{Op: OpSetCellSource, CellID: cell, Source: "x := 42"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the autosave", func() bool {
		data, _ := os.ReadFile(file)
		return strings.Contains(string(data), "x := 42")
	})
	data, _ := os.ReadFile(file)
	nb, err := livemd.Parse(data)
	if err != nil || nb.Sections[0].Cells[0].Source != "x := 42" || nb.Sections[1].Cells[0].Source != "Some text." {
		t.Errorf("autosaved notebook %q: %v", data, err)
	}
	eventually(t, "a clean session", func() bool {
		snap, _ := s.Snapshot(ctx)
		return !snap.Dirty
	})
	metrics.mu.Lock()
	saves := metrics.saves["ok"]
	metrics.mu.Unlock()
	if saves < 1 {
		t.Error("no save counted")
	}
	entries, _ := os.ReadDir(filepath.Dir(file))
	if len(entries) != 1 {
		t.Errorf("root holds %d entries, want only the notebook", len(entries))
	}
}

func TestCloseSaves(t *testing.T) {
	s, file, _ := newTestSession(t, simpleNotebook, -1)
	ctx := context.Background()
	if _, err := s.Apply(ctx, Op{Op: OpRenameNotebook, Name: "Closed"}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	if data, _ := os.ReadFile(file); string(data) != simpleNotebook {
		t.Fatal("saved although autosave is off")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	if nb, err := livemd.Parse(data); err != nil || nb.Name != "Closed" {
		t.Errorf("after close: %q, %v", data, err)
	}
	if _, err := s.Apply(ctx, Op{Op: OpRenameNotebook, Name: "Again"}); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("Apply after Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestSlowClientDropped(t *testing.T) {
	s, _, metrics := newTestSession(t, simpleNotebook, -1)
	ctx := context.Background()
	slow := &client{id: "slow", send: make(chan []byte, 4)}
	fast := &client{id: "fast", send: make(chan []byte, 1000)}
	for _, c := range []*client{slow, fast} {
		if err := s.join(c); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		if _, err := s.Apply(ctx, Op{Op: OpRenameNotebook, Name: strings.Repeat("x", i+1)}); err != nil {
			t.Fatal(err) // the session does not wait for the slow client
		}
	}
	var n int
	for range slow.send {
		n++
	}
	if n != 4 || slow.closeCode != closeTryAgainLater {
		t.Errorf("slow client got %d messages and close code %d", n, slow.closeCode)
	}
	if metrics.clientsDropped.Load() != 1 {
		t.Errorf("dropped %d", metrics.clientsDropped.Load())
	}
	var left bool
	var last int64
	for len(fast.send) > 0 {
		m := decode(t, <-fast.send)
		if m.Version != 0 && m.Type == "op" && m.Version != last+1 {
			t.Errorf("fast client: version %d after %d", m.Version, last)
		}
		last = m.Version
		if m.Type == "op" && m.Op.Op == OpClientLeft && m.Op.Client == "slow" {
			left = true
		}
	}
	if !left {
		t.Error("the fast client was not told that the slow one left")
	}
	snap, _ := s.Snapshot(ctx)
	if len(snap.Clients) != 1 || snap.Clients[0] != "fast" {
		t.Errorf("clients %v", snap.Clients)
	}
}

func TestPersistOutputs(t *testing.T) {
	src := "<!-- livebook:{\"persist_outputs\":true} -->\n\n" + simpleNotebook
	s, file, _ := newTestSession(t, src, -1)
	ctx := context.Background()
	watcher := &client{id: "c", send: make(chan []byte, 100)}
	if err := s.join(watcher); err != nil {
		t.Fatal(err)
	}
	snap, _ := s.Snapshot(ctx)
	if _, err := s.Apply(ctx, Op{Op: OpEvaluateCell, CellID: snap.Sections[0].Cells[0].ID}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the evaluation", func() bool {
		snap, _ := s.Snapshot(ctx)
		e := snap.Sections[0].Cells[0].Eval
		return e != nil && e.Status == StatusOK
	})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(file)
	nb, _ := livemd.Parse(data)
	if outs := nb.Sections[0].Cells[0].Outputs; len(outs) != 1 || outs[0].Text != "ran: x := 1" {
		t.Errorf("persisted outputs %+v in %q", outs, data)
	}
}
