package nx

import (
	"fmt"
	"strings"
)

var asTypeOp = &opDef{name: "as_type", elementwise: true, cpu: func(c *call) {
	convertInto(c.outOverwrite(0), c.args[0].data)
}}

// AsType returns t converted to dt. Integers wrap when narrowed; floats truncate
// toward zero into integers, saturating at the limits (NaN becomes 0); complex
// numbers keep their real part when converted to a real type.
func AsType(t *Tensor, dt DType) *Tensor {
	if !dt.Valid() {
		panicf("nx.AsType", []*Tensor{t}, "invalid target dtype %s", dt)
	}
	if t.dtype == dt {
		return t
	}
	return asTypeOp.apply1(t.shape, dt, nil, t)
}

// Real returns the real part of each element of t: t itself for floats, and
// integers converted to f32, as in Nx.
func Real(t *Tensor) *Tensor {
	if !t.dtype.IsComplex() {
		return AsType(t, FloatOf(t.dtype))
	}
	return AsType(t, RealOf(t.dtype))
}

var imagOp = &opDef{name: "imag", cpu: func(c *call) {
	switch x := c.args[0].data.(type) {
	case []complex64:
		out := c.out(0).([]float32)
		for i, v := range x {
			out[i] = imag(v)
		}
	case []complex128:
		out := c.out(0).([]float64)
		for i, v := range x {
			out[i] = imag(v)
		}
	}
}}

// Imag returns the imaginary part of each element of t (zeros when t is real).
func Imag(t *Tensor) *Tensor {
	if !t.dtype.IsComplex() {
		return Zeros(FloatOf(t.dtype), t.shape...)
	}
	return imagOp.apply1(t.shape, RealOf(t.dtype), nil, t)
}

var reshapeOp = &opDef{name: "reshape", cpu: func(c *call) {
	c.share(0, c.args[0]) // tensors are immutable: share the buffer
}}

// Reshape returns t with a new shape of the same size. One dimension may be -1,
// to be inferred.
func Reshape(t *Tensor, shape ...int) *Tensor {
	s := Shape(append([]int{}, shape...))
	infer := -1
	known := 1
	for i, d := range s {
		switch {
		case d == -1 && infer < 0:
			infer = i
		case d < 0:
			panicf("nx.Reshape", []*Tensor{t}, "invalid new shape %v", shape)
		default:
			known *= d
		}
	}
	if infer >= 0 {
		if known == 0 || t.Size()%known != 0 {
			panicf("nx.Reshape", []*Tensor{t}, "cannot infer the -1 dimension of %v", shape)
		}
		s[infer] = t.Size() / known
	}
	if s.Size() != t.Size() {
		panicf("nx.Reshape", []*Tensor{t}, "new shape %v has %d elements, want %d", shape, s.Size(), t.Size())
	}
	if s.Equal(t.shape) {
		return t
	}
	return reshapeOp.apply1(s, t.dtype, nil, t)
}

// Flatten returns t as a 1-D tensor.
func Flatten(t *Tensor) *Tensor { return Reshape(t, t.Size()) }

// Squeeze removes axes of size 1: the given Axes, or all of them.
func Squeeze(t *Tensor, opts ...Option) *Tensor {
	o := parseOptions("nx.Squeeze", t, opts, "Axes")
	drop := make([]bool, t.Rank())
	if o.given["Axes"] {
		for _, a := range normAxes("nx.Squeeze", t, o.axes) {
			if t.shape[a] != 1 {
				panicf("nx.Squeeze", []*Tensor{t}, "axis %d has size %d, want 1", a, t.shape[a])
			}
			drop[a] = true
		}
	} else {
		for a, d := range t.shape {
			drop[a] = d == 1
		}
	}
	var s []int
	for a, d := range t.shape {
		if !drop[a] {
			s = append(s, d)
		}
	}
	return Reshape(t, s...)
}

// NewAxis inserts an axis of size 1 at position axis (negative counts from the
// end of the result).
func NewAxis(t *Tensor, axis int) *Tensor {
	a := normAxis("nx.NewAxis", t, axis, t.Rank()+1)
	s := append(append(t.shape[:a:a].Clone(), 1), t.shape[a:]...)
	return Reshape(t, s...)
}

type transposeAttr struct{ perm []int }

var transposeOp = &opDef{name: "transpose", cpu: func(c *call) {
	perm := c.attr.(transposeAttr).perm
	in := c.args[0]
	var sb, tb [maxFastRank]int
	st := stridesTo(sb[:], in.shape)
	strides := stridesTo(tb[:], in.shape) // of the same length, overwritten
	for i, p := range perm {
		strides[i] = st[p]
	}
	stridedCopy(c, c.out(0), in.data, c.outs[0].shape, strides, 0)
}}

// Transpose permutes t's axes: the Axes option gives the new order, and the
// default reverses them.
func Transpose(t *Tensor, opts ...Option) *Tensor {
	o := parseOptions("nx.Transpose", t, opts, "Axes")
	r := t.Rank()
	perm := make([]int, r)
	if o.given["Axes"] {
		if len(o.axes) != r {
			panicf("nx.Transpose", []*Tensor{t}, "axes %v must list all %d axes", o.axes, r)
		}
		perm = normAxes("nx.Transpose", t, o.axes)
	} else {
		for i := range perm {
			perm[i] = r - 1 - i
		}
	}
	identity := true
	shape := make(Shape, r)
	for i, p := range perm {
		shape[i] = t.shape[p]
		identity = identity && p == i
	}
	if identity {
		return t
	}
	return transposeOp.apply1(shape, t.dtype, transposeAttr{perm}, t)
}

type broadcastAttr struct{ axes []int }

var broadcastOp = &opDef{name: "broadcast", cpu: func(c *call) {
	axes := c.attr.(broadcastAttr).axes
	in := c.args[0]
	out := c.outs[0]
	var sb, tb [maxFastRank]int
	st := stridesTo(sb[:], in.shape)
	strides := stridesTo(tb[:], out.shape)
	clear(strides)
	for i, a := range axes {
		if in.shape[i] != 1 {
			strides[a] = st[i]
		}
	}
	stridedCopy(c, c.out(0), in.data, out.shape, strides, 0)
}}

// Broadcast returns t expanded to shape. By default t's axes align with the last
// axes of shape (NumPy's rule); the Axes option maps each axis of t to an axis of
// shape instead. Each axis of t must have the target's size or size 1.
func Broadcast(t *Tensor, shape Shape, opts ...Option) *Tensor {
	o := parseOptions("nx.Broadcast", t, opts, "Axes")
	checkShape("nx.Broadcast", shape)
	axes := make([]int, t.Rank())
	if o.given["Axes"] {
		if len(o.axes) != t.Rank() {
			panicf("nx.Broadcast", []*Tensor{t}, "axes %v must map all %d axes to %v", o.axes, t.Rank(), []int(shape))
		}
		for i, a := range o.axes {
			if a < 0 {
				a += len(shape)
			}
			if a < 0 || a >= len(shape) || (i > 0 && a <= axes[i-1]) {
				panicf("nx.Broadcast", []*Tensor{t}, "axes %v must be increasing and within shape %v", o.axes, []int(shape))
			}
			axes[i] = a
		}
	} else {
		if t.Rank() > len(shape) {
			panicf("nx.Broadcast", []*Tensor{t}, "cannot broadcast to the lower rank shape %v", []int(shape))
		}
		for i := range axes {
			axes[i] = len(shape) - t.Rank() + i
		}
	}
	for i, a := range axes {
		if t.shape[i] != 1 && t.shape[i] != shape[a] {
			panicf("nx.Broadcast", []*Tensor{t}, "axis %d has size %d, want %d or 1 to broadcast to %v", i, t.shape[i], shape[a], []int(shape))
		}
	}
	if t.shape.Equal(shape) {
		return t
	}
	return broadcastOp.apply1(shape.Clone(), t.dtype, broadcastAttr{axes}, t)
}

// BroadcastTo is Broadcast with the target given as another tensor's shape.
func BroadcastTo(t, like *Tensor) *Tensor { return Broadcast(t, like.shape) }

var bitcastOp = &opDef{name: "bitcast", writesAll: true, cpu: func(c *call) {
	copy(dataBytes(c.outOverwrite(0)), dataBytes(c.args[0].data))
}}

// Bitcast reinterprets t's bits as dt, which must have the same size.
func Bitcast(t *Tensor, dt DType) *Tensor {
	if dt.Bits() != t.dtype.Bits() {
		panicf("nx.Bitcast", []*Tensor{t}, "cannot bitcast to %s: sizes differ (%d vs %d bits)", dt, dt.Bits(), t.dtype.Bits())
	}
	if dt == t.dtype {
		return t
	}
	return bitcastOp.apply1(t.shape, dt, nil, t)
}

// String formats t like Nx's inspect: type and shape, then the nested values,
// eliding the middle of large tensors.
func (t *Tensor) String() string {
	if t == nil {
		return "nx.Tensor<nil>"
	}
	if t.expr != nil {
		return fmt.Sprintf("nx.Tensor<\n  %s%s%s\n  (symbolic: %s)\n>", vecPrefix(t), t.dtype, t.shape, t.expr)
	}
	return fmt.Sprintf("nx.Tensor<\n  %s%s%s\n  %s\n>", vecPrefix(t), t.dtype, t.shape, formatValues(t, 2))
}

// vecPrefix formats t's vectorized axes as Nx does: "vectorized[x: 2] ".
func vecPrefix(t *Tensor) string {
	if len(t.vec) == 0 {
		return ""
	}
	parts := make([]string, len(t.vec))
	for i, v := range t.vec {
		parts[i] = fmt.Sprintf("%s: %d", v.Name, v.Size)
	}
	return "vectorized[" + strings.Join(parts, "][") + "]\n  "
}
