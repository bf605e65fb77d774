// Package livebook is the collaborative notebook server for Go: it opens Livebook's
// .livemd notebooks, edits them together with other users in the browser, and runs their
// Go cells in a separate kernel process.
//
// The notebook file format lives in package livemd; the server command is
// livebook/cmd/livebook.
package livebook
