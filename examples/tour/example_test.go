package tour_test

import (
	"os"

	"github.com/gonx-dev/gonx/examples/tour"
)

func ExampleRun() {
	// Prints six numbered steps, each with the tensor it computes.
	if err := tour.Run(os.Stdout); err != nil {
		panic(err)
	}
}
