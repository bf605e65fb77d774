// Package lsp is a small client of the Language Server Protocol: JSON-RPC 2.0 over a
// server process's standard input and output, in the base protocol's framing
// (Content-Length headers). It speaks the part of the protocol that an editor of one
// document needs — initialize, didOpen, didChange, completion, hover and signature
// help — and answers the requests a server sends back (workspace/configuration and
// the like) with defaults.
//
//	c, err := lsp.Start(ctx, lsp.Config{Command: []string{"gopls"}, Root: dir})
//	if err != nil { ... }
//	defer c.Close()
//	uri := lsp.FileURI(filepath.Join(dir, "main.go"))
//	_ = c.DidOpen(uri, "go", 1, text)
//	list, err := c.Completion(ctx, uri, lsp.PositionOf(text, offset))
//
// Positions count UTF-16 code units, as the protocol does; PositionOf and UTF16Offset
// convert them to and from byte offsets.
package lsp
