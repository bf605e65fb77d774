package linalg

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// Option is a keyword option of a linear-algebra function, the typed form of
// Nx's keyword lists: linalg.QR(t, linalg.Mode(linalg.Complete)). Each function
// documents which options it takes; passing one it does not take panics with an
// *nx.Error.
type Option struct {
	name string
	set  func(*options)
}

// options gathers every option value a function may read.
type options struct {
	given map[string]bool

	mode      QRMode
	eps       float64
	full      bool
	lower     bool
	leftSide  bool
	transform Transform
	ord       NormOrder
	axes      []int
	keepAxes  bool
}

// QRMode selects the shapes QR returns.
type QRMode int

// The QR modes. For an m×n input and k = min(m, n), Reduced returns q of shape
// m×k and r of shape k×n; Complete returns q of shape m×m and r of shape m×n.
const (
	Reduced QRMode = iota
	Complete
)

// Transform is the operation TriangularSolve applies to its matrix a before
// solving: op(a) is a, its transpose or its elementwise conjugate.
type Transform int

// The transforms of a in TriangularSolve.
const (
	NoTransform Transform = iota // op(a) = a
	Transposed                   // op(a) = aᵀ
	Conjugated                   // op(a) = conj(a), elementwise, not transposed
)

// NormOrder is the order of a norm: an integer p, or one of Frobenius, Nuclear,
// Inf and NegInf.
type NormOrder int

// The named norm orders (see Norm).
const (
	Inf       NormOrder = math.MaxInt     // max of |x| (vectors), max row sum of |x| (matrices)
	NegInf    NormOrder = math.MinInt     // min of |x| (vectors), min row sum of |x| (matrices)
	Frobenius NormOrder = math.MinInt + 1 // square root of the sum of |x|² (matrices)
	Nuclear   NormOrder = math.MinInt + 2 // sum of the singular values (matrices)
)

// String names o as Nx does (":inf", ":frobenius", "2").
func (o NormOrder) String() string {
	switch o {
	case Inf:
		return "inf"
	case NegInf:
		return "neg_inf"
	case Frobenius:
		return "frobenius"
	case Nuclear:
		return "nuclear"
	}
	return strconv.Itoa(int(o))
}

func opt(name string, set func(*options)) Option { return Option{name: name, set: set} }

// Mode sets the shapes QR returns: Reduced (the default) or Complete.
func Mode(m QRMode) Option { return opt("Mode", func(o *options) { o.mode = m }) }

// Eps sets the threshold below which values count as zero: entries of QR's
// results with |x| <= eps are set to 0 (default 1e-10), singular values of Pinv
// below eps are dropped (default 1e-10), and MatrixRank and LeastSquares use it
// as their relative tolerance (defaults 1e-7 and 1e-15).
func Eps(eps float64) Option { return opt("Eps", func(o *options) { o.eps = eps }) }

// FullMatrices chooses between SVD's full (the default) and reduced results.
func FullMatrices(full bool) Option { return opt("FullMatrices", func(o *options) { o.full = full }) }

// Lower tells TriangularSolve whether a is lower (true, the default) or upper
// triangular; only that triangle of a is read.
func Lower(lower bool) Option { return opt("Lower", func(o *options) { o.lower = lower }) }

// LeftSide tells TriangularSolve to solve op(a)·x = b (true, the default) or
// x·op(a) = b (false).
func LeftSide(left bool) Option { return opt("LeftSide", func(o *options) { o.leftSide = left }) }

// TransformA sets the operation TriangularSolve applies to a (default NoTransform).
func TransformA(t Transform) Option { return opt("TransformA", func(o *options) { o.transform = t }) }

// Ord sets the order of Norm: an integer p (linalg.Ord(1)) or one of Frobenius,
// Nuclear, Inf and NegInf.
func Ord(o NormOrder) Option { return opt("Ord", func(op *options) { op.ord = o }) }

// Axes sets the axes Norm reduces (negative axes count from the end).
func Axes(axes ...int) Option {
	a := append([]int{}, axes...)
	return opt("Axes", func(o *options) { o.axes = a })
}

// KeepAxes makes Norm keep the reduced axes as dimensions of size 1.
func KeepAxes() Option { return opt("KeepAxes", func(o *options) { o.keepAxes = true }) }

// parseOptions applies opts for op, panicking when one is not in allowed.
func parseOptions(op string, t *nx.Tensor, opts []Option, allowed ...string) options {
	o := options{given: map[string]bool{}, full: true, lower: true, leftSide: true}
	for _, x := range opts {
		if x.set == nil || !slices.Contains(allowed, x.name) {
			sorted := slices.Sorted(slices.Values(allowed))
			takes := "no options"
			if len(sorted) > 0 {
				takes = strings.Join(sorted, ", ")
			}
			var operands []*nx.Tensor
			if t != nil {
				operands = []*nx.Tensor{t}
			}
			fail(op, operands, "option %s is not supported (takes: %s)", x, takes)
		}
		x.set(&o)
		o.given[x.name] = true
	}
	return o
}

// String names the option, for messages.
func (o Option) String() string {
	if o.name == "" {
		return "linalg.Option{}"
	}
	return "linalg." + o.name
}
