// Package runtime runs the Go cells of a notebook.
//
// A Kernel is a separate process that compiles each cell with the Go toolchain into a
// plugin and runs it (see package kernel for how cells become Go packages and how the
// names they declare stay bound for later cells). The process speaks JSON lines over
// two pipes; what cells print comes back on a third. A cell that panics fails on its
// own and the kernel goes on; a cell that ends the process (os.Exit, a fatal error, a
// crash) or that the caller stops (an interrupt, a timeout through the context) fails
// with the kernel, which is restarted empty: the caller never hangs and never goes
// down with it.
//
// Start builds the kernel program once per toolchain, from the sources of package
// kernel embedded here, with the same go command that builds the cells, so that the
// program and the plugins it loads always match; the program is cached in the user's
// cache directory.
//
//	k, err := runtime.Start(ctx, runtime.Options{GonxRoot: os.Getenv("GONX_ROOT")})
//	if err != nil { ... }
//	defer k.Close()
//	res, err := k.Eval(ctx, "cell-1", `x := 40`)
//	res, err = k.Eval(ctx, "cell-2", `x + 2`) // res.Value == "42"
//
// Cells can import the gonx modules when Options.GonxRoot names a gonx checkout; the
// cells' scratch module then uses a go.work that includes the checkout's modules. A
// cell that imports a package of another module gets that module with go get, under
// Options.Env's GOPROXY and GOFLAGS, with the go command's progress in its output (see
// package kernel, "Modules").
//
// Cells show rich outputs (Markdown, tables, images, charts, frames) with package
// livebook/kino, which prints each as a marker line; the runtime takes the markers out
// of what a cell prints, and out of the value it ends with, into Result.Outputs and
// Result.ValueOutputs, and streams them to Options.Rich as they come. It decodes them
// itself: this package links nothing that cells link. Options.Inputs gives each
// evaluation the values of the notebook's inputs (kino.Input), which the kernel hands
// to the cell (see package kernel, Inputs).
//
// Kernel and Embedded are also Assistants: completion, hover documentation and
// signature help for a cell being edited, from gopls (Options.Gopls, or FindGopls)
// run over the kernel's scratch module. The cell's text is laid out as a Go file of
// that module in which earlier cells' names and the automatic imports resolve as
// they do when the cell runs (kernel.NewView), and positions are mapped to the file
// and back. Without gopls the methods return ErrNoGopls and cells run as before.
//
// Embedded is the same evaluator in the calling process, for small devices: no
// process boundary, so a cell that exits or crashes takes the caller with it.
//
// Attached evaluates cells in a kernel that a person started by hand, possibly on
// another machine: Serve runs that kernel's side (livebook kernel --listen ADDR
// --secret-file FILE), accepting over TCP the one client that sends the shared
// secret (compared in constant time; others are refused), and Attach connects to
// it. Cells run in a kernel process that Serve starts, as Start would; when the
// client disconnects, that process stops.
//
// Export turns cells into a Go program that go build builds: each cell becomes the
// package the kernel would compile for it, and main.go runs them in order.
package runtime
