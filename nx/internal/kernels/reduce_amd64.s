//go:build !noasm

#include "textflag.h"

DATA maxNegInf<>+0(SB)/4, $0xff800000
GLOBL maxNegInf<>(SB), RODATA|NOPTR, $4

// func maxF32AVX2(x []float32) (m float32, nan bool)
// The largest of x[i], i < len(x) rounded down to a multiple of 32 (-Inf if
// none), and whether any of them is a NaN. Zeros' signs are not resolved:
// MaxF32 does that.
TEXT ·maxF32AVX2(SB), NOSPLIT, $0-29
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	ANDQ $-32, CX
	VBROADCASTSS maxNegInf<>(SB), Y0
	VMOVAPS Y0, Y1
	VMOVAPS Y0, Y2
	VMOVAPS Y0, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	XORQ AX, AX
	CMPQ CX, $0
	JE reduce
loop:
	VMOVUPS 0(SI)(AX*4), Y8
	VMOVUPS 32(SI)(AX*4), Y9
	VMOVUPS 64(SI)(AX*4), Y10
	VMOVUPS 96(SI)(AX*4), Y11
	VCMPPS $3, Y8, Y8, Y12
	VCMPPS $3, Y9, Y9, Y13
	VCMPPS $3, Y10, Y10, Y14
	VCMPPS $3, Y11, Y11, Y15
	VMAXPS Y8, Y0, Y0
	VMAXPS Y9, Y1, Y1
	VMAXPS Y10, Y2, Y2
	VMAXPS Y11, Y3, Y3
	VORPS Y12, Y4, Y4
	VORPS Y13, Y5, Y5
	VORPS Y14, Y4, Y4
	VORPS Y15, Y5, Y5
	ADDQ $32, AX
	CMPQ AX, CX
	JB loop
reduce:
	VMAXPS Y1, Y0, Y0
	VMAXPS Y3, Y2, Y2
	VMAXPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS X1, X0, X0
	VPERMILPS $0x4e, X0, X1
	VMAXPS X1, X0, X0
	VPERMILPS $0xb1, X0, X1
	VMAXPS X1, X0, X0
	VMOVSS X0, m+24(FP)
	VORPS Y5, Y4, Y4
	VPTEST Y4, Y4
	SETNE nan+28(FP)
	VZEROUPPER
	RET
