package kernel_test

import (
	"fmt"

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
