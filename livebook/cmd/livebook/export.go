package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/gonx-dev/gonx/livebook/livemd"
	"github.com/gonx-dev/gonx/livebook/runtime"
	"github.com/gonx-dev/gonx/livebook/server"
	"github.com/spf13/cobra"
)

// exportFlags are the flags of the export command.
type exportFlags struct {
	gonxRoot string
	out      string
	module   string
}

func newExportCmd() *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export FILE.livemd",
		Short: "Export a notebook as a Go program that builds with go build",
		Long: `Export writes a Go program made from a notebook's Go cells into the directory of
--out: main.go, one package per cell (cellNNNN/cell.go, each cell as the notebook
kernel compiles it, so names bound by a cell mean the same for the cells after it),
go.mod and go.sum. The program prints what livebook run prints for the notebook:

  livebook export --out ./tour examples/notebooks/nx_tour.livemd
  cd tour && go build && ./tour

With --gonx-root (default $GONX_ROOT), go.mod replaces the gonx modules by the
checkout's folders; elsewhere, delete the replace lines, go get the gonx modules
at a released version and run go mod tidy. Modules the setup cell imports are
required at the version go get picks (or the one an import's comment pins).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			return exportNotebook(ctx, cmd.ErrOrStderr(), args[0], f)
		},
	}
	cmd.Flags().StringVar(&f.gonxRoot, "gonx-root", os.Getenv("GONX_ROOT"), "gonx checkout whose modules cells may import (default $GONX_ROOT)")
	cmd.Flags().StringVarP(&f.out, "out", "o", "", "directory to write the program into; it must not exist or be empty (required)")
	cmd.Flags().StringVar(&f.module, "module", "", "module path of the program (default: made from the file name)")
	_ = cmd.MarkFlagRequired("out")
	return cmd
}

// exportNotebook writes the program made from the notebook at path into f.out.
func exportNotebook(ctx context.Context, stderr io.Writer, path string, f exportFlags) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	nb, err := livemd.Parse(data)
	var perr *livemd.ParseError
	if errors.As(err, &perr) {
		for _, w := range perr.Warnings {
			fmt.Fprintf(stderr, "%s: warning: %v\n", path, w)
		}
	}
	module := f.module
	if module == "" {
		module = moduleName(filepath.Base(path))
	}
	files, err := exportGo(ctx, nb, module, runtime.Options{GonxRoot: f.gonxRoot}, stderr, path)
	if err != nil {
		var ee *runtime.EvalError
		if errors.As(err, &ee) {
			return fmt.Errorf("%s: %w", path, err)
		}
		return err
	}
	if entries, err := os.ReadDir(f.out); err == nil && len(entries) > 0 {
		return fmt.Errorf("export: %s is not empty", f.out)
	}
	for _, file := range files {
		p := filepath.Join(f.out, filepath.FromSlash(file.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, file.Data, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stderr, "%s: wrote %d files; build with: cd %s && go build\n", path, len(files), f.out)
	return nil
}

// exportGo turns the Go cells of nb, the setup cell first, into a program (see
// runtime.Export); cells it cannot run are noted on stderr, as livebook run notes
// them.
func exportGo(ctx context.Context, nb *livemd.Notebook, module string, opts runtime.Options, stderr io.Writer, path string) ([]runtime.File, error) {
	var cells []runtime.Cell
	for _, c := range notebookCells(nb, stderr, path) {
		cells = append(cells, runtime.Cell{ID: c.id, Source: c.cell.Source})
	}
	return runtime.Export(ctx, cells, module, opts)
}

// moduleName makes a module path from a notebook's file name: "NX tour.livemd"
// becomes "nx-tour"; "notebook" when nothing is left.
func moduleName(file string) string {
	base := strings.TrimSuffix(file, filepath.Ext(file))
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(base) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_', r == '.':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	name := strings.Trim(b.String(), ".")
	if name == "" {
		return "notebook"
	}
	return name
}

// goExporter is the server's Go exporter: runtime.Export over the notebook's Go
// cells, with the gonx modules of $GONX_ROOT.
func goExporter() server.ExportFunc {
	return func(ctx context.Context, nb *livemd.Notebook, module string) ([]server.ExportFile, error) {
		files, err := exportGo(ctx, nb, module, runtime.Options{GonxRoot: os.Getenv("GONX_ROOT")}, io.Discard, "")
		if err != nil {
			return nil, err
		}
		out := make([]server.ExportFile, len(files))
		for i, f := range files {
			out[i] = server.ExportFile{Name: f.Name, Data: f.Data}
		}
		return out, nil
	}
}
