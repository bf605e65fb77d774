package axon

import (
	"fmt"
	"iter"
	"math/rand/v2"

	"github.com/gonx-dev/gonx/nx"
)

// Batch is one batch of examples: the inputs X (a *nx.Tensor, or a
// map[string]*nx.Tensor keyed by input name) and the targets Y (a *nx.Tensor,
// or a map keyed by output name for a container model; nil for prediction).
type Batch struct {
	X any
	Y any
}

// Dataset is what the training loops iterate over: the batches of each epoch
// (epoch counts from 0, so a dataset can shuffle differently each time).
type Dataset interface {
	Batches(epoch int) iter.Seq[Batch]
}

// DatasetFunc adapts a function to a Dataset.
type DatasetFunc func(epoch int) iter.Seq[Batch]

// Batches calls f.
func (f DatasetFunc) Batches(epoch int) iter.Seq[Batch] { return f(epoch) }

// DataOption configures Batches.
type DataOption func(*dataConfig)

type dataConfig struct {
	shuffle  bool
	seed     uint64
	dropLast bool
	limit    int
}

// Shuffle makes Batches visit the examples in a new random order each epoch,
// drawn from seed and the epoch number.
func Shuffle(seed uint64) DataOption {
	return func(c *dataConfig) { c.shuffle, c.seed = true, seed }
}

// DropRemainder makes Batches leave out a last batch smaller than the others.
func DropRemainder() DataOption { return func(c *dataConfig) { c.dropLast = true } }

// Limit makes Batches use only the first n examples (after shuffling).
func Limit(n int) DataOption { return func(c *dataConfig) { c.limit = n } }

// Batches returns the dataset that splits x and y along their first axis into
// batches of size examples. x is a *nx.Tensor or a map[string]*nx.Tensor (for a
// model with several inputs); y may be nil.
func Batches(x any, y *nx.Tensor, size int, opts ...DataOption) Dataset {
	c := &dataConfig{}
	for _, o := range opts {
		o(c)
	}
	if size < 1 {
		panic(&nx.Error{Op: "axon.Batches", Msg: fmt.Sprintf("batch size %d: want at least 1", size)})
	}
	var xs map[string]*nx.Tensor
	var single *nx.Tensor
	n := -1
	check := func(name string, t *nx.Tensor) {
		if t == nil || t.Rank() == 0 {
			panic(&nx.Error{Op: "axon.Batches", Msg: fmt.Sprintf("%s: want a tensor with a batch axis", name)})
		}
		if n >= 0 && t.Axis(0) != n {
			panic(&nx.Error{Op: "axon.Batches", Msg: fmt.Sprintf("%s has %d examples, want %d", name, t.Axis(0), n)})
		}
		n = t.Axis(0)
	}
	switch v := x.(type) {
	case *nx.Tensor:
		single = v
		check("x", v)
	case map[string]*nx.Tensor:
		xs = v
		for _, k := range sortedKeys(v) {
			check(fmt.Sprintf("x[%q]", k), v[k])
		}
	default:
		panic(&nx.Error{Op: "axon.Batches", Msg: fmt.Sprintf("x of type %T: want a *nx.Tensor or a map[string]*nx.Tensor", x)})
	}
	if y != nil {
		check("y", y)
	}
	if c.limit > 0 && c.limit < n {
		n = c.limit
	}
	batches := (n + size - 1) / size
	if c.dropLast {
		batches = n / size
	}
	return &tensorData{batches: batches, seq: func(epoch int) iter.Seq[Batch] {
		return func(yield func(Batch) bool) {
			var perm []int64
			if c.shuffle {
				r := rand.New(rand.NewPCG(c.seed, uint64(epoch)))
				full := r.Perm(x0(single, xs).Axis(0))
				perm = make([]int64, n)
				for i := range perm {
					perm[i] = int64(full[i])
				}
			}
			take := func(t *nx.Tensor, start, length int) *nx.Tensor {
				if perm != nil {
					return nx.Take(t, nx.FromSlice(perm[start:start+length]), nx.Axis(0))
				}
				return nx.SliceAlongAxis(t, start, length, nx.Axis(0))
			}
			for start := 0; start < n; start += size {
				length := min(size, n-start)
				if length < size && c.dropLast {
					return
				}
				var b Batch
				if single != nil {
					b.X = take(single, start, length)
				} else {
					m := make(map[string]*nx.Tensor, len(xs))
					for k, t := range xs {
						m[k] = take(t, start, length)
					}
					b.X = m
				}
				if y != nil {
					b.Y = take(y, start, length)
				}
				if !yield(b) {
					return
				}
			}
		}
	}}
}

// tensorData is the Dataset Batches makes.
type tensorData struct {
	batches int
	seq     func(epoch int) iter.Seq[Batch]
}

// Batches returns the batches of one epoch.
func (d *tensorData) Batches(epoch int) iter.Seq[Batch] { return d.seq(epoch) }

// Len returns the number of batches in an epoch.
func (d *tensorData) Len() int { return d.batches }

func x0(single *nx.Tensor, xs map[string]*nx.Tensor) *nx.Tensor {
	if single != nil {
		return single
	}
	return xs[sortedKeys(xs)[0]]
}

// numBatches returns the number of batches in an epoch of d when d knows it
// (it has a method Len() int), and 0 otherwise.
func numBatches(d Dataset) int {
	if s, ok := d.(interface{ Len() int }); ok {
		return s.Len()
	}
	return 0
}

// batchSize returns the number of examples of a batch's inputs.
func batchSize(x any) int {
	switch v := x.(type) {
	case *nx.Tensor:
		return v.Axis(0)
	case map[string]*nx.Tensor:
		for _, t := range v {
			return t.Axis(0)
		}
	}
	return 0
}
