package cuda

import (
	"crypto/sha256"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"
)

// moduleKey identifies a compiled module: a hash of its source, name, options
// and target architecture.
type moduleKey [sha256.Size]byte

// moduleEntry holds one cached compilation; once makes concurrent requests for
// the same source compile it once.
type moduleEntry struct {
	once sync.Once
	mod  *Module
	err  error
}

// Module is CUDA code compiled for and loaded on one device. Modules are cached
// for the life of the process.
type Module struct {
	dev   *Device
	h     uintptr
	name  string
	arch  string
	image []byte // the PTX (or cubin) the driver loaded

	mu    sync.Mutex
	funcs map[string]*Function
}

// Function is a kernel (an extern "C" __global__ function) of a Module.
type Function struct {
	mod  *Module
	h    uintptr
	name string
}

// CompileModule compiles the CUDA C++ source src with NVRTC and loads it on d.
// name is the program's file name in messages (e.g. "fused_add.cu"); opts are
// NVRTC options ("-use_fast_math", "-DN=4", ...). The target is the device's
// compute capability (clamped to the newest NVRTC supports) unless opts name
// one (--gpu-arch / -arch). NVRTC emits PTX, which the driver compiles for the
// device; if the driver is too old for NVRTC's PTX, a cubin is built instead.
//
// Results are cached by a hash of src, name, opts and the target, so compiling
// the same source again returns the same *Module at once. Kernels meant to be
// looked up by name should be declared extern "C". A rejected source returns a
// *CompileError holding NVRTC's log.
func (d *Device) CompileModule(src, name string, opts ...string) (*Module, error) {
	if l := load(libNVRTC); l.err != nil {
		return nil, l.err
	}
	arch, err := d.targetArch()
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	for _, s := range append([]string{src, name, arch}, opts...) {
		fmt.Fprintf(h, "%d:%s", len(s), s)
	}
	var key moduleKey
	h.Sum(key[:0])

	d.modMu.Lock()
	e := d.modules[key]
	if e == nil {
		e = &moduleEntry{}
		d.modules[key] = e
	}
	d.modMu.Unlock()
	e.once.Do(func() { e.mod, e.err = d.compile(src, name, arch, opts) })
	if e.err != nil {
		d.modMu.Lock()
		if d.modules[key] == e {
			delete(d.modules, key) // let a later call try again
		}
		d.modMu.Unlock()
	}
	return e.mod, e.err
}

var (
	archOnce sync.Once
	archList []int // architectures NVRTC supports (e.g. 75, 80, 90), ascending; nil if unknown
)

// targetArch returns the architecture number to compile for, e.g. "90".
func (d *Device) targetArch() (string, error) {
	archOnce.Do(func() {
		if nvrtcGetNumSupportedArchs == nil || nvrtcGetSupportedArchs == nil {
			return
		}
		var n int32
		if nvrtcGetNumSupportedArchs(&n) != 0 || n <= 0 {
			return
		}
		l := make([]int32, n)
		if nvrtcGetSupportedArchs(&l[0]) != 0 {
			return
		}
		for _, a := range l {
			archList = append(archList, int(a))
		}
		slices.Sort(archList)
	})
	want := d.ccMajor*10 + d.ccMinor
	if len(archList) == 0 {
		return fmt.Sprint(want), nil
	}
	best := -1
	for _, a := range archList {
		if a <= want {
			best = a
		}
	}
	if best < 0 {
		return "", fmt.Errorf("cuda: NVRTC (%s) supports architectures %v, none of which runs on %s", libs[libNVRTC].path, archList, d)
	}
	return fmt.Sprint(best), nil
}

// hasArchOption reports whether opts choose the target themselves.
func hasArchOption(opts []string) bool {
	for _, o := range opts {
		if strings.HasPrefix(o, "--gpu-arch") || strings.HasPrefix(o, "-arch") {
			return true
		}
	}
	return false
}

// compile runs NVRTC and loads the result on d.
func (d *Device) compile(src, name, arch string, opts []string) (*Module, error) {
	image, err := nvrtcBuild(src, name, opts, "compute_"+arch, false)
	if err != nil {
		return nil, err
	}
	m := &Module{dev: d, name: name, arch: "compute_" + arch, image: image, funcs: map[string]*Function{}}
	err = d.loadModule(m, image)
	if e, ok := err.(*Error); ok && e.Code == 222 && nvrtcGetCUBIN != nil && !hasArchOption(opts) {
		// CUDA_ERROR_UNSUPPORTED_PTX_VERSION: NVRTC is newer than the driver.
		// A cubin for the exact architecture needs no PTX compilation.
		if image, err = nvrtcBuild(src, name, opts, "sm_"+arch, true); err != nil {
			return nil, err
		}
		m.arch, m.image = "sm_"+arch, image
		err = d.loadModule(m, image)
	}
	if err != nil {
		return nil, fmt.Errorf("cuda: load module %s (%s) on device %d: %w", name, m.arch, d.ordinal, err)
	}
	return m, nil
}

// JIT options of cuModuleLoadDataEx (CUjit_option values).
const (
	jitErrorLogBuffer     = 5 // CU_JIT_ERROR_LOG_BUFFER
	jitErrorLogBufferSize = 6 // CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES
)

// loadModule loads a PTX or cubin image into m.h. When the driver's PTX
// compiler rejects the image, its log is added to the error.
func (d *Device) loadModule(m *Module, image []byte) error {
	log := make([]byte, 8192)
	var pin runtime.Pinner
	defer pin.Unpin()
	pin.Pin(&log[0])
	opts := []int32{jitErrorLogBuffer, jitErrorLogBufferSize}
	vals := []uintptr{uintptr(unsafe.Pointer(&log[0])), uintptr(len(log))}
	err := d.do(func() error {
		return cuErr("cuModuleLoadDataEx", cuModuleLoadDataEx(&m.h, unsafe.Pointer(&image[0]), uint32(len(opts)), &opts[0], &vals[0]))
	})
	runtime.KeepAlive(log)
	runtime.KeepAlive(image)
	if err != nil {
		if n := min(int(vals[1]), len(log)); n > 0 {
			if text := strings.TrimRight(cString(&log[0]), "\n"); text != "" && len(text) <= n {
				return fmt.Errorf("%w\n%s", err, text)
			}
		}
	}
	return err
}

// cBytes returns s as a NUL-terminated byte slice.
func cBytes(s string) []byte {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return b
}

// nvrtcBuild compiles src for target ("compute_90" gives PTX, "sm_90" with
// cubin a cubin) and returns the NUL-terminated image.
func nvrtcBuild(src, name string, opts []string, target string, cubin bool) ([]byte, error) {
	var prog uintptr
	csrc, cname := cBytes(src), cBytes(name)
	if err := nvrtcErr("nvrtcCreateProgram", nvrtcCreateProgram(&prog, &csrc[0], &cname[0], 0, nil, nil)); err != nil {
		return nil, err
	}
	defer nvrtcDestroyProgram(&prog)

	all := slices.Clone(opts)
	if !hasArchOption(opts) {
		all = append(all, "--gpu-arch="+target)
	}
	copts := make([]*byte, len(all))
	var pin runtime.Pinner
	defer pin.Unpin()
	for i, o := range all {
		b := cBytes(o)
		pin.Pin(&b[0])
		copts[i] = &b[0]
	}
	var optp **byte
	if len(copts) > 0 {
		optp = &copts[0]
	}
	cerr := nvrtcErr("nvrtcCompileProgram", nvrtcCompileProgram(prog, int32(len(copts)), optp))
	runtime.KeepAlive(copts)
	if cerr != nil {
		return nil, &CompileError{Name: name, Log: programLog(prog), Err: cerr}
	}
	sizeFn, getFn, what := nvrtcGetPTXSize, nvrtcGetPTX, "PTX"
	if cubin {
		sizeFn, getFn, what = nvrtcGetCUBINSize, nvrtcGetCUBIN, "CUBIN"
	}
	var n uintptr
	if err := nvrtcErr("nvrtcGet"+what+"Size", sizeFn(prog, &n)); err != nil {
		return nil, err
	}
	image := make([]byte, n+1) // +1: the driver reads PTX up to a NUL
	if n > 0 {
		if err := nvrtcErr("nvrtcGet"+what, getFn(prog, &image[0])); err != nil {
			return nil, err
		}
	}
	return image, nil
}

// programLog returns NVRTC's log for prog, without the trailing NUL.
func programLog(prog uintptr) string {
	var n uintptr
	if nvrtcGetProgramLogSize(prog, &n) != 0 || n <= 1 {
		return ""
	}
	log := make([]byte, n)
	if nvrtcGetProgramLog(prog, &log[0]) != 0 {
		return ""
	}
	return strings.TrimRight(string(log), "\x00\n")
}

// Name returns the program name m was compiled under.
func (m *Module) Name() string { return m.name }

// Target returns what m was built for: "compute_90" for PTX, "sm_90" for a cubin.
func (m *Module) Target() string { return m.arch }

// Image returns the PTX (or cubin) the driver loaded, for inspection.
func (m *Module) Image() []byte { return m.image[:len(m.image)-1] }

// Function returns the kernel called name (its extern "C" name, or its mangled
// C++ name).
func (m *Module) Function(name string) (*Function, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f := m.funcs[name]; f != nil {
		return f, nil
	}
	f := &Function{mod: m, name: name}
	cname := cBytes(name)
	err := m.dev.do(func() error {
		return cuErr("cuModuleGetFunction", cuModuleGetFunction(&f.h, m.h, &cname[0]))
	})
	if err != nil {
		return nil, fmt.Errorf("cuda: kernel %s in %s: %w", name, m.name, err)
	}
	m.funcs[name] = f
	return f, nil
}

// Name returns the kernel's name.
func (f *Function) Name() string { return f.name }

// Launch queues the kernel on stream s (nil: the default stream) with the given
// grid and block dimensions and dynamic shared memory in bytes. args are the
// kernel's parameters, in order, each of a type matching the C parameter:
//
//	Go                 C
//	*Buffer, uintptr   T* (a device pointer)
//	int32, uint32      int, unsigned int
//	int64, uint64      long long, unsigned long long
//	float32, float64   float, double
//
// Go int is refused (its C width is ambiguous). Launch returns launch errors
// (bad dimensions, too many resources); faults inside the kernel surface at the
// next synchronizing call on the stream.
func (f *Function) Launch(s *Stream, grid, block [3]uint32, sharedMem uint32, args ...any) error {
	d := f.mod.dev
	for i := range 3 {
		if grid[i] == 0 || block[i] == 0 {
			return fmt.Errorf("cuda: launch %s: grid %v and block %v must be at least 1 in every dimension", f.name, grid, block)
		}
	}
	if t := uint64(block[0]) * uint64(block[1]) * uint64(block[2]); d.threads > 0 && t > uint64(d.threads) {
		return fmt.Errorf("cuda: launch %s: block %v has %d threads, more than the device's %d", f.name, block, t, d.threads)
	}
	h, err := s.handle(d)
	if err != nil {
		return err
	}
	vals := make([]uint64, max(len(args), 1))
	params := make([]uintptr, max(len(args), 1))
	for i, a := range args {
		switch v := a.(type) {
		case *Buffer:
			if v.dev != d {
				return fmt.Errorf("cuda: launch %s: argument %d is a buffer on device %d, not %d", f.name, i, v.dev.ordinal, d.ordinal)
			}
			ptr, err := v.check("launch "+f.name, 0)
			if err != nil {
				return err
			}
			vals[i] = uint64(ptr)
		case uintptr:
			vals[i] = uint64(v)
		case int32:
			vals[i] = uint64(uint32(v))
		case uint32:
			vals[i] = uint64(v)
		case int64:
			vals[i] = uint64(v)
		case uint64:
			vals[i] = v
		case float32:
			vals[i] = uint64(math.Float32bits(v))
		case float64:
			vals[i] = math.Float64bits(v)
		default:
			return fmt.Errorf("cuda: launch %s: argument %d has type %T; want *Buffer, uintptr, int32, uint32, int64, uint64, float32 or float64", f.name, i, a)
		}
	}
	// The driver reads each parameter through kernelParams[i]; the values are
	// little-endian, so 4-byte parameters are the low half of their slot.
	var pin runtime.Pinner
	defer pin.Unpin()
	pin.Pin(&vals[0])
	for i := range vals {
		params[i] = uintptr(unsafe.Pointer(&vals[i]))
	}
	var pp *uintptr
	if len(args) > 0 {
		pp = &params[0]
	}
	err = d.do(func() error {
		return cuErr("cuLaunchKernel", launchKernel(f.h, grid, block, sharedMem, h, pp))
	})
	runtime.KeepAlive(vals)
	runtime.KeepAlive(params)
	runtime.KeepAlive(args)
	if err != nil {
		return fmt.Errorf("cuda: launch %s: %w", f.name, err)
	}
	return nil
}
