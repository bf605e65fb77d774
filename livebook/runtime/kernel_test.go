package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// startKernel starts a kernel for a test, or skips the test where plugins cannot be
// built.
func startKernel(t *testing.T, opts Options) *Kernel {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	k, err := Start(ctx, opts)
	if errors.Is(err, ErrUnsupported) {
		t.Skipf("cells cannot run here: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { k.Close() })
	return k
}

// step is one evaluation of a kernel test and what it must give.
type step struct {
	name, src string
	timeout   time.Duration
	output    string // exact output, unless "" (then none is checked)
	value     string // exact value, or "" for no value
	typ       string
	kind      string // failure kind, or "" for success
	line      int    // failure line
	msg       string // substring of the failure message
	restarted bool
}

func (s step) run(t *testing.T, k Evaluator) {
	t.Helper()
	ctx := context.Background()
	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	res, err := k.Eval(ctx, s.name, s.src)
	if s.kind == "" {
		if err != nil {
			t.Fatalf("Eval: %v (output %q)", err, res.Output)
		}
	} else {
		var ee *EvalError
		if !errors.As(err, &ee) {
			t.Fatalf("Eval returned %v (%+v), want an *EvalError of kind %s", err, res, s.kind)
		}
		if ee.Kind != s.kind || ee.Line != s.line || !strings.Contains(ee.Message, s.msg) {
			t.Fatalf("Eval failed with kind %s, line %d, %q; want %s, line %d, containing %q",
				ee.Kind, ee.Line, ee.Message, s.kind, s.line, s.msg)
		}
		if ee.Cell != s.name {
			t.Errorf("error names cell %q, want %q", ee.Cell, s.name)
		}
	}
	if s.output != "" && res.Output != s.output {
		t.Errorf("output %q, want %q", res.Output, s.output)
	}
	if res.HasValue != (s.value != "") || res.Value != s.value {
		t.Errorf("value %q (has %v), want %q", res.Value, res.HasValue, s.value)
	}
	if s.typ != "" && res.Type != s.typ {
		t.Errorf("type %q, want %q", res.Type, s.typ)
	}
	if res.Restarted != s.restarted {
		t.Errorf("restarted = %v, want %v", res.Restarted, s.restarted)
	}
}

// TestKernel runs a notebook's worth of cells in one kernel: names that persist, a
// redefinition, errors at the cell's lines, a panic the kernel survives, and cells
// that take the kernel down (os.Exit, an endless loop stopped by a timeout) after
// which it is restarted empty.
func TestKernel(t *testing.T) {
	k := startKernel(t, Options{})
	steps := []step{{
		name: "define",
		src: `x := 40
type point struct{ x, y int }

func (p point) norm() int { return p.x*p.x + p.y*p.y }

func scale(p point, k int) point { return point{p.x * k, p.y * k} }

func getX() int { return x }`,
	}, {
		name:   "variable",
		src:    "fmt.Println(\"x is\", x)\nx + 2",
		output: "x is 40\n",
		value:  "42",
		typ:    "int",
	}, {
		name:   "func and type",
		src:    "q := scale(point{1, 2}, x/20)\nfmt.Printf(\"%+v %T\\n\", q, q)\nq.norm()",
		output: "{x:2 y:4} point\n",
		value:  "20",
	}, {
		name:  "redefine",
		src:   `x := "forty"; len(x)`,
		value: "5",
	}, {
		name:  "redefined",
		src:   `fmt.Sprint(x, " ", getX())`,
		value: `"forty 40"`,
		typ:   "string",
	}, {
		name: "import only",
		src:  "import \"hash/adler32\"",
	}, {
		name:  "import of an earlier cell",
		src:   `adler32.Checksum([]byte("a"))`,
		value: "6422626",
	}, {
		name: "type error",
		src:  "a := 1\nb := a + undefinedThing",
		kind: KindCompile, line: 2, msg: "undefined: undefinedThing",
	}, {
		name: "compiler error",
		src:  "if true {\n\tunused := 1\n}",
		kind: KindCompile, line: 2, msg: "declared and not used: unused",
	}, {
		name:   "panic",
		src:    "fmt.Println(\"before\")\nvar m map[string]int\nm[\"a\"] = 1",
		output: "before\n",
		kind:   KindPanic, line: 3, msg: "assignment to entry in nil map",
	}, {
		name:  "after panic",
		src:   "x",
		value: `"forty"`,
	}, {
		name:   "exit",
		src:    "fmt.Println(\"bye\")\nos.Exit(3)",
		output: "bye\n",
		kind:   KindExit, msg: "exit status 3",
		restarted: true,
	}, {
		name: "names gone",
		src:  "x",
		kind: KindCompile, line: 1, msg: "undefined: x",
	}, {
		name:    "endless",
		src:     "for {\n}",
		timeout: 3 * time.Second,
		kind:    KindInterrupted, msg: "deadline exceeded",
		restarted: true,
	}, {
		name:  "after restart",
		src:   "strings.Repeat(\"ab\", 2)",
		value: `"abab"`,
	}}
	for _, s := range steps {
		t.Run(strings.ReplaceAll(s.name, " ", "_"), func(t *testing.T) { s.run(t, k) })
	}
}

// TestInterruptIsContextError checks that an interrupted cell's error wraps the
// context's error.
func TestEvalErrorUnwrap(t *testing.T) {
	e := &EvalError{Cell: "c", Kind: KindInterrupted, Message: "interrupted", Err: context.Canceled}
	if !errors.Is(e, context.Canceled) {
		t.Error("EvalError does not unwrap to its cause")
	}
	if got := e.Error(); got != `cell "c": interrupted` {
		t.Errorf("Error() = %q", got)
	}
}

// TestClosed checks that a closed kernel refuses to evaluate and can be closed again.
func TestClosed(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a kernel")
	}
	k := startKernel(t, Options{TempDir: t.TempDir()})
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Eval(context.Background(), "c", "1"); !errors.Is(err, ErrClosed) {
		t.Errorf("Eval after Close: %v, want ErrClosed", err)
	}
	if err := k.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestGonxRoot checks that cells import gonx packages when a checkout is given.
func TestGonxRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a cell against the gonx workspace")
	}
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root = strings.TrimSuffix(root, "/livebook/runtime")
	if _, err := os.Stat(root + "/go.work"); err != nil {
		t.Skip("not in a gonx checkout")
	}
	inputs := map[string]json.RawMessage{"Batches": json.RawMessage("120")}
	k := startKernel(t, Options{GonxRoot: root, Inputs: func() map[string]json.RawMessage { return inputs }})
	step{
		name:  "livemd",
		src:   "import \"github.com/gonx-dev/gonx/livebook/livemd\"\n\nnb, _ := livemd.Parse([]byte(\"# Hi\\n\"))\nnb.Name",
		value: `"Hi"`,
	}.run(t, k)
	// The notebook's input values reach kino's Input.Value, as of each evaluation.
	step{
		name:  "input",
		src:   "import \"github.com/gonx-dev/gonx/livebook/kino\"\n\nbatches := kino.InputSlider(\"Batches\", 10, 500, 10, 60)\nbatches.Int()",
		value: "120",
	}.run(t, k)
	inputs = map[string]json.RawMessage{"Batches": json.RawMessage("200")}
	step{name: "input changed", src: "batches.Int()", value: "200"}.run(t, k)
	// A cell that uses nx links the GPU backend too (the kernel imports
	// nx/cuda beside it), so notebooks run on a GPU when NX_BACKEND=cuda.
	step{
		name:  "nx",
		src:   "import \"github.com/gonx-dev/gonx/nx\"\n\nstrings.Join(nx.Backends(), \",\")",
		value: `"cpu,cuda"`,
	}.run(t, k)
}
