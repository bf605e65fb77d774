package nx

import "fmt"

// Kind is the family of a DType: unsigned, signed, float, bfloat or complex.
type Kind uint8

// The kinds of DType.
const (
	KindUnsigned Kind = iota + 1
	KindSigned
	KindFloat
	KindBFloat
	KindComplex
)

// DType is the element type of a tensor. It is a run-time value, as in Nx and
// NumPy, so the same code handles every type.
type DType uint8

// The element types, named as in Nx ({:u, 8} is U8, {:bf, 16} is BF16).
const (
	InvalidDType DType = iota
	U8
	U16
	U32
	U64
	S8
	S16
	S32
	S64
	F16
	BF16
	F32
	F64
	C64
	C128
)

var dtypeInfo = [...]struct {
	name string
	kind Kind
	bits int
}{
	InvalidDType: {"invalid", 0, 0},
	U8:           {"u8", KindUnsigned, 8},
	U16:          {"u16", KindUnsigned, 16},
	U32:          {"u32", KindUnsigned, 32},
	U64:          {"u64", KindUnsigned, 64},
	S8:           {"s8", KindSigned, 8},
	S16:          {"s16", KindSigned, 16},
	S32:          {"s32", KindSigned, 32},
	S64:          {"s64", KindSigned, 64},
	F16:          {"f16", KindFloat, 16},
	BF16:         {"bf16", KindBFloat, 16},
	F32:          {"f32", KindFloat, 32},
	F64:          {"f64", KindFloat, 64},
	C64:          {"c64", KindComplex, 64},
	C128:         {"c128", KindComplex, 128},
}

// DTypes lists every valid element type, unsigned to complex.
func DTypes() []DType {
	return []DType{U8, U16, U32, U64, S8, S16, S32, S64, F16, BF16, F32, F64, C64, C128}
}

// Valid reports whether d is one of the defined element types.
func (d DType) Valid() bool { return d > InvalidDType && int(d) < len(dtypeInfo) }

// String returns the Nx short name of d, such as "f32" or "bf16".
func (d DType) String() string {
	if !d.Valid() {
		return fmt.Sprintf("DType(%d)", uint8(d))
	}
	return dtypeInfo[d].name
}

// Kind returns the family of d.
func (d DType) Kind() Kind {
	if !d.Valid() {
		return 0
	}
	return dtypeInfo[d].kind
}

// Bits returns the size of one element of d in bits.
func (d DType) Bits() int {
	if !d.Valid() {
		return 0
	}
	return dtypeInfo[d].bits
}

// Size returns the size of one element of d in bytes.
func (d DType) Size() int { return d.Bits() / 8 }

// IsInteger reports whether d is a signed or unsigned integer type.
func (d DType) IsInteger() bool { k := d.Kind(); return k == KindUnsigned || k == KindSigned }

// IsUnsigned reports whether d is an unsigned integer type.
func (d DType) IsUnsigned() bool { return d.Kind() == KindUnsigned }

// IsSigned reports whether d is a signed integer type.
func (d DType) IsSigned() bool { return d.Kind() == KindSigned }

// IsFloat reports whether d is a real floating-point type (f16, bf16, f32, f64).
func (d DType) IsFloat() bool { k := d.Kind(); return k == KindFloat || k == KindBFloat }

// IsComplex reports whether d is a complex type.
func (d DType) IsComplex() bool { return d.Kind() == KindComplex }

// ParseDType returns the DType named s ("f32", "s64", "bf16", ...).
func ParseDType(s string) (DType, error) {
	for _, d := range DTypes() {
		if d.String() == s {
			return d, nil
		}
	}
	return InvalidDType, fmt.Errorf("nx: unknown dtype %q", s)
}

func makeDType(k Kind, bits int) DType {
	for _, d := range DTypes() {
		if dtypeInfo[d].kind == k && dtypeInfo[d].bits == bits {
			return d
		}
	}
	panic(fmt.Sprintf("nx: no dtype of kind %d with %d bits", k, bits))
}

// FloatOf returns the floating-point type that operations such as Exp or Divide
// produce for d: integers become f32, floats and complex types stay as they are.
func FloatOf(d DType) DType {
	if d.IsInteger() {
		return F32
	}
	return d
}

// RealOf returns the real type of d's components: f32 for c64, f64 for c128 and
// d itself otherwise.
func RealOf(d DType) DType {
	switch d {
	case C64:
		return F32
	case C128:
		return F64
	}
	return d
}

// ComplexOf returns the complex type that holds d: c128 for f64 and c128, c64 otherwise.
func ComplexOf(d DType) DType {
	if d == F64 || d == C128 {
		return C128
	}
	return C64
}

// Merge returns the type that a binary operation on a and b produces, following
// Nx's promotion rules (see the package documentation for the table).
func Merge(a, b DType) DType {
	if a == b {
		return a
	}
	ka, kb := a.Kind(), b.Kind()
	// Order so that ka <= kb in the chain unsigned < signed < float < bfloat < complex,
	// except that float and bfloat are peers.
	if ka > kb {
		a, b, ka, kb = b, a, kb, ka
	}
	switch {
	case ka == kb:
		return makeDType(ka, max(a.Bits(), b.Bits()))
	case ka == KindUnsigned && kb == KindSigned:
		return makeDType(KindSigned, min(64, max(2*a.Bits(), b.Bits())))
	case a.IsInteger():
		// Integer with float, bfloat or complex: the non-integer type wins.
		return b
	case ka == KindFloat && kb == KindBFloat:
		// f16 with bf16 has no common 16-bit type; wider floats win.
		return makeDType(KindFloat, max(32, a.Bits()))
	case kb == KindComplex:
		// A real float with a complex: complex wide enough for the float.
		return makeDType(KindComplex, max(b.Bits(), 2*max(32, a.Bits())))
	}
	panic(fmt.Sprintf("nx: cannot merge %s and %s", a, b))
}
