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
// cell printed and the value it ended with become outputs (text, and the rich
// outputs of package kino), and a cell's failure (a compile error, a panic, a
// restart of the kernel) becomes the result's error.
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
	out.Outputs = serverOutputs(out.Outputs, res.Outputs)
	if res.HasValue {
		out.Outputs = serverOutputs(out.Outputs, res.ValueOutputs)
	}
	if failed != nil {
		out.Error = failed.Error()
	}
	return out, nil
}

// serverOutputs appends the server's form of outs to dst. The server receives a
// cell's outputs once it has run, so a frame is shown as its last content, in its
// place.
func serverOutputs(dst []server.Output, outs []runtime.Output) []server.Output {
	for _, o := range outs {
		if o.Type == "frame" {
			dst = serverOutputs(dst, o.Outputs)
			continue
		}
		dst = append(dst, server.Output{Type: o.Type, MIME: o.MIME, Text: o.Text, Data: o.Data})
	}
	return dst
}

func (e kernelEvaluator) Close() error { return e.k.Close() }
