package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/examples/mnist/internal/mnist"
)

var (
	cacheOnce sync.Once
	cacheDir  string
)

// mirror starts a loopback scidata mirror of the project's data folder and
// returns its URL and a cache folder shared by the tests of this package (the
// first run downloads into it), skipping the test when the data is absent.
func mirror(t *testing.T) (url, cache string) {
	t.Helper()
	dir, err := mnist.SharedData()
	if err != nil {
		t.Skip(err)
	}
	srv := httptest.NewServer(mnist.Mirror(dir))
	t.Cleanup(srv.Close)
	cacheOnce.Do(func() {
		cacheDir, err = os.MkdirTemp("", "mnist-command-")
	})
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, cacheDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if cacheDir != "" {
		os.RemoveAll(cacheDir)
	}
	os.Exit(code)
}

func TestCommand(t *testing.T) {
	url, cache := mirror(t)
	saved := filepath.Join(t.TempDir(), "mlp.safetensors")
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout []string // substrings
		stderr string
	}{
		{name: "mlp", args: []string{"-mirror", url, "-cache", cache, "-epochs", "2", "-limit", "2560", "-test-limit", "1000", "-save", saved},
			stdout: []string{"MNIST: 60000 training and 10000 test images", "dense_0 ( dense[\"flatten_0\"] )",
				"training the mlp for 2 epochs", "epoch 1: loss", "epoch 2: loss", "test accuracy", "saved " + saved}},
		{name: "cnn", args: []string{"-model", "cnn", "-mirror", url, "-cache", cache, "-epochs", "1", "-batch", "32", "-limit", "64", "-test-limit", "250"},
			stdout: []string{"conv_1 ( conv[\"activation_0\"] )", "training the cnn for 1 epochs", "epoch 1: loss"}},
		{name: "offline_from_cache", args: []string{"-offline", "-cache", cache, "-epochs", "1", "-limit", "128", "-test-limit", "250"},
			stdout: []string{"epoch 1: loss"}},
		{name: "offline_without_cache", args: []string{"-offline", "-cache", t.TempDir()}, code: 1, stderr: "not in the cache"},
		{name: "unknown_model", args: []string{"-model", "resnet"}, code: 2, stderr: `no model "resnet"`},
		{name: "bad_batch", args: []string{"-batch", "0"}, code: 2, stderr: "-batch at least 1"},
		{name: "extra_argument", args: []string{"cnn"}, code: 2, stderr: "unexpected arguments"},
		{name: "help", args: []string{"-h"}, code: 0, stderr: "-model string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), c.args, &stdout, &stderr)
			if code != c.code {
				t.Fatalf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, &stdout, &stderr)
			}
			for _, s := range c.stdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout has no %q:\n%s", s, &stdout)
				}
			}
			if !strings.Contains(stderr.String(), c.stderr) {
				t.Errorf("stderr has no %q:\n%s", c.stderr, &stderr)
			}
		})
	}
	state, _, err := axon.LoadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	if state.Size() != 101770 {
		t.Errorf("saved model has %d parameters, want 101770", state.Size())
	}
}
