// Package kernel evaluates Go notebook cells: it turns each cell into a Go package,
// compiles it into a plugin with the Go toolchain and runs it, keeping the names a cell
// declares bound for the cells after it, as Livebook does.
//
// # Cells
//
// A cell is a sequence of Go imports, declarations and statements, in any order:
//
//	import "strings"
//
//	type point struct{ x, y int }
//
//	func (p point) norm() int { return p.x*p.x + p.y*p.y }
//
//	p := point{3, 4}
//	fmt.Println(strings.Repeat("-", p.norm()))
//	p.norm()
//
// Type, const and func declarations become package-level declarations. Statements run
// in order in a function; the names they define at top level (x := ..., var x = ...)
// become package-level variables, so that the cell's functions and later cells see
// them. The value of a last expression statement with a single value is the cell's
// result, printed like Livebook prints results. Imports a cell names stay available to
// later cells, and common standard-library packages (and, with a gonx checkout, the
// gonx modules) are imported automatically when a cell uses them without an import.
//
// # Modules
//
// A cell (usually the notebook's setup cell) may import packages of any module. When
// no module the scratch module requires provides an imported package, the kernel runs
// go get for it before building the cell, printing the go command's progress as the
// cell's output, and fails the cell at the import's line with go get's message when
// that fails. A comment on the import's line pins the version:
//
//	import (
//		"github.com/google/uuid" // v1.6.0
//		"golang.org/x/exp/maps"  // latest
//	)
//
// The go command runs with the environment the kernel was given, so GOPROXY,
// GOFLAGS, GONOSUMDB, GOPRIVATE and the module cache apply as they would to go get in
// a terminal; downloads land in the module cache and the requirement in the scratch
// module's go.mod: later cells use the module as it is, and later kernels find its
// download in the module cache.
//
// With a gonx checkout that has nx/cuda, a cell that imports nx or axon also links
// nx/cuda (a blank import in its plugin), which registers the GPU backend of nx.Jit:
// notebooks run their compiled functions on a GPU when NX_BACKEND=cuda (or
// nx.SetBackend("cuda")) selects it, and on the CPU otherwise.
//
// # How names persist
//
// Every evaluation i compiles into its own package gonxcells/cellNNNN in a scratch
// module. A later cell that uses a name declared by cell i imports that package and the
// generator rewrites the reference: x becomes cellNNNN.Ξx. Go plugins share the
// packages they import, so the variable a later plugin reads is the one the earlier
// plugin set. Because only exported names cross packages, the generator renames every
// unexported name that cells declare at top level, as struct fields or as methods by
// prefixing it with Ξ (x becomes Ξx); the rename is consistent across all cells and is
// undone in messages, results and output. Evaluating a cell again, or declaring a name
// again in a later cell, makes a new package that shadows the older binding; cells
// evaluated before keep the binding they saw.
//
// Resolving which identifier means which binding is done with go/types: cells are
// type-checked against the bindings of earlier cells (one check with statements in
// order, so x := x + 1 reads the earlier x, and one with the cell's declarations and
// the variables its statements define), and the resulting uses drive the rewrite.
// Type errors are reported at the cell's own lines without running the compiler; the
// code the compiler sees carries //line directives, so its errors and panics' stack
// traces point at the cell too.
//
// # Limits
//
// Exporting unexported names shows in reflection: encoding/json would encode such
// fields, so the fields of declared struct types whose names are unexported get the
// tag json:"-" (fields of anonymous struct types do not). Methods must be declared in
// the same cell as their type (Go forbids methods on
// types of another package). A variable defined at top level must have a type that can
// be written outside its package. Plugins cannot be unloaded, so a kernel's memory
// grows with each evaluation; restarting the kernel frees it. Plugins need cgo and run
// on Linux, macOS and FreeBSD; the kernel and its plugins must be built by the same Go
// toolchain with the same flags.
//
// # Process
//
// Main runs a kernel process: requests arrive as JSON lines on file descriptor 3,
// responses leave on file descriptor 4, and whatever cells print goes to standard
// output and error, followed after each evaluation by a marker line that tells the
// host where the evaluation's output ends. Session is the same evaluator for use in
// the calling process.
//
// # Inputs
//
// Cells read the values of the notebook's inputs (package kino's Input: text fields,
// numbers, sliders, choices that people set in the notebook page) through the
// kernel. The notebook server holds the values (its set_input operation, saved in
// the notebook's metadata under "gonx_inputs") and sends them, by input ID, with
// every evaluation: Request.Inputs on an "eval" request, {"op":"eval", ...,
// "inputs":{"Batches":120}}. Before running the cell the kernel writes them to
// inputs.json in its scratch directory (atomically) and sets the environment
// variable GONX_KINO_INPUTS to that file's path (Session.SetInputs); kino's
// Input.Value reads the file, since the kernel and the cells share no package. A
// cell thus reads the values as they were when it started.
package kernel
