package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/gonx-dev/gonx/livebook/livemd"
	"github.com/gonx-dev/gonx/livebook/runtime"
	"github.com/gonx-dev/gonx/livebook/server"
	"github.com/spf13/cobra"
)

// runFlags are the flags of the run command.
type runFlags struct {
	gonxRoot string
	timeout  time.Duration
	quiet    bool
	verbose  bool
}

func newRunCmd() *cobra.Command {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run FILE.livemd",
		Short: "Run a notebook's Go cells from top to bottom",
		Long: `Run evaluates every Go cell of a notebook in order, the setup cell first, in one
kernel, so that the names a cell declares are bound for the cells after it. It prints
what the cells print and the value of each cell that ends with an expression (after
"=> "). Cells in other languages are skipped with a note on standard error.

Run stops at the first cell that fails and exits with a non-zero status, naming the
section, the cell (the Go cells of a section count from 1) and the line.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
			defer stop()
			return runNotebook(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), args[0], f)
		},
	}
	cmd.Flags().StringVar(&f.gonxRoot, "gonx-root", os.Getenv("GONX_ROOT"), "gonx checkout whose modules cells may import (default $GONX_ROOT)")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 0, "stop a cell that runs longer than this (0: no limit)")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "print only failures")
	cmd.Flags().BoolVarP(&f.verbose, "verbose", "v", false, "print a header before each cell")
	return cmd
}

// runCell is a Go cell of a notebook, with where it is.
type runCell struct {
	cell  *livemd.Cell
	label string // section "Name", cell N
	id    string
	line  int // line of the cell's first source line in the file; 0 if unknown
}

// runNotebook evaluates the Go cells of the notebook at path.
func runNotebook(ctx context.Context, stdout, stderr io.Writer, path string, f runFlags) error {
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
	cells := notebookCells(nb, stderr, path)
	locateCells(string(data), cells)
	if len(cells) == 0 {
		fmt.Fprintf(stderr, "%s: no Go cells\n", path)
		return nil
	}

	opts := runtime.Options{GonxRoot: f.gonxRoot, Inputs: savedInputs(nb)}
	if !f.quiet {
		opts.Output = func(_, text string) { _, _ = io.WriteString(stdout, text) }
		opts.Rich = func(_ string, o runtime.Output) {
			if d := describeOutput(o); d != "" {
				fmt.Fprintln(stdout, d)
			}
		}
	}
	k, err := runtime.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer k.Close()
	for _, c := range cells {
		if f.verbose {
			fmt.Fprintf(stdout, "== %s ==\n", c.label)
		}
		cctx, cancel := ctx, context.CancelFunc(func() {})
		if f.timeout > 0 {
			cctx, cancel = context.WithTimeout(ctx, f.timeout)
		}
		res, err := k.Eval(cctx, c.id, c.cell.Source)
		cancel()
		if err != nil {
			if f.quiet && res.Output != "" {
				_, _ = io.WriteString(stderr, res.Output)
			}
			return cellFailure(path, c, err)
		}
		if res.Output != "" && !strings.HasSuffix(res.Output, "\n") && !f.quiet {
			fmt.Fprintln(stdout)
		}
		if res.HasValue && !f.quiet {
			fmt.Fprintf(stdout, "=> %s\n", valueText(res))
		}
	}
	return nil
}

// valueText is how a terminal shows a cell's value: as printed, with the rich
// outputs it holds described.
func valueText(res runtime.Result) string {
	var b strings.Builder
	for _, o := range res.ValueOutputs {
		if o.Type == "text" {
			b.WriteString(o.Text)
		} else {
			b.WriteString(describeOutput(o))
		}
	}
	return b.String()
}

// describeOutput is how a terminal shows a rich output of package kino: text and
// Markdown as they are, a frame as its content, the records pushed into a chart as
// nothing, others as a line naming them.
func describeOutput(o runtime.Output) string {
	switch o.Type {
	case "text", "markdown":
		return strings.TrimSuffix(o.Text, "\n")
	case "vega-lite-data":
		return ""
	case "frame":
		var parts []string
		for _, in := range o.Outputs {
			if d := describeOutput(in); d != "" {
				parts = append(parts, d)
			}
		}
		return strings.Join(parts, "\n")
	}
	return fmt.Sprintf("[%s %s, %d bytes]", o.Type, o.MIME, len(o.Text)+len(o.Data))
}

// notebookCells lists the Go cells of a notebook in order, noting the others.
func notebookCells(nb *livemd.Notebook, stderr io.Writer, path string) []*runCell {
	var cells []*runCell
	for i, c := range nb.Setup {
		if c.Runnable() {
			cells = append(cells, &runCell{cell: c, label: "setup cell", id: "setup"})
		} else if c.Kind != livemd.Markdown {
			fmt.Fprintf(stderr, "%s: skipping setup cell %d: %s\n", path, i+1, c.ReadOnlyReason())
		}
	}
	for _, s := range nb.Sections {
		n := 0
		for _, c := range s.Cells {
			if c.Kind == livemd.Markdown {
				continue
			}
			if !c.Runnable() {
				fmt.Fprintf(stderr, "%s: skipping a cell of section %q: %s\n", path, s.Name, c.ReadOnlyReason())
				continue
			}
			n++
			cells = append(cells, &runCell{
				cell:  c,
				label: fmt.Sprintf("section %q, cell %d", s.Name, n),
				id:    fmt.Sprintf("%s/%d", s.Name, n),
			})
		}
	}
	return cells
}

// locateCells finds the line where each cell's source starts in the file, searching
// in order from the end of the previous cell.
func locateCells(text string, cells []*runCell) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	at := 0
	for _, c := range cells {
		src := c.cell.Source
		if src == "" {
			continue
		}
		i := strings.Index(text[at:], src)
		if i < 0 {
			continue
		}
		c.line = strings.Count(text[:at+i], "\n") + 1
		at += i + len(src)
	}
}

// cellFailure describes the failure of a cell: FILE:LINE: section, cell, line in the
// cell, and the error (every compile error, the cell frames of a panic).
func cellFailure(path string, c *runCell, err error) error {
	var ee *runtime.EvalError
	if !errors.As(err, &ee) {
		return fmt.Errorf("%s: %s: %w", path, c.label, err)
	}
	fileLine := func(line int) string {
		if c.line > 0 && line > 0 {
			return fmt.Sprintf("%s:%d", path, c.line+line-1)
		}
		return path
	}
	var b strings.Builder
	if ee.Kind == runtime.KindCompile && len(ee.Diagnostics) > 0 {
		fmt.Fprintf(&b, "%s: %s does not compile:", path, c.label)
		for _, d := range ee.Diagnostics {
			switch {
			case d.Line > 0 && d.Col > 0:
				fmt.Fprintf(&b, "\n%s:%d: cell line %d: %s", fileLine(d.Line), d.Col, d.Line, d.Message)
			case d.Line > 0:
				fmt.Fprintf(&b, "\n%s: cell line %d: %s", fileLine(d.Line), d.Line, d.Message)
			default:
				fmt.Fprintf(&b, "\n%s", d.Message)
			}
		}
		return errors.New(b.String())
	}
	fmt.Fprintf(&b, "%s: %s", fileLine(ee.Line), c.label)
	if ee.Line > 0 {
		fmt.Fprintf(&b, ", line %d", ee.Line)
	}
	fmt.Fprintf(&b, ": %s", ee.Message)
	if strings.Count(ee.Stack, "\n") > 1 { // more than the cell's own frame
		fmt.Fprintf(&b, "\n%s", ee.Stack)
	}
	return errors.New(b.String())
}

// savedInputs returns a function giving the input values saved in the notebook's
// metadata (server.InputsMetadata), so that its cells read what was set in the
// notebook server; nil when there are none.
func savedInputs(nb *livemd.Notebook) func() map[string]json.RawMessage {
	saved, _ := nb.Metadata[server.InputsMetadata].(map[string]any)
	values := map[string]json.RawMessage{}
	for id, v := range saved {
		switch v.(type) {
		case string, float64:
			if b, err := json.Marshal(v); err == nil {
				values[id] = b
			}
		}
	}
	if len(values) == 0 {
		return nil
	}
	return func() map[string]json.RawMessage { return values }
}
