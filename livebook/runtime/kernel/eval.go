package kernel

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"plugin"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxValue bounds the length of a printed result; maxRichValue that of a result that
// holds a rich output of package livebook/kino, which the host takes out.
const (
	maxValue     = 64 << 10
	maxRichValue = 64 << 20
)

// richMarker starts the markers of package livebook/kino's outputs (kino.Prefix, less
// its version).
const richMarker = "\x1b_gonx-kino/"

// Eval evaluates a cell: it generates the cell's package, builds it into a plugin,
// loads the plugin and runs the cell. What the cell prints goes to this process's
// standard output and error. On success the names the cell declares are bound for
// later cells; a cell that fails binds nothing.
func (s *Session) Eval(cellID, source string) Response {
	if len(segment([]byte(source))) == 0 {
		return Response{} // only blanks and comments
	}
	g, fail := s.generate(cellID, source)
	if fail != nil {
		return Response{Error: fail}
	}
	s.cells[g.pkg.seq] = cellID
	so, fail := s.buildPlugin(g)
	if fail != nil {
		return Response{Error: fail}
	}
	v, ok, fail := s.run(so, g.pkg.seq)
	if fail != nil {
		return Response{Error: fail}
	}
	s.commit(g)
	resp := Response{Defined: g.defined, Used: g.used}
	if ok {
		resp.HasValue = true
		resp.Value = Demangle(formatValue(v))
		resp.Type = Demangle(fmt.Sprintf("%T", v))
	}
	return resp
}

// commit binds the names a cell declared and remembers its imports.
func (s *Session) commit(g *generated) {
	for name, obj := range g.bind {
		s.bindings[name] = &binding{obj: obj, pkg: g.pkg}
	}
	s.pkgs[g.pkg.types] = g.pkg
	for name, path := range g.imports {
		s.imports[name] = path
	}
}

// formatValue prints a cell's result: strings quoted, everything else as %v prints it;
// a long result is cut unless it holds rich outputs.
func formatValue(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = strconv.Quote(x)
	default:
		s = fmt.Sprintf("%v", v)
	}
	if strings.Contains(s, richMarker) {
		if len(s) > maxRichValue {
			return fmt.Sprintf("(%T: rich output of %d bytes, over the limit of %d)", v, len(s), maxRichValue)
		}
		return s
	}
	if len(s) > maxValue {
		cut := maxValue
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// buildPlugin writes the cell's package and the plugin's main package to the scratch
// module and builds the plugin.
func (s *Session) buildPlugin(g *generated) (string, *Failure) {
	dir := filepath.Join(s.cfg.Dir, g.pkg.name)
	if err := os.MkdirAll(filepath.Join(dir, "main"), 0o755); err != nil {
		return "", internal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "cell.go"), []byte(g.file), 0o644); err != nil {
		return "", internal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main", "main.go"), []byte(g.main), 0o644); err != nil {
		return "", internal(err)
	}
	so := filepath.Join(s.cfg.Dir, "plugins", g.pkg.name+".so")
	// Without a symbol table and DWARF (-s -w) the link, most of a cell's
	// latency, takes about a third less; stack traces do not need them.
	args := append([]string{"build", "-buildmode=plugin", "-ldflags=-s -w", "-o", so}, s.cfg.BuildFlags...)
	args = append(args, "./"+g.pkg.name+"/main")
	out, err := s.command(args...).CombinedOutput()
	if err == nil {
		return so, nil
	}
	diags, inCell := buildDiagnostics(string(out), "cell"+itoa(g.pkg.seq)+".go")
	if !inCell {
		msg := strings.TrimSpace(string(out))
		if msg == "" {
			msg = err.Error()
		}
		return "", &Failure{Kind: FailInternal, Message: "go build: " + Demangle(msg)}
	}
	return "", compileFailure(diags)
}

func internal(err error) *Failure {
	return &Failure{Kind: FailInternal, Message: err.Error()}
}

var diagRE = regexp.MustCompile(`^(?:.*/)?(cell\d+\.go):(\d+)(?::(\d+))?: (.*)$`)

// buildDiagnostics parses the compiler's errors and reports whether any is in the cell.
func buildDiagnostics(out, fname string) ([]Diagnostic, bool) {
	var diags []Diagnostic
	inCell := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# ") || strings.TrimSpace(line) == "" || strings.HasSuffix(line, "too many errors"):
			continue
		case strings.HasPrefix(line, "\t") && len(diags) > 0:
			diags[len(diags)-1].Message += "\n" + Demangle(line)
			continue
		}
		d := Diagnostic{Message: Demangle(line)}
		if m := diagRE.FindStringSubmatch(line); m != nil && m[1] == fname {
			d.Line, _ = strconv.Atoi(m[2])
			d.Col, _ = strconv.Atoi(m[3])
			d.Message = Demangle(m[4])
			inCell = true
		}
		diags = append(diags, d)
	}
	return diags, inCell
}

// run loads the plugin and runs the cell, recovering a panic.
func (s *Session) run(so string, seq int) (v any, ok bool, fail *Failure) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		finished := false
		defer func() {
			if finished {
				return
			}
			r := recover()
			if r == nil {
				fail = &Failure{Kind: FailPanic, Message: "the cell called runtime.Goexit"}
				return
			}
			fail = s.panicFailure(r, debug.Stack(), seq)
		}()
		p, err := plugin.Open(so)
		if err != nil {
			fail = &Failure{Kind: FailInternal, Message: "loading the cell: " + Demangle(err.Error())}
			finished = true
			return
		}
		sym, err := p.Lookup("Run")
		run, isRun := sym.(*func() (any, bool))
		if err != nil || !isRun {
			fail = &Failure{Kind: FailInternal, Message: "loading the cell: no Run function"}
			finished = true
			return
		}
		v, ok = (*run)()
		finished = true
	}()
	<-done
	return v, ok, fail
}

var (
	frameFileRE = regexp.MustCompile(`^\t(cell(\d+)\.go):(\d+)`)
	runFrameRE  = regexp.MustCompile(`\bcell\d{4,}\.` + mark + `Run$`)
)

// panicFailure describes a panic: its value, the line of the cell it happened at and
// the stack frames that are in cells.
func (s *Session) panicFailure(r any, stack []byte, seq int) *Failure {
	msg := fmt.Sprint(r)
	if err, ok := r.(error); ok {
		msg = err.Error()
	}
	f := &Failure{Kind: FailPanic, Message: "panic: " + Demangle(msg)}
	var frames []string
	lines := strings.Split(string(stack), "\n")
	for i := 1; i+1 < len(lines); i++ {
		m := frameFileRE.FindStringSubmatch(lines[i+1])
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[2])
		line, _ := strconv.Atoi(m[3])
		if n == seq && f.Line == 0 {
			f.Line = line
		}
		fn := lines[i]
		if j := strings.LastIndex(fn, "("); j > 0 {
			fn = fn[:j]
		}
		if runFrameRE.MatchString(fn) {
			fn = "(top level)"
		} else {
			fn = Demangle(fn)
		}
		where := fmt.Sprintf("line %d", line)
		if id, ok := s.cells[n]; ok {
			where = fmt.Sprintf("cell %q, line %d", id, line)
		}
		frames = append(frames, fn+"\n\t"+where)
		i++
	}
	f.Stack = strings.Join(frames, "\n")
	return f
}
