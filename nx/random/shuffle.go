package random

import (
	"math"

	"github.com/gonx-dev/gonx/nx"
)

// Shuffle returns t with its slices along an axis (the Axis option, 0 by
// default) in a random order, and the key to use next. With Independent, each
// lane along the axis gets its own permutation instead.
//
// As Nx.Random.shuffle (and JAX), it sorts by random 32-bit keys, in enough
// rounds (ceil(3·ln(size)/ln(2³²-1))) that ties are unlikely to bias the result.
//
// Options: Axis, Independent.
func Shuffle(key, t *nx.Tensor, opts ...Option) (shuffled, next *nx.Tensor) {
	const op = "random.Shuffle"
	checkKey(op, key)
	if t == nil || t.Rank() == 0 {
		fail(op, []*nx.Tensor{key, t}, "want a tensor of rank 1 or more")
	}
	o := parseOptions(op, t, opts, "Axis", "Independent")
	axis := normAxis(op, key, t, o.axis)
	if o.independent {
		return shuffleIndependent(key, t, axis)
	}
	idx, next := shuffleIndependent(key, nx.Iota(nx.Shape{t.Axis(axis)}), 0)
	return nx.Take(t, idx, nx.Axis(axis)), next
}

// normAxis resolves a possibly negative axis of t, panicking when out of range.
func normAxis(op string, key, t *nx.Tensor, axis int) int {
	a := axis
	if a < 0 {
		a += t.Rank()
	}
	if a < 0 || a >= t.Rank() {
		fail(op, []*nx.Tensor{key, t}, "axis %d is out of range for rank %d", axis, t.Rank())
	}
	return a
}

// shuffleIndependent permutes every lane of t along axis by sorting random
// keys, in as many rounds as Nx uses, and returns the last key.
func shuffleIndependent(key, t *nx.Tensor, axis int) (*nx.Tensor, *nx.Tensor) {
	// Nx computes the round count in f32; one element needs no rounds.
	rounds := 0
	if t.Size() > 1 {
		size := float32(math.Log(float64(t.Size())))
		rounds = int(math.Ceil(float64(3 * size / float32(math.Log(math.MaxUint32)))))
	}
	for range rounds {
		use, next := splitKey("random.Shuffle", key)
		sortKeys := randomBits(use, t.Shape(), 32)
		t = nx.TakeAlongAxis(t, nx.Argsort(sortKeys, nx.Axis(axis)), nx.Axis(axis))
		key = next
	}
	return t, key
}

// Choice returns n samples of t and the key to use next: n elements of t,
// flattened, or n slices along the Axis option. With Replace(true) (the
// default) samples are drawn independently; with Replace(false) they are
// distinct entries, n at most their number. Probabilities gives each entry's
// probability (a 1-D tensor with one value per entry); without it every entry
// is equally likely.
//
// The algorithms are Nx.Random.choice's: RandInt indices with replacement, a
// Shuffle without; with probabilities, inverse-CDF sampling with replacement
// and the Gumbel top-k trick without.
//
// Options: Axis, Replace, Probabilities.
func Choice(key, t *nx.Tensor, n int, opts ...Option) (samples, next *nx.Tensor) {
	const op = "random.Choice"
	checkKey(op, key)
	if t == nil || t.Rank() == 0 {
		fail(op, []*nx.Tensor{key, t}, "want a tensor of rank 1 or more")
	}
	o := parseOptions(op, t, opts, "Axis", "Replace", "Probabilities")
	axis := 0
	if o.given["Axis"] {
		axis = normAxis(op, key, t, o.axis)
	} else {
		t = nx.Flatten(t)
	}
	inputs := t.Axis(axis)
	if n < 1 {
		fail(op, []*nx.Tensor{key, t}, "n is %d: want at least one sample", n)
	}
	if !o.replace && n > inputs {
		fail(op, []*nx.Tensor{key, t}, "cannot take %d samples out of %d without replacement", n, inputs)
	}
	if o.p == nil {
		if o.replace {
			idx, next := RandInt(key, 0, int64(inputs), nx.Shape{n}, nx.U32)
			return nx.Take(t, idx, nx.Axis(axis)), next
		}
		shuffled, next := Shuffle(key, t, Axis(axis))
		return nx.SliceAlongAxis(shuffled, 0, n, nx.Axis(axis)), next
	}
	p := o.p
	if p.Rank() != 1 || p.Size() != inputs {
		fail(op, []*nx.Tensor{key, t, p}, "probabilities must be a 1-D tensor of %d values, one per entry", inputs)
	}
	if p.DType().IsComplex() {
		fail(op, []*nx.Tensor{key, t, p}, "probabilities must be real")
	}
	p = nx.AsType(p, nx.FloatOf(p.DType()))
	if o.replace {
		// Inverse CDF: the first index whose cumulative probability exceeds
		// total·(1-u).
		cum := nx.CumulativeSum(p)
		u, next := Uniform(key, 0, 1, nx.Shape{n}, cum.DType())
		total := nx.Slice(cum, []int{inputs - 1}, []int{1})
		r := nx.Multiply(total, nx.Subtract(nx.Scalar(1.0, cum.DType()), u))
		le := nx.LessEqual(nx.NewAxis(cum, 0), nx.NewAxis(r, 1))
		idx := nx.Argmin(le, nx.Axis(1), nx.Tie(nx.TieLow))
		return nx.Take(t, idx, nx.Axis(axis)), next
	}
	// Gumbel top-k: the n smallest of -g - log(p).
	g, next := Gumbel(key, nx.Shape{inputs}, p.DType())
	g = nx.Subtract(nx.Negate(g), nx.Log(p))
	idx := nx.SliceAlongAxis(nx.Argsort(g), 0, n)
	return nx.Take(t, idx, nx.Axis(axis)), next
}
