package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gonx-dev/gonx/livebook/runtime/kernel"
)

// Cell is a Go cell of a notebook, for Export.
type Cell struct {
	// ID names the cell in errors.
	ID string
	// Source is the cell's Go source.
	Source string
}

// File is a file of an exported program.
type File = kernel.ProgramFile

// Export turns cells into a Go program, in a module named module, that runs them in
// order and prints what livebook run prints for them: what the cells print, and the
// value of each cell that ends with an expression after "=> ". Each cell is turned
// into Go exactly as the kernel turns it before evaluating it (one package per cell,
// the names earlier cells declared bound the same way), so the program means what
// the notebook means; main.go runs the cells' packages in order.
//
// The files are main.go, cellNNNN/cell.go for each cell, go.mod and go.sum. With
// Options.GonxRoot, go.mod requires the gonx modules the cells import and replaces
// them with the checkout's directories, so that go build works against it; modules
// other cells import (those the kernel would go get) are required at the version
// go get picks, or the one the import's comment pins. Export runs go mod tidy on the
// result; when that fails (offline, say) go.mod says so in a comment. No cell is
// run. A cell that does not compile fails the export with an *EvalError.
//
// Rich outputs of package kino print their markers as text in the program; the
// values of cells are printed in full, where livebook run cuts them at 64 KiB; and
// a value's "=> " line follows the cell's output directly when that output does
// not end with a newline, where livebook run starts a new line.
func Export(ctx context.Context, cells []Cell, module string, opts Options) ([]File, error) {
	if opts.GoCmd == "" {
		opts.GoCmd = "go"
	}
	if opts.Env == nil {
		opts.Env = os.Environ()
	}
	if opts.TempDir == "" {
		opts.TempDir = os.TempDir()
	}
	dir, err := os.MkdirTemp(opts.TempDir, "gonx-export-")
	if err != nil {
		return nil, fmt.Errorf("runtime: export: %w", err)
	}
	defer os.RemoveAll(dir)
	sess, err := kernel.NewSession(kernel.Config{Dir: dir, GonxRoot: opts.GonxRoot, GoCmd: opts.GoCmd, Env: opts.Env})
	if err != nil {
		if errors.Is(err, kernel.ErrUnsupported) {
			return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
		}
		return nil, fmt.Errorf("runtime: export: %w", err)
	}
	for _, c := range cells {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("runtime: export: %w", err)
		}
		if fail := sess.Export(c.ID, c.Source); fail != nil {
			return nil, evalError(c.ID, fail)
		}
	}
	files, _, err := sess.Program(module)
	if err != nil {
		return nil, fmt.Errorf("runtime: export: %w", err)
	}
	return files, nil
}
