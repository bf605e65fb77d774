package codegen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestKernelsAsCUDACXX checks the generated source as NVRTC reads it — C++,
// with the CUDA branch of the prelude — with g++'s syntax and type checker
// and declarations of the CUDA built-ins (testdata/cuda_syntax.h).
func TestKernelsAsCUDACXX(t *testing.T) {
	gxx, err := exec.LookPath("g++")
	if err != nil {
		t.Skip("g++ not found")
	}
	hdr, err := filepath.Abs(filepath.Join("testdata", "cuda_syntax.h"))
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	src.WriteString("#include \"" + hdr + "\"\n")
	n := 0
	for ci, c := range cases() {
		p, err := generate(graphOf(t, c.fn, c.args), "c"+strconv.Itoa(ci)+"_k")
		if err != nil {
			t.Fatal(err)
		}
		src.WriteString(p.Source)
		n += p.Count(KernelStep)
	}
	file := filepath.Join(t.TempDir(), "kernels.cu.cc")
	if err := os.WriteFile(file, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(gxx, "-std=c++17", "-fsyntax-only", "-Werror=narrowing", "-Wall", "-Wno-unused-function",
		"-Wno-unused-variable", "-x", "c++", file).CombinedOutput()
	if err != nil {
		t.Fatalf("g++: %v\n%s", err, firstLines(string(out), 40))
	}
	if len(out) > 0 {
		t.Errorf("g++ warnings:\n%s", firstLines(string(out), 40))
	}
	t.Logf("%d kernels checked as C++", n)
}
