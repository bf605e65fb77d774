package main

import (
	"os"
	"strings"
	"testing"
)

func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("../docker/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkDockerfile(string(data)); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenDockerfile removes or changes one requirement at a time.
func TestBrokenDockerfile(t *testing.T) {
	data, err := os.ReadFile("../docker/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	orig := string(data)
	tests := []struct{ name, old, new, want string }{
		{"root user", "USER livebook:livebook", "USER root", "runs as root"},
		{"no user", "USER livebook:livebook\n", "", "non-root USER"},
		{"no healthcheck", "HEALTHCHECK", "LABEL", "HEALTHCHECK"},
		{"no volume", "VOLUME /notebooks", "VOLUME /data", "VOLUME"},
		{"no make", "RUN make build", "RUN go build ./...", "make build"},
		{"no gcc check", "command -v gcc && ", "", "gcc"},
		{"final stage without go", "FROM ${GO_IMAGE}\n", "FROM debian:bookworm-slim\n", "golang image"},
		{"unknown instruction", "EXPOSE 8080", "EXPOS 8080", "unknown instruction"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(orig, tc.old) {
				t.Fatalf("the Dockerfile does not contain %q", tc.old)
			}
			// The last occurrence: the final stage's.
			i := strings.LastIndex(orig, tc.old)
			text := orig[:i] + tc.new + orig[i+len(tc.old):]
			err := checkDockerfile(text)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

// TestDockerfileGoplsVersion checks that the image installs the gopls version that
// make setup installs.
func TestDockerfileGoplsVersion(t *testing.T) {
	version := func(file, prefix string) string {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, prefix); ok {
				return strings.TrimSpace(v)
			}
		}
		t.Fatalf("%s has no line starting with %q", file, prefix)
		return ""
	}
	make, docker := version("../../Makefile", "GOPLS_VERSION :="), version("../docker/Dockerfile", "ARG GOPLS_VERSION=")
	if make != docker {
		t.Fatalf("the Makefile installs gopls %s, the Dockerfile %s", make, docker)
	}
}

func TestParseDockerfile(t *testing.T) {
	ins, err := parseDockerfile("# c\nFROM a AS b\nRUN x \\\n  # inner\n  && y\n\nuser 1000\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 3 || ins[1].cmd != "RUN" || ins[1].args != "x && y" || ins[2].cmd != "USER" || ins[2].line != 7 {
		t.Fatalf("got %+v", ins)
	}
	if _, err := parseDockerfile("FROM a\nRUN x \\"); err == nil || !strings.Contains(err.Error(), "ends inside") {
		t.Fatalf("dangling continuation: %v", err)
	}
}
