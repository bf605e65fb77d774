package nx

import (
	"math"

	"github.com/gonx-dev/gonx/nx/internal/kernels"
)

// Running fused steps: a small interpreter whose instructions apply one
// operation to a block of fuseBlock elements (see fuse.go).

// fuseBlock is the number of elements of each block: registers of f64 blocks
// take 8 KiB.
const fuseBlock = 1024

// fusedProg is a fused step's program, the attr of fusedOp.
type fusedProg struct {
	n        int      // elements of each member's value
	names    []string // the fused primitives, for Inspect
	ins      []fIn    // how each operand is read
	code     []fInstr
	regs     []DType  // type of each block register
	copies   [][2]int // results that repeat another one: {result, source}
	red      *fRed    // the reduction that ends the chain, or nil
	cost     int      // relative cost of one element
	lastRead []int    // per operand: the last instruction that reads it (-1: only at the block's start)
	writeAt  []int    // per result: the instruction that writes it (len(code): after all of them)
	scratch  kernels.FreeList[fScratch]
}

// Operand reading modes.
const (
	inFull   uint8 = iota // as many elements as the chain: element i
	inScalar              // one element, for every i
	inBcast               // element (i / inner) % m, through a register
)

type fIn struct {
	kind     uint8
	dt       DType
	inner, m int
	reg      int // the register holding a broadcast operand's block
	// scalarOK: every instruction that reads this broadcast operand takes a
	// single element as well as a block, so a block within one run of a
	// repeated element reads it as a scalar, without filling its register.
	scalarOK bool
}

// Instruction operand kinds.
const (
	opNone uint8 = iota
	opIn         // an operand of the step
	opReg        // a block register
	opOut        // a result of the step
	opSlot       // a value, before allocate assigns it a register or a result
)

type fOperand struct {
	kind uint8
	i    int
}

type fInstr struct {
	op      fop
	dt      DType // result type
	at      DType // first operand's type
	f1      func(float64) float64
	f2      func(a, b float64) float64
	v32     func(dst, src []float32) // vectorized f32 kernel of an fUnary, if any
	mm      fMinMax                  // an fBinary that is max or min
	a, b, c fOperand
	dst     fOperand
}

// fRed is a reduction over rows of group consecutive elements.
type fRed struct {
	kind        reduceKind
	src         fOperand
	dt          DType
	group, rows int
	out         int // the result holding one value per row
}

var fusedOp = &opDef{name: "fused", cpu: func(c *call) { c.attr.(*fusedProg).run(c) }}

// fScratch holds one worker's block registers.
type fScratch struct{ regs []any }

func (p *fusedProg) getScratch() *fScratch {
	if s := p.scratch.Get(); s != nil {
		return s
	}
	s := &fScratch{regs: make([]any, len(p.regs))}
	for i, dt := range p.regs {
		s.regs[i] = makeData(dt, fuseBlock)
	}
	return s
}

// run computes the step's results.
func (p *fusedProg) run(c *call) {
	for i := range c.outs {
		c.outOverwrite(i)
	}
	if p.red != nil {
		rows, group := p.red.rows, p.red.group
		parallelRanges(rows, max(1, parallelGrain/(group*max(p.cost, 1))), (*fusedRows)(c))
		return
	}
	blocks := (p.n + fuseBlock - 1) / fuseBlock
	parallelRanges(blocks, max(1, parallelGrain/(fuseBlock*max(p.cost, 1))), (*fusedBlocks)(c))
}

// fusedRows and fusedBlocks are a fused step's call as the ranger of its
// rows or blocks: the call record already lives on the heap (in the plan's
// arena, or made by apply), so splitting its work allocates nothing.
type (
	fusedRows   call
	fusedBlocks call
)

func (f *fusedRows) runRange(lo, hi int) {
	c := (*call)(f)
	c.attr.(*fusedProg).runRows(c, lo, hi)
}

func (f *fusedBlocks) runRange(lo, hi int) {
	c := (*call)(f)
	c.attr.(*fusedProg).runBlocks(c, lo, hi)
}

// runBlocks computes blocks [b0, b1).
func (p *fusedProg) runBlocks(c *call, b0, b1 int) {
	x := fExec{p: p, c: c, s: p.getScratch()}
	for b := b0; b < b1; b++ {
		lo := b * fuseBlock
		x.block(lo, min(fuseBlock, p.n-lo))
	}
	p.scratch.Put(x.s)
}

// runRows computes the elements of rows [r0, r1) and their reductions, each
// row accumulated in order as the eager reduction does.
func (p *fusedProg) runRows(c *call, r0, r1 int) {
	x := fExec{p: p, c: c, s: p.getScratch()}
	r := p.red
	acc := rowAcc{kind: r.kind, row: r0}
	acc.reset()
	fold := func(lo, n int) {
		x.block(lo, n)
		if r.dt == F32 {
			foldRows(&acc, view[float32](&x, r.src).s, c.outs[r.out].data.([]float32), r.group)
		} else {
			foldRows(&acc, view[float64](&x, r.src).s, c.outs[r.out].data.([]float64), r.group)
		}
	}
	// Blocks follow the rows: whole rows, or a long row in pieces of
	// sumChunk from its start, the pieces eager f32 sums use.
	for row := r0; row < r1; {
		if r.group >= fuseBlock {
			for lo := 0; lo < r.group; lo += fuseBlock {
				fold(row*r.group+lo, min(fuseBlock, r.group-lo))
			}
			row++
			continue
		}
		k := min(fuseBlock/r.group, r1-row)
		fold(row*r.group, k*r.group)
		row += k
	}
	p.scratch.Put(x.s)
}

// rowAcc accumulates one row of a reduction.
type rowAcc struct {
	kind  reduceKind
	acc   float64
	row   int // the row being accumulated
	count int // its elements seen
}

func (a *rowAcc) reset() {
	a.count = 0
	a.acc = reduceInit(a.kind)
}

// foldRows adds the block v to the rows it belongs to, storing completed rows.
func foldRows[T float32 | float64](a *rowAcc, v, out []T, group int) {
	for len(v) > 0 {
		seg := v[:min(len(v), group-a.count)]
		s := a.acc
		switch a.kind {
		case reduceSum:
			if v32, ok := any(seg).([]float32); ok {
				s += kernels.SumF32(v32) // seg is one of the row's sumChunk pieces
				break
			}
			for _, e := range seg {
				s += float64(e)
			}
		case reduceProduct:
			for _, e := range seg {
				s *= float64(e)
			}
		case reduceMax:
			if v32, ok := any(seg).([]float32); ok {
				s = fmaxNaN(s, float64(kernels.MaxF32(v32))) // the same maximum, vectorized
				break
			}
			for _, e := range seg {
				s = fmaxNaN(s, float64(e))
			}
		case reduceMin:
			for _, e := range seg {
				s = fminNaN(s, float64(e))
			}
		}
		a.acc = s
		a.count += len(seg)
		v = v[len(seg):]
		if a.count == group {
			out[a.row] = T(a.acc)
			a.row++
			a.reset()
		}
	}
}

// fExec is the state of one worker running blocks.
type fExec struct {
	p     *fusedProg
	c     *call
	s     *fScratch
	lo, n int
	// bconst has bit k set when broadcast operand k is one element over the
	// block being computed (and read as a scalar).
	bconst uint64
}

// block computes elements [lo, lo+n) of every value of the chain.
func (x *fExec) block(lo, n int) {
	x.lo, x.n = lo, n
	x.bconst = 0
	for k := range x.p.ins {
		in := &x.p.ins[k]
		if in.kind != inBcast {
			continue
		}
		if in.scalarOK && k < 64 && lo%in.inner+n <= in.inner {
			x.bconst |= 1 << k
			continue
		}
		switch d := x.s.regs[in.reg].(type) {
		case []float32:
			fillBcast(d[:n], x.c.args[k].data.([]float32), lo, in.inner, in.m)
		case []float64:
			fillBcast(d[:n], x.c.args[k].data.([]float64), lo, in.inner, in.m)
		case []uint8:
			fillBcast(d[:n], x.c.args[k].data.([]uint8), lo, in.inner, in.m)
		}
	}
	for t := range x.p.code {
		x.instr(&x.p.code[t])
	}
	for _, cp := range x.p.copies {
		switch d := x.c.outs[cp[0]].data.(type) {
		case []float32:
			copy(d[lo:lo+n], x.c.outs[cp[1]].data.([]float32)[lo:lo+n])
		case []float64:
			copy(d[lo:lo+n], x.c.outs[cp[1]].data.([]float64)[lo:lo+n])
		case []uint8:
			copy(d[lo:lo+n], x.c.outs[cp[1]].data.([]uint8)[lo:lo+n])
		}
	}
}

// fillBcast sets d[i] = src[((lo+i) / inner) % m].
func fillBcast[T any](d, src []T, lo, inner, m int) {
	j := (lo / inner) % m
	if inner == 1 {
		for i := 0; i < len(d); {
			k := copy(d[i:], src[j:m])
			i += k
			j = 0
		}
		return
	}
	r := lo % inner
	for i := 0; i < len(d); {
		take := min(inner-r, len(d)-i)
		fill(d[i:i+take], src[j])
		i += take
		r = 0
		if j++; j == m {
			j = 0
		}
	}
}

// fill sets every element of d to v, doubling copies (memmove) for long runs.
func fill[T any](d []T, v T) {
	if len(d) < 16 {
		for k := range d {
			d[k] = v
		}
		return
	}
	d[0] = v
	for k := 1; k < len(d); k *= 2 {
		copy(d[k:], d[:k])
	}
}

// fview is an operand's block: a slice, or one element for every index.
type fview[T any] struct {
	s      []T
	c      T
	scalar bool
}

func view[T any](x *fExec, o fOperand) fview[T] {
	switch o.kind {
	case opReg:
		return fview[T]{s: x.s.regs[o.i].([]T)[:x.n]}
	case opOut:
		return fview[T]{s: x.c.outs[o.i].data.([]T)[x.lo : x.lo+x.n]}
	}
	in := &x.p.ins[o.i]
	d := x.c.args[o.i].data.([]T)
	switch in.kind {
	case inScalar:
		return fview[T]{c: d[0], scalar: true}
	case inBcast:
		if x.bconst&(1<<o.i) != 0 {
			return fview[T]{c: d[(x.lo/in.inner)%in.m], scalar: true}
		}
		return fview[T]{s: x.s.regs[in.reg].([]T)[:x.n]}
	}
	return fview[T]{s: d[x.lo : x.lo+x.n]}
}

// dest returns the block an instruction writes.
func dest[T any](x *fExec, o fOperand) []T {
	if o.kind == opReg {
		return x.s.regs[o.i].([]T)[:x.n]
	}
	return x.c.outs[o.i].data.([]T)[x.lo : x.lo+x.n]
}

func (x *fExec) instr(in *fInstr) {
	switch in.op {
	case fConvert:
		x.convert(in)
	case fEq, fNe, fLt, fLe, fGt, fGe:
		switch in.at {
		case F32:
			compareBlock[float32](x, in)
		case F64:
			compareBlock[float64](x, in)
		default:
			compareBlock[uint8](x, in)
		}
	case fSelect:
		switch in.dt {
		case F32:
			selectBlock[float32](x, in)
		case F64:
			selectBlock[float64](x, in)
		default:
			selectBlock[uint8](x, in)
		}
	case fUnary:
		if in.dt == F32 && in.v32 != nil {
			d := dest[float32](x, in.dst)
			in.v32(d, view[float32](x, in.a).s)
			return
		}
		if in.dt == F32 {
			floatBlock(x, in, arith32)
		} else {
			floatBlock(x, in, arith64)
		}
	default:
		if in.dt == F32 {
			floatBlock(x, in, arith32)
		} else {
			floatBlock(x, in, arith64)
		}
	}
}

// arithKernels are the arithmetic kernels of one float type: of two full
// blocks, and of a block and a scalar on its right or its left.
type arithKernels[T float32 | float64] struct {
	full        [4]func(dst, a, b []T)
	right, left func(op kernels.Arith, dst, a []T, c T)
	minMax      func(isMax bool, dst, a []T, c, nan T) // max or min with a scalar
}

var (
	arith32 = arithKernels[float32]{
		full:   [4]func(dst, a, b []float32){kernels.AddF32, kernels.SubF32, kernels.MulF32, kernels.DivF32},
		right:  kernels.ScalarRightF32,
		left:   kernels.ScalarLeftF32,
		minMax: kernels.MinMaxScalarF32,
	}
	arith64 = arithKernels[float64]{
		full: [4]func(dst, a, b []float64){kernels.AddF64, kernels.SubF64, kernels.MulF64, kernels.DivF64},
		right: func(op kernels.Arith, d, a []float64, c float64) {
			arithScalarRight(fAdd+fop(op), d, a, c)
		},
		left: func(op kernels.Arith, d, a []float64, c float64) {
			arithScalarLeft(fAdd+fop(op), d, c, a)
		},
		minMax: minMaxScalar[float64],
	}
)

// floatBlock runs a float instruction: functions computed in float64 and
// rounded, native arithmetic (the same, exactly), as the primitives do.
func floatBlock[T float32 | float64](x *fExec, in *fInstr, k arithKernels[T]) {
	d := dest[T](x, in.dst)
	a := view[T](x, in.a)
	switch in.op {
	case fNeg:
		s := a.s[:len(d)]
		for i := range d {
			d[i] = T(-float64(s[i])) // as the primitive: quiets signaling NaNs
		}
		return
	case fUnary:
		f, s := in.f1, a.s[:len(d)]
		for i := range d {
			d[i] = T(f(float64(s[i])))
		}
		return
	}
	b := view[T](x, in.b)
	if in.op == fBinary && in.mm != 0 {
		minMaxBlock(d, a, b, in.mm, k)
		return
	}
	if in.op == fBinary {
		binaryBlock(d, a, b, in.f2)
		return
	}
	switch {
	case !a.scalar && !b.scalar:
		k.full[in.op-fAdd](d, a.s, b.s)
	case a.scalar && b.scalar:
		v := arithOne(in.op, a.c, b.c)
		for i := range d {
			d[i] = v
		}
	case a.scalar:
		k.left(kernels.Arith(in.op-fAdd), d, b.s, a.c)
	default:
		k.right(kernels.Arith(in.op-fAdd), d, a.s, b.c)
	}
}

func arithOne[T float32 | float64](op fop, a, b T) T {
	switch op {
	case fAdd:
		return a + b
	case fSub:
		return a - b
	case fMul:
		return a * b
	}
	return a / b
}

func arithScalarLeft[T float32 | float64](op fop, d []T, a T, b []T) {
	b = b[:len(d)]
	switch op {
	case fAdd:
		for i := range d {
			d[i] = a + b[i]
		}
	case fSub:
		for i := range d {
			d[i] = a - b[i]
		}
	case fMul:
		for i := range d {
			d[i] = a * b[i]
		}
	default:
		for i := range d {
			d[i] = a / b[i]
		}
	}
}

func arithScalarRight[T float32 | float64](op fop, d, a []T, b T) {
	a = a[:len(d)]
	switch op {
	case fAdd:
		for i := range d {
			d[i] = a[i] + b
		}
	case fSub:
		for i := range d {
			d[i] = a[i] - b
		}
	case fMul:
		for i := range d {
			d[i] = a[i] * b
		}
	default:
		for i := range d {
			d[i] = a[i] / b
		}
	}
}

// fMinMax marks an fBinary instruction that is max (fIsMax) or min (fIsMin),
// NaN-propagating: the executor runs it in the native float type, which
// gives what the primitive's float64 function rounded back gives.
type fMinMax uint8

const (
	fIsMax fMinMax = 1 + iota
	fIsMin
)

// minMaxBlock runs max or min; both are commutative to the bit (a NaN gives
// the one NaN, and max(-0, +0) is +0, min(-0, +0) is -0, either way round),
// so a scalar left operand is swapped to the right.
func minMaxBlock[T float32 | float64](d []T, a, b fview[T], mm fMinMax, k arithKernels[T]) {
	nan := T(math.NaN())
	if a.scalar && !b.scalar {
		a, b = b, a
	}
	if a.scalar {
		v := minMaxOne(a.c, b.c, mm, nan)
		for i := range d {
			d[i] = v
		}
		return
	}
	as := a.s[:len(d)]
	if b.scalar {
		k.minMax(mm == fIsMax, d, as, b.c, nan)
		return
	}
	bs := b.s[:len(d)]
	for i := range d {
		d[i] = minMaxOne(as[i], bs[i], mm, nan)
	}
}

// minMaxScalar sets d[i] = max(a[i], c) (isMax) or min(a[i], c), or nan
// where a[i] or c is NaN.
func minMaxScalar[T float32 | float64](isMax bool, d, a []T, c, nan T) {
	a = a[:len(d)]
	switch {
	case c != c:
		for i := range d {
			d[i] = nan
		}
	case isMax:
		for i, p := range a {
			if p != p {
				d[i] = nan
			} else {
				d[i] = max(p, c)
			}
		}
	default:
		for i, p := range a {
			if p != p {
				d[i] = nan
			} else {
				d[i] = min(p, c)
			}
		}
	}
}

// minMaxOne is max or min of two elements, NaN-propagating.
func minMaxOne[T float32 | float64](p, q T, mm fMinMax, nan T) T {
	switch {
	case p != p || q != q:
		return nan
	case mm == fIsMax:
		return max(p, q)
	}
	return min(p, q)
}

func binaryBlock[T float32 | float64](d []T, a, b fview[T], f func(a, b float64) float64) {
	switch {
	case !a.scalar && !b.scalar:
		as, bs := a.s[:len(d)], b.s[:len(d)]
		for i := range d {
			d[i] = T(f(float64(as[i]), float64(bs[i])))
		}
	case a.scalar && b.scalar:
		v := T(f(float64(a.c), float64(b.c)))
		for i := range d {
			d[i] = v
		}
	case a.scalar:
		av, bs := float64(a.c), b.s[:len(d)]
		for i := range d {
			d[i] = T(f(av, float64(bs[i])))
		}
	default:
		as, bv := a.s[:len(d)], float64(b.c)
		for i := range d {
			d[i] = T(f(float64(as[i]), bv))
		}
	}
}

// compareBlock compares natively, which for floats and u8 gives what the
// primitives' float64 and uint64 comparisons give.
func compareBlock[T float32 | float64 | uint8](x *fExec, in *fInstr) {
	d := dest[uint8](x, in.dst)
	a, b := view[T](x, in.a), view[T](x, in.b)
	if a.scalar || b.scalar {
		compareScalar(d, a, b, in.op)
		return
	}
	as, bs := a.s[:len(d)], b.s[:len(d)]
	switch in.op {
	case fEq:
		for i := range d {
			d[i] = b2u(as[i] == bs[i])
		}
	case fNe:
		for i := range d {
			d[i] = b2u(as[i] != bs[i])
		}
	case fLt:
		for i := range d {
			d[i] = b2u(as[i] < bs[i])
		}
	case fLe:
		for i := range d {
			d[i] = b2u(as[i] <= bs[i])
		}
	case fGt:
		for i := range d {
			d[i] = b2u(as[i] > bs[i])
		}
	default:
		for i := range d {
			d[i] = b2u(as[i] >= bs[i])
		}
	}
}

// compareScalar compares when an operand is a single element: a scalar
// left operand is swapped to the right (a < b is b > a, exactly, NaN
// included), and each comparison runs its own loop.
func compareScalar[T float32 | float64 | uint8](d []uint8, a, b fview[T], op fop) {
	if a.scalar && b.scalar {
		v := b2u(compareOne(op, a.c, b.c))
		for i := range d {
			d[i] = v
		}
		return
	}
	s, c := a.s, b.c
	if a.scalar {
		s, c, op = b.s, a.c, swapCompare(op)
	}
	s = s[:len(d)]
	switch op {
	case fEq:
		for i := range d {
			d[i] = b2u(s[i] == c)
		}
	case fNe:
		for i := range d {
			d[i] = b2u(s[i] != c)
		}
	case fLt:
		for i := range d {
			d[i] = b2u(s[i] < c)
		}
	case fLe:
		for i := range d {
			d[i] = b2u(s[i] <= c)
		}
	case fGt:
		for i := range d {
			d[i] = b2u(s[i] > c)
		}
	default:
		for i := range d {
			d[i] = b2u(s[i] >= c)
		}
	}
}

// compareOne compares two elements.
func compareOne[T float32 | float64 | uint8](op fop, a, b T) bool {
	switch op {
	case fEq:
		return a == b
	case fNe:
		return a != b
	case fLt:
		return a < b
	case fLe:
		return a <= b
	case fGt:
		return a > b
	}
	return a >= b
}

// swapCompare is the comparison with its operands exchanged.
func swapCompare(op fop) fop {
	switch op {
	case fLt:
		return fGt
	case fLe:
		return fGe
	case fGt:
		return fLt
	case fGe:
		return fLe
	}
	return op
}

func selectBlock[T float32 | float64 | uint8](x *fExec, in *fInstr) {
	d := dest[T](x, in.dst)
	p, t, f := view[uint8](x, in.a), view[T](x, in.b), view[T](x, in.c)
	if !p.scalar {
		selectMask(d, p.s[:len(d)], t, f)
		return
	}
	for i := range d {
		switch {
		case p.c != 0 && t.scalar:
			d[i] = t.c
		case p.c != 0:
			d[i] = t.s[i]
		case f.scalar:
			d[i] = f.c
		default:
			d[i] = f.s[i]
		}
	}
}

// selectMask selects by a mask of one element per result, one loop for each
// arrangement of scalar and full operands.
func selectMask[T float32 | float64 | uint8](d []T, p []uint8, t, f fview[T]) {
	switch {
	case t.scalar && f.scalar:
		for i := range d {
			if p[i] != 0 {
				d[i] = t.c
			} else {
				d[i] = f.c
			}
		}
	case t.scalar:
		fs := f.s[:len(d)]
		for i := range d {
			if p[i] != 0 {
				d[i] = t.c
			} else {
				d[i] = fs[i]
			}
		}
	case f.scalar:
		ts := t.s[:len(d)]
		for i := range d {
			if p[i] != 0 {
				d[i] = ts[i]
			} else {
				d[i] = f.c
			}
		}
	default:
		ts, fs := t.s[:len(d)], f.s[:len(d)]
		for i := range d {
			if p[i] != 0 {
				d[i] = ts[i]
			} else {
				d[i] = fs[i]
			}
		}
	}
}

// convert runs a conversion between f32, f64 and u8 (to a float), with Go's
// conversions as convertInto does.
func (x *fExec) convert(in *fInstr) {
	switch in.dt {
	case F32:
		d := dest[float32](x, in.dst)
		switch in.at {
		case F64:
			convertBlock(d, view[float64](x, in.a))
		case U8:
			convertBlock(d, view[uint8](x, in.a))
		}
	case F64:
		d := dest[float64](x, in.dst)
		switch in.at {
		case F32:
			convertBlock(d, view[float32](x, in.a))
		case U8:
			convertBlock(d, view[uint8](x, in.a))
		}
	}
}

func convertBlock[D float32 | float64, S float32 | float64 | uint8](d []D, a fview[S]) {
	if a.scalar {
		for i := range d {
			d[i] = D(a.c)
		}
		return
	}
	s := a.s[:len(d)]
	for i := range d {
		d[i] = D(s[i])
	}
}
