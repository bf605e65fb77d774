package cuda

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
)

// Device attributes read with cuDeviceGetAttribute (CUdevice_attribute values).
const (
	attrMaxThreadsPerBlock   = 1
	attrMultiprocessorCount  = 16
	attrComputeCapabilityMaj = 75
	attrComputeCapabilityMin = 76
)

// driverState is the outcome of loading and initialising the driver.
type driverState struct {
	err     error
	version int // CUDA version the driver supports, e.g. 12040 for 12.4
	count   int // number of devices
}

var (
	devMu   sync.Mutex
	drv     *driverState
	devices map[int]*Device
)

// initDriver loads libcuda, calls cuInit and counts the devices, once.
func initDriver() *driverState {
	devMu.Lock()
	defer devMu.Unlock()
	if drv != nil {
		return drv
	}
	drv = &driverState{}
	if l := load(libDriver); l.err != nil {
		drv.err = l.err
		return drv
	}
	if r := cuInit(0); r != 0 {
		err := cuErr("cuInit", r)
		switch r {
		case 100: // CUDA_ERROR_NO_DEVICE
			drv.err = fmt.Errorf("cuda: %w: %w", ErrNoDevice, err)
		case 34, 35: // CUDA_ERROR_STUB_LIBRARY, CUDA_ERROR_INSUFFICIENT_DRIVER
			drv.err = fmt.Errorf("cuda: %w (%s is not a usable driver): %w", ErrNoDriver, libs[libDriver].path, err)
		default:
			drv.err = err
		}
		return drv
	}
	var v, n int32
	if r := cuDriverGetVersion(&v); r != 0 {
		drv.err = cuErr("cuDriverGetVersion", r)
		return drv
	}
	if r := cuDeviceGetCount(&n); r != 0 {
		drv.err = cuErr("cuDeviceGetCount", r)
		return drv
	}
	drv.version, drv.count = int(v), int(n)
	return drv
}

// Available reports whether a CUDA driver and at least one device are usable.
// The first call loads libcuda.so.1 and initialises it; importing the package
// loads nothing. The error wraps ErrNoDriver when no driver library could be
// loaded and ErrNoDevice when the driver reports no GPU.
func Available() error {
	_, err := DeviceCount()
	return err
}

// DeviceCount returns the number of CUDA devices. It fails as Available does,
// and with an error wrapping ErrNoDevice when the count is zero.
func DeviceCount() (int, error) {
	s := initDriver()
	if s.err != nil {
		return 0, s.err
	}
	if s.count == 0 {
		return 0, fmt.Errorf("cuda: %w: the driver reports 0 devices", ErrNoDevice)
	}
	return s.count, nil
}

// DriverVersion returns the CUDA version the driver supports, encoded as
// 1000*major + 10*minor (12040 is CUDA 12.4).
func DriverVersion() (int, error) {
	s := initDriver()
	return s.version, s.err
}

// Device is one GPU with its primary context. Open returns the same *Device for
// the same ordinal; it is safe for concurrent use and lives as long as the
// process.
type Device struct {
	ordinal int
	dev     int32
	ctx     uintptr
	name    string
	mem     int64
	ccMajor int
	ccMinor int
	sms     int
	threads int

	pool pool

	modMu   sync.Mutex
	modules map[moduleKey]*moduleEntry

	blasOnce sync.Once
	blas     *BLAS
	blasErr  error
}

// Open returns the device with the given ordinal (0 is the first GPU), retaining
// its primary context on first use. Errors wrap ErrNoDriver or ErrNoDevice when
// there is no driver or no such device.
func Open(ordinal int) (*Device, error) {
	n, err := DeviceCount()
	if err != nil {
		return nil, err
	}
	if ordinal < 0 || ordinal >= n {
		return nil, fmt.Errorf("cuda: %w: ordinal %d out of range [0, %d)", ErrNoDevice, ordinal, n)
	}
	devMu.Lock()
	defer devMu.Unlock()
	if d := devices[ordinal]; d != nil {
		return d, nil
	}
	d, err := openDevice(ordinal)
	if err != nil {
		return nil, fmt.Errorf("cuda: open device %d: %w", ordinal, err)
	}
	if devices == nil {
		devices = map[int]*Device{}
	}
	devices[ordinal] = d
	return d, nil
}

// openDevice queries device ordinal and retains its primary context.
func openDevice(ordinal int) (*Device, error) {
	d := &Device{ordinal: ordinal, modules: map[moduleKey]*moduleEntry{}}
	if r := cuDeviceGet(&d.dev, int32(ordinal)); r != 0 {
		return nil, cuErr("cuDeviceGet", r)
	}
	name := make([]byte, 256)
	if r := cuDeviceGetName(&name[0], int32(len(name)), d.dev); r != 0 {
		return nil, cuErr("cuDeviceGetName", r)
	}
	d.name = cString(&name[0])
	var mem uintptr
	if r := cuDeviceTotalMem(&mem, d.dev); r != 0 {
		return nil, cuErr("cuDeviceTotalMem_v2", r)
	}
	d.mem = int64(mem)
	for _, a := range []struct {
		attr int32
		dst  *int
	}{
		{attrComputeCapabilityMaj, &d.ccMajor},
		{attrComputeCapabilityMin, &d.ccMinor},
		{attrMultiprocessorCount, &d.sms},
		{attrMaxThreadsPerBlock, &d.threads},
	} {
		var v int32
		if r := cuDeviceGetAttribute(&v, a.attr, d.dev); r != 0 {
			return nil, cuErr("cuDeviceGetAttribute", r)
		}
		*a.dst = int(v)
	}
	if r := cuDevicePrimaryCtxRetain(&d.ctx, d.dev); r != 0 {
		return nil, cuErr("cuDevicePrimaryCtxRetain", r)
	}
	d.pool.dev = d
	return d, nil
}

// Name returns the device's product name, e.g. "NVIDIA H100 80GB HBM3".
func (d *Device) Name() string { return d.name }

// Ordinal returns the ordinal d was opened with.
func (d *Device) Ordinal() int { return d.ordinal }

// TotalMemory returns the device's memory in bytes.
func (d *Device) TotalMemory() int64 { return d.mem }

// ComputeCapability returns the device's compute capability, e.g. (9, 0).
func (d *Device) ComputeCapability() (major, minor int) { return d.ccMajor, d.ccMinor }

// Multiprocessors returns the number of streaming multiprocessors.
func (d *Device) Multiprocessors() int { return d.sms }

// MaxThreadsPerBlock returns the largest block size a kernel may be launched with.
func (d *Device) MaxThreadsPerBlock() int { return d.threads }

// String returns "cuda:0 (NVIDIA H100 80GB HBM3, sm_90, 80 GiB)".
func (d *Device) String() string {
	return fmt.Sprintf("cuda:%d (%s, sm_%d%d, %.0f GiB)", d.ordinal, d.name, d.ccMajor, d.ccMinor, float64(d.mem)/(1<<30))
}

// do runs fn on a locked OS thread with d's context current, as the driver
// requires: the current context is per OS thread, and goroutines move.
func (d *Device) do(fn func() error) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if r := ctxSetCurrent(d.ctx); r != 0 {
		return cuErr("cuCtxSetCurrent", r)
	}
	return fn()
}

// Synchronize waits until all work queued on every stream of d has finished.
func (d *Device) Synchronize() error {
	return d.do(func() error { return cuErr("cuCtxSynchronize", cuCtxSynchronize()) })
}

// errClosed is returned for operations on a closed Stream.
var errClosed = errors.New("cuda: stream is closed")
