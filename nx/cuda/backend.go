package cuda

import (
	"fmt"
	"os"
	"strconv"

	"github.com/gonx-dev/gonx/nx"
)

// The "cuda" backend of nx.
//
// Importing this package registers it (import _ "github.com/gonx-dev/gonx/nx/cuda");
// nx.Jit then compiles for the GPU when NX_BACKEND=cuda, nx.SetBackend("cuda")
// or the nx.OnBackend("cuda") option selects it. Without a driver, selecting
// it is an error containing "no CUDA driver found"; nothing happens at
// start-up. NX_CUDA_DEVICE picks the device (default 0).
//
// Each compiled graph becomes a plan (package codegen): its fused kernels
// are compiled once with NVRTC, its matrix products run on cuBLAS, and its
// nodes without a kernel — gathers, sorts, convolutions, FFTs, linear
// algebra, complex numbers — run on the CPU: their operands are copied to
// the host and their results back when a device step needs them (counted by
// BackendStats). A While loop keeps its state on the device: its condition
// and body are plans of their own, and the only host round trip per
// iteration is the scalar predicate, read to decide whether to go on.
// Inputs are copied to the device on each call and results back to the
// host.

func init() { nx.RegisterBackend("cuda", openBackend) }

// openBackend opens the device the backend runs on.
func openBackend() (nx.Driver, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	ordinal := 0
	if s := os.Getenv("NX_CUDA_DEVICE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("cuda: NX_CUDA_DEVICE=%q is not a device number", s)
		}
		ordinal = n
	}
	g, err := openGPU(ordinal)
	if err != nil {
		return nil, err
	}
	return &driver{dev: g}, nil
}

// driver compiles nx graphs for one device.
type driver struct{ dev gpu }

// Compile plans g and compiles its kernels.
func (d *driver) Compile(g *nx.Graph) (nx.Executable, error) { return newExecutable(d.dev, g) }

// Stats counts the backend's work since the process started.
type Stats struct {
	Graphs    int64 // graphs compiled
	Kernels   int64 // kernel launches
	Gemms     int64 // cuBLAS products
	HostSteps int64 // nodes run on the CPU
	// HostBytes counts the bytes copied between device and host for the
	// nodes run on the CPU, both ways.
	HostBytes int64
	InBytes   int64 // bytes of inputs copied to the device
	OutBytes  int64 // bytes of results copied to the host
	// Iterations counts the While loop iterations run on the device; each
	// read its predicate on the host (counted in HostBytes).
	Iterations int64
}

// BackendStats returns the backend's counters.
func BackendStats() Stats {
	return Stats{
		Graphs: stats.graphs.Load(), Kernels: stats.kernels.Load(), Gemms: stats.gemms.Load(),
		HostSteps: stats.hostSteps.Load(), HostBytes: stats.hostBytes.Load(),
		InBytes: stats.inBytes.Load(), OutBytes: stats.outBytes.Load(), Iterations: stats.iterations.Load(),
	}
}
