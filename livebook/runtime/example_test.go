package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/gonx-dev/gonx/livebook/runtime"
)

// A kernel keeps what a cell declares for the cells after it. (Not run as a test:
// it builds plugins.)
func Example() {
	ctx := context.Background()
	k, err := runtime.Start(ctx, runtime.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer k.Close()
	for _, cell := range []string{
		"type point struct{ x, y int }\n\np := point{3, 4}",
		"fmt.Println(\"norm²:\", p.x*p.x+p.y*p.y)\np",
	} {
		res, err := k.Eval(ctx, "cell", cell)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Print(res.Output)
		if res.HasValue {
			fmt.Println("=>", res.Value)
		}
	}
	// Prints:
	// norm²: 25
	// => {3 4}
}

// A failing cell returns an *EvalError that says where it failed; a cell that runs
// too long is stopped and the kernel restarted. (Not run as a test: it builds
// plugins.)
func ExampleEvalError() {
	ctx := context.Background()
	k, err := runtime.Start(ctx, runtime.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer k.Close()

	_, err = k.Eval(ctx, "typo", "n := 1\nfmt.Println(m)")
	var ee *runtime.EvalError
	if errors.As(err, &ee) {
		fmt.Println(ee.Kind, ee.Line, ee.Message)
	}

	ctx2, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	res, err := k.Eval(ctx2, "spin", "for {}")
	fmt.Println(errors.Is(err, context.DeadlineExceeded), res.Restarted)
	// Prints:
	// compile 2 line 2:13: undefined: m
	// true true
}

// Export turns cells into a Go program that go build builds: main.go runs one
// package per cell, each cell as the kernel compiles it.
func ExampleExport() {
	files, err := runtime.Export(context.Background(), []runtime.Cell{
		{ID: "a", Source: "x := 20"},
		{ID: "b", Source: "x := x + 1\nx * 2"},
	}, "example.com/doubled", runtime.Options{})
	if errors.Is(err, runtime.ErrUnsupported) {
		fmt.Println("module example.com/doubled\n4 files") // no toolchain with cgo here
		return
	}
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		if f.Name == "go.mod" {
			first, _, _ := strings.Cut(string(f.Data), "\n")
			fmt.Println(first)
		}
	}
	fmt.Println(len(files), "files") // main.go, two cell packages, go.mod
	// Output:
	// module example.com/doubled
	// 4 files
}

// A kernel started by hand (Serve, as livebook kernel runs it) refuses a client
// without its secret; Attach says so.
func ExampleAttach() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- runtime.Serve(ctx, ln, "the secret", runtime.Options{}, nil) }()
	defer func() { stop(); <-served }()

	_, err = runtime.Attach(ctx, ln.Addr().String(), "a guess", runtime.Options{})
	fmt.Println(errors.Is(err, runtime.ErrSecret))
	a, err := runtime.Attach(ctx, ln.Addr().String(), "the secret", runtime.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	fmt.Println("attached") // a.Eval runs cells there
	// Output:
	// true
	// attached
}
