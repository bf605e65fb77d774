package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/gonx-dev/gonx/livebook/runtime"
	"github.com/gonx-dev/gonx/livebook/server"
)

// runtimes are the runtimes the server offers: "standalone", a kernel process
// per session (the default); "embedded", cells run inside the server process
// (for small devices; a crashing cell takes the server down); and "attached",
// a kernel started by hand with livebook kernel, which server --attach names
// (until then, cells on it fail saying so). The first two help edit Go cells
// with gopls, the program named (or, when empty, the one runtime.FindGopls
// finds).
func runtimes(gopls string) map[string]server.Runtime {
	return map[string]server.Runtime{
		"standalone": server.RuntimeFunc(func(ctx context.Context, info server.StartInfo) (server.Evaluator, error) {
			k, err := runtime.Start(ctx, runtimeOptions(info, gopls))
			if err != nil {
				return nil, err
			}
			return kernelEvaluator{k}, nil
		}),
		"embedded": server.RuntimeFunc(func(ctx context.Context, info server.StartInfo) (server.Evaluator, error) {
			e, err := runtime.NewEmbedded(ctx, runtimeOptions(info, gopls))
			if err != nil {
				return nil, err
			}
			return kernelEvaluator{e}, nil
		}),
		"attached": server.Unavailable("no kernel to attach to: start one with livebook kernel --listen HOST:PORT --secret-file FILE, and the server with --attach HOST:PORT --attach-secret-file FILE"),
	}
}

// runtimeOptions returns the options of a session's kernel: gonx from $GONX_ROOT,
// gopls, and what cells print and render streamed to the session as they run.
func runtimeOptions(info server.StartInfo, gopls string) runtime.Options {
	opts := runtime.Options{GonxRoot: os.Getenv("GONX_ROOT"), Gopls: gopls, Inputs: info.Inputs}
	if stream := info.Output; stream != nil {
		opts.Output = func(cellID, text string) {
			stream(cellID, server.Output{Type: "text", Text: text})
		}
		opts.Rich = func(cellID string, out runtime.Output) {
			stream(cellID, serverOutput(out))
		}
	}
	return opts
}

// kernelEvaluator adapts a runtime evaluator to the server's Evaluator: what a
// cell printed and the value it ended with become outputs (text, and the rich
// outputs of package kino), a cell's failure (a compile error, a panic, a
// restart of the kernel) becomes the result's error, and the names it bound and
// read come along, for the session to tell which cells go stale.
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
	out.Defined, out.Used = res.Defined, res.Used
	out.Restarted = res.Restarted
	if failed != nil {
		out.Error = failed.Error()
		// A kernel process that was stopped took the names with it, even if
		// the new one did not start; an embedded cell that was interrupted goes
		// on running, and the names stay.
		if standalone := isKernelProcess(e.k); standalone &&
			(failed.Kind == runtime.KindInterrupted || failed.Kind == runtime.KindExit) {
			out.Restarted = true
		}
	}
	return out, nil
}

// isKernelProcess reports whether ev runs cells in a kernel process, which an
// interrupt or a crash restarts without the names cells bound.
func isKernelProcess(ev runtime.Evaluator) bool {
	switch ev.(type) {
	case *runtime.Kernel, *runtime.Attached:
		return true
	}
	return false
}

// serverOutputs appends the server's form of outs to dst.
func serverOutputs(dst []server.Output, outs []runtime.Output) []server.Output {
	for _, o := range outs {
		dst = append(dst, serverOutput(o))
	}
	return dst
}

// serverOutput returns the server's form of o; a frame keeps its ID and content,
// so that clients update it in place.
func serverOutput(o runtime.Output) server.Output {
	return server.Output{
		Type: o.Type, MIME: o.MIME, Text: o.Text, Data: o.Data,
		ID: o.ID, Outputs: serverOutputs(nil, o.Outputs), Append: o.Append,
	}
}

func (e kernelEvaluator) Close() error { return e.k.Close() }

// Assist answers the server's requests for completion, hover documentation and
// signature help with the runtime's Assistant.
func (e kernelEvaluator) Assist(ctx context.Context, req server.AssistRequest) (server.AssistResult, error) {
	a, ok := e.k.(runtime.Assistant)
	if !ok {
		return server.AssistResult{}, server.ErrNoAssistant
	}
	out := server.AssistResult{Active: -1}
	switch req.Kind {
	case server.AssistComplete:
		c, err := a.Complete(ctx, req.Source, req.Pos)
		if err != nil {
			return out, err
		}
		out.From, out.To = c.From, c.To
		for _, it := range c.Items {
			out.Items = append(out.Items, server.CompletionItem{Label: it.Label, Insert: it.Insert, Kind: it.Kind, Detail: it.Detail, Doc: it.Doc})
		}
	case server.AssistHover:
		h, err := a.Hover(ctx, req.Source, req.Pos)
		if err != nil {
			return out, err
		}
		out.From, out.To, out.Doc = h.From, h.To, h.Doc
	case server.AssistSignature:
		sig, err := a.Signature(ctx, req.Source, req.Pos)
		if err != nil {
			return out, err
		}
		out.From, out.To = req.Pos, req.Pos
		out.Label, out.Doc, out.Params, out.Active = sig.Label, sig.Doc, sig.Params, sig.Active
	default:
		return out, fmt.Errorf("unknown request %q", req.Kind)
	}
	return out, nil
}
