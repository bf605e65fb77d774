package codegen

import (
	"fmt"
	"math"
	"strconv"

	"github.com/gonx-dev/gonx/nx"
)

// cType is the C type that stores elements of dt in device memory: f16 and
// bf16 are stored as their 16 bits and computed in float.
func cType(dt nx.DType) string {
	switch dt {
	case nx.U8:
		return "unsigned char"
	case nx.U16, nx.F16, nx.BF16:
		return "unsigned short"
	case nx.U32:
		return "unsigned int"
	case nx.U64:
		return "unsigned long long"
	case nx.S8:
		return "signed char"
	case nx.S16:
		return "short"
	case nx.S32:
		return "int"
	case nx.S64:
		return "long long"
	case nx.F32:
		return "float"
	case nx.F64:
		return "double"
	}
	return ""
}

// compType is the C type values of dt are computed in.
func compType(dt nx.DType) string {
	switch dt {
	case nx.F16, nx.BF16:
		return "float"
	}
	return cType(dt)
}

// supported reports whether generated kernels handle dt (every real type).
func supported(dt nx.DType) bool { return cType(dt) != "" }

// isFloat reports whether dt is one of the floating-point types.
func isFloat(dt nx.DType) bool {
	return dt == nx.F16 || dt == nx.BF16 || dt == nx.F32 || dt == nx.F64
}

// wide is the 64-bit C type integers of dt are computed in, so that narrow
// types wrap as nx's kernels (which compute in 64 bits) do and signed
// overflow is never undefined.
func wide(dt nx.DType) string {
	if dt.IsUnsigned() {
		return "unsigned long long"
	}
	return "long long"
}

// load returns the expression reading element idx of buffer p of type dt, in
// its compute type.
func load(dt nx.DType, p, idx string) string {
	switch dt {
	case nx.F16:
		return fmt.Sprintf("nx_h2f(%s[%s])", p, idx)
	case nx.BF16:
		return fmt.Sprintf("nx_bf2f(%s[%s])", p, idx)
	}
	return fmt.Sprintf("%s[%s]", p, idx)
}

// store returns the statement writing v (compute type) into element idx of
// buffer p of type dt.
func store(dt nx.DType, p, idx, v string) string {
	switch dt {
	case nx.F16:
		return fmt.Sprintf("%s[%s] = nx_f2h(%s);", p, idx, v)
	case nx.BF16:
		return fmt.Sprintf("%s[%s] = nx_f2bf(%s);", p, idx, v)
	}
	return fmt.Sprintf("%s[%s] = %s;", p, idx, v)
}

// literal formats the value of a one-element constant in its compute type,
// exactly (shortest round-trip decimal, or bit patterns for NaN and
// infinities).
func literal(t *nx.Tensor) string {
	dt := t.DType()
	switch {
	case dt == nx.F64:
		v := t.Float64s()[0]
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprintf("nx_bits_d(0x%016xULL)", math.Float64bits(v))
		}
		return "(" + strconv.FormatFloat(v, 'g', -1, 64) + ")"
	case isFloat(dt):
		v := t.Float32s()[0]
		if v != v || math.IsInf(float64(v), 0) {
			return fmt.Sprintf("nx_bits_f(0x%08xu)", math.Float32bits(v))
		}
		s := strconv.FormatFloat(float64(v), 'g', -1, 32)
		if !hasPoint(s) {
			s += ".0"
		}
		return "(" + s + "f)"
	case dt.IsUnsigned():
		return fmt.Sprintf("((%s)%dULL)", cType(dt), t.Uint64s()[0])
	}
	v := t.Int64s()[0]
	if v == math.MinInt64 {
		return "((long long)(-9223372036854775807LL - 1))"
	}
	return fmt.Sprintf("((%s)%dLL)", cType(dt), v)
}

func hasPoint(s string) bool {
	for _, c := range s {
		if c == '.' || c == 'e' || c == 'n' || c == 'i' {
			return true
		}
	}
	return false
}

// intLimits returns C expressions of the smallest and largest values of an
// integer type.
func intLimits(dt nx.DType) (lo, hi string) {
	bits := dt.Bits()
	if dt.IsUnsigned() {
		if bits == 64 {
			return "0ULL", "18446744073709551615ULL"
		}
		return "0ULL", fmt.Sprintf("%dULL", uint64(1)<<bits-1)
	}
	if bits == 64 {
		return "(-9223372036854775807LL - 1)", "9223372036854775807LL"
	}
	return fmt.Sprintf("(%dLL)", -(int64(1) << (bits - 1))), fmt.Sprintf("%dLL", int64(1)<<(bits-1)-1)
}

// floatLimits returns, for a float-to-integer conversion into dt, the
// saturation bounds as doubles.
func floatLimits(dt nx.DType) (lo, hi string) {
	bits := dt.Bits()
	if dt.IsUnsigned() {
		return "0.0", strconv.FormatFloat(math.Ldexp(1, bits)-1, 'g', -1, 64)
	}
	return strconv.FormatFloat(-math.Ldexp(1, bits-1), 'g', -1, 64), strconv.FormatFloat(math.Ldexp(1, bits-1)-1, 'g', -1, 64)
}
