package random_test

import (
	"fmt"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/random"
)

func ExampleKey() {
	fmt.Println(random.Key(42))
	// Output:
	// nx.Tensor<
	//   u32[2]
	//   [0, 42]
	// >
}

func ExampleSplit() {
	keys := random.Split(random.Key(1701), 2)
	fmt.Println(keys)
	// Output:
	// nx.Tensor<
	//   u32[2][2]
	//   [
	//     [56197195, 1801093307],
	//     [961309823, 1704866707]
	//   ]
	// >
}

func ExampleFoldIn() {
	key := random.Key(42)
	fmt.Println(random.FoldIn(key, 99))
	// Output:
	// nx.Tensor<
	//   u32[2]
	//   [2015327502, 1351855566]
	// >
}

func ExampleUniform() {
	key := random.Key(1701)
	u, key := random.Uniform(key, 0, 1, nil, nx.F32)
	fmt.Println(u)
	v, _ := random.Uniform(key, -1, 1, nx.Shape{2, 3}, nx.F32)
	fmt.Println(v)
	// Output:
	// nx.Tensor<
	//   f32
	//   0.9728644
	// >
	// nx.Tensor<
	//   f32[2][3]
	//   [
	//     [0.9481602, 0.9812753, -0.73182917],
	//     [-0.9844248, -0.598228, -0.87488794]
	//   ]
	// >
}

func ExampleNormal() {
	key := random.Key(42)
	x, _ := random.Normal(key, 0, 1, nx.Shape{3}, nx.F32)
	fmt.Println(x)
	// Output:
	// nx.Tensor<
	//   f32[3]
	//   [-0.5675502, 0.28439185, -0.93206084]
	// >
}

func ExampleRandInt() {
	key := random.Key(1701)
	x, _ := random.RandInt(key, 1, 100, nx.Shape{3, 2}, nx.U32)
	fmt.Println(x)
	// Output:
	// nx.Tensor<
	//   u32[3][2]
	//   [
	//     [9, 20],
	//     [19, 6],
	//     [71, 15]
	//   ]
	// >
}

func ExampleShuffle() {
	key := random.Key(42)
	rows := nx.Iota(nx.Shape{3, 2}, nx.Axis(0))
	s, _ := random.Shuffle(key, rows)
	fmt.Println(s)
	// Output:
	// nx.Tensor<
	//   s64[3][2]
	//   [
	//     [2, 2],
	//     [0, 0],
	//     [1, 1]
	//   ]
	// >
}

func ExampleChoice() {
	key := random.Key(2)
	t := nx.Iota(nx.Shape{2, 3})
	p := nx.FromSlice([]float32{0.01, 0.1, 0.19, 0.6, 0.05, 0.05})
	s, _ := random.Choice(key, t, 6, random.Probabilities(p))
	fmt.Println(s)
	s, _ = random.Choice(key, t, 6, random.Replace(false))
	fmt.Println(s)
	// Output:
	// nx.Tensor<
	//   s64[6]
	//   [3, 3, 3, 0, 3, 3]
	// >
	// nx.Tensor<
	//   s64[6]
	//   [2, 0, 4, 5, 1, 3]
	// >
}

func ExampleGumbel() {
	g, _ := random.Gumbel(random.Key(1), nx.Shape{2, 3}, nx.F32)
	fmt.Println(g)
	// Output:
	// nx.Tensor<
	//   f32[2][3]
	//   [
	//     [0.6247938, -0.21740718, 0.76783276],
	//     [0.77784044, 4.0895305, 0.30290902]
	//   ]
	// >
}

func ExampleMultivariateNormal() {
	mean := nx.FromSlice([]float32{0, 0})
	cov := nx.FromSlice([]float32{1, 0, 0, 1}, 2, 2)
	x, _ := random.MultivariateNormal(random.Key(12), mean, cov, nx.Shape{3}, nx.F32)
	fmt.Println(x)
	// Output:
	// nx.Tensor<
	//   f32[3][2]
	//   [
	//     [0.7878798, 0.74453056],
	//     [-0.93857336, 1.3766398],
	//     [0.35099122, -1.1289548]
	//   ]
	// >
}
