package kernels

// The elementwise arithmetic of two float slices: dst[i] = a[i] op b[i] for
// every i < len(dst). a and b must hold at least len(dst) elements; dst may
// be a or b itself, but not overlap them otherwise. The results are exactly
// those of the plain Go loop (IEEE-754 single operations, no fusion), with
// AVX2 vectors where the CPU has them.

// AddF32 sets dst[i] = a[i] + b[i].
func AddF32(dst, a, b []float32) {
	a, b = a[:len(dst)], b[:len(dst)]
	if Active() >= AVX2 {
		addF32AVX2(dst, a, b)
		return
	}
	addGo(dst, a, b)
}

// SubF32 sets dst[i] = a[i] - b[i].
func SubF32(dst, a, b []float32) {
	a, b = a[:len(dst)], b[:len(dst)]
	if Active() >= AVX2 {
		subF32AVX2(dst, a, b)
		return
	}
	subGo(dst, a, b)
}

// MulF32 sets dst[i] = a[i] * b[i].
func MulF32(dst, a, b []float32) {
	a, b = a[:len(dst)], b[:len(dst)]
	if Active() >= AVX2 {
		mulF32AVX2(dst, a, b)
		return
	}
	mulGo(dst, a, b)
}

// DivF32 sets dst[i] = a[i] / b[i].
func DivF32(dst, a, b []float32) {
	a, b = a[:len(dst)], b[:len(dst)]
	if Active() >= AVX2 {
		divF32AVX2(dst, a, b)
		return
	}
	divGo(dst, a, b)
}

// AddF64 sets dst[i] = a[i] + b[i].
func AddF64(dst, a, b []float64) {
	a, b = a[:len(dst)], b[:len(dst)]
	if Active() >= AVX2 {
		addF64AVX2(dst, a, b)
		return
	}
	addGo(dst, a, b)
}

// SubF64 sets dst[i] = a[i] - b[i].
func SubF64(dst, a, b []float64) {
	a, b = a[:len(dst)], b[:len(dst)]
	if Active() >= AVX2 {
		subF64AVX2(dst, a, b)
		return
	}
	subGo(dst, a, b)
}

// MulF64 sets dst[i] = a[i] * b[i].
func MulF64(dst, a, b []float64) {
	a, b = a[:len(dst)], b[:len(dst)]
	if Active() >= AVX2 {
		mulF64AVX2(dst, a, b)
		return
	}
	mulGo(dst, a, b)
}

// DivF64 sets dst[i] = a[i] / b[i].
func DivF64(dst, a, b []float64) {
	a, b = a[:len(dst)], b[:len(dst)]
	if Active() >= AVX2 {
		divF64AVX2(dst, a, b)
		return
	}
	divGo(dst, a, b)
}

// The Go loops, for the generic level and as the tests' reference.

func addGo[T float32 | float64](dst, a, b []T) {
	a, b = a[:len(dst)], b[:len(dst)]
	for i := range dst {
		dst[i] = a[i] + b[i]
	}
}

func subGo[T float32 | float64](dst, a, b []T) {
	a, b = a[:len(dst)], b[:len(dst)]
	for i := range dst {
		dst[i] = a[i] - b[i]
	}
}

func mulGo[T float32 | float64](dst, a, b []T) {
	a, b = a[:len(dst)], b[:len(dst)]
	for i := range dst {
		dst[i] = a[i] * b[i]
	}
}

func divGo[T float32 | float64](dst, a, b []T) {
	a, b = a[:len(dst)], b[:len(dst)]
	for i := range dst {
		dst[i] = a[i] / b[i]
	}
}

// Arith is an arithmetic operation of the scalar loops: Add, Sub, Mul or Div.
type Arith uint8

// The operations of ScalarRightF32 and ScalarLeftF32.
const (
	Add Arith = iota // a + b
	Sub              // a - b
	Mul              // a * b
	Div              // a / b
)

var (
	scalarRight = [4]func(dst, a []float32, c float32){addScalarRightF32AVX2, subScalarRightF32AVX2, mulScalarRightF32AVX2, divScalarRightF32AVX2}
	scalarLeft  = [4]func(dst, a []float32, c float32){addScalarLeftF32AVX2, subScalarLeftF32AVX2, mulScalarLeftF32AVX2, divScalarLeftF32AVX2}
)

// ScalarRightF32 sets dst[i] = a[i] op c for every i < len(dst). a must hold
// at least len(dst) elements; dst may be a itself. The results are exactly
// those of the plain Go loop.
func ScalarRightF32(op Arith, dst, a []float32, c float32) {
	a = a[:len(dst)]
	if Active() >= AVX2 {
		scalarRight[op&3](dst, a, c)
		return
	}
	scalarRightGo(op, dst, a, c)
}

// ScalarLeftF32 sets dst[i] = c op a[i] for every i < len(dst). a must hold
// at least len(dst) elements; dst may be a itself. The results are exactly
// those of the plain Go loop.
func ScalarLeftF32(op Arith, dst, a []float32, c float32) {
	a = a[:len(dst)]
	if Active() >= AVX2 {
		scalarLeft[op&3](dst, a, c)
		return
	}
	scalarLeftGo(op, dst, a, c)
}

func scalarRightGo[T float32 | float64](op Arith, dst, a []T, c T) {
	a = a[:len(dst)]
	switch op {
	case Add:
		for i := range dst {
			dst[i] = a[i] + c
		}
	case Sub:
		for i := range dst {
			dst[i] = a[i] - c
		}
	case Mul:
		for i := range dst {
			dst[i] = a[i] * c
		}
	default:
		for i := range dst {
			dst[i] = a[i] / c
		}
	}
}

func scalarLeftGo[T float32 | float64](op Arith, dst, a []T, c T) {
	a = a[:len(dst)]
	switch op {
	case Add:
		for i := range dst {
			dst[i] = c + a[i]
		}
	case Sub:
		for i := range dst {
			dst[i] = c - a[i]
		}
	case Mul:
		for i := range dst {
			dst[i] = c * a[i]
		}
	default:
		for i := range dst {
			dst[i] = c / a[i]
		}
	}
}

// MinMaxScalarF32 sets dst[i] = max(a[i], c) (isMax) or min(a[i], c), as
// Go's builtins give them, for every i < len(dst), except that the result is
// nan where a[i] or c is NaN. a must hold at least len(dst) elements; dst
// may be a itself.
func MinMaxScalarF32(isMax bool, dst, a []float32, c, nan float32) {
	a = a[:len(dst)]
	if c != c {
		for i := range dst {
			dst[i] = nan
		}
		return
	}
	n := 0
	if Active() >= AVX2 {
		n = len(dst) &^ 7
		if isMax {
			maxScalarF32AVX2(dst[:n], a, c, nan)
		} else {
			minScalarF32AVX2(dst[:n], a, c, nan)
		}
	}
	minMaxScalarGo(isMax, dst[n:], a[n:], c, nan)
}

func minMaxScalarGo(isMax bool, dst, a []float32, c, nan float32) {
	a = a[:len(dst)]
	if isMax {
		for i, x := range a {
			if x != x {
				dst[i] = nan
			} else {
				dst[i] = max(x, c)
			}
		}
		return
	}
	for i, x := range a {
		if x != x {
			dst[i] = nan
		} else {
			dst[i] = min(x, c)
		}
	}
}
