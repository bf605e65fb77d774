package initializers_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/axon/initializers"
	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

func ExampleGlorotUniform() {
	w := initializers.GlorotUniform()(random.Key(0), nx.Shape{784, 128}, nx.F32)
	limit := 0.0812 // √(6 / (784 + 128)) = 0.0811
	fmt.Println(w.Shape(), nx.All(nx.LessEqual(nx.Abs(w), nx.Number(limit))).Value())
	// Output: [784][128] 1
}

func ExampleFans() {
	in, out := initializers.Fans(nx.Shape{32, 16, 3, 3}) // a conv kernel [out][in][kh][kw]
	fmt.Println(in, out)
	// Output: 144 288
}
