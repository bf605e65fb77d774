package main

import (
	"context"
	"errors"
	"os"

	"github.com/gonx-dev/gonx/livebook/runtime"
	"github.com/gonx-dev/gonx/livebook/server"
)

// runtimes are the runtimes the server offers: "standalone", a kernel process
// per session (the default), and "embedded", cells run inside the server
// process (for small devices; a crashing cell takes the server down).
func runtimes() map[string]server.Runtime {
	opts := func() runtime.Options { return runtime.Options{GonxRoot: os.Getenv("GONX_ROOT")} }
	return map[string]server.Runtime{
		"standalone": server.RuntimeFunc(func(ctx context.Context, _ server.StartInfo) (server.Evaluator, error) {
			k, err := runtime.Start(ctx, opts())
			if err != nil {
				return nil, err
			}
			return kernelEvaluator{k}, nil
		}),
		"embedded": server.RuntimeFunc(func(ctx context.Context, _ server.StartInfo) (server.Evaluator, error) {
			e, err := runtime.NewEmbedded(ctx, opts())
			if err != nil {
				return nil, err
			}
			return kernelEvaluator{e}, nil
		}),
	}
}

// kernelEvaluator adapts a runtime evaluator to the server's Evaluator: what a
// cell printed and the value it ended with become text outputs, and a cell's
// failure (a compile error, a panic, a restart of the kernel) becomes the
// result's error.
type kernelEvaluator struct {
	k runtime.Evaluator
}

func (e kernelEvaluator) Eval(ctx context.Context, cellID, source string) (server.Result, error) {
	res, err := e.k.Eval(ctx, cellID, source)
	var failed *runtime.EvalError
	if err != nil && !errors.As(err, &failed) {
		return server.Result{}, err
	}
	var out server.Result
	if res.Output != "" {
		out.Outputs = append(out.Outputs, server.Output{Type: "text", Text: res.Output})
	}
	if res.HasValue {
		out.Outputs = append(out.Outputs, server.Output{Type: "text", Text: res.Value})
	}
	if failed != nil {
		out.Error = failed.Error()
	}
	return out, nil
}

func (e kernelEvaluator) Close() error { return e.k.Close() }
