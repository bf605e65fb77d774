package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf16"

	"github.com/gorilla/websocket"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// parseNotebookForTest parses a notebook that is known to be good.
func parseNotebookForTest(src string) (*livemd.Notebook, error) {
	nb, err := livemd.Parse([]byte(src))
	if err != nil {
		panic(err)
	}
	return nb, nil
}

// reply reads messages until one that is not a broadcast operation.
func (c *wsClient) reply() Message {
	c.t.Helper()
	return c.until(func(m Message) bool { return m.Type != "op" })
}

// update is a cell_update operation of one change set made by client k.
func update(cell string, version int64, changes string) Op {
	return Op{Op: OpCellUpdate, CellID: cell, DocVersion: version, Updates: []Update{{Changes: json.RawMessage(changes), ClientID: "k"}}}
}

func TestCollabVersions(t *testing.T) {
	e := newEnv(t, nil)
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	a := e.connect(id)
	snap := a.read().Snapshot
	cell := snap.Sections[0].Cells[0]
	if cell.Source != "x := 1" || cell.Version != 0 {
		t.Fatalf("cell %+v", cell)
	}
	b := e.connect(id)
	b.until(func(m Message) bool { return m.Type == "snapshot" })
	a.until(isOp(OpClientJoined, ""))

	a.send(update(cell.ID, 0, `[6,[0,"2"]]`))
	for _, c := range []*wsClient{a, b} {
		m := c.until(isOp(OpCellUpdate, cell.ID))
		if m.Op.DocVersion != 0 || len(m.Op.Updates) != 1 || string(m.Op.Updates[0].Changes) != `[6,[0,"2"]]` || m.Op.Client == "" {
			t.Errorf("broadcast %+v", m.Op)
		}
	}
	// b made its change on version 0 too: refused, nothing broadcast.
	b.send(update(cell.ID, 0, `[[0,"y"],6]`))
	if m := b.reply(); m.Type != "error" || m.Code != CodeStale {
		t.Fatalf("stale update: %+v", m)
	}
	// Rebased on version 1, it applies.
	upd := update(cell.ID, 1, `[[0,"y"],7]`)
	upd.Ref = "r2"
	b.send(upd)
	if m := b.until(isOp(OpCellUpdate, cell.ID)); m.Op.DocVersion != 1 || m.Op.Ref != "r2" {
		t.Errorf("rebased update: %+v", m.Op)
	}
	// The API's set_cell_source is one more version, carried as a change.
	e.apply(id, Op{Op: OpSetCellSource, CellID: cell.ID, Source: "yx := 13"})
	m := a.until(isOp(OpSetCellSource, cell.ID))
	if m.Op.DocVersion != 2 || len(m.Op.Updates) != 1 || string(m.Op.Updates[0].Changes) != `[7,[1,"3"]]` {
		t.Errorf("set_cell_source broadcast %+v", m.Op)
	}
	got := e.snapshot(id).Sections[0].Cells[0]
	if got.Source != "yx := 13" || got.Version != 3 {
		t.Errorf("snapshot cell %+v, want yx := 13 at version 3", got)
	}
}

// TestCollabMalformed sends updates that cannot apply: each gets an error frame
// with its ref, and the session goes on with the text unchanged.
func TestCollabMalformed(t *testing.T) {
	e := newEnv(t, nil)
	e.write("a.livemd", simpleNotebook+"\n```elixir\nIO.puts(1)\n```\n")
	id := e.open("a.livemd")
	a := e.connect(id)
	snap := a.read().Snapshot
	cell := snap.Sections[0].Cells[0].ID
	var readOnly string
	for _, c := range snap.Sections[1].Cells {
		if c.ReadOnly != "" {
			readOnly = c.ID
		}
	}
	many := make([]Update, maxUpdates+1)
	for i := range many {
		many[i] = Update{Changes: json.RawMessage(`[6]`)}
	}
	for i, op := range []Op{
		update(cell, 0, `[5]`),
		update(cell, 0, `[7]`),
		update(cell, 0, `{"a":1}`),
		update(cell, 0, `[[6, 3]]`),
		update(cell, 0, `[-6]`),
		update(cell, 0, `[1e400]`),
		update(cell, 0, `null`),
		update(cell, 0, `[3, [1, "a"]]`),
		update(cell, 7, `[6]`),
		update(cell, -1, `[6]`),
		update("nope", 0, `[6]`),
		update(readOnly, 0, `[10]`),
		{Op: OpCellUpdate, CellID: cell},
		{Op: OpCellUpdate, CellID: cell, Updates: many},
		{Op: OpCellUpdate, CellID: cell, Updates: []Update{{Changes: json.RawMessage(`[6]`)}, {Changes: json.RawMessage(`[5]`)}}},
		{Op: OpPullUpdates, CellID: cell, DocVersion: 3},
		{Op: OpPullUpdates, CellID: "nope"},
		{Op: OpPresence, Selection: &Selection{CellID: "nope"}},
		{Op: OpPresence, Selection: &Selection{CellID: cell, Anchor: -1}},
		{Op: OpSetUser, Name: "x", Avatar: "javascript:alert(1)"},
	} {
		op.Ref = fmt.Sprint("bad", i)
		a.send(op)
		if m := a.reply(); m.Type != "error" || m.Ref != op.Ref || m.Error == "" {
			t.Errorf("%d %s: reply %+v", i, op.Op, m)
		}
	}
	// Messages that are not operations at all.
	for _, raw := range []string{
		`{"op":"cell_update","cell_id":"c1","updates":"x"}`,
		`{"op":"cell_update","cell_id":"c1","doc_version":"0"}`,
		`{"op":"cell_update","updates":[{"changes":[6],"client_id":7}]}`,
	} {
		if err := a.conn.WriteMessage(websocket.TextMessage, []byte(raw)); err != nil {
			t.Fatal(err)
		}
		if m := a.reply(); m.Type != "error" {
			t.Errorf("%s: reply %+v", raw, m)
		}
	}
	if got := e.snapshot(id).Sections[0].Cells[0]; got.Source != "x := 1" || got.Version != 0 {
		t.Errorf("cell after refused updates: %+v", got)
	}
}

// TestCollabPull asks for missed updates, and for ones no longer kept.
func TestCollabPull(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.Autosave = -1 })
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	a := e.connect(id)
	cell := a.read().Snapshot.Sections[0].Cells[0].ID
	a.send(update(cell, 0, `[6,[0,"2"]]`))
	a.send(update(cell, 1, `[7,[0,"3"]]`))
	a.until(func(m Message) bool { return m.Type == "op" && m.Op.DocVersion == 1 })
	a.send(Op{Op: OpPullUpdates, CellID: cell, DocVersion: 1, Ref: "p"})
	m := a.reply()
	if m.Type != "catch_up" || m.Op.Ref != "p" || m.Op.DocVersion != 1 || len(m.Op.Updates) != 1 || string(m.Op.Updates[0].Changes) != `[7,[0,"3"]]` {
		t.Fatalf("catch_up %+v %+v", m, m.Op)
	}
	a.send(Op{Op: OpPullUpdates, CellID: cell, DocVersion: 2})
	if m := a.reply(); m.Type != "catch_up" || len(m.Op.Updates) != 0 {
		t.Fatalf("catch_up at the current version %+v", m.Op)
	}

	// Push the first updates out of the history.
	text := "x := 123"
	version := int64(2)
	for version < keptUpdates*5/4+2 {
		op := Op{Op: OpCellUpdate, CellID: cell, DocVersion: version}
		for range maxUpdates {
			n := len(text)
			op.Updates = append(op.Updates, Update{Changes: json.RawMessage(fmt.Sprintf(`[%d,[0,"."]]`, n))})
			text += "."
		}
		a.send(op)
		version += maxUpdates
	}
	a.until(func(m Message) bool { return m.Type == "op" && m.Op.DocVersion == version-maxUpdates })
	a.send(Op{Op: OpPullUpdates, CellID: cell, DocVersion: 1})
	if m := a.reply(); m.Type != "error" || m.Code != CodeTooOld {
		t.Errorf("pulling forgotten updates: %+v", m)
	}
	a.send(Op{Op: OpPullUpdates, CellID: cell, DocVersion: version - keptUpdates})
	if m := a.reply(); m.Type != "catch_up" || len(m.Op.Updates) != keptUpdates {
		t.Errorf("pulling the oldest kept: %s %d updates", m.Type, len(m.Op.Updates))
	}
	if got := e.snapshot(id).Sections[0].Cells[0]; got.Source != text || got.Version != version {
		t.Errorf("cell %d %d, want %d %d", len(got.Source), got.Version, len(text), version)
	}
}

// TestCollabConcurrent has clients append to one cell at once, each on the
// version it knows, sending again when refused as stale; every client sees the
// same updates at consecutive versions, and replaying them gives the session's
// text.
func TestCollabConcurrent(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.ClientQueue = 4096 })
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	const clients, edits = 4, 25
	conns := make([]*wsClient, clients)
	var cell string
	for i := range conns {
		conns[i] = e.connect(id)
		cell = conns[i].until(func(m Message) bool { return m.Type == "snapshot" }).Snapshot.Sections[0].Cells[0].ID
	}
	texts := make([]string, clients)
	var wg sync.WaitGroup
	for i, c := range conns {
		wg.Go(func() {
			text, version := "x := 1", int64(0)
			// Only the text of the versions after the client's snapshot counts: the
			// snapshot came before any edit.
			apply := func(m Message) {
				for _, u := range m.Op.Updates {
					cs, err := ParseChangeSet(u.Changes)
					if err != nil {
						t.Error(err)
						return
					}
					if text, err = cs.Apply(text); err != nil {
						t.Error(err)
					}
				}
				if m.Op.DocVersion != version {
					t.Errorf("client %d: updates at %d after %d", i, m.Op.DocVersion, version)
				}
				version += int64(len(m.Op.Updates))
			}
			sent := 0
			for done := 0; done < edits; {
				if sent == done {
					n := len(utf16.Encode([]rune(text)))
					c.send(Op{Op: OpCellUpdate, CellID: cell, DocVersion: version, Ref: fmt.Sprint(i),
						Updates: []Update{{Changes: json.RawMessage(fmt.Sprintf(`[%d,[0,"%c"]]`, n, 'a'+i)), ClientID: fmt.Sprint(i)}}})
					sent++
				}
				m := c.read()
				switch {
				case m.Type == "error" && m.Code == CodeStale:
					sent-- // the updates it missed arrived before this: send again
				case m.Type == "error":
					t.Errorf("client %d: %s", i, m.Error)
					return
				case m.Type == "op" && m.Op.Op == OpCellUpdate:
					apply(m)
					if m.Op.Ref == fmt.Sprint(i) && m.Op.Updates[0].ClientID == fmt.Sprint(i) {
						done++
					}
				}
			}
			// Read on until every client's edits have arrived.
			for version < clients*edits {
				if m := c.read(); m.Type == "op" && m.Op.Op == OpCellUpdate {
					apply(m)
				}
			}
			texts[i] = text
		})
	}
	wg.Wait()
	got := e.snapshot(id).Sections[0].Cells[0]
	if got.Version != clients*edits || len(got.Source) != len("x := 1")+clients*edits {
		t.Fatalf("cell at version %d: %q", got.Version, got.Source)
	}
	for i, text := range texts {
		if text != got.Source {
			t.Errorf("client %d has %q, the session %q", i, text, got.Source)
		}
	}
	for i := range clients {
		if n := strings.Count(got.Source, string(rune('a'+i))); n != edits {
			t.Errorf("client %d's letter appears %d times", i, n)
		}
	}
}

// TestUsers checks names, colours, presence and leaving.
func TestUsers(t *testing.T) {
	e := newEnv(t, nil)
	e.write("a.livemd", simpleNotebook)
	id := e.open("a.livemd")
	dial := func(query string) *wsClient {
		h := http.Header{}
		h.Set("Authorization", "Bearer "+testToken)
		conn, _, err := websocket.DefaultDialer.Dial(e.wsURL(id)+"?"+query, h)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return &wsClient{t: t, conn: conn}
	}
	a := dial("name=" + url.QueryEscape("  Ada   Lovelace "))
	snapA := a.read().Snapshot
	b := dial("name=Grace&avatar=" + url.QueryEscape("https://example.com/g.png"))
	snapB := b.read().Snapshot
	joined := a.until(isOp(OpClientJoined, ""))
	if u := joined.Op.User; u == nil || u.Name != "Grace" || u.Avatar != "https://example.com/g.png" || u.ID != joined.Op.Client {
		t.Fatalf("joined %+v", joined.Op)
	}
	if len(snapA.Users) != 1 || snapA.Users[0].Name != "Ada Lovelace" {
		t.Errorf("a's snapshot users %+v", snapA.Users)
	}
	if len(snapB.Users) != 2 || snapB.Users[0].Color == snapB.Users[1].Color {
		t.Errorf("b's snapshot users %+v: two users, two colours", snapB.Users)
	}
	cell := snapB.Sections[0].Cells[0].ID
	b.send(Op{Op: OpPresence, Selection: &Selection{CellID: cell, Anchor: 1, Head: 3}})
	m := a.until(isOp(OpPresence, ""))
	if m.Op.User == nil || m.Op.User.Name != "Grace" || *m.Op.User.Selection != (Selection{CellID: cell, Anchor: 1, Head: 3}) {
		t.Errorf("presence %+v", m.Op)
	}
	// Presence is throttled: a burst of moves gives fewer broadcasts, the last
	// with the final position.
	const moves = 40
	for i := range moves {
		b.send(Op{Op: OpPresence, Selection: &Selection{CellID: cell, Anchor: i, Head: i}})
	}
	var broadcasts int
	var last *Selection
	for {
		m := a.read()
		if m.Type == "op" && m.Op.Op == OpPresence {
			broadcasts++
			last = m.Op.User.Selection
			if last.Head == moves-1 {
				break
			}
		}
	}
	if broadcasts >= moves/2 {
		t.Errorf("%d presence broadcasts for %d moves", broadcasts, moves)
	}
	b.send(Op{Op: OpSetUser, Name: "Grace Hopper"})
	if m := a.until(isOp(OpSetUser, "")); m.Op.User == nil || m.Op.User.Name != "Grace Hopper" || m.Op.User.Selection == nil {
		t.Errorf("set_user %+v", m.Op)
	}
	// A third sees both, with b's cursor.
	c := dial("")
	snapC := c.read().Snapshot
	if len(snapC.Users) != 3 {
		t.Fatalf("users %+v", snapC.Users)
	}
	for _, u := range snapC.Users {
		switch u.ID {
		case joined.Op.Client:
			if u.Selection == nil || u.Selection.Head != moves-1 {
				t.Errorf("b without its cursor: %+v", u)
			}
		case snapC.Users[2].ID:
		default:
			if u.Name != "Ada Lovelace" && !strings.HasPrefix(u.Name, "Guest ") {
				t.Errorf("user %+v", u)
			}
		}
	}
	b.conn.Close()
	if m := a.until(isOp(OpClientLeft, "")); m.Op.Client != joined.Op.Client {
		t.Errorf("left %+v", m.Op)
	}
	if got := e.snapshot(id).Users; len(got) != 2 {
		t.Errorf("users after b left: %+v", got)
	}
}

// FuzzCellUpdate decodes any message as a client's operation and applies its
// updates to a cell: it is refused with an error or applies, never panics, and
// what applies has the length its change sets say.
func FuzzCellUpdate(f *testing.F) {
	f.Add([]byte(`{"op":"cell_update","cell_id":"c2","doc_version":0,"updates":[{"changes":[6,[0,"2"]],"client_id":"k"}]}`))
	f.Add([]byte(`{"op":"cell_update","cell_id":"c2","updates":[{"changes":[[6,"a","b"]]},{"changes":[3,[0,"😀"]]}]}`))
	f.Add([]byte(`{"op":"cell_update","cell_id":"c2","updates":[{"changes":[7]}]}`))
	f.Add([]byte(`{"op":"cell_update","cell_id":"c2","doc_version":3,"updates":[]}`))
	f.Add([]byte(`{"op":"cell_update","cell_id":"c9","updates":[{"changes":null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, _ := parseNotebookForTest(simpleNotebook)
		d := newDoc(nb)
		var op Op
		if json.Unmarshal(data, &op) != nil {
			return
		}
		text, err := d.collabText(&op)
		if err != nil {
			if !errors.Is(err, ErrInvalidOp) {
				t.Fatalf("error %v is not ErrInvalidOp", err)
			}
			return
		}
		n := len(utf16.Encode([]rune(text)))
		last, perr := ParseChangeSet(op.Updates[len(op.Updates)-1].Changes)
		if perr != nil || last.NewLen() != n {
			t.Fatalf("text of length %d after updates ending in %s (%v)", n, op.Updates[len(op.Updates)-1].Changes, perr)
		}
	})
}

// BenchmarkCellUpdate measures the session applying one keystroke to a cell of
// about 4 KB (parsing, applying and re-encoding the change set, recording it).
func BenchmarkCellUpdate(b *testing.B) {
	nb, _ := parseNotebookForTest("# B\n\n## S\n\n```go\n" + strings.Repeat("x := 1 // comment\n", 230) + "```\n")
	d := newDoc(nb)
	id := d.ids[nb.Sections[0].Cells[0]]
	n := len(nb.Sections[0].Cells[0].Source)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		// Type a letter at the end, then delete it, so the cell keeps its size.
		changes := fmt.Sprintf(`[%d,[0,"a"]]`, n)
		if i%2 == 1 {
			changes = fmt.Sprintf(`[%d,[1]]`, n)
		}
		op := Op{Op: OpCellUpdate, CellID: id, DocVersion: int64(i), Updates: []Update{{Changes: json.RawMessage(changes)}}}
		text, err := d.collabText(&op)
		if err != nil {
			b.Fatal(err)
		}
		d.cells[id].Source = text
		d.history(id).record(op.Updates...)
	}
}
