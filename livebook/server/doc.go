// Package server is the core of the livebook notebook server: HTTP and websocket
// handlers over sessions of the .livemd notebooks beneath one directory.
//
// A Server serves:
//
//	GET    /healthz                  200 "ok", without authentication
//	GET    /metrics                  Prometheus text format
//	GET    /                         the browser UI (package ui)
//	GET    /assets/...               its scripts and styles
//	GET    /authenticate             the login form (token or password)
//	POST   /authenticate             logs in: sets the cookie, redirects
//	GET    /api/notebooks            {"notebooks": [{path, size, modified}...]}
//	POST   /api/notebooks            {path, name} creates a notebook → 201 {path}
//	POST   /api/notebooks/import     {url, path?} imports a notebook → 201 {path}
//	GET    /api/export/livemd/{path} the notebook as a .livemd download
//	GET    /api/export/go/{path}     the notebook as a Go program, a .zip (ExportGo)
//	DELETE /api/notebooks/{path}     closes its session, deletes the file → 204
//	GET    /api/sessions             {"sessions": [{id, path, ws}...]}
//	POST   /api/sessions             {path} opens a notebook → {id, path, ws}
//	GET    /api/sessions/{id}        the session's Snapshot
//	DELETE /api/sessions/{id}        saves and closes the session → 204
//	POST   /api/sessions/{id}/ops    applies an Op → {"version": N}
//	POST   /api/sessions/{id}/assist {kind, source, pos} → completions, hover or signature
//	GET    /api/sessions/{id}/ws     the session's websocket
//
// # Authentication
//
// Token authentication is on by default: the start-up URL carries ?token=, which
// sets an HttpOnly, SameSite=Strict cookie; scripts may send the token (or the
// password) as Authorization: Bearer. With a password configured, users log in at
// /authenticate instead. Secrets are compared in constant time. Websocket upgrades
// and state-changing API requests must come from the same origin.
//
// # Import
//
// POST /api/notebooks/import fetches a .livemd notebook from an http or https URL
// (Server.ImportURL): other schemes, and redirects to them, are refused (400); the
// download is bounded by Config.ImportMaxBytes (413, default 10 MiB) and
// Config.ImportTimeout (504, default 30 s); content that is not a notebook (not
// UTF-8 text starting with a "# Title" heading) is refused (422). The file is saved
// atomically under the notebooks root, under the name given or one made from the
// URL, and never replaces another.
//
// # Sessions
//
// Each open notebook has one Session, the single owner of its state: a goroutine
// that applies operations one at a time. A websocket client first receives
// {"type":"snapshot","version":V,"snapshot":{...}}, then every applied operation as
// {"type":"op","version":V+1,"op":{...}}, in the same order as every other client.
// It sends operations as JSON Op values, such as
//
//	{"op":"insert_cell","ref":"r1","section_id":"s2","index":0,"source":"x := 1"}
//	{"op":"set_cell_source","cell_id":"c3","source":"x := 2"}
//	{"op":"evaluate_cell","cell_id":"c3"}
//
// and gets {"type":"error","ref":"r1","error":"..."} when one does not apply, or
// when a message is not an operation at all (not JSON, binary, malformed). A
// client that cannot keep up (its bounded queue fills) is disconnected rather than
// slowing the session down.
//
// # Collaboration
//
// Cell text is edited with CodeMirror 6's collab protocol, the session being the
// authority. Each cell has a version (CellState.Version); a client sends the
// changes it made on the version it has, in CodeMirror's ChangeSet JSON form,
//
//	{"op":"cell_update","cell_id":"c3","doc_version":7,"updates":[{"changes":[5,[1,"42"]],"client_id":"k1"}]}
//
// and the session applies them only at the cell's current version, broadcasting
// the operation; updates made on an older version get an error with code
// "stale", and the client sends them again, rebased on what it missed.
// {"op":"pull_updates","cell_id":"c3","doc_version":5} is answered, to the
// sender alone, with {"type":"catch_up","op":{"op":"cell_update",...}} holding
// the updates since that version (the last few thousand per cell are kept;
// older ones get code "too_old"). set_cell_source, from the API, replaces the
// whole text and is broadcast with the equivalent update. Malformed updates get
// an error and change nothing.
//
// Each connection is a User: a name and picture from the websocket URL's query
// (?name=Ada&avatar=https://...), or changed with {"op":"set_user",...}, and a
// colour the session picks. The snapshot lists the users; client_joined carries
// the new one, client_left names the one that went, and
// {"op":"presence","selection":{"cell_id":"c3","anchor":4,"head":9}} (no
// selection: not editing) is broadcast with the sender's user, at most every
// 50 ms for each client (the latest position always goes out).
//
// Sessions save their notebook every few seconds while it has changes, and when
// they close, by writing a temporary file beside it, syncing it, renaming it over
// the notebook and syncing the directory. A Store confines every file operation to
// the notebooks root: absolute paths, ".." and symbolic links that lead out are
// refused.
//
// # Evaluation
//
// Code cells run through an Evaluator, which a Runtime starts for each session on
// its first evaluation. Sessions use Config.DefaultRuntime, or the runtime that the
// notebook's metadata names (MetadataRuntime:
// <!-- livebook:{"gonx_runtime":"attached"} --> before the title); the snapshot
// says which. Evaluations queue and run one at a time in order; their
// start and end are broadcast as operations, and their status and latency are
// counted in Metrics.
//
// While a cell runs, what it prints and the rich outputs it renders stream to the
// clients: the runtime hands them to StartInfo.Output as they come, and the
// session broadcasts them every 75 ms or so as
//
//	{"op":"evaluation_output","cell_id":"c3","outputs":[...]}
//
// with a batch's text joined and each frame's updates coalesced to the latest. A
// frame is an output {"type":"frame","id":"frame-…","outputs":[...]} that clients
// show where it first appears and update there, by id (an update with "append"
// adds to its content). evaluation_finished carries the cell's whole result,
// which replaces what streamed.
//
// # Editing help
//
// POST /api/sessions/{id}/assist {"kind":"complete"|"hover"|"signature",
// "source":"...","pos":N} asks the session's evaluator, started if there is none
// yet, for completions at a position of a Go cell's text (as the client's editor
// holds it; positions count UTF-16 code units), the documentation of the name there,
// or the signature of the call around it. Evaluators that implement Assistant answer
// (the livebook command's kernels ask gopls, over the scratch module the cells
// compile in, so the names earlier cells bound complete too). When the runtime
// cannot help, the answer's "unavailable" says why, for the UI to show; the
// requests run beside evaluations and never wait for a running cell.
//
// Staleness follows Livebook. Evaluators report the names a cell bound and the
// names of earlier cells it read (Result.Defined, Result.Used). Editing an
// evaluated cell makes it stale, with the cells that use its names and, in turn,
// the cells that use theirs; evaluating a cell again makes its users stale; a
// runtime restart, or an evaluation after which the runtime lost its names (an
// interrupted cell, a crashed kernel), makes every evaluated cell stale. Whenever
// the set changes the session broadcasts all of it:
//
//	{"op":"cells_stale","cell_ids":["c3","c5"]}
//
// and {"op":"evaluate_stale"} queues the stale cells again, in notebook order,
// broadcast as one evaluate_cell each.
//
// {"op":"interrupt"} stops every queued and running evaluation, and
// {"op":"interrupt","cell_id":"c3"} one. Queued ones end at once as aborted; the
// running one's context is cancelled, and the standalone kernel stops it by
// killing its process group and starting again. An evaluator that has not
// returned a second after its context ended is abandoned and closed, so a
// runaway cell never holds a session; the server stays up either way.
package server
