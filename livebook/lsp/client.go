package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Config says how to start a language server.
type Config struct {
	// Command is the server program and its arguments, such as {"gopls"}.
	Command []string
	// Env is the server's environment; the calling process's when nil.
	Env []string
	// Root is the workspace folder, an absolute directory; the server also runs in it.
	Root string
	// Options are the server's initializationOptions (its settings); nil for none.
	Options map[string]any
	// Settings answers the server's workspace/configuration requests for every
	// section; nil answers them with Options.
	Settings map[string]any
}

// Client is a language server process and the connection to it. Its methods are safe
// for concurrent use.
type Client struct {
	conn   *Conn
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	exited chan struct{}

	mu     sync.Mutex
	stderr bytes.Buffer // the server's log, last part only
	closed bool
}

// maxLog bounds the part of the server's standard error a Client keeps for errors.
const maxLog = 8 << 10

// Start starts the language server, and initializes it with Root as its workspace.
// ctx bounds the start, not the server's life: Close stops it.
func Start(ctx context.Context, cfg Config) (*Client, error) {
	if len(cfg.Command) == 0 {
		return nil, fmt.Errorf("lsp: no server command")
	}
	if !filepath.IsAbs(cfg.Root) {
		return nil, fmt.Errorf("lsp: workspace root %q is not absolute", cfg.Root)
	}
	cmd := exec.Command(cfg.Command[0], cfg.Command[1:]...)
	cmd.Dir = cfg.Root
	cmd.Env = cfg.Env
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("lsp: %w", err)
	}
	// A pipe of our own rather than StdoutPipe, which Wait closes while the
	// connection may still be reading the last messages.
	stdout, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("lsp: %w", err)
	}
	cmd.Stdout = w
	c := &Client{cmd: cmd, stdin: stdin, exited: make(chan struct{})}
	cmd.Stderr = logWriter{c}
	err = cmd.Start()
	w.Close()
	if err != nil {
		stdout.Close()
		return nil, fmt.Errorf("lsp: starting %s: %w", cfg.Command[0], err)
	}
	go func() {
		_ = cmd.Wait()
		close(c.exited)
	}()

	settings := cfg.Settings
	if settings == nil {
		settings = cfg.Options
	}
	c.conn = NewConn(stdout, stdin, func(method string, params json.RawMessage) (any, error) {
		switch method {
		case "workspace/configuration":
			var p struct{ Items []json.RawMessage }
			_ = json.Unmarshal(params, &p)
			out := make([]any, len(p.Items))
			for i := range out {
				out[i] = settings
			}
			return out, nil
		case "window/workDoneProgress/create", "client/registerCapability", "client/unregisterCapability":
			return nil, nil
		case "workspace/workspaceFolders":
			return []map[string]string{{"uri": FileURI(cfg.Root), "name": filepath.Base(cfg.Root)}}, nil
		case "window/showMessageRequest", "workspace/applyEdit":
			return nil, nil
		}
		return nil, &Error{Code: codeMethodNotFound, Message: "method not supported: " + method}
	})
	go func() {
		// The connection reads until the pipe ends, when the server exits.
		<-c.conn.Done()
		stdout.Close()
	}()
	init := map[string]any{
		"processId": nil,
		"clientInfo": map[string]string{
			"name": "gonx-livebook",
		},
		"rootUri":          FileURI(cfg.Root),
		"workspaceFolders": []map[string]string{{"uri": FileURI(cfg.Root), "name": filepath.Base(cfg.Root)}},
		"capabilities": map[string]any{
			"textDocument": map[string]any{
				"synchronization": map[string]any{"dynamicRegistration": false},
				"completion": map[string]any{
					"completionItem": map[string]any{
						"snippetSupport":          false,
						"documentationFormat":     []string{"markdown", "plaintext"},
						"insertReplaceSupport":    false,
						"deprecatedSupport":       true,
						"labelDetailsSupport":     false,
						"commitCharactersSupport": false,
					},
					"contextSupport": true,
				},
				"hover": map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
				"signatureHelp": map[string]any{
					"signatureInformation": map[string]any{
						"documentationFormat":    []string{"markdown", "plaintext"},
						"parameterInformation":   map[string]any{"labelOffsetSupport": false},
						"activeParameterSupport": true,
					},
				},
			},
			"workspace": map[string]any{
				"configuration":          true,
				"workspaceFolders":       true,
				"didChangeWatchedFiles":  map[string]any{"dynamicRegistration": false},
				"didChangeConfiguration": map[string]any{"dynamicRegistration": false},
			},
			"window": map[string]any{"workDoneProgress": false},
		},
		"initializationOptions": cfg.Options,
	}
	if err := c.conn.Call(ctx, "initialize", init, nil); err != nil {
		c.kill()
		return nil, c.failed("initialize", err)
	}
	if err := c.conn.Notify("initialized", struct{}{}); err != nil {
		c.kill()
		return nil, c.failed("initialized", err)
	}
	return c, nil
}

// logWriter keeps the last part of the server's standard error.
type logWriter struct{ c *Client }

func (w logWriter) Write(p []byte) (int, error) {
	w.c.mu.Lock()
	defer w.c.mu.Unlock()
	w.c.stderr.Write(p)
	if n := w.c.stderr.Len(); n > 2*maxLog {
		tail := append([]byte(nil), w.c.stderr.Bytes()[n-maxLog:]...)
		w.c.stderr.Reset()
		w.c.stderr.Write(tail)
	}
	return len(p), nil
}

// failed describes a failed step, with the server's log when it has one.
func (c *Client) failed(step string, err error) error {
	c.mu.Lock()
	log := strings.TrimSpace(c.stderr.String())
	c.mu.Unlock()
	if n := len(log); n > 2000 {
		log = "…" + log[n-2000:]
	}
	if log != "" {
		return fmt.Errorf("lsp: %s: %w; the server said: %s", step, err, log)
	}
	return fmt.Errorf("lsp: %s: %w", step, err)
}

// Done returns a channel closed when the server process has exited.
func (c *Client) Done() <-chan struct{} { return c.exited }

// DidOpen tells the server that the client holds the document at uri, with text.
func (c *Client) DidOpen(uri, languageID string, version int, text string) error {
	return c.conn.Notify("textDocument/didOpen", map[string]any{
		"textDocument": map[string]any{"uri": uri, "languageId": languageID, "version": version, "text": text},
	})
}

// DidChange replaces the whole text of an open document.
func (c *Client) DidChange(uri string, version int, text string) error {
	return c.conn.Notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": uri, "version": version},
		"contentChanges": []map[string]string{{"text": text}},
	})
}

// DidClose tells the server that the client no longer holds the document.
func (c *Client) DidClose(uri string) error {
	return c.conn.Notify("textDocument/didClose", map[string]any{
		"textDocument": map[string]string{"uri": uri},
	})
}

// DidChangeWatchedFiles tells the server that files changed on disk.
func (c *Client) DidChangeWatchedFiles(events []FileEvent) error {
	return c.conn.Notify("workspace/didChangeWatchedFiles", map[string]any{"changes": events})
}

// position is a request's document and position.
func position(uri string, pos Position) map[string]any {
	return map[string]any{"textDocument": map[string]string{"uri": uri}, "position": pos}
}

// Completion asks for the completions at pos of the document at uri.
func (c *Client) Completion(ctx context.Context, uri string, pos Position) (CompletionList, error) {
	var list CompletionList
	err := c.conn.Call(ctx, "textDocument/completion", position(uri, pos), &list)
	return list, err
}

// Hover asks for the documentation of what is at pos; it returns nil when there is
// none.
func (c *Client) Hover(ctx context.Context, uri string, pos Position) (*Hover, error) {
	var h *Hover
	err := c.conn.Call(ctx, "textDocument/hover", position(uri, pos), &h)
	return h, err
}

// SignatureHelp asks for the signature of the call around pos; it returns nil
// outside calls.
func (c *Client) SignatureHelp(ctx context.Context, uri string, pos Position) (*SignatureHelp, error) {
	var h *SignatureHelp
	err := c.conn.Call(ctx, "textDocument/signatureHelp", position(uri, pos), &h)
	return h, err
}

// Close asks the server to shut down and exit, and kills it if it has not within a
// few seconds. Calling it again does nothing.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if c.conn.Call(ctx, "shutdown", nil, nil) == nil {
		_ = c.conn.Notify("exit", nil)
	}
	_ = c.stdin.Close()
	select {
	case <-c.exited:
	case <-time.After(3 * time.Second):
		c.kill()
	}
	return nil
}

// kill ends the process at once and waits for it.
func (c *Client) kill() {
	_ = c.stdin.Close()
	if c.cmd.Process != nil {
		_ = c.cmd.Process.Kill()
	}
	<-c.exited
}

// FileURI returns the file URI of an absolute path.
func FileURI(path string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	return u.String()
}
