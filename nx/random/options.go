package random

import (
	"slices"
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// Option is a keyword option of Shuffle and Choice, the typed form of Nx's
// keyword lists: random.Shuffle(key, t, random.Axis(1)). Passing an option a
// function does not take panics with an *nx.Error.
type Option struct {
	name string
	set  func(*options)
}

// options gathers every option value a function may read.
type options struct {
	given       map[string]bool
	axis        int
	independent bool
	replace     bool
	p           *nx.Tensor
	method      Decomposition
}

func opt(name string, set func(*options)) Option { return Option{name: name, set: set} }

// Axis selects the axis Shuffle permutes or Choice samples along (negative
// counts from the end). Shuffle's default is 0; Choice flattens its input when
// no axis is given.
func Axis(axis int) Option { return opt("Axis", func(o *options) { o.axis = axis }) }

// Independent makes Shuffle permute each lane along the axis independently,
// instead of applying one permutation to whole slices.
func Independent() Option { return opt("Independent", func(o *options) { o.independent = true }) }

// Replace sets whether Choice samples with replacement (true, the default) or
// without.
func Replace(replace bool) Option { return opt("Replace", func(o *options) { o.replace = replace }) }

// Probabilities gives Choice the probability of each entry along its axis (or
// of each element, without an axis): a 1-D float tensor.
func Probabilities(p *nx.Tensor) Option { return opt("Probabilities", func(o *options) { o.p = p }) }

// Decomposition is the factorization MultivariateNormal uses to turn its
// covariance into a linear map of standard normal samples.
type Decomposition int

// The decompositions of MultivariateNormal.
const (
	Cholesky Decomposition = iota // the Cholesky factor (default): positive-definite covariances
	SVD                           // u·√s from the SVD: positive semi-definite covariances too
	Eigh                          // v·√w from the eigen-decomposition: semi-definite too
)

// Method sets the decomposition MultivariateNormal uses (default Cholesky).
func Method(m Decomposition) Option { return opt("Method", func(o *options) { o.method = m }) }

// parseOptions applies opts for op, panicking when one is not in allowed.
func parseOptions(op string, t *nx.Tensor, opts []Option, allowed ...string) options {
	o := options{given: map[string]bool{}, replace: true}
	for _, x := range opts {
		if x.set == nil || !slices.Contains(allowed, x.name) {
			sorted := slices.Sorted(slices.Values(allowed))
			fail(op, []*nx.Tensor{t}, "option %s is not supported (takes: %s)", x, strings.Join(sorted, ", "))
		}
		x.set(&o)
		o.given[x.name] = true
	}
	return o
}

// String names the option, for messages.
func (o Option) String() string {
	if o.name == "" {
		return "random.Option{}"
	}
	return "random." + o.name
}
