package kernels

import (
	"unsafe"
)

// packA packs rows×kc of A (element (i, p) at a[i·ars + p·acs]) into slivers
// of mr rows: dst[s·mr·kc + p·mr + r] = A(s·mr + r, p), zero past the last row.
func packA[T float32 | float64](dst, a []T, ars, acs, rows, kc, mr int) {
	full := 0
	if ars == 1 && acs != 1 {
		full = packPanel(dst, a, acs, kc, rows, mr)
	}
	for i := full * mr; i < rows; i += mr {
		packSliver(dst[i*kc:(i+mr)*kc], a[i*ars:], ars, acs, min(mr, rows-i), kc, mr)
	}
}

// packB packs kc×cols of B (element (p, j) at b[p·brs + j·bcs]) into slivers
// of nr columns: dst[s·nr·kc + p·nr + q] = B(p, s·nr + q), zero past the last
// column.
func packB[T float32 | float64](dst, b []T, brs, bcs, kc, cols, nr int) {
	full := 0
	if bcs == 1 && brs != 1 {
		full = packPanel(dst, b, brs, kc, cols, nr)
	}
	for j := full * nr; j < cols; j += nr {
		packSliver(dst[j*kc:(j+nr)*kc], b[j*bcs:], bcs, brs, min(nr, cols-j), kc, nr)
	}
}

// packSliver packs one sliver, w wide (w ≤ width) and kc deep:
// d[p·width + q] = src[q·qs + p·ps], zero for q ≥ w. A sliver of A has q
// counting rows and p columns; one of B the other way round.
//
// The loops are split into small functions, each of which the compiler can
// keep in registers.
func packSliver[T float32 | float64](d, src []T, qs, ps, w, kc, width int) {
	switch {
	case ps == 1 && qs != 1 && w == width:
		done := 0
		if asmPack {
			done = packTAsm(d, src, qs, kc, w)
		}
		if done < kc {
			packTGo(d[done*w:], src[done:], qs, kc-done, w)
		}
	case ps == 1 && qs != 1:
		packRowsPartial(d, src, qs, w, kc, width)
	case qs == 1 && w == width:
		packGroups(d, src, ps, kc, width, width)
	default:
		for p := 0; p < kc; p++ {
			dp := d[p*width : p*width+width]
			for q := range dp {
				if q < w {
					dp[q] = src[q*qs+p*ps]
				} else {
					dp[q] = 0
				}
			}
		}
	}
}

// packRow sets d[p·width] = row[p].
func packRow[T float32 | float64](d, row []T, width int) {
	if len(row) == 0 {
		return
	}
	_ = d[(len(row)-1)*width]
	for p, v := range row {
		d[p*width] = v
	}
}

// packRowsPartial interleaves w < width rows, qs apart, kc long, zero past
// the w-th: d[p·width + q] = src[q·qs + p].
func packRowsPartial[T float32 | float64](d, src []T, qs, w, kc, width int) {
	d = d[:kc*width]
	_ = src[(w-1)*qs+kc-1]
	for p := 0; p < kc; p++ {
		dp := d[p*width : p*width+width]
		for q := range dp {
			if q < w {
				dp[q] = src[q*qs+p]
			} else {
				dp[q] = 0
			}
		}
	}
}

// asmPack reports whether the transposing packers of stubs_amd64.go can run.
var asmPack bool

// packTAsm packs the first kc rounded down to the vector's lanes steps of a
// full sliver of width w (d[p·w + q] = src[q·qs + p]) with the assembly
// packer for w, and returns how many steps it packed: none if there is no
// packer for w.
func packTAsm[T float32 | float64](d, src []T, qs, kc, w int) int {
	if kc <= 0 || (w-1)*qs+kc > len(src) || w*kc > len(d) {
		return 0
	}
	switch d := any(d).(type) {
	case []float32:
		s := any(src).([]float32)
		switch w {
		case 6:
			packTF32x6(d, s, qs, kc)
		case 12:
			packTF32x12(d, s, qs, kc)
		case 16:
			packTF32x16(d, s, qs, kc)
		case 32:
			packTF32x32(d, s, qs, kc)
		default:
			return 0
		}
		return kc &^ 7
	case []float64:
		s := any(src).([]float64)
		switch w {
		case 6:
			packTF64x6(d, s, qs, kc)
		case 8:
			packTF64x8(d, s, qs, kc)
		case 12:
			packTF64x12(d, s, qs, kc)
		case 16:
			packTF64x16(d, s, qs, kc)
		default:
			return 0
		}
		return kc &^ 3
	}
	return 0
}

// packTGo is the Go version of the transposing packers.
func packTGo[T float32 | float64](d, src []T, qs, kc, w int) {
	for q := 0; q < w; q++ {
		packRow(d[q:], src[q*qs:q*qs+kc], w)
	}
}

// packPanel packs the full slivers of a panel whose slivers lie side by side
// in each of its kc lines, ps apart: d[s·width·kc + p·width + q] =
// src[p·ps + s·width + q] for the cols/width whole slivers s, whose number it
// returns. The Go loops pack a few slivers at a time, walking down the lines,
// so that they read whole cache lines and write a few streams; the assembly
// copies one sliver at a time.
func packPanel[T float32 | float64](d, src []T, ps, kc, cols, width int) int {
	n := cols / width
	if n == 0 {
		return 0
	}
	if asmPack {
		// One call per sliver, down all kc lines.
		for s := 0; s < n; s++ {
			packGroups(d[s*width*kc:], src[s*width:], ps, kc, width, width)
		}
		return n
	}
	var z T
	group := max(1, 256/(width*int(unsafe.Sizeof(z)))) // slivers per pass: about 256 bytes of a line
	for s0 := 0; s0 < n; s0 += group {
		g := min(group, n-s0)
		for p := 0; p < kc; p++ {
			packGroups(d[s0*width*kc+p*width:], src[p*ps+s0*width:p*ps+(s0+g)*width], width, g, width*kc, width)
		}
	}
	return n
}

// packGroups copies kc groups of width consecutive elements, ps apart in
// src, into d, ds apart.
// It goes through functions of each element type, for which the compiler
// copies the fixed-size groups inline.
func packGroups[T float32 | float64](d, src []T, ps, kc, ds, width int) {
	if kc <= 0 {
		return
	}
	if asmPack {
		// Bounds: the last group must lie inside both slices.
		_, _ = d[(kc-1)*ds+width-1], src[(kc-1)*ps+width-1]
		var z T
		size := int(unsafe.Sizeof(z))
		if width*size%8 == 0 {
			copyRows(unsafe.Pointer(unsafe.SliceData(d)), unsafe.Pointer(unsafe.SliceData(src)), ds*size, ps*size, kc, width*size)
			return
		}
	}
	switch d := any(d).(type) {
	case []float32:
		packGroups32(d, any(src).([]float32), ps, kc, ds, width)
	case []float64:
		packGroups64(d, any(src).([]float64), ps, kc, ds, width)
	}
}

func packGroups32(d, src []float32, ps, kc, ds, width int) {
	switch width {
	case 3:
		for p := 0; p < kc; p++ {
			*(*[3]float32)(d[p*ds : p*ds+3]) = *(*[3]float32)(src[p*ps : p*ps+3])
		}
	case 6:
		for p := 0; p < kc; p++ {
			*(*[6]float32)(d[p*ds : p*ds+6]) = *(*[6]float32)(src[p*ps : p*ps+6])
		}
	case 8:
		for p := 0; p < kc; p++ {
			*(*[8]float32)(d[p*ds : p*ds+8]) = *(*[8]float32)(src[p*ps : p*ps+8])
		}
	case 12:
		for p := 0; p < kc; p++ {
			*(*[12]float32)(d[p*ds : p*ds+12]) = *(*[12]float32)(src[p*ps : p*ps+12])
		}
	case 16:
		for p := 0; p < kc; p++ {
			*(*[16]float32)(d[p*ds : p*ds+16]) = *(*[16]float32)(src[p*ps : p*ps+16])
		}
	case 32:
		for p := 0; p < kc; p++ {
			*(*[32]float32)(d[p*ds : p*ds+32]) = *(*[32]float32)(src[p*ps : p*ps+32])
		}
	default:
		for p := 0; p < kc; p++ {
			copy(d[p*ds:p*ds+width], src[p*ps:p*ps+width])
		}
	}
}

func packGroups64(d, src []float64, ps, kc, ds, width int) {
	switch width {
	case 3:
		for p := 0; p < kc; p++ {
			*(*[3]float64)(d[p*ds : p*ds+3]) = *(*[3]float64)(src[p*ps : p*ps+3])
		}
	case 6:
		for p := 0; p < kc; p++ {
			*(*[6]float64)(d[p*ds : p*ds+6]) = *(*[6]float64)(src[p*ps : p*ps+6])
		}
	case 8:
		for p := 0; p < kc; p++ {
			*(*[8]float64)(d[p*ds : p*ds+8]) = *(*[8]float64)(src[p*ps : p*ps+8])
		}
	case 12:
		for p := 0; p < kc; p++ {
			*(*[12]float64)(d[p*ds : p*ds+12]) = *(*[12]float64)(src[p*ps : p*ps+12])
		}
	case 16:
		for p := 0; p < kc; p++ {
			*(*[16]float64)(d[p*ds : p*ds+16]) = *(*[16]float64)(src[p*ps : p*ps+16])
		}
	case 32:
		for p := 0; p < kc; p++ {
			*(*[32]float64)(d[p*ds : p*ds+32]) = *(*[32]float64)(src[p*ps : p*ps+32])
		}
	default:
		for p := 0; p < kc; p++ {
			copy(d[p*ds:p*ds+width], src[p*ps:p*ps+width])
		}
	}
}

// Packing buffers are pooled per element type and aligned to 64 bytes (a
// cache line, and a zmm register).
var (
	bufs32 FreeList[[]float32]
	bufs64 FreeList[[]float64]
)

// bufList returns the free list of packing buffers of T.
func bufList[T float32 | float64]() *FreeList[[]T] {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(&bufs32).(*FreeList[[]T])
	}
	return any(&bufs64).(*FreeList[[]T])
}

const bufAlign = 64

// getBuf returns a pooled buffer of n elements, 64-byte aligned, contents
// undefined.
func getBuf[T float32 | float64](n int) *[]T {
	var z T
	if v := bufList[T]().Get(); v != nil {
		if cap(*v) >= n {
			*v = (*v)[:n]
			return v
		}
		// Too small: drop it, so that the list holds the sizes in use.
	}
	extra := bufAlign / int(unsafe.Sizeof(z))
	s := make([]T, n+extra)
	off := 0
	if mis := uintptr(unsafe.Pointer(unsafe.SliceData(s))) % bufAlign; mis != 0 {
		off = int((bufAlign - mis) / unsafe.Sizeof(z))
	}
	s = s[off : off+n : off+n+extra-off]
	return &s
}

// putBuf returns a buffer from getBuf to its pool.
func putBuf[T float32 | float64](v *[]T) {
	bufList[T]().Put(v)
}
