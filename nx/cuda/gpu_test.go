package cuda

import "testing"

// gpuDevice returns device 0 of the real driver, skipping the test when this
// machine has no usable GPU. scripts/gpu-check runs these tests.
func gpuDevice(t *testing.T) *Device {
	t.Helper()
	if fakeLoaded {
		t.Skip("the fake CUDA libraries are loaded in this process; run the GPU tests alone: go test -run TestGPU")
	}
	useSystem(t)
	if err := Available(); err != nil {
		t.Skipf("no GPU: %v", err)
	}
	systemLoaded = true
	d, err := Open(0)
	if err != nil {
		t.Fatal(err)
	}
	v, _ := DriverVersion()
	t.Logf("%v, driver CUDA %d.%d", d, v/1000, v%1000/10)
	return d
}

func TestGPUMemory(t *testing.T) { checkMemory(t, gpuDevice(t)) }

func TestGPUPool(t *testing.T) { checkPool(t, gpuDevice(t)) }

func TestGPUKernel(t *testing.T) { checkKernel(t, gpuDevice(t)) }

func TestGPUCompileError(t *testing.T) { checkCompileError(t, gpuDevice(t)) }

func TestGPUGemm(t *testing.T) { checkGemm(t, gpuDevice(t)) }

func TestGPUConcurrent(t *testing.T) { checkConcurrent(t, gpuDevice(t)) }
