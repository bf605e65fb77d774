package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gonx-dev/gonx/livebook/server"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// clearEnv unsets the LIVEBOOK_* variables for the test.
func clearEnv(t *testing.T) {
	for _, k := range []string{server.EnvPort, server.EnvIP, server.EnvHome, server.EnvTokenEnabled,
		server.EnvPassword, server.EnvAutosave, server.EnvDefaultRuntime, server.EnvPublicMetrics,
		server.EnvToken, server.EnvImportMaxBytes, server.EnvImportTimeout, envAttach, envAttachSecret} {
		t.Setenv(k, "")
	}
}

func TestServerCommand(t *testing.T) {
	clearEnv(t)
	home := t.TempDir()
	if err := os.WriteFile(filepath.Join(home, "a.livemd"), []byte("# A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(server.EnvHome, home)
	t.Setenv(server.EnvIP, "192.0.2.1") // the flag wins
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	root := newRoot()
	var out, errs syncBuffer
	root.SetOut(&out)
	root.SetErr(&errs)
	root.SetArgs([]string{"server", "--port", "0", "--ip", "127.0.0.1", "--autosave", "100ms"})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()

	re := regexp.MustCompile(`running at (http://127\.0\.0\.1:\d+/)\?token=([0-9a-f]{32})\n`)
	var m []string
	deadline := time.Now().Add(10 * time.Second)
	for m == nil {
		select {
		case err := <-done:
			t.Fatalf("server exited: %v\n%s", err, errs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no start-up line in %q", out.String())
		}
		time.Sleep(10 * time.Millisecond)
		m = re.FindStringSubmatch(out.String())
	}
	base, token := m[1], m[2]
	get := func(path string) (int, string) {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	if status, body := get("healthz"); status != 200 || body != "ok" {
		t.Errorf("healthz: %d %q", status, body)
	}
	if status, _ := get("api/notebooks"); status != 401 {
		t.Errorf("without the token: %d", status)
	}
	if status, body := get("api/notebooks?token=" + token); status != 200 || !strings.Contains(body, `"a.livemd"`) {
		t.Errorf("notebooks: %d %s", status, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the server did not shut down")
	}
}

func TestServerCommandErrors(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{name: "bad env port", env: map[string]string{server.EnvPort: "x"}, want: "LIVEBOOK_PORT"},
		{name: "unknown runtime", args: []string{"--default-runtime", "nosuch"}, want: `"nosuch"`},
		{name: "attach without a secret", env: map[string]string{envAttachSecret: ""}, args: []string{"--attach", "127.0.0.1:1"}, want: "secret is required"},
		{name: "secret file without attach", args: []string{"--attach-secret-file", "x"}, want: "without --attach"},
		{name: "missing home", args: []string{"--home", "/nonexistent/notebooks"}, want: "notebooks root"},
		{name: "bad flag", args: []string{"--port", "x"}, want: "invalid argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			root := newRoot()
			var out bytes.Buffer
			root.SetOut(&out)
			root.SetErr(&out)
			root.SetArgs(append([]string{"server", "--port", "0"}, tt.args...))
			err := root.Execute()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want one about %s", err, tt.want)
			}
		})
	}
}
