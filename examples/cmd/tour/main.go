// Command tour prints a short walk through nx and axon.
package main

import (
	"fmt"
	"os"

	"github.com/gonx-dev/gonx/examples/tour"
)

func main() {
	if err := tour.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}
