package cuda

import (
	"sync"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda/codegen"
)

// gpu is what the executable needs from a device: the real one (cudaGPU)
// or, in the tests, a host emulation.
type gpu interface {
	alloc(bytes int) (devBuf, error)
	upload(b devBuf, data []byte) error
	download(b devBuf, data []byte) error // waits for the queued work
	compile(src, name string) (devModule, error)
	gemm(g *codegen.Gemm, a, b, c devBuf) error
	name() string
}

// devBuf is a device buffer.
type devBuf interface{ free() }

// devModule is a compiled translation unit.
type devModule interface {
	launch(kernel string, grid, block uint32, args []devBuf) error
}

// cudaGPU is a device of the runtime with its stream and cuBLAS handle.
type cudaGPU struct {
	dev    *Device
	stream *Stream
	once   sync.Once
	blas   *BLAS
	err    error
}

type cudaBuf struct{ b *Buffer }

func (c cudaBuf) free() { c.b.Free() }

func (g *cudaGPU) name() string { return g.dev.Name() }

func (g *cudaGPU) alloc(bytes int) (devBuf, error) {
	b, err := g.dev.Alloc(max(bytes, 1))
	if err != nil {
		return nil, err
	}
	return cudaBuf{b}, nil
}

func (g *cudaGPU) upload(b devBuf, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	return b.(cudaBuf).b.CopyFromHost(g.stream, data)
}

func (g *cudaGPU) download(b devBuf, data []byte) error {
	if len(data) == 0 {
		return g.stream.Synchronize()
	}
	if err := b.(cudaBuf).b.CopyToHost(g.stream, data); err != nil {
		return err
	}
	return g.stream.Synchronize()
}

type cudaModule struct {
	mod *Module
	mu  sync.Mutex
	fns map[string]*Function
}

func (g *cudaGPU) compile(src, name string) (devModule, error) {
	m, err := g.dev.CompileModule(src, name)
	if err != nil {
		return nil, err
	}
	return &cudaModule{mod: m, fns: map[string]*Function{}}, nil
}

func (m *cudaModule) launch(kernel string, grid, block uint32, args []devBuf) error {
	m.mu.Lock()
	f, ok := m.fns[kernel]
	if !ok {
		var err error
		if f, err = m.mod.Function(kernel); err != nil {
			m.mu.Unlock()
			return err
		}
		m.fns[kernel] = f
	}
	m.mu.Unlock()
	as := make([]any, len(args))
	for i, a := range args {
		as[i] = a.(cudaBuf).b
	}
	return f.Launch(nil, [3]uint32{grid, 1, 1}, [3]uint32{block, 1, 1}, 0, as...)
}

func (g *cudaGPU) gemm(gm *codegen.Gemm, a, b, c devBuf) error {
	g.once.Do(func() { g.blas, g.err = g.dev.BLAS() })
	if g.err != nil {
		return g.err
	}
	lda, ldb := gm.K, gm.N
	if gm.TransA {
		lda = gm.M
	}
	if gm.TransB {
		ldb = gm.K
	}
	return g.blas.GemmStridedBatched(g.stream, gm.DType, gm.TransA, gm.TransB, gm.M, gm.N, gm.K,
		1, a.(cudaBuf).b, lda, int64(gm.M*gm.K), b.(cudaBuf).b, ldb, int64(gm.K*gm.N),
		0, c.(cudaBuf).b, gm.N, int64(gm.M*gm.N), gm.Batch)
}

// openGPU opens device ordinal with a stream of its own.
func openGPU(ordinal int) (*cudaGPU, error) {
	d, err := Open(ordinal)
	if err != nil {
		return nil, err
	}
	s, err := d.NewStream()
	if err != nil {
		return nil, err
	}
	return &cudaGPU{dev: d, stream: s}, nil
}

// sizeOf returns the bytes of a value of spec s.
func sizeOf(s nx.TensorSpec) int { return s.Shape.Size() * s.DType.Size() }
