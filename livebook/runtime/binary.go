package runtime

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// kernelSource holds the sources of package kernel, from which Start builds the kernel
// program with the toolchain that builds the cells.
//
//go:embed kernel/*.go
var kernelSource embed.FS

// kernelMain is the kernel program's main package.
const kernelMain = `// Command kernel runs Go notebook cells for the livebook runtime.
package main

import "gonxkernel/kernel"

func main() { kernel.Main() }
`

// toolchain describes the go command.
type toolchain struct {
	GOVERSION, GOOS, GOARCH, GOFLAGS, CC, CGO_ENABLED string
}

// goEnv reports the go command's toolchain.
func goEnv(ctx context.Context, goCmd string, env []string) (toolchain, error) {
	var tc toolchain
	cmd := exec.CommandContext(ctx, goCmd, "env", "-json", "GOVERSION", "GOOS", "GOARCH", "GOFLAGS", "CC", "CGO_ENABLED")
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return tc, fmt.Errorf("runtime: %s env: %w: %s", goCmd, err, strings.TrimSpace(stderr.String()))
	}
	if err := json.Unmarshal(out, &tc); err != nil {
		return tc, fmt.Errorf("runtime: %s env: %w", goCmd, err)
	}
	return tc, nil
}

// kernelBinary returns the kernel program for the toolchain, building it into the
// cache if needed.
func kernelBinary(ctx context.Context, opts *Options) (string, error) {
	tc, err := goEnv(ctx, opts.GoCmd, opts.Env)
	if err != nil {
		return "", err
	}
	switch tc.GOOS {
	case "linux", "darwin", "freebsd":
	default:
		return "", fmt.Errorf("%w (%s)", ErrUnsupported, tc.GOOS)
	}
	files := map[string][]byte{"main.go": []byte(kernelMain)}
	err = fs.WalkDir(kernelSource, "kernel", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
			return err
		}
		data, err := kernelSource.ReadFile(path)
		files[path] = data
		return err
	})
	if err != nil {
		return "", fmt.Errorf("runtime: kernel sources: %w", err)
	}
	version := strings.TrimPrefix(tc.GOVERSION, "go")
	if i := strings.IndexAny(version, " -+"); i >= 0 {
		version = version[:i]
	}
	files["go.mod"] = []byte("module gonxkernel\n\ngo " + version + "\n")

	h := sha256.New()
	fmt.Fprintf(h, "%+v\n", tc)
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(h, "%s %d\n", name, len(files[name]))
		h.Write(files[name])
	}
	key := hex.EncodeToString(h.Sum(nil))[:24]

	cache := opts.CacheDir
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			dir = os.TempDir()
		}
		cache = filepath.Join(dir, "gonx", "livebook-kernel")
	}
	bin := filepath.Join(cache, key, "kernel")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", fmt.Errorf("runtime: kernel cache: %w", err)
	}
	tmp, err := os.MkdirTemp(cache, "build-")
	if err != nil {
		return "", fmt.Errorf("runtime: kernel cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	for name, data := range files {
		p := filepath.Join(tmp, "src", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", fmt.Errorf("runtime: kernel sources: %w", err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return "", fmt.Errorf("runtime: kernel sources: %w", err)
		}
	}
	cmd := exec.CommandContext(ctx, opts.GoCmd, "build", "-o", filepath.Join(tmp, "kernel"), ".")
	cmd.Dir = filepath.Join(tmp, "src")
	cmd.Env = append(without(opts.Env, "GOWORK", "CGO_ENABLED", "GOTOOLCHAIN", "GO111MODULE"),
		"GOWORK=off", "CGO_ENABLED=1", "GOTOOLCHAIN=local", "GO111MODULE=on")
	if out, err := cmd.CombinedOutput(); err != nil {
		msg := strings.TrimSpace(string(out))
		if strings.Contains(msg, "cgo") || strings.Contains(msg, "gcc") || strings.Contains(msg, "C compiler") {
			return "", fmt.Errorf("%w: building the kernel: %s", ErrUnsupported, msg)
		}
		return "", fmt.Errorf("runtime: building the kernel: %w: %s", err, msg)
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", fmt.Errorf("runtime: kernel cache: %w", err)
	}
	if err := os.Rename(filepath.Join(tmp, "kernel"), bin); err != nil {
		if _, statErr := os.Stat(bin); statErr != nil { // another Start won the race
			return "", fmt.Errorf("runtime: kernel cache: %w", err)
		}
	}
	return bin, nil
}

// without returns env without the named variables.
func without(env []string, names ...string) []string {
	var out []string
next:
	for _, kv := range env {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
