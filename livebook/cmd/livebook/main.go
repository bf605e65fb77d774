// Command livebook is the collaborative notebook server for Go.
//
//	livebook server     serve the notebooks under a directory
//	livebook run        run a notebook's Go cells in the terminal
//	livebook export     export a notebook as a Go program
//	livebook kernel     run a kernel that servers attach to
//	livebook version    print the version
package main

import (
	"fmt"
	"os"

	"github.com/gonx-dev/gonx/livebook"
	"github.com/spf13/cobra"
)

func main() {
	if err := newRoot().Execute(); err != nil {
		os.Exit(1)
	}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "livebook",
		Short:         "A collaborative notebook server for Go",
		SilenceUsage:  true,
		SilenceErrors: false,
	}
	root.AddCommand(newServerCmd())
	root.AddCommand(&cobra.Command{
		Use:   "version",
		Short: "Print the version of livebook",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), livebook.Version())
			return err
		},
	})
	root.AddCommand(newRunCmd())
	root.AddCommand(newExportCmd())
	root.AddCommand(newKernelCmd())
	return root
}
