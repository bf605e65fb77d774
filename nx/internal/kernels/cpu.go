package kernels

import (
	"os"
	"strings"
	"sync/atomic"
)

// Level is an instruction-set level of the kernels.
type Level int32

// The levels, from the portable Go code up.
const (
	Generic Level = iota // pure Go
	AVX2                 // x86-64 AVX2 and FMA
	AVX512               // x86-64 AVX-512F
)

// String returns the level's name as NX_CPU spells it.
func (l Level) String() string {
	switch l {
	case Generic:
		return "generic"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	}
	return "unknown"
}

// Supported reports whether this CPU and build can run kernels of level l.
func (l Level) Supported() bool { return l >= Generic && l <= best }

// best is the widest level the CPU and build support; active the one in use.
var (
	best   Level
	active atomic.Int32
)

func init() {
	best = detect()
	asmPack = best >= AVX2
	active.Store(int32(chooseLevel(best, os.Getenv("NX_CPU"))))
}

// Active returns the level the kernels use: the best the CPU supports, capped
// by NX_CPU.
func Active() Level { return Level(active.Load()) }

// SetLevel makes the kernels use level l and returns the level used before; it
// is meant for tests and benchmarks that compare the levels. It panics if l is
// not Supported.
func SetLevel(l Level) Level {
	if !l.Supported() {
		panic("kernels: level " + l.String() + " is not supported on this CPU")
	}
	return Level(active.Swap(int32(l)))
}

// chooseLevel applies NX_CPU's value env to the best level.
func chooseLevel(best Level, env string) Level {
	switch strings.ToLower(strings.TrimSpace(env)) {
	case "generic", "go", "noasm":
		return Generic
	case "avx2":
		return min(best, AVX2)
	}
	return best
}

// detect returns the widest level this CPU supports: the instructions must be
// there (CPUID) and the operating system must save the registers they use
// (XGETBV).
func detect() Level {
	if !asmBuild {
		return Generic
	}
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return Generic
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const (
		fma     = 1 << 12
		osxsave = 1 << 27
		avx     = 1 << 28
	)
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return Generic
	}
	xcr0, _ := xgetbv()
	const (
		xmmYmm   = 1<<1 | 1<<2
		zmmState = 1<<5 | 1<<6 | 1<<7 // opmask, upper halves of ZMM0-15, ZMM16-31
	)
	if xcr0&xmmYmm != xmmYmm {
		return Generic
	}
	_, ebx7, _, _ := cpuid(7, 0)
	const (
		avx2    = 1 << 5
		avx512f = 1 << 16
	)
	if ebx7&avx2 == 0 {
		return Generic
	}
	if ebx7&avx512f != 0 && xcr0&zmmState == zmmState {
		return AVX512
	}
	return AVX2
}
