package kernels

// kernel3x3 is the pure-Go micro-kernel (MR = NR = 3): c[r·ldc + q] +=
// Σ_p a[p·3 + r]·b[p·3 + q] over k steps of packed slivers. Nine
// accumulators, three values of B and one of A fit the fifteen vector
// registers Go allocates on amd64; the loop is unrolled twice.
func kernel3x3[T float32 | float64](k int, a, b, c []T, ldc int) {
	var c00, c01, c02, c10, c11, c12, c20, c21, c22 T
	a = a[:3*k]
	b = b[:3*k]
	for len(a) >= 6 && len(b) >= 6 {
		b0, b1, b2 := b[0], b[1], b[2]
		a0 := a[0]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		a1 := a[1]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		a2 := a[2]
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		b0, b1, b2 = b[3], b[4], b[5]
		a0 = a[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		a1 = a[4]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		a2 = a[5]
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		a = a[6:]
		b = b[6:]
	}
	if len(a) >= 3 && len(b) >= 3 {
		b0, b1, b2 := b[0], b[1], b[2]
		a0, a1, a2 := a[0], a[1], a[2]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
	}
	r := c[0:3:3]
	r[0] += c00
	r[1] += c01
	r[2] += c02
	r = c[ldc : ldc+3 : ldc+3]
	r[0] += c10
	r[1] += c11
	r[2] += c12
	r = c[2*ldc : 2*ldc+3 : 2*ldc+3]
	r[0] += c20
	r[1] += c21
	r[2] += c22
}

// kernelGo is the micro-kernel of any mr×nr tile (mr·nr ≤ maxTile) in plain
// Go: the reference the assembly kernels are tested against, and their
// stand-in where they are not built.
func kernelGo[T float32 | float64](mr, nr, k int, a, b, c []T, ldc int) {
	var acc [maxTile]T
	a, b = a[:k*mr], b[:k*nr]
	for p := 0; p < k; p++ {
		ap, bp := a[p*mr:p*mr+mr], b[p*nr:p*nr+nr]
		for r, av := range ap {
			row := acc[r*nr : r*nr+nr]
			for q, bv := range bp {
				row[q] += av * bv
			}
		}
	}
	for r := 0; r < mr; r++ {
		row := c[r*ldc : r*ldc+nr]
		for q := range row {
			row[q] += acc[r*nr+q]
		}
	}
}
