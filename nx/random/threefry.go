package random

import (
	"fmt"
	"math/bits"
	"runtime"
	"sync"
	"unsafe"

	"github.com/gonx-dev/gonx/nx"
)

// Key returns a PRNG key for seed: the u32[2] tensor [seed >> 32, seed &
// 0xFFFFFFFF] of seed's 64 bits, as Nx.Random.key and JAX's PRNGKey make it
// (Key(42) is [0, 42]).
func Key(seed int64) *nx.Tensor {
	u := uint64(seed)
	return nx.FromSlice([]uint32{uint32(u >> 32), uint32(u)})
}

// Split returns n new keys derived from key, as an [n][2] u32 tensor; row i is
// a key. Use one of them for the next split and the others for sampling, never
// key itself again.
func Split(key *nx.Tensor, n int) *nx.Tensor {
	const op = "random.Split"
	checkKey(op, key)
	if n < 0 {
		fail(op, []*nx.Tensor{key}, "n is %d: want n >= 0", n)
	}
	return threefryBits(key, nx.Shape{n, 2})
}

// FoldIn returns a new key derived from key and the integer data, such as a
// step number or a worker index: a u32[2] tensor.
func FoldIn(key *nx.Tensor, data int64) *nx.Tensor {
	return foldIn("random.FoldIn", key, nx.Scalar(data))
}

// FoldInTensor is FoldIn for every element of data, an integer tensor: the
// result has data's shape with a trailing axis of 2, one key per element.
func FoldInTensor(key, data *nx.Tensor) *nx.Tensor {
	return foldIn("random.FoldInTensor", key, data)
}

func foldIn(op string, key, data *nx.Tensor) *nx.Tensor {
	checkKey(op, key)
	if data == nil || !data.DType().IsInteger() {
		fail(op, []*nx.Tensor{key, data}, "want integer data")
	}
	d := nx.Flatten(nx.AsType(data, nx.U64))
	hi := nx.AsType(nx.RightShift(d, u64(32)), nx.U32)
	lo := nx.AsType(nx.BitwiseAnd(d, u64(0xFFFFFFFF)), nx.U32)
	y0, y1 := threefry(keyWords(key), hi, lo)
	return nx.Reshape(nx.Stack([]*nx.Tensor{y0, y1}, nx.Axis(-1)), append(data.Shape(), 2)...)
}

// checkKey panics unless key is a u32[2] tensor.
func checkKey(op string, key *nx.Tensor) {
	if key == nil || key.DType() != nx.U32 || !key.Shape().Equal(nx.Shape{2}) {
		fail(op, []*nx.Tensor{key}, "want a key: a u32[2] tensor (see random.Key)")
	}
}

// describe formats t's type and shape as nx does in errors, e.g. "u32[2]".
func describe(t *nx.Tensor) string {
	if t == nil {
		return "nil"
	}
	return t.DType().String() + t.Shape().String()
}

// fail panics with an *nx.Error for op, describing operands.
func fail(op string, operands []*nx.Tensor, format string, args ...any) {
	desc := make([]string, len(operands))
	for i, t := range operands {
		desc[i] = describe(t)
	}
	panic(&nx.Error{Op: op, Operands: desc, Msg: fmt.Sprintf(format, args...)})
}

func u32(v uint32) *nx.Tensor { return nx.Scalar(v) }
func u64(v uint64) *nx.Tensor { return nx.Scalar(v) }

// keyWords returns the two words of key as u32 scalars.
func keyWords(key *nx.Tensor) [2]*nx.Tensor {
	return [2]*nx.Tensor{
		nx.Reshape(nx.Slice(key, []int{0}, []int{1})),
		nx.Reshape(nx.Slice(key, []int{1}, []int{1})),
	}
}

// The rotations of Threefry-2x32, in two groups of four rounds used in turn.
var rotations = [2][4]uint32{{13, 15, 26, 6}, {17, 29, 16, 24}}

// threefry encrypts the counter pairs (x0[i], x1[i]) under key with
// Threefry-2x32 (20 rounds), Random123's and JAX's block cipher; x0 and x1 are
// u32 tensors of one shape.
func threefry(key [2]*nx.Tensor, x0, x1 *nx.Tensor) (*nx.Tensor, *nx.Tensor) {
	ks := [3]*nx.Tensor{key[0], key[1],
		nx.BitwiseXor(nx.BitwiseXor(key[0], key[1]), u32(0x1BD11BDA))}
	x0 = nx.Add(x0, ks[0])
	x1 = nx.Add(x1, ks[1])
	for i := 1; i <= 5; i++ {
		for _, r := range rotations[(i-1)%2] {
			x0 = nx.Add(x0, x1)
			rot := nx.BitwiseOr(nx.LeftShift(x1, u32(r)), nx.RightShift(x1, u32(32-r)))
			x1 = nx.BitwiseXor(rot, x0)
		}
		x0 = nx.Add(x0, ks[i%3])
		x1 = nx.Add(nx.Add(x1, ks[(i+1)%3]), u32(uint32(i)))
	}
	return x0, x1
}

// threefryBits returns shape.Size() random u32 words derived from key, in the
// given shape, as Nx's threefry2x32: the counters 0, 1, ... are split in two
// halves (padded with a 0 to an even count) that are encrypted as pairs.
//
// The words come from one operation whose kernel runs the whole cipher on
// each pair in registers (threefryWords), split across goroutines; it gives
// the words threefry's nx expression of the same cipher gives, bit for bit.
func threefryBits(key *nx.Tensor, shape nx.Shape) *nx.Tensor {
	n := shape.Size()
	if n == 0 {
		return nx.Zeros(nx.U32, shape...)
	}
	return nx.Reshape(threefryOp(n).Apply([]nx.Result{{Shape: nx.Shape{n}, DType: nx.U32}}, key)[0], shape...)
}

// threefryOps holds the operation of each word count (its result's size is
// part of the operation).
var threefryOps sync.Map // int → *nx.CustomOp

// threefryOp returns the operation that draws n words from a key.
func threefryOp(n int) *nx.CustomOp {
	if op, ok := threefryOps.Load(n); ok {
		return op.(*nx.CustomOp)
	}
	op, _ := threefryOps.LoadOrStore(n, &nx.CustomOp{
		Name: "random.threefry2x32",
		EvalInto: func(args, results []*nx.Tensor) {
			threefryWords(keyWordsOf(args[0]), results[0].Data().([]uint32))
		},
	})
	return op.(*nx.CustomOp)
}

// keyWordsOf returns the two words of a concrete key.
func keyWordsOf(key *nx.Tensor) [2]uint32 {
	if k, ok := key.Data().([]uint32); ok {
		return [2]uint32{k[0], k[1]}
	}
	k := key.Uint64s()
	return [2]uint32{uint32(k[0]), uint32(k[1])}
}

// unitF32Op draws f32 values in [1, 2) from a key: the words threefryBits
// gives, shifted right by 9 and ORed with the bits of 1.0, reinterpreted as
// f32 — what uniform's nx expression computes from them, in one pass
// instead of three.
var unitF32Op = &nx.CustomOp{
	Name: "random.threefry2x32_f32_1_2",
	EvalInto: func(args, results []*nx.Tensor) {
		f := results[0].Data().([]float32)
		if len(f) == 0 {
			return
		}
		w := unsafe.Slice((*uint32)(unsafe.Pointer(unsafe.SliceData(f))), len(f))
		threefryWords(keyWordsOf(args[0]), w)
		for i, x := range w {
			w[i] = x>>9 | 0x3f800000
		}
	},
}

// unitF32 returns f32 values in [1, 2) of the given shape drawn from key.
func unitF32(key *nx.Tensor, shape nx.Shape) *nx.Tensor {
	n := shape.Size()
	return nx.Reshape(unitF32Op.Apply([]nx.Result{{Shape: nx.Shape{n}, DType: nx.F32}}, key)[0], shape...)
}

// threefryGrain is the number of pairs below which one goroutine does all.
const threefryGrain = 1 << 14

// threefryWords fills out with the words threefryBits defines for key: pair
// i (i < h = ⌈n/2⌉) encrypts the counters (i, h+i), the second one 0 past
// the end, and its two words land at out[i] and out[h+i].
func threefryWords(key [2]uint32, out []uint32) {
	n := len(out)
	h := (n + 1) / 2
	if min(runtime.GOMAXPROCS(0), h/threefryGrain) <= 1 {
		threefryRange(key, out, 0, h)
		return
	}
	nx.ParallelFor(h, threefryGrain, func(lo, hi int) { threefryRange(key, out, lo, hi) })
}

// threefryRange encrypts the pairs lo..hi-1 of threefryWords.
func threefryRange(key [2]uint32, out []uint32, lo, hi int) {
	n := len(out)
	h := (n + 1) / 2
	k0, k1 := key[0], key[1]
	k2 := k0 ^ k1 ^ 0x1BD11BDA
	for i := lo; i < hi; i++ {
		c1 := uint32(0)
		if h+i < n {
			c1 = uint32(h + i)
		}
		x0, x1 := uint32(i)+k0, c1+k1
		// Five groups of four rounds, each group followed by a key injection
		// (rotations 13 15 26 6, then 17 29 16 24, in turn).
		x0 += x1
		x1 = bits.RotateLeft32(x1, 13) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 15) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 26) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 6) ^ x0
		x0 += k1
		x1 += k2 + 1

		x0 += x1
		x1 = bits.RotateLeft32(x1, 17) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 29) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 16) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 24) ^ x0
		x0 += k2
		x1 += k0 + 2

		x0 += x1
		x1 = bits.RotateLeft32(x1, 13) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 15) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 26) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 6) ^ x0
		x0 += k0
		x1 += k1 + 3

		x0 += x1
		x1 = bits.RotateLeft32(x1, 17) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 29) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 16) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 24) ^ x0
		x0 += k1
		x1 += k2 + 4

		x0 += x1
		x1 = bits.RotateLeft32(x1, 13) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 15) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 26) ^ x0
		x0 += x1
		x1 = bits.RotateLeft32(x1, 6) ^ x0
		x0 += k2
		x1 += k0 + 5

		out[i] = x0
		if h+i < n {
			out[h+i] = x1
		}
	}
}

// randomBits returns random unsigned integers of the given width (8, 16, 32 or
// 64 bits) in shape, as Nx's random_bits: 64-bit words join two 32-bit ones,
// narrower words keep the low bits of one.
func randomBits(key *nx.Tensor, shape nx.Shape, bits int) *nx.Tensor {
	switch bits {
	case 32:
		return threefryBits(key, shape)
	case 64:
		n := shape.Size()
		w := nx.AsType(threefryBits(key, nx.Shape{2, n}), nx.U64)
		hi := nx.Reshape(nx.Slice(w, []int{0, 0}, []int{1, n}), n)
		lo := nx.Reshape(nx.Slice(w, []int{1, 0}, []int{1, n}), n)
		return nx.Reshape(nx.BitwiseOr(nx.LeftShift(hi, u64(32)), lo), shape...)
	}
	dt := nx.U8
	if bits == 16 {
		dt = nx.U16
	}
	return nx.AsType(threefryBits(key, shape), dt)
}
