package kernels

import (
	"fmt"
	"runtime"
)

// The matrix product, in the style of Goto and BLIS. For each NC-wide panel
// of B and KC-deep slice of the sum, the KC×NC panel of B is packed into
// KC×NR column slivers, and then (an MC-row block at a time, or several when
// goroutines share the work) A is packed into MR×KC row slivers. A register-blocked MR×NR micro-kernel (assembly
// where the CPU allows) multiplies one sliver of A by one of B into a tile of
// C. The micro-kernels walk the slivers of B in the outer loop and those of
// an MC-row block of A in the inner one, so a sliver of B is read from L1 and
// the block of A from L2.
//
// Block sizes. The AVX2 blocks suit AMD Zen (this repository's build machine
// is a Zen 1 EPYC: 32 KiB L1d and 512 KiB L2 per core, 8 MiB L3 per core
// complex; lscpu sums L1d and L2 over the cores) and Intel Haswell to
// Skylake client cores (32 KiB L1d, 256 KiB to 1 MiB L2):
//
//   - KC = 256: a KC×NR sliver of B is 256·16·4 B = 16 KiB (f32) and 256·8·8
//     B = 16 KiB (f64), half of L1, leaving room for the A sliver streaming
//     past it and for C.
//   - MC = 144 (f32) and 72 (f64): an MC×KC block of A is 144 KiB, a good
//     share of a 256 KiB–512 KiB L2 beside B's slivers.
//   - NC = 4080 (f32) and 2040 (f64): a KC×NC panel of B is about 4 MiB,
//     half of the L3 that two cores share.
//
// The AVX-512 kernels (Intel Skylake-SP and later, AMD Zen 4) have twice
// NR, so a KC = 256 sliver of B takes 32 KiB, which the 48 KiB L1d of Intel's
// Ice Lake and Sapphire Rapids cores holds; their 1.25–2 MiB L2 holds an A
// block of 384 KiB (f32, MC = 384) or 192 KiB (f64, MC = 96). These were the
// best of the sizes BenchmarkGEMMBlocks tried (KC from 128 to 512) on a
// 16-core Xeon virtual machine with 48 KiB L1d and 2 MiB L2 per core; a KC×NC
// panel of B is 4 MiB.
const (
	sgemmAVX2MC, sgemmAVX2KC, sgemmAVX2NC = 144, 256, 4080
	dgemmAVX2MC, dgemmAVX2KC, dgemmAVX2NC = 72, 256, 2040

	sgemmAVX512MC, sgemmAVX512KC, sgemmAVX512NC = 384, 256, 4096
	dgemmAVX512MC, dgemmAVX512KC, dgemmAVX512NC = 96, 256, 2048

	// The pure-Go 3×3 kernel: KC×3 slivers are small, so MC is set by L2.
	gemmGenericMC, gemmGenericKC, gemmGenericNC = 96, 256, 3072

	// gemmChunkBlocks is how many MC-row blocks of A a team packs at once.
	gemmChunkBlocks = 16
	// maxTile bounds MR·NR over the kernels (12·32).
	maxTile = 12 * 32
)

// gemmImpl is a blocked GEMM around one micro-kernel.
type gemmImpl[T float32 | float64] struct {
	name       string
	mr, nr     int // the micro-kernel's tile
	mc, kc, nc int // cache blocks: rows of A, depth of the sum, columns of B
	// kernel adds the product of a packed MR×k sliver of A and a packed k×NR
	// sliver of B into c (row stride ldc): c[r·ldc+q] += Σ_p a[p·MR+r]·b[p·NR+q].
	kernel func(k int, a, b, c []T, ldc int)
}

var (
	sgemmGeneric = &gemmImpl[float32]{"generic", 3, 3, gemmGenericMC, gemmGenericKC, gemmGenericNC, kernel3x3[float32]}
	dgemmGeneric = &gemmImpl[float64]{"generic", 3, 3, gemmGenericMC, gemmGenericKC, gemmGenericNC, kernel3x3[float64]}
	sgemmAVX2    = &gemmImpl[float32]{"avx2", 6, 16, sgemmAVX2MC, sgemmAVX2KC, sgemmAVX2NC, sgemm6x16AVX2}
	dgemmAVX2    = &gemmImpl[float64]{"avx2", 6, 8, dgemmAVX2MC, dgemmAVX2KC, dgemmAVX2NC, dgemm6x8AVX2}
	sgemmAVX512  = &gemmImpl[float32]{"avx512", 12, 32, sgemmAVX512MC, sgemmAVX512KC, sgemmAVX512NC, sgemm12x32AVX512}
	dgemmAVX512  = &gemmImpl[float64]{"avx512", 12, 16, dgemmAVX512MC, dgemmAVX512KC, dgemmAVX512NC, dgemm12x16AVX512}

	sgemmImpls = [...]*gemmImpl[float32]{Generic: sgemmGeneric, AVX2: sgemmAVX2, AVX512: sgemmAVX512}
	dgemmImpls = [...]*gemmImpl[float64]{Generic: dgemmGeneric, AVX2: dgemmAVX2, AVX512: dgemmAVX512}
)

// GemmF32 adds the m×n product of A (m×k) and B (k×n) to C: element (i, j)
// of C, at c[i·ldc + j], gains Σ_p A(i, p)·B(p, j), where A(i, p) is
// a[i·ars + p·acs] and B(p, j) is b[p·brs + j·bcs]. Any strides may be used,
// so either operand may be transposed in place; strides of 1 along the rows
// of A and B (or down their columns) pack fastest.
//
// threads bounds the goroutines used, the caller's included: 1 keeps the
// work on the calling goroutine, and 0 or less allows up to GOMAXPROCS (see
// the package documentation for how concurrent calls share them). Results
// may differ from a plain loop in rounding, as the sums are ordered and fused
// differently. It panics if a slice is too short for its shape and strides.
func GemmF32(c []float32, ldc int, a []float32, ars, acs int, b []float32, brs, bcs int, m, n, k, threads int) {
	gemmCheck(len(c), ldc, len(a), ars, acs, len(b), brs, bcs, m, n, k)
	sgemmImpls[Active()].gemm(c, ldc, a, ars, acs, b, brs, bcs, m, n, k, threads, nil)
}

// GemmF64 is GemmF32 for float64.
func GemmF64(c []float64, ldc int, a []float64, ars, acs int, b []float64, brs, bcs int, m, n, k, threads int) {
	gemmCheck(len(c), ldc, len(a), ars, acs, len(b), brs, bcs, m, n, k)
	dgemmImpls[Active()].gemm(c, ldc, a, ars, acs, b, brs, bcs, m, n, k, threads, nil)
}

// GemmF32Then is GemmF32 with an epilogue: done(i0, i1, j0, j1) is called
// once for each block of C, rows [i0, i1) by columns [j0, j1), as soon as its
// elements are final, while they are still in cache. The blocks cover C
// exactly once. Calls come from the goroutines doing the product, several at
// a time for disjoint blocks; done may change the elements of its block.
// With k = 0 (nothing to add), done is called once for all of C.
func GemmF32Then(c []float32, ldc int, a []float32, ars, acs int, b []float32, brs, bcs int, m, n, k, threads int, done func(i0, i1, j0, j1 int)) {
	gemmCheck(len(c), ldc, len(a), ars, acs, len(b), brs, bcs, m, n, k)
	sgemmImpls[Active()].gemm(c, ldc, a, ars, acs, b, brs, bcs, m, n, k, threads, done)
}

// GemmF64Then is GemmF32Then for float64.
func GemmF64Then(c []float64, ldc int, a []float64, ars, acs int, b []float64, brs, bcs int, m, n, k, threads int, done func(i0, i1, j0, j1 int)) {
	gemmCheck(len(c), ldc, len(a), ars, acs, len(b), brs, bcs, m, n, k)
	dgemmImpls[Active()].gemm(c, ldc, a, ars, acs, b, brs, bcs, m, n, k, threads, done)
}

// gemmCheck panics unless the shapes and strides fit the slices' lengths.
func gemmCheck(lc, ldc, la, ars, acs, lb, brs, bcs, m, n, k int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("kernels: negative GEMM size %d×%d×%d", m, n, k))
	}
	if m == 0 || n == 0 {
		return
	}
	if (m > 1 && ldc < n) || (m-1)*ldc+n > lc {
		panic(fmt.Sprintf("kernels: C of length %d too short for %d×%d with row stride %d", lc, m, n, ldc))
	}
	if k == 0 {
		return
	}
	if ars < 0 || acs < 0 || (m-1)*ars+(k-1)*acs >= la {
		panic(fmt.Sprintf("kernels: A of length %d too short for %d×%d with strides %d, %d", la, m, k, ars, acs))
	}
	if brs < 0 || bcs < 0 || (k-1)*brs+(n-1)*bcs >= lb {
		panic(fmt.Sprintf("kernels: B of length %d too short for %d×%d with strides %d, %d", lb, k, n, brs, bcs))
	}
}

// gemmGrain is the least m·n·k worth a goroutine of its own (a variable for
// tests).
var gemmGrain = 1 << 18

// gemmWorkers returns how many goroutines a product of m·n·k should use, at
// most threads (all of GOMAXPROCS when threads ≤ 0).
func gemmWorkers(m, n, k, threads int) int {
	if threads == 1 {
		return 1
	}
	w := runtime.GOMAXPROCS(0)
	if threads > 0 {
		w = min(w, threads)
	}
	if w <= 1 {
		return 1
	}
	// m·n·k may overflow an int on 32-bit platforms: count in float64.
	work := float64(m) * float64(n) * float64(k)
	return max(1, min(w, int(work/float64(gemmGrain))))
}

// gemm computes the product as GemmF32 describes, with operands already
// checked, and calls done (if not nil) on each finished block of C.
func (g *gemmImpl[T]) gemm(c []T, ldc int, a []T, ars, acs int, b []T, brs, bcs int, m, n, k, threads int, done func(i0, i1, j0, j1 int)) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if done != nil {
			done(0, m, 0, n)
		}
		return
	}
	var tm team
	if w := gemmWorkers(m, n, k, threads); w > 1 {
		tm.helpers = acquireHelpers(w - 1)
		defer releaseHelpers(tm.helpers)
	}
	workers := tm.helpers + 1
	mr, nr := g.mr, g.nr
	kcMax := min(k, g.kc)
	// Alone, pack one block of A at a time, just before its products, so
	// that it is still in L2; a team packs several at once between fewer
	// meetings.
	chunk := min(m, g.mc)
	if workers > 1 {
		chunk = min(m, g.mc*gemmChunkBlocks)
	}
	bBuf := getBuf[T](kcMax * roundUp(min(n, g.nc), nr))
	aBuf := getBuf[T](roundUp(chunk, mr)*kcMax + workers*maxTile)
	// Deferred calls run last first: bBuf goes back to the pool first, into
	// the slot that the pool's next Get takes, so that the next product's
	// first getBuf (for its bBuf) finds it rather than aBuf, which may be too
	// small, and allocates nothing.
	defer putBuf(aBuf)
	defer putBuf(bBuf)
	bp := *bBuf
	ap := (*aBuf)[:roundUp(chunk, mr)*kcMax]
	var st *gemmTasks[T]
	if workers > 1 {
		st = getTasks(g)
		defer putTasks(st)
	}
	tiles := (*aBuf)[len(ap):]

	for jc := 0; jc < n; jc += g.nc {
		nc := min(g.nc, n-jc)
		slivers := (nc + nr - 1) / nr
		for pc := 0; pc < k; pc += g.kc {
			kc := min(g.kc, k-pc)
			final := done != nil && pc+kc == k // the epilogue follows the last slice of the sum
			bsrc := b[pc*brs+jc*bcs:]
			if workers == 1 {
				packB(bp, bsrc, brs, bcs, kc, nc, nr)
			} else {
				st.bp, st.bsrc, st.brs, st.bcs, st.kc, st.nc, st.slivers = bp, bsrc, brs, bcs, kc, nc, slivers
				st.bParts = min(slivers, 4*workers)
				tm.run(st.bParts, st.packBTask)
			}
			for ic := 0; ic < m; ic += chunk {
				mcur := min(chunk, m-ic)
				csub, asub := c[ic*ldc+jc:], a[ic*ars+pc*acs:]
				if workers == 1 {
					packA(ap, asub, ars, acs, mcur, kc, mr)
					g.macro(csub, ldc, ap, bp, mcur, nc, kc, 0, mcur, 0, slivers, tiles)
					if final {
						done(ic, ic+mcur, jc, jc+nc)
					}
					continue
				}
				var blockDone func(i0, i1, j0, j1 int)
				if final {
					st.outer, st.ic, st.jc = done, ic, jc
					blockDone = st.blockDoneFn
				}
				st.chunk(&tm, csub, ldc, ap, bp, tiles, asub, ars, acs, mcur, nc, kc, blockDone)
			}
		}
	}
}

// gemmTasks is the state of a product shared by a team: the operands of the
// tasks it runs, which its methods read, with those methods as function
// values made once, so that handing the team its tasks allocates nothing.
// Products get one from a pool and fill it before each team.run.
type gemmTasks[T float32 | float64] struct {
	g *gemmImpl[T]
	// packBTask: slivers of B.
	bp, bsrc                          []T
	brs, bcs, kc, nc, slivers, bParts int
	// chunk's tasks.
	c, ap, cbp, tiles, a                                                     []T
	ldc, ars, acs, mcur, ckc, cnc, aSlivers, aParts, mb, colChunks, bSlivers int
	rowBlocks                                                                int // packMacro's tasks
	done                                                                     func(i0, i1, j0, j1 int)
	// blockDoneTask: done shifted to the chunk's place in C.
	outer  func(i0, i1, j0, j1 int)
	ic, jc int

	packBTask, packATask, macroTask, epilogueTask, packMacroTask func(w, t int)
	blockDoneFn                                                  func(i0, i1, j0, j1 int)
}

var (
	tasks32 FreeList[gemmTasks[float32]]
	tasks64 FreeList[gemmTasks[float64]]
)

// tasksList returns the free list of gemmTasks[T].
func tasksList[T float32 | float64]() *FreeList[gemmTasks[T]] {
	var z T
	if _, ok := any(z).(float32); ok {
		return any(&tasks32).(*FreeList[gemmTasks[T]])
	}
	return any(&tasks64).(*FreeList[gemmTasks[T]])
}

func getTasks[T float32 | float64](g *gemmImpl[T]) *gemmTasks[T] {
	st := tasksList[T]().Get()
	if st == nil {
		st = &gemmTasks[T]{}
		st.packBTask = st.packB
		st.packATask = st.packA
		st.macroTask = st.macro
		st.packMacroTask = st.packMacro
		st.epilogueTask = st.epilogue
		st.blockDoneFn = st.blockDone
	}
	st.g = g
	return st
}

func putTasks[T float32 | float64](st *gemmTasks[T]) {
	*st = gemmTasks[T]{packBTask: st.packBTask, packATask: st.packATask, macroTask: st.macroTask, packMacroTask: st.packMacroTask,
		epilogueTask: st.epilogueTask, blockDoneFn: st.blockDoneFn} // keep no operand alive in the pool
	tasksList[T]().Put(st)
}

func (st *gemmTasks[T]) packB(_, t int) {
	nr, kc, parts := st.g.nr, st.kc, st.bParts
	s0, s1 := t*st.slivers/parts, (t+1)*st.slivers/parts
	packB(st.bp[s0*nr*kc:s1*nr*kc], st.bsrc[s0*nr*st.bcs:], st.brs, st.bcs, kc, min(st.nc, s1*nr)-s0*nr, nr)
}

func (st *gemmTasks[T]) blockDone(i0, i1, j0, j1 int) {
	st.outer(st.ic+i0, st.ic+i1, st.jc+j0, st.jc+j1)
}

func (st *gemmTasks[T]) packA(_, t int) {
	mr, kc, parts := st.g.mr, st.ckc, st.aParts
	s0, s1 := t*st.aSlivers/parts, (t+1)*st.aSlivers/parts
	packA(st.ap[s0*mr*kc:s1*mr*kc], st.a[s0*mr*st.ars:], st.ars, st.acs, min(st.mcur, s1*mr)-s0*mr, kc, mr)
}

func (st *gemmTasks[T]) macro(w, t int) {
	rb, cc := t/st.colChunks, t%st.colChunks
	i0 := rb * st.mb
	i1 := min(st.mcur, i0+st.mb)
	s0, s1 := cc*st.bSlivers/st.colChunks, (cc+1)*st.bSlivers/st.colChunks
	st.g.macro(st.c, st.ldc, st.ap, st.cbp, st.mcur, st.cnc, st.ckc, i0, i1, s0, s1, st.tiles[w*maxTile:(w+1)*maxTile])
	if st.done != nil && st.colChunks == 1 {
		st.done(i0, i1, 0, st.cnc) // whole rows of the panel
	}
}

// packMacro is task t of rowBlocks: it packs its own rows of A (slivers
// [t·S/rowBlocks, (t+1)·S/rowBlocks) of the S slivers) and multiplies them by
// the whole panel of B, so that the block of A is packed into the L2 cache
// of the core that uses it, and no meeting of the team separates packing
// from products.
func (st *gemmTasks[T]) packMacro(w, t int) {
	g := st.g
	mr, kc := g.mr, st.ckc
	s0, s1 := t*st.aSlivers/st.rowBlocks, (t+1)*st.aSlivers/st.rowBlocks
	i0, i1 := s0*mr, min(st.mcur, s1*mr)
	packA(st.ap[s0*mr*kc:s1*mr*kc], st.a[i0*st.ars:], st.ars, st.acs, i1-i0, kc, mr)
	g.macro(st.c, st.ldc, st.ap, st.cbp, st.mcur, st.cnc, kc, i0, i1, 0, st.bSlivers, st.tiles[w*maxTile:(w+1)*maxTile])
	if st.done != nil {
		st.done(i0, i1, 0, st.cnc)
	}
}

func (st *gemmTasks[T]) epilogue(_, rb int) {
	st.done(rb*st.mb, min(st.mcur, (rb+1)*st.mb), 0, st.cnc)
}

// chunk packs mcur rows of A (kc deep) into ap and multiplies them by the
// packed panel bp (kc×nc) into c, on the team, calling done (if not nil) on
// each block of c a task finishes.
func (st *gemmTasks[T]) chunk(tm *team, c []T, ldc int, ap, bp, tiles, a []T, ars, acs, mcur, nc, kc int, done func(i0, i1, j0, j1 int)) {
	g := st.g
	mr, nr := g.mr, g.nr
	workers := tm.helpers + 1
	st.c, st.ldc, st.ap, st.cbp, st.tiles, st.a = c, ldc, ap, bp, tiles, a
	st.ars, st.acs, st.mcur, st.cnc, st.ckc, st.done = ars, acs, mcur, nc, kc, done
	st.aSlivers = (mcur + mr - 1) / mr
	st.bSlivers = (nc + nr - 1) / nr
	// Enough blocks of at most MC rows for every worker to have as many,
	// and at least four: each packs and multiplies its own rows, blocks
	// differing by one sliver at most.
	if blocks := roundUp(max((mcur+g.mc-1)/g.mc, 4*workers), workers); blocks <= st.aSlivers {
		st.rowBlocks = blocks
		tm.run(blocks, st.packMacroTask)
		return
	}
	st.aParts = min(st.aSlivers, 4*workers)
	tm.run(st.aParts, st.packATask)

	// Tasks: blocks of at most MC rows by chunks of B's slivers, enough of
	// them for every worker to have several, so that the ones that finish
	// first can take over from the rest.
	st.mb = min(g.mc, roundUp((mcur+workers-1)/workers, mr))
	rowBlocks := (mcur + st.mb - 1) / st.mb
	st.colChunks = 1
	if rowBlocks < 4*workers {
		st.colChunks = max(1, min((4*workers+rowBlocks-1)/rowBlocks, st.bSlivers/4))
	}
	tm.run(rowBlocks*st.colChunks, st.macroTask)
	if done != nil && st.colChunks > 1 {
		// Tasks cut rows: hand the epilogue whole rows of the panel (long
		// runs are cheaper to process) once the block's tasks are done,
		// while it is still in L2.
		tm.run(rowBlocks, st.epilogueTask)
	}
}

// macro multiplies the packed rows [i0, i1) of A (ap, mcur rows) by the
// packed slivers [s0, s1) of B (bp, nc columns), kc deep, adding into c.
// Tiles cut by the edges of C are computed in tile and added from there.
func (g *gemmImpl[T]) macro(c []T, ldc int, ap, bp []T, mcur, nc, kc, i0, i1, s0, s1 int, tile []T) {
	mr, nr := g.mr, g.nr
	tile = tile[:mr*nr]
	for s := s0; s < s1; s++ {
		j := s * nr
		nrr := min(nr, nc-j)
		bs := bp[j*kc : (j+nr)*kc]
		for i := i0; i < i1; i += mr {
			as := ap[i*kc : (i+mr)*kc]
			mrr := min(mr, mcur-i)
			if mrr == mr && nrr == nr {
				g.kernel(kc, as, bs, c[i*ldc+j:], ldc)
				continue
			}
			clear(tile)
			g.kernel(kc, as, bs, tile, nr)
			for r := 0; r < mrr; r++ {
				row := c[(i+r)*ldc+j : (i+r)*ldc+j+nrr]
				for q, v := range tile[r*nr : r*nr+nrr] {
					row[q] += v
				}
			}
		}
	}
}

func roundUp(x, m int) int { return (x + m - 1) / m * m }
