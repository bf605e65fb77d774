package mnist_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/examples/mnist"
	"github.com/gonx-dev/gonx/nx/random"
)

func ExampleModel() {
	init, _ := mnist.Model().Build()
	state := init(random.Key(0), nil)
	fmt.Print(state)
	fmt.Println(state.Size(), "parameters")
	// Output:
	// param dense_0.bias f32[128]
	// param dense_0.kernel f32[784][128]
	// param dense_1.bias f32[10]
	// param dense_1.kernel f32[128][10]
	// 101770 parameters
}
