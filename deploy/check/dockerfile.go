package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
)

// instruction is one Dockerfile instruction: its keyword, upper-cased, and its
// arguments with line continuations joined.
type instruction struct {
	line int // line of the keyword, 1-based
	cmd  string
	args string
}

// parseDockerfile splits a Dockerfile into instructions. It joins lines ending in a
// backslash, skips comments, blank lines and parser directives, and refuses a line
// that does not start with an instruction keyword.
func parseDockerfile(text string) ([]instruction, error) {
	known := map[string]bool{}
	for _, k := range strings.Fields("ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL ONBUILD RUN SHELL STOPSIGNAL USER VOLUME WORKDIR") {
		known[k] = true
	}
	var out []instruction
	var cur *instruction
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, raw := range lines {
		line := strings.TrimSpace(raw)
		if cur == nil && (line == "" || strings.HasPrefix(line, "#")) {
			continue
		}
		if cur != nil && strings.HasPrefix(line, "#") {
			continue // comments inside a continued instruction are dropped
		}
		cont := strings.HasSuffix(line, `\`)
		line = strings.TrimSuffix(line, `\`)
		if cur == nil {
			kw, rest, _ := strings.Cut(line, " ")
			kw = strings.ToUpper(kw)
			if !known[kw] {
				return nil, fmt.Errorf("line %d: unknown instruction %q", i+1, kw)
			}
			cur = &instruction{line: i + 1, cmd: kw, args: strings.TrimSpace(rest)}
		} else if line != "" {
			cur.args += " " + strings.TrimSpace(line)
		}
		if !cont {
			out = append(out, *cur)
			cur = nil
		}
	}
	if cur != nil {
		return nil, fmt.Errorf("line %d: the file ends inside a continued instruction", cur.line)
	}
	return out, nil
}

// checkDockerfile checks that the image Dockerfile has what the deployment relies on:
// a build stage that builds through the Makefile, a final stage with the Go
// toolchain and a C compiler (cells are compiled in the container), a non-root user,
// a health check on /healthz, a volume for the notebooks and the server's port.
func checkDockerfile(text string) error {
	ins, err := parseDockerfile(text)
	if err != nil {
		return err
	}
	var stages [][]instruction
	args := map[string]string{} // ARGs before the first FROM, with their defaults
	for _, in := range ins {
		if in.cmd == "FROM" {
			stages = append(stages, nil)
			in.args = os.Expand(in.args, func(k string) string { return args[k] })
		}
		if len(stages) == 0 {
			if in.cmd != "ARG" {
				return fmt.Errorf("line %d: %s before the first FROM", in.line, in.cmd)
			}
			k, v, _ := strings.Cut(in.args, "=")
			args[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"`)
			continue
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if len(stages) < 2 {
		fail("a multi-stage build is required (a build stage and a final one); found %d stage(s)", len(stages))
		return errors.Join(errs...)
	}
	build, final := stages[0], stages[len(stages)-1]
	has := func(stage []instruction, cmd string, ok func(args string) bool) bool {
		for _, in := range stage {
			if in.cmd == cmd && ok(in.args) {
				return true
			}
		}
		return false
	}
	if !has(build, "RUN", func(a string) bool { return strings.Contains(a, "make build") }) {
		fail("the build stage must build with the Makefile (RUN make build)")
	}
	if !has(final, "FROM", func(a string) bool { return strings.Contains(a, "golang") }) {
		fail("the final stage must start from a golang image: cells are compiled with the Go toolchain")
	}
	if !has(final, "COPY", func(a string) bool { return strings.Contains(a, "--from=") }) {
		fail("the final stage must copy the built program from the build stage (COPY --from=...)")
	}
	if !has(final, "RUN", func(a string) bool { return strings.Contains(a, "gcc") }) {
		fail("the final stage must check for gcc (Go plugins need cgo)")
	}
	user := ""
	for _, in := range final {
		if in.cmd == "USER" {
			user = strings.TrimSpace(in.args)
		}
	}
	switch name, _, _ := strings.Cut(user, ":"); name {
	case "":
		fail("the final stage must switch to a non-root USER")
	case "root", "0":
		fail("the final stage runs as root (USER %s)", user)
	}
	if !has(final, "HEALTHCHECK", func(a string) bool { return strings.Contains(a, "/healthz") }) {
		fail("the final stage needs a HEALTHCHECK on /healthz")
	}
	if !has(final, "VOLUME", func(a string) bool { return strings.Contains(a, "/notebooks") }) {
		fail("the final stage needs a VOLUME for /notebooks")
	}
	if !has(final, "EXPOSE", func(a string) bool { return strings.Contains(a, "8080") }) {
		fail("the final stage must EXPOSE 8080")
	}
	if !has(final, "ENTRYPOINT", func(a string) bool { return strings.Contains(a, "livebook") }) {
		fail("the final stage's ENTRYPOINT must be livebook")
	}
	return errors.Join(errs...)
}
