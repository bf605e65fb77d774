package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gonx-dev/gonx/livebook/runtime"
	"github.com/gonx-dev/gonx/livebook/server"
	"github.com/spf13/cobra"
)

// Environment variables of the attached runtime.
const (
	// envKernelSecret is the secret of livebook kernel, when --secret-file is not given.
	envKernelSecret = "LIVEBOOK_KERNEL_SECRET"
	// envAttach is the address of the kernel livebook server attaches to.
	envAttach = "LIVEBOOK_ATTACH"
	// envAttachSecret is the secret livebook server sends to that kernel, when
	// --attach-secret-file is not given.
	envAttachSecret = "LIVEBOOK_ATTACH_SECRET"
)

// kernelFlags are the flags of the kernel command.
type kernelFlags struct {
	listen     string
	secretFile string
	gonxRoot   string
}

func newKernelCmd() *cobra.Command {
	var f kernelFlags
	cmd := &cobra.Command{
		Use:   "kernel",
		Short: "Run a kernel that notebook servers attach to (the attached runtime)",
		Long: `Kernel runs a notebook kernel that a livebook server attaches to over TCP, for
cells that must run on another machine or under another user than the server:

  livebook kernel --listen 127.0.0.1:7070 --secret-file kernel.secret
  livebook server --attach 127.0.0.1:7070 --attach-secret-file kernel.secret \
    --default-runtime attached

The secret (from --secret-file, else $` + envKernelSecret + `) is required: a client that
sends another one is refused. One server is attached at a time; its cells run in a
kernel process that this command starts, and that stops, with the names its cells
bound, when the server disconnects (a runtime restart, the session closing).
Anyone who has the secret runs code as this user: listen on loopback, or on a
network you trust, and keep the secret file private.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			secret, err := readSecret(f.secretFile, envKernelSecret)
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", f.listen)
			if err != nil {
				return fmt.Errorf("livebook kernel: %w", err)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "[Livebook] kernel listening on %s\n", ln.Addr())
			logf := func(format string, args ...any) {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s kernel: %s\n", time.Now().Format(time.TimeOnly), fmt.Sprintf(format, args...))
			}
			return runtime.Serve(ctx, ln, secret, runtime.Options{GonxRoot: f.gonxRoot}, logf)
		},
	}
	cmd.Flags().StringVar(&f.listen, "listen", "127.0.0.1:7070", "address to listen on (host:port)")
	cmd.Flags().StringVar(&f.secretFile, "secret-file", "", "file holding the shared secret (default $"+envKernelSecret+")")
	cmd.Flags().StringVar(&f.gonxRoot, "gonx-root", os.Getenv("GONX_ROOT"), "gonx checkout whose modules cells may import (default $GONX_ROOT)")
	return cmd
}

// readSecret returns the secret in file, or in the environment variable env when
// file is empty; whitespace around it is dropped, and an empty secret is an error.
func readSecret(file, env string) (string, error) {
	var secret string
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("livebook: secret: %w", err)
		}
		secret = strings.TrimSpace(string(data))
		if secret == "" {
			return "", fmt.Errorf("livebook: secret: %s is empty", file)
		}
		return secret, nil
	}
	if secret = strings.TrimSpace(os.Getenv(env)); secret == "" {
		return "", errors.New("livebook: a shared secret is required: give --secret-file FILE or set " + env)
	}
	return secret, nil
}

// attachedRuntime is the runtime whose evaluators attach to the kernel at addr.
func attachedRuntime(addr, secret string) server.Runtime {
	return server.RuntimeFunc(func(ctx context.Context, info server.StartInfo) (server.Evaluator, error) {
		a, err := runtime.Attach(ctx, addr, secret, runtimeOptions(info, ""))
		if err != nil {
			return nil, err
		}
		return kernelEvaluator{a}, nil
	})
}
