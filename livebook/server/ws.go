package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Websocket close codes the session uses.
const (
	closeNormal        = websocket.CloseNormalClosure
	closeGoingAway     = websocket.CloseGoingAway
	closeTryAgainLater = websocket.CloseTryAgainLater
)

// Websocket timing and limits.
const (
	writeWait    = 10 * time.Second
	pongWait     = 60 * time.Second
	pingPeriod   = pongWait * 9 / 10
	maxOpMessage = 16 << 20 // a cell's full source travels in one message
)

// client is a websocket connection to a session. The session goroutine owns send:
// it queues messages and closes it, after setting closeCode and closeReason, to
// disconnect the client.
type client struct {
	id   string
	user User // owned by the session goroutine once joined
	// presenceAt is when the session last broadcast the user's presence, and
	// presenceDue says a broadcast is scheduled (session goroutine).
	presenceAt  time.Time
	presenceDue bool
	send        chan []byte
	closeCode   int
	closeReason string
}

// sameOrigin reports whether a request's Origin, when it has one, names the host
// the request was sent to. Browsers always send Origin on websocket upgrades and
// cross-origin requests; other clients may leave it out.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

var upgrader = websocket.Upgrader{
	ReadBufferSize:  4096,
	WriteBufferSize: 4096,
	CheckOrigin:     sameOrigin,
}

// handleWS connects a websocket client to the session named in the path: it
// receives the snapshot and then the stream of operations, and sends operations.
func (srv *Server) handleWS(w http.ResponseWriter, r *http.Request) {
	sess := srv.sessions.Get(r.PathValue("id"))
	if sess == nil {
		writeError(w, http.StatusNotFound, fmt.Errorf("no session %q", r.PathValue("id")))
		return
	}
	if !sameOrigin(r) {
		writeError(w, http.StatusForbidden, fmt.Errorf("origin %q not allowed", r.Header.Get("Origin")))
		return
	}
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered
	}
	// The user names themselves, and their picture, in the query:
	// ?name=Ada&avatar=https://...
	q := r.URL.Query()
	c := &client{
		id:   "u" + randomHex(4),
		send: make(chan []byte, srv.cfg.ClientQueue),
		user: User{Name: q.Get("name"), Avatar: q.Get("avatar")},
	}
	if err := sess.join(c); err != nil {
		_ = conn.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(closeGoingAway, "session closed"), time.Now().Add(writeWait))
		_ = conn.Close()
		return
	}
	srv.metrics.clientJoined()
	defer srv.metrics.clientLeft()
	go writePump(conn, c)
	readPump(conn, sess, c)
	sess.leave(c)
}

// writePump sends c's queued messages, and pings, until the session closes the
// queue or the connection fails.
func writePump(conn *websocket.Conn, c *client) {
	ping := time.NewTicker(pingPeriod)
	defer func() {
		ping.Stop()
		_ = conn.Close()
	}()
	for {
		select {
		case msg, ok := <-c.send:
			deadline := time.Now().Add(writeWait)
			if !ok {
				_ = conn.WriteControl(websocket.CloseMessage,
					websocket.FormatCloseMessage(c.closeCode, c.closeReason), deadline)
				return
			}
			_ = conn.SetWriteDeadline(deadline)
			if err := conn.WriteMessage(websocket.TextMessage, msg); err != nil {
				return
			}
		case <-ping.C:
			if err := conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				return
			}
		}
	}
}

// readPump reads c's operations and submits them to the session until the
// connection closes.
func readPump(conn *websocket.Conn, sess *Session, c *client) {
	conn.SetReadLimit(maxOpMessage)
	_ = conn.SetReadDeadline(time.Now().Add(pongWait))
	conn.SetPongHandler(func(string) error {
		return conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		typ, data, err := conn.ReadMessage()
		if err != nil {
			return
		}
		_ = conn.SetReadDeadline(time.Now().Add(pongWait))
		if typ != websocket.TextMessage {
			sess.reject(c, fmt.Errorf("%w: operations are JSON text messages", ErrInvalidOp))
			continue
		}
		var op Op
		if err := json.Unmarshal(data, &op); err != nil {
			sess.reject(c, fmt.Errorf("%w: %v", ErrInvalidOp, err))
			continue
		}
		if err := sess.submit(c, op); err != nil {
			return
		}
	}
}
