package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/gonx-dev/gonx/scidata"
)

// globalFlags are the options every command takes.
type globalFlags struct {
	cacheDir string
	baseURL  string
	offline  bool
	quiet    bool
}

// options turns the flags into scidata options; flags left unset leave the
// environment in force.
func (g *globalFlags) options(stderr io.Writer) []scidata.Option {
	opts := []scidata.Option{scidata.CacheDir(g.cacheDir), scidata.BaseURL(g.baseURL)}
	if g.offline {
		opts = append(opts, scidata.Offline())
	}
	if g.quiet {
		opts = append(opts, scidata.Quiet())
	} else if f, ok := stderr.(*os.File); !ok || f != os.Stderr {
		opts = append(opts, scidata.Progress(stderr))
	}
	return opts
}

// newRootCmd builds the command tree, writing results to stdout and progress
// and errors to stderr.
func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:   "scidata",
		Short: "Download, verify and locate the data sets of gonx/scidata",
		Long: `scidata manages the cache of data sets that the gonx scidata package loads.

Files are downloaded from their publishers (or the mirror given by --base-url or
$SCIDATA_BASE_URL, laid out as BASE/DATASET/FILE), checked against their published
SHA-256 and kept in $SCIDATA_CACHE_DIR or the user cache directory.`,
		SilenceUsage: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	pf := root.PersistentFlags()
	pf.StringVar(&g.cacheDir, "cache-dir", "", "cache folder (default $SCIDATA_CACHE_DIR, else the user cache dir)")
	pf.StringVar(&g.baseURL, "base-url", "", "download every file from this mirror, as BASE/DATASET/FILE (default $SCIDATA_BASE_URL)")
	pf.BoolVar(&g.offline, "offline", false, "use the cache only (also SCIDATA_OFFLINE=1)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "draw no progress bars")
	root.AddCommand(listCmd(g), downloadCmd(g), verifyCmd(g), pathCmd(g))
	return root
}

func listCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the data sets, their sizes and what the cache holds",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts := g.options(cmd.ErrOrStderr())
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSIZE\tFILES\tCACHED\tTITLE")
			for _, d := range scidata.Datasets() {
				dir, err := scidata.Path(d.Name, opts...)
				if err != nil {
					return err
				}
				cached := 0
				for _, f := range d.Files {
					if _, err := os.Stat(filepath.Join(dir, f.Name)); err == nil {
						cached++
					}
				}
				state := "no"
				switch {
				case cached == len(d.Files):
					state = "yes"
				case cached > 0:
					state = fmt.Sprintf("%d/%d", cached, len(d.Files))
				}
				fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", d.Name, mib(d.Size()), len(d.Files), state, d.Title)
			}
			return tw.Flush()
		},
	}
}

func downloadCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "download NAME...",
		Short: "Download data sets into the cache and verify them",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, names []string) error {
			opts := g.options(cmd.ErrOrStderr())
			for _, name := range names {
				if err := scidata.Download(cmd.Context(), name, opts...); err != nil {
					return err
				}
				dir, _ := scidata.Path(name, opts...)
				fmt.Fprintf(cmd.OutOrStdout(), "%s: verified in %s\n", name, dir)
			}
			return nil
		},
	}
}

// errBadFiles is returned by verify when a cached file failed its check.
var errBadFiles = errors.New("some cached files failed verification and were deleted")

func verifyCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "verify [NAME...]",
		Short: "Check cached files against their published checksums (all data sets by default)",
		RunE: func(cmd *cobra.Command, names []string) error {
			opts := g.options(cmd.ErrOrStderr())
			if len(names) == 0 {
				for _, d := range scidata.Datasets() {
					names = append(names, d.Name)
				}
			}
			bad := false
			out := cmd.OutOrStdout()
			for _, name := range names {
				files, err := scidata.Verify(cmd.Context(), name, opts...)
				if err != nil {
					return err
				}
				for _, f := range files {
					switch {
					case !f.Cached:
						fmt.Fprintf(out, "missing  %s/%s\n", name, f.File.Name)
					case f.Err != nil:
						bad = true
						fmt.Fprintf(out, "BAD      %s/%s: %v\n", name, f.File.Name, f.Err)
					default:
						fmt.Fprintf(out, "ok       %s/%s\n", name, f.File.Name)
					}
				}
			}
			if bad {
				return errBadFiles
			}
			return nil
		},
	}
}

func pathCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "path [NAME]",
		Short: "Print the cache folder of a data set, or the cache root without a name",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
			}
			dir, err := scidata.Path(name, g.options(cmd.ErrOrStderr())...)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), dir)
			return nil
		},
	}
}

// mib formats a size in MiB (KiB below one MiB).
func mib(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
