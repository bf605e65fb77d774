package codegen

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

// TestKernelsOnCPU is the second source for the generated code without a
// GPU: every case's kernels are compiled as C by gcc with testdata/shim.h
// (which emulates the CUDA built-ins the kernels use) and a driver generated
// here, which runs the plan's steps (kernels block by block, GEMMs with a
// plain column-major loop given Gemm.ColumnMajor's arguments) on the
// inputs written to files; the outputs must match nx's eager CPU results.
func TestKernelsOnCPU(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	shim, err := filepath.Abs(filepath.Join("testdata", "shim.h"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var src strings.Builder
	fmt.Fprintf(&src, "#include %q\n", shim)
	src.WriteString(driverHead)
	type ran struct {
		c    genCase
		want []*nx.Tensor
	}
	var runs []ran
	var mains []string
	for ci, c := range cases() {
		g := graphOf(t, c.fn, c.args)
		p, err := generate(g, fmt.Sprintf("c%d_k", ci))
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if p.Count(HostStep) > 0 {
			t.Fatalf("%s: host steps in the plan:\n%s", c, p)
		}
		src.WriteString(p.Source)
		consts, err := writeDriver(&src, ci, p)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		var in []byte
		for _, a := range c.args {
			in = append(in, a.Bytes()...)
		}
		for _, k := range consts {
			in = append(in, k.Bytes()...)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%d.in", ci)), in, 0o644); err != nil {
			t.Fatal(err)
		}
		mains = append(mains, fmt.Sprintf("  run_case(dir, %d, c%d_run);\n", ci, ci))
		runs = append(runs, ran{c: c, want: c.fn(c.args)})
	}
	src.WriteString("int main(int argc, char** argv) {\n  const char* dir = argv[1];\n")
	for _, m := range mains {
		src.WriteString(m)
	}
	src.WriteString("  return 0;\n}\n")
	cfile := filepath.Join(dir, "kernels.c")
	if err := os.WriteFile(cfile, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "kernels")
	if out, err := exec.Command(gcc, "-std=c99", "-O0", "-w", "-o", bin, cfile, "-lm").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%s", err, firstLines(string(out), 40))
	}
	if out, err := exec.Command(bin, dir).CombinedOutput(); err != nil {
		t.Fatalf("driver: %v\n%s", err, out)
	}
	checked := 0
	for ci, r := range runs {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("c%d.out", ci)))
		if err != nil {
			t.Fatal(err)
		}
		for k, w := range r.want {
			size := w.Size() * w.DType().Size()
			if len(b) < size {
				t.Fatalf("%s: output %d truncated", r.c, k)
			}
			got, err := nx.FromBytes(b[:size], w.DType(), w.Shape()...)
			if err != nil {
				t.Fatal(err)
			}
			b = b[size:]
			if msg := compareOut(r.c.family, w, got); msg != "" {
				t.Errorf("%s: output %d (%s): %s", r.c, k, w.DType(), msg)
			}
			checked++
		}
	}
	t.Logf("%d cases, %d outputs compared", len(runs), checked)
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// tolerance returns the relative error allowed for outputs of dt in a
// family: exact for integers and for arithmetic that C and Go round alike;
// a few units in the last place where the math libraries differ or
// reductions add in another order.
func tolerance(family string, dt nx.DType) float64 {
	switch dt {
	case nx.F64:
		return 1e-13
	case nx.F32:
		switch family {
		case "reduce":
			return 2e-6
		case "grad": // products summed in another order, with cancellation
			return 1e-4
		}
		return 5e-7
	case nx.F16:
		return 2e-3
	case nx.BF16:
		return 1.6e-2
	}
	return 0
}

func compareOut(family string, want, got *nx.Tensor) string {
	dt := want.DType()
	if !(dt.IsFloat() || dt == nx.BF16) {
		if string(want.Bytes()) != string(got.Bytes()) {
			return fmt.Sprintf("got %v\nwant %v", got.Int64s(), want.Int64s())
		}
		return ""
	}
	tol := tolerance(family, dt)
	w, g := want.Float64s(), got.Float64s()
	bad := 0
	var first string
	for i := range w {
		a, b := w[i], g[i]
		if math.IsNaN(a) && math.IsNaN(b) || a == b {
			continue
		}
		scale := math.Max(math.Abs(a), math.Abs(b))
		if !math.IsInf(scale, 0) && math.Abs(a-b) <= tol*math.Max(scale, 1e-30) {
			continue
		}
		if dt == nx.F16 && math.Abs(a-b) <= 6e-8 { // subnormal halves
			continue
		}
		if bad == 0 {
			first = fmt.Sprintf("element %d: got %v, want %v", i, b, a)
		}
		bad++
	}
	if bad > 0 {
		return fmt.Sprintf("%d of %d elements differ; %s", bad, len(w), first)
	}
	return ""
}

const driverHead = `
static unsigned char* read_all(const char* path, long* n) {
  FILE* f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  fseek(f, 0, SEEK_END); *n = ftell(f); fseek(f, 0, SEEK_SET);
  unsigned char* b = (unsigned char*)malloc(*n + 1);
  if (fread(b, 1, *n, f) != (size_t)*n) { perror(path); exit(1); }
  fclose(f);
  return b;
}
typedef void (*case_fn)(unsigned char* in, FILE* out);
static void run_case(const char* dir, int k, case_fn fn) {
  char path[4096];
  long n;
  snprintf(path, sizeof path, "%s/c%d.in", dir, k);
  unsigned char* in = read_all(path, &n);
  snprintf(path, sizeof path, "%s/c%d.out", dir, k);
  FILE* out = fopen(path, "wb");
  if (!out) { perror(path); exit(1); }
  fn(in, out);
  fclose(out);
  free(in);
}
#define NX_GEMM(T) \
static void gemm_##T(int ta, int tb, int m, int n, int k, const T* A, int lda, const T* B, int ldb, \
    T* C, int ldc, int batch, long long sa, long long sb, long long sc) { \
  for (int p = 0; p < batch; p++) \
    for (int j = 0; j < n; j++) \
      for (int i = 0; i < m; i++) { \
        double s = 0; \
        for (int l = 0; l < k; l++) { \
          double x = ta ? A[p * sa + l + (long long)i * lda] : A[p * sa + i + (long long)l * lda]; \
          double y = tb ? B[p * sb + j + (long long)l * ldb] : B[p * sb + l + (long long)j * ldb]; \
          s += x * y; \
        } \
        C[p * sc + i + (long long)j * ldc] = (T)s; \
      } \
}
NX_GEMM(float)
NX_GEMM(double)
`

// writeDriver writes the C function running plan p for case ci, and returns
// the constants (beyond one element) it reads after the graph's inputs.
func writeDriver(b *strings.Builder, ci int, p *Plan) ([]*nx.Tensor, error) {
	g := p.Graph
	names := map[nx.Value]string{}
	var consts []*nx.Tensor
	fmt.Fprintf(b, "\nstatic void c%d_run(unsigned char* in, FILE* out) {\n  unsigned char* at = in;\n", ci)
	for i, s := range g.Inputs() {
		fmt.Fprintf(b, "  unsigned char* x%d = at; at += %d;\n", i, s.Shape.Size()*s.DType.Size())
		names[nx.Value{Source: nx.FromInput, Index: i}] = fmt.Sprintf("x%d", i)
	}
	for _, st := range p.Steps {
		for _, v := range st.Args {
			if v.Source == nx.FromConst {
				if _, ok := names[v]; !ok {
					names[v] = fmt.Sprintf("k%d", len(consts))
					fmt.Fprintf(b, "  unsigned char* k%d = at; at += %d;\n", len(consts), v.Const.Size()*v.Const.DType().Size())
					consts = append(consts, v.Const)
				}
			}
		}
	}
	for _, st := range p.Steps {
		for _, v := range st.Outs {
			name := fmt.Sprintf("n%d_%d", v.Index, v.Result)
			if st.Kind != AliasStep {
				s := g.Spec(v)
				fmt.Fprintf(b, "  unsigned char* %s = (unsigned char*)malloc(%d);\n", name, max(1, s.Shape.Size()*s.DType.Size()))
			} else {
				fmt.Fprintf(b, "  unsigned char* %s;\n", name)
			}
			names[v] = name
		}
	}
	for _, st := range p.Steps {
		switch st.Kind {
		case KernelStep:
			var args []string
			for _, v := range st.Args {
				args = append(args, fmt.Sprintf("(const void*)%s", names[v]))
			}
			for _, v := range st.Outs {
				args = append(args, fmt.Sprintf("(void*)%s", names[v]))
			}
			fmt.Fprintf(b, "  nx_grid = %d;\n  for (nx_block_id = 0; nx_block_id < nx_grid; nx_block_id++) %s(%s);\n",
				st.Kernel.Grid, st.Kernel.Name, strings.Join(args, ", "))
		case AliasStep:
			fmt.Fprintf(b, "  %s = %s;\n", names[st.Outs[0]], names[st.Args[0]])
		case GemmStep:
			gm := st.Gemm
			ct := cType(gm.DType)
			if gm.DType != nx.F32 && gm.DType != nx.F64 {
				return nil, fmt.Errorf("the driver's GEMM takes f32 and f64, not %s", gm.DType)
			}
			ta, tb, m, n, k, lda, ldb, ldc, sa, sb, sc := gm.ColumnMajor()
			fmt.Fprintf(b, "  gemm_%s(%d, %d, %d, %d, %d, (const %s*)%s, %d, (const %s*)%s, %d, (%s*)%s, %d, %d, %dLL, %dLL, %dLL);\n",
				ct, b2i(ta), b2i(tb), m, n, k, ct, names[st.Args[1]], lda, ct, names[st.Args[0]], ldb, ct, names[st.Outs[0]], ldc, gm.Batch, sa, sb, sc)
		default:
			return nil, fmt.Errorf("the driver cannot run %s steps", st.Kind)
		}
	}
	for _, v := range g.Outputs() {
		s := g.Spec(v)
		size := s.Shape.Size() * s.DType.Size()
		name, ok := names[v]
		if !ok {
			if v.Source == nx.FromConst {
				name = fmt.Sprintf("k%d", len(consts))
				fmt.Fprintf(b, "  unsigned char* %s = at; at += %d;\n", name, size)
				consts = append(consts, v.Const)
				names[v] = name
			} else {
				return nil, fmt.Errorf("output %s is never computed", v)
			}
		}
		fmt.Fprintf(b, "  fwrite(%s, 1, %d, out);\n", name, size)
	}
	b.WriteString("}\n")
	return consts, nil
}

func b2i(v bool) int {
	if v {
		return 1
	}
	return 0
}
