// Package random provides Nx.Random's stateless, splittable pseudo-random
// number generation for nx tensors, with the same keys and numbers as Nx.
//
// A key is a u32[2] tensor made from a seed with [Key]. Functions never change
// a key; instead it is split into new ones:
//
//	key := random.Key(42)
//	u, key := random.Uniform(key, 0, 1, nx.Shape{3}, nx.F32)   // u and a new key
//	n, key := random.Normal(key, 0, 1, nx.Shape{2, 2}, nx.F64) // ... and so on
//
// Each sampling function (Uniform, Normal, RandInt, Gumbel, MultivariateNormal,
// Shuffle, Choice) splits its key in two, samples with one half and returns
// the other as the key to use next, as Nx's functions do. The *Split variants
// sample with the key they are given, for keys split beforehand with [Split]
// (n keys at once) or derived with [FoldIn] (one per step or worker).
//
// # Generator
//
// Keys are mixed with Threefry-2x32 (20 rounds), the counter-based block
// cipher of Random123 that JAX uses, checked against Random123's known-answer
// vectors. Keys, splits and samples are Nx's, bit for bit (Key(42) is
// [0, 42]; the tests hold Nx's documented values). Nx builds keys, splits and
// random words as JAX's original (non-partitionable) threefry mode does, so by
// construction Split, UniformSplit, NormalSplit and GumbelSplit follow
// jax.random's split, uniform, normal and gumbel; RandInt, Shuffle and Choice
// use Nx's algorithms. One difference from Nx: results of 16-bit float types
// are rounded to nearest, as in JAX, where Nx's binary backend truncates bf16.
//
// Random words come from one nx operation (an nx.CustomOp) whose kernel runs
// the 20 rounds of each counter pair in registers, split across goroutines
// (about 130 million words a second on 2 cores, some 20 times the same cipher
// written as elementwise u32 tensor operations, which the tests keep as the
// reference it must match bit for bit). Sampling traces under nx.Jit like any
// nx code (but for MultivariateNormal, whose matrix decomposition runs
// eagerly).
//
// Misuse — a tensor that is not a key, a type a distribution does not produce,
// an empty range — panics with an *nx.Error naming the function
// ("random.RandInt"), its operands and what was expected.
package random
