package nx

import (
	"fmt"
	"sort"
	"strings"
)

// Option is a keyword option of an operation, the typed form of Nx's keyword
// lists: nx.Sum(t, nx.Axes(0, 1), nx.KeepAxes()). Each operation documents which
// options it takes; passing one it does not take panics with an *Error.
type Option struct {
	name string
	set  func(*options)
}

// options gathers every option value an operation may read.
type options struct {
	given map[string]bool

	axes       []int
	axis       int
	keepAxes   bool
	tieBreak   TieBreak
	direction  Direction
	stable     bool
	reverse    bool
	dtype      DType
	ddof       float64
	strides    []int
	padding    Padding
	inDil      []int
	kernelDil  []int
	windowDil  []int
	featGroups int
	batchGroup int
	length     int
	lengths    []int
}

// TieBreak chooses which index Argmax and Argmin return among equal values.
type TieBreak int

// The tie-break choices.
const (
	TieLow  TieBreak = iota // the first (lowest) index, Nx's default
	TieHigh                 // the last (highest) index
)

// Direction is a sort order.
type Direction int

// The sort orders.
const (
	Asc  Direction = iota // ascending, the default
	Desc                  // descending
)

// Padding is the padding of a convolution or window operation: one of Valid and
// Same, or explicit (low, high) pairs per spatial axis made with Pads.
type Padding struct {
	kind  int // 0 valid, 1 same, 2 explicit
	pairs [][2]int
}

// Valid is no padding.
var Valid = Padding{kind: 0}

// Same pads so that the output size is the input size divided by the stride,
// rounded up, as in Nx's :same.
var Same = Padding{kind: 1}

// Pads returns explicit (low, high) padding, one pair per spatial axis.
func Pads(pairs ...[2]int) Padding { return Padding{kind: 2, pairs: append([][2]int(nil), pairs...)} }

// Explicit returns the (low, high) pairs of padding made with Pads, and false
// for Valid and Same.
func (p Padding) Explicit() ([][2]int, bool) {
	if p.kind != 2 {
		return nil, false
	}
	return append([][2]int(nil), p.pairs...), true
}

// Equal reports whether p and q are the same padding.
func (p Padding) Equal(q Padding) bool {
	if p.kind != q.kind || len(p.pairs) != len(q.pairs) {
		return false
	}
	for i := range p.pairs {
		if p.pairs[i] != q.pairs[i] {
			return false
		}
	}
	return true
}

// String formats p as Valid, Same or Pads([lo hi] ...).
func (p Padding) String() string {
	switch p.kind {
	case 0:
		return "Valid"
	case 1:
		return "Same"
	}
	return fmt.Sprintf("Pads%v", p.pairs)
}

func opt(name string, set func(*options)) Option { return Option{name: name, set: set} }

// Axes selects the axes an operation works on (negative axes count from the end).
func Axes(axes ...int) Option {
	a := append([]int{}, axes...)
	return opt("Axes", func(o *options) { o.axes = a })
}

// Axis selects the single axis an operation works on.
func Axis(axis int) Option { return opt("Axis", func(o *options) { o.axis = axis }) }

// KeepAxes keeps reduced axes as dimensions of size 1.
func KeepAxes() Option { return opt("KeepAxes", func(o *options) { o.keepAxes = true }) }

// Tie chooses the index returned among equal values by Argmax and Argmin.
func Tie(t TieBreak) Option { return opt("Tie", func(o *options) { o.tieBreak = t }) }

// Order sets the direction of a sort.
func Order(d Direction) Option { return opt("Order", func(o *options) { o.direction = d }) }

// Stable makes a sort keep the order of equal elements.
func Stable() Option { return opt("Stable", func(o *options) { o.stable = true }) }

// Reversed runs a cumulative operation from the end of the axis to its start
// (Nx's reverse: true). Its option name is "Reverse"; the name Reverse itself is
// the tensor operation nx.Reverse.
func Reversed() Option { return opt("Reverse", func(o *options) { o.reverse = true }) }

// Type sets the element type of an operation's result (for Iota, Argmax, ...).
func Type(d DType) Option { return opt("Type", func(o *options) { o.dtype = d }) }

// DDOF sets the delta degrees of freedom of Variance and StandardDeviation.
func DDOF(d float64) Option { return opt("DDOF", func(o *options) { o.ddof = d }) }

// Strides sets the strides of a convolution, window operation or slice.
func Strides(s ...int) Option {
	c := append([]int{}, s...)
	return opt("Strides", func(o *options) { o.strides = c })
}

// Padded sets the padding of a convolution or window operation (Nx's :padding).
// Its option name is "Pad"; the name Pad itself is the tensor operation nx.Pad.
func Padded(p Padding) Option { return opt("Pad", func(o *options) { o.padding = p }) }

// InputDilation dilates the input of a convolution (a transposed convolution).
func InputDilation(d ...int) Option {
	c := append([]int{}, d...)
	return opt("InputDilation", func(o *options) { o.inDil = c })
}

// KernelDilation dilates the kernel of a convolution (an atrous convolution).
func KernelDilation(d ...int) Option {
	c := append([]int{}, d...)
	return opt("KernelDilation", func(o *options) { o.kernelDil = c })
}

// WindowDilations dilates the window of a window operation.
func WindowDilations(d ...int) Option {
	c := append([]int{}, d...)
	return opt("WindowDilations", func(o *options) { o.windowDil = c })
}

// FeatureGroups splits a convolution's input features into groups (depthwise
// convolution when it equals the number of input features).
func FeatureGroups(n int) Option { return opt("FeatureGroups", func(o *options) { o.featGroups = n }) }

// BatchGroups splits a convolution's batch into groups.
func BatchGroups(n int) Option { return opt("BatchGroups", func(o *options) { o.batchGroup = n }) }

// Length sets the length of an FFT (the input is padded or cut to it).
func Length(n int) Option { return opt("Length", func(o *options) { o.length = n }) }

// parseOptions applies opts for op, panicking when one is not in allowed.
func parseOptions(op string, t *Tensor, opts []Option, allowed ...string) options {
	o := options{given: map[string]bool{}, featGroups: 1, batchGroup: 1}
	for _, x := range opts {
		ok := false
		for _, a := range allowed {
			if a == x.name {
				ok = true
				break
			}
		}
		if !ok {
			sort.Strings(allowed)
			var operands []*Tensor
			if t != nil {
				operands = []*Tensor{t}
			}
			panicf(op, operands, "option %s is not supported (takes: %s)", x.name, orNone(allowed))
		}
		x.set(&o)
		o.given[x.name] = true
	}
	return o
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "no options"
	}
	return strings.Join(names, ", ")
}

// String names the option, for messages.
func (o Option) String() string { return fmt.Sprintf("nx.%s", o.name) }
