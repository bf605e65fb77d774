package mnist_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/examples/mnist/internal/mnist"
)

func ExampleModel() {
	model, err := mnist.Model("cnn")
	if err != nil {
		fmt.Println(err)
		return
	}
	s := model.Summary()
	fmt.Println(len(s.Layers), "layers,", s.Trainable, "parameters")
	_, err = mnist.Model("resnet")
	fmt.Println(err)
	// Output:
	// 12 layers, 1199882 parameters
	// mnist: no model "resnet" (want one of [cnn mlp])
}

func ExampleMLP() {
	fmt.Print(mnist.MLP().Summary())
	// Output:
	// +-----------------------------------+--------------------+----------------------+--------+
	// | Layer                             | Output shape       | Parameters           |   Size |
	// +===================================+====================+======================+========+
	// | image ( input )                   | f32[-1][1][28][28] |                      |        |
	// +-----------------------------------+--------------------+----------------------+--------+
	// | flatten_0 ( flatten["image"] )    | f32[-1][784]       |                      |        |
	// +-----------------------------------+--------------------+----------------------+--------+
	// | dense_0 ( dense["flatten_0"] )    | f32[-1][128]       | kernel f32[784][128] | 100480 |
	// |                                   |                    | bias f32[128]        |        |
	// +-----------------------------------+--------------------+----------------------+--------+
	// | activation_0 ( relu["dense_0"] )  | f32[-1][128]       |                      |        |
	// +-----------------------------------+--------------------+----------------------+--------+
	// | dense_1 ( dense["activation_0"] ) | f32[-1][10]        | kernel f32[128][10]  |   1290 |
	// |                                   |                    | bias f32[10]         |        |
	// +-----------------------------------+--------------------+----------------------+--------+
	// Total parameters: 101770 (407080 bytes)
}
