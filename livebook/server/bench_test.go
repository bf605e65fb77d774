package server

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
)

// fixtureDir holds real .livemd notebooks (Livebook's and Nx's guides).
var fixtureDir = filepath.Join("..", "..", "..", "shared", "fixtures", "livemd")

// heapInUse returns the live heap after a garbage collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkOpenNotebooks measures what 20 open notebooks cost the server: it
// copies 20 fixture notebooks into a temporary root, opens a session on each,
// and reports the live heap they add (heap-B, B/notebook), the process's whole
// live heap then (process-heap-B, the test binary's included) and the time to
// open them.
func BenchmarkOpenNotebooks(b *testing.B) {
	const n = 20
	names, err := filepath.Glob(filepath.Join(fixtureDir, "*.livemd"))
	if err != nil || len(names) < n {
		b.Skipf("want %d fixtures in %s, have %d (%v)", n, fixtureDir, len(names), err)
	}
	slices.Sort(names)
	names = names[:n]
	root := b.TempDir()
	var size int64
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		size += int64(len(data))
		if err := os.WriteFile(filepath.Join(root, filepath.Base(name)), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var added, total uint64
	for b.Loop() {
		srv, err := New(Config{
			Home: root, Autosave: -1,
			Runtimes: map[string]Runtime{"none": Unavailable("benchmark")}, DefaultRuntime: "none",
			Logger: slog.New(slog.DiscardHandler),
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		before := heapInUse()
		b.StartTimer()
		for _, name := range names {
			if _, _, err := srv.Sessions().Open(filepath.Base(name)); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		total = heapInUse()
		added = total - before
		if err := srv.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(added), "heap-B")
	b.ReportMetric(float64(total), "process-heap-B")
	b.ReportMetric(float64(added)/n, "B/notebook")
	b.ReportMetric(float64(size)/n, "file-B/notebook")
}
