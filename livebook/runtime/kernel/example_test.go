package kernel_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/gonx-dev/gonx/livebook/runtime/kernel"
)

// Compiled cells export the names they declare by prefixing them with Ξ; Demangle
// turns messages and output back into the cell's own names.
func ExampleDemangle() {
	fmt.Println(kernel.Demangle("cannot use cell0003.Ξp (variable of struct type gonxcells/cell0001.Ξpoint) as int value"))
	fmt.Println(kernel.Demangle("{Ξx:3 Ξy:4}"))
	// Output:
	// cannot use p (variable of struct type point) as int value
	// {x:3 y:4}
}

// Marker is what a kernel prints after each request's output, for the host to split
// the output stream.
func ExampleMarker() {
	fmt.Printf("%q\n", kernel.Marker("token", 7))
	// Output:
	// "\x00gonx-end:token:7\x00"
}

// NewView lays a cell out as a Go file in which an earlier cell's answer and the
// automatically imported fmt resolve; offsets map between the cell and the file.
// (A cell's imports and declarations move above and below the function.)
func ExampleNewView() {
	scope := &kernel.Scope{
		Autos:    map[string]string{"fmt": "fmt"},
		Bindings: []kernel.Binding{{Name: "answer", Kind: "var", Pkg: "gonxcells/cell0001"}},
	}
	cell := "fmt.Println(answer)"
	v := kernel.NewView(scope, cell)
	fmt.Print(v.Text)
	at := v.ViewOffset(len("fmt.Pri"))
	fmt.Printf("%q is at %d of the view, and back at %d of the cell\n", v.Text[at-7:at], at, v.CellOffset(at))
	// Output:
	// package edit
	//
	// import cell0001 "gonxcells/cell0001"
	// import fmt "fmt"
	// var answer = cell0001.Ξanswer
	//
	// func _() {
	// fmt.Println(answer)
	// }
	//
	// "fmt.Pri" is at 118 of the view, and back at 7 of the cell
}

// Export turns cells into packages as Eval would, without building or running
// them; Program writes the Go program that runs them in order.
func ExampleSession_Program() {
	dir, err := os.MkdirTemp("", "cells")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	s, err := kernel.NewSession(kernel.Config{Dir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, src := range []string{`greeting := "hello"`, `strings.ToUpper(greeting)`} {
		if fail := s.Export(fmt.Sprint("c", i+1), src); fail != nil {
			fmt.Println(fail.Message)
			return
		}
	}
	files, note, err := s.Program("example.com/hello")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range files {
		fmt.Println(strings.Map(func(r rune) rune { // the cells' numbers vary
			if r >= '0' && r <= '9' {
				return 'N'
			}
			return r
		}, f.Name))
	}
	fmt.Printf("note: %q\n", note)
	// Output:
	// main.go
	// cellNNNN/cell.go
	// cellNNNN/cell.go
	// go.mod
	// note: ""
}
