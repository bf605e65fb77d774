package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gonx-dev/gonx/livebook/server"
	"github.com/spf13/cobra"
)

// serverFlags are the server command's flags; each overrides its environment
// variable when given.
type serverFlags struct {
	port          int
	ip            string
	home          string
	tokenEnabled  bool
	password      string
	autosave      time.Duration
	runtime       string
	publicMetrics bool
	importMax     int64
	importTimeout time.Duration
	gopls         string
	attach        string
	attachSecret  string
}

func newServerCmd() *cobra.Command {
	var f serverFlags
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Serve the notebooks under a directory",
		Long: `Serve the .livemd notebooks under the notebooks root over HTTP and websockets.

The start-up line prints the URL to open, with the access token. Flags override
the environment variables named in their descriptions. Stop with Ctrl-C (SIGINT)
or SIGTERM: open notebooks are saved first.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := server.ConfigFromEnv(os.Getenv)
			if err != nil {
				return err
			}
			applyFlags(cmd, &f, &cfg)
			cfg.Runtimes = runtimes(f.gopls)
			if err := applyAttach(cmd, &f, &cfg); err != nil {
				return err
			}
			cfg.ExportGo = goExporter()
			cfg.Logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), nil))
			return runServer(cmd, cfg)
		},
	}
	fl := cmd.Flags()
	fl.IntVarP(&f.port, "port", "p", server.DefaultPort, "TCP port, 0 for a free one ("+server.EnvPort+")")
	fl.StringVar(&f.ip, "ip", server.DefaultIP, "address to listen on ("+server.EnvIP+")")
	fl.StringVar(&f.home, "home", "", "notebooks root, the current directory by default ("+server.EnvHome+")")
	fl.BoolVar(&f.tokenEnabled, "token-enabled", true, "require the access token ("+server.EnvTokenEnabled+")")
	fl.StringVar(&f.password, "password", "", "log in with this password instead of a token; prefer "+server.EnvPassword)
	fl.DurationVar(&f.autosave, "autosave", server.DefaultAutosave, "save changed notebooks this often, negative for only on close ("+server.EnvAutosave+")")
	fl.StringVar(&f.runtime, "default-runtime", server.DefaultRuntimeName, "runtime that evaluates cells ("+server.EnvDefaultRuntime+")")
	fl.BoolVar(&f.publicMetrics, "public-metrics", false, "serve /metrics without authentication ("+server.EnvPublicMetrics+")")
	fl.StringVar(&f.attach, "attach", os.Getenv(envAttach), "address of a kernel started with livebook kernel, for the attached runtime ($"+envAttach+")")
	fl.StringVar(&f.attachSecret, "attach-secret-file", "", "file holding that kernel's secret (default $"+envAttachSecret+")")
	fl.Int64Var(&f.importMax, "import-max-bytes", server.DefaultImportMaxBytes, "size limit of notebooks imported from a URL ("+server.EnvImportMaxBytes+")")
	fl.DurationVar(&f.importTimeout, "import-timeout", server.DefaultImportTimeout, "time limit of imports from a URL ("+server.EnvImportTimeout+")")
	fl.StringVar(&f.gopls, "gopls", "", "gopls program for completion and hover docs in Go cells; by default $GONX_GOPLS, gopls on PATH, or $GONX_ROOT/.tools/gopls-*")
	return cmd
}

// applyFlags copies the flags the user gave into cfg.
func applyFlags(cmd *cobra.Command, f *serverFlags, cfg *server.Config) {
	set := cmd.Flags().Changed
	if set("port") {
		cfg.Port = f.port
	}
	if set("ip") {
		cfg.IP = f.ip
	}
	if set("home") {
		cfg.Home = f.home
	}
	if set("token-enabled") {
		cfg.DisableToken = !f.tokenEnabled
	}
	if set("password") {
		cfg.Password = f.password
	}
	if set("autosave") {
		cfg.Autosave = f.autosave
	}
	if set("default-runtime") {
		cfg.DefaultRuntime = f.runtime
	}
	if set("public-metrics") {
		cfg.PublicMetrics = f.publicMetrics
	}
	if set("import-max-bytes") {
		cfg.ImportMaxBytes = f.importMax
	}
	if set("import-timeout") {
		cfg.ImportTimeout = f.importTimeout
	}
}

// applyAttach configures the attached runtime when --attach names a kernel: its
// secret is required.
func applyAttach(cmd *cobra.Command, f *serverFlags, cfg *server.Config) error {
	if f.attach == "" {
		if cmd.Flags().Changed("attach-secret-file") {
			return errors.New("livebook: --attach-secret-file without --attach HOST:PORT")
		}
		return nil
	}
	secret, err := readSecret(f.attachSecret, envAttachSecret)
	if err != nil {
		return err
	}
	cfg.Runtimes["attached"] = attachedRuntime(f.attach, secret)
	return nil
}

// runServer listens, prints the URL and serves until SIGINT or SIGTERM or the
// command's context ends.
func runServer(cmd *cobra.Command, cfg server.Config) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := server.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr())
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("livebook: %w", err)
	}
	if _, err := fmt.Fprintf(cmd.OutOrStdout(), "[Livebook] Application running at %s\n", srv.URL(ln.Addr())); err != nil {
		_ = ln.Close()
		_ = srv.Close()
		return err
	}
	return srv.Serve(ctx, ln)
}
