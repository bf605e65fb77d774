package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Cell text is edited collaboratively with CodeMirror 6's collab protocol, with
// the session as the authority. Each cell has a document version, the number of
// updates applied to its text since the session opened, and the session keeps
// the latest of those updates. A client sends the updates it made on top of the
// version it has:
//
//	{"op":"cell_update","cell_id":"c3","doc_version":7,"updates":[{"changes":[5,[1,"42"]],"client_id":"k1"}]}
//
// The session applies them only when doc_version is the cell's version, and
// broadcasts the operation, which clients apply with @codemirror/collab's
// receiveUpdates (their own updates come back confirmed). Updates made on an
// older version are refused with an error whose code is "stale"; by then the
// client has received the updates it missed, in order, and sends its own again,
// rebased on them. A client that missed updates (after a reconnection) asks for
// them with {"op":"pull_updates","cell_id":"c3","doc_version":5} and receives
// {"type":"catch_up","op":{"op":"cell_update",...}} with every update since.

// Error codes of error messages that clients act on.
const (
	// CodeStale: updates were made on an older version of the cell's text.
	CodeStale = "stale"
	// CodeTooOld: the updates asked for are no longer kept; the client starts
	// again from the snapshot's text.
	CodeTooOld = "too_old"
)

var (
	// ErrStaleVersion is the error for updates made on an older version of a
	// cell's text.
	ErrStaleVersion = errors.New("stale document version")
	// ErrHistoryGone is the error for a pull of updates the session no longer keeps.
	ErrHistoryGone = errors.New("updates no longer kept")
)

// Limits on collaborative editing.
const (
	// keptUpdates is how many of each cell's latest updates the session keeps, at
	// least, for clients that reconnect (up to a quarter more between trims).
	keptUpdates = 4096
	// maxUpdates bounds the updates of one cell_update operation.
	maxUpdates = 256
	// maxCellText bounds a cell's text, in UTF-16 code units.
	maxCellText = 4 << 20
)

// Update is one change to a cell's text, as @codemirror/collab makes it.
type Update struct {
	// Changes is the change, in CodeMirror's ChangeSet JSON form.
	Changes json.RawMessage `json:"changes"`
	// ClientID names the editor that made it ("" for the session itself, when
	// set_cell_source replaces the text).
	ClientID string `json:"client_id"`
}

// history is a cell's document version and its latest updates.
type history struct {
	version int64    // updates applied so far
	updates []Update // the last ones, up to keptUpdates: versions version-len(updates) ...
}

// history returns the cell's history, creating it at version 0.
func (d *doc) history(id string) *history {
	h, ok := d.hist[id]
	if !ok {
		h = &history{}
		d.hist[id] = h
	}
	return h
}

// record adds updates to h.
func (h *history) record(updates ...Update) {
	h.version += int64(len(updates))
	h.updates = append(h.updates, updates...)
	// Trimmed a quarter at a time, so that the copy costs little per update.
	if n := len(h.updates) - keptUpdates; n > keptUpdates/4 {
		h.updates = append(h.updates[:0:0], h.updates[n:]...)
	}
}

// since returns the updates after version v.
func (h *history) since(v int64) ([]Update, error) {
	first := h.version - int64(len(h.updates))
	switch {
	case v > h.version || v < 0:
		return nil, invalid("document version %d: the cell is at %d", v, h.version)
	case v < first:
		return nil, fmt.Errorf("%w: %w: version %d; the oldest kept is %d", ErrInvalidOp, ErrHistoryGone, v, first)
	}
	return h.updates[v-first:], nil
}

// editable returns the cell with id if its text may change.
func (d *doc) editable(id string) (string, error) {
	c, ok := d.cells[id]
	if !ok {
		return "", invalid("no cell %q", id)
	}
	if r := c.ReadOnlyReason(); r != "" {
		return "", invalid("cell %s is read-only: %s", id, r)
	}
	return c.Source, nil
}

// collabText applies op's updates, made at op.DocVersion, to the cell's text
// and returns the result, without changing anything. The updates' changes come
// back in their canonical JSON form.
func (d *doc) collabText(op *Op) (string, error) {
	text, err := d.editable(op.CellID)
	if err != nil {
		return "", err
	}
	h := d.history(op.CellID)
	if op.DocVersion != h.version {
		return "", fmt.Errorf("%w: %w: cell %s is at version %d, the updates were made at %d",
			ErrInvalidOp, ErrStaleVersion, op.CellID, h.version, op.DocVersion)
	}
	if len(op.Updates) == 0 || len(op.Updates) > maxUpdates {
		return "", invalid("cell_update carries %d updates; 1 to %d are allowed", len(op.Updates), maxUpdates)
	}
	text = normalizeLines(text)
	for i := range op.Updates {
		u := &op.Updates[i]
		cs, err := ParseChangeSet(u.Changes)
		if err != nil {
			return "", fmt.Errorf("%w: update %d: %w", ErrInvalidOp, i, err)
		}
		if cs.NewLen() > maxCellText {
			return "", invalid("update %d makes the cell longer than %d", i, maxCellText)
		}
		if text, err = cs.Apply(text); err != nil {
			return "", fmt.Errorf("%w: update %d on version %d: %w", ErrInvalidOp, i, h.version+int64(i), err)
		}
		if u.Changes, err = json.Marshal(cs); err != nil {
			return "", err
		}
		if len(u.ClientID) > 64 {
			return "", invalid("client_id longer than 64 bytes")
		}
	}
	return text, nil
}

// cellUpdate applies a cell_update operation and broadcasts it.
func (s *Session) cellUpdate(op *Op) (int64, error) {
	text, err := s.doc.collabText(op)
	if err != nil {
		return s.version, err
	}
	var changed []string
	if e, ok := s.doc.evals[op.CellID]; ok && finished(e.state.Status) && text != e.source {
		changed = e.state.Defined
	}
	s.doc.cells[op.CellID].Source = text
	s.doc.history(op.CellID).record(op.Updates...)
	s.touch()
	s.broadcast(op)
	s.markDependents(changed, "")
	s.updateStale()
	return s.version, nil
}

// setSource replaces a cell's text, recording the replacement as an update of
// the session's own so that editors rebase their changes on it; op carries it
// in its broadcast.
func (d *doc) setSource(op *Op) error {
	old, err := d.editable(op.CellID)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(op.Source) > maxCellText {
		return invalid("source longer than %d", maxCellText)
	}
	op.Source = normalizeLines(op.Source)
	changes, err := json.Marshal(Replacement(normalizeLines(old), op.Source))
	if err != nil {
		return err
	}
	h := d.history(op.CellID)
	op.DocVersion = h.version
	op.Updates = []Update{{Changes: changes}}
	h.record(op.Updates...)
	d.cells[op.CellID].Source = op.Source
	return nil
}

// pullUpdates sends c the updates of a cell since op.DocVersion.
func (s *Session) pullUpdates(op *Op, c *client) error {
	if c == nil {
		return invalid("pull_updates is for websocket clients")
	}
	if _, ok := s.doc.cells[op.CellID]; !ok {
		return invalid("no cell %q", op.CellID)
	}
	updates, err := s.doc.history(op.CellID).since(op.DocVersion)
	if err != nil {
		return err
	}
	s.send(c, &Message{Type: "catch_up", Version: s.version, Op: &Op{
		Op: OpCellUpdate, Ref: op.Ref, CellID: op.CellID, DocVersion: op.DocVersion, Updates: updates,
	}})
	return nil
}

// errorCode returns the code of an error message for err.
func errorCode(err error) string {
	switch {
	case errors.Is(err, ErrStaleVersion):
		return CodeStale
	case errors.Is(err, ErrHistoryGone):
		return CodeTooOld
	}
	return ""
}

// User is a person connected to a session: one per websocket connection.
type User struct {
	// ID is the connection's client id.
	ID string `json:"id"`
	// Name is what the person calls themselves.
	Name string `json:"name"`
	// Color is the colour the session gave them, as CSS (#rrggbb): their avatar,
	// cursor and selections.
	Color string `json:"color"`
	// Avatar is the URL of their picture (http, https or a data: image); without
	// one, clients show their initials.
	Avatar string `json:"avatar,omitempty"`
	// Selection is where their cursor is, when they are editing a cell.
	Selection *Selection `json:"selection,omitempty"`
}

// Selection is a user's cursor and selection in a cell's text: the selection
// runs from Anchor to Head (the cursor), offsets in UTF-16 code units.
type Selection struct {
	CellID string `json:"cell_id"`
	Anchor int    `json:"anchor"`
	Head   int    `json:"head"`
}

// palette is the colours users get, each new one the least used at the time.
var palette = []string{
	"#e11d48", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#65a30d",
	"#ea580c", "#4f46e5", "#0d9488", "#9333ea",
}

// Limits on what users say about themselves.
const (
	maxNameLen   = 64
	maxAvatarLen = 64 << 10
)

// cleanName returns name trimmed to at most maxNameLen characters, or def when
// it is empty.
func cleanName(name, def string) string {
	name = strings.Join(strings.Fields(strings.ToValidUTF8(name, "")), " ")
	if r := []rune(name); len(r) > maxNameLen {
		name = string(r[:maxNameLen])
	}
	if name == "" {
		return def
	}
	return name
}

// checkAvatar returns an error unless avatar is empty, an http(s) URL or a data:
// URL of an image.
func checkAvatar(avatar string) error {
	if avatar == "" {
		return nil
	}
	if len(avatar) > maxAvatarLen {
		return invalid("avatar URL longer than %d bytes", maxAvatarLen)
	}
	if strings.HasPrefix(avatar, "data:image/") {
		return nil
	}
	u, err := url.Parse(avatar)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid("avatar must be an http(s) URL or a data:image URL")
	}
	return nil
}

// newUser makes the user of a new connection, with the colour least used among
// those connected.
func (s *Session) newUser(c *client, name, avatar string) {
	used := map[string]int{}
	for other := range s.clients {
		used[other.user.Color]++
	}
	color := palette[0]
	for _, p := range palette {
		if used[p] < used[color] {
			color = p
		}
	}
	if checkAvatar(avatar) != nil {
		avatar = ""
	}
	c.user = User{ID: c.id, Name: cleanName(name, "Guest "+strings.ToUpper(c.id[1:min(len(c.id), 4)])), Color: color, Avatar: avatar}
}

// setPresence records where c's user is and broadcasts it.
func (s *Session) setPresence(op *Op, c *client) error {
	if c == nil {
		return invalid("presence is for websocket clients")
	}
	if sel := op.Selection; sel != nil {
		if _, ok := s.doc.cells[sel.CellID]; !ok {
			return invalid("no cell %q", sel.CellID)
		}
		if sel.Anchor < 0 || sel.Head < 0 || sel.Anchor > maxCellText || sel.Head > maxCellText {
			return invalid("selection %d..%d out of range", sel.Anchor, sel.Head)
		}
	}
	c.user.Selection = op.Selection
	// At most one broadcast per presenceInterval for each client: moves in
	// between only change what the next one says, and the last is always sent.
	if wait := presenceInterval - time.Since(c.presenceAt); wait > 0 {
		if !c.presenceDue {
			c.presenceDue = true
			time.AfterFunc(wait, func() {
				s.do(func() {
					if _, ok := s.clients[c]; ok && c.presenceDue {
						s.sendPresence(c, op.Ref)
					}
				})
			})
		}
		return nil
	}
	s.sendPresence(c, op.Ref)
	return nil
}

// presenceInterval is the shortest time between two presence broadcasts of one
// client.
const presenceInterval = 50 * time.Millisecond

// sendPresence broadcasts where c's user is.
func (s *Session) sendPresence(c *client, ref string) {
	c.presenceDue, c.presenceAt = false, time.Now()
	u := c.user
	s.broadcast(&Op{Op: OpPresence, Ref: ref, Client: c.id, Selection: u.Selection, User: &u})
}

// setUser changes c's user's name and avatar and broadcasts the user.
func (s *Session) setUser(op *Op, c *client) error {
	if c == nil {
		return invalid("set_user is for websocket clients")
	}
	if err := checkAvatar(op.Avatar); err != nil {
		return err
	}
	c.user.Name = cleanName(op.Name, c.user.Name)
	c.user.Avatar = op.Avatar
	u := c.user
	op.User, op.Name, op.Avatar = &u, "", ""
	s.broadcast(op)
	return nil
}
