package nx_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/gonx-dev/gonx/nx"
	"github.com/gonx-dev/gonx/nx/cuda/codegen"
)

// TestCodegenGolden runs nx's golden suite through the GPU code generator
// without a GPU: every case's graph is planned by nx/cuda/codegen, all the
// kernels are compiled as C by gcc with the generator's CPU shim (one
// program, with a driver that runs each plan's steps), and each result must
// match eager execution within 64 units in the last place. Cases whose plans
// leave nodes to the CPU or hold loops are left out (those nodes run nx's
// own kernels). NX_CODEGEN_GOLDEN=all runs every case instead of the first
// four of each operation.
func TestCodegenGolden(t *testing.T) {
	gcc, err := exec.LookPath("gcc")
	if err != nil {
		t.Skip("gcc not found")
	}
	shim, err := filepath.Abs("cuda/codegen/testdata/shim.h")
	if err != nil {
		t.Fatal(err)
	}
	captureOnce.Do(func() {
		nx.RegisterBackend("codegen-golden", func() (nx.Driver, error) { return captureDriver{}, nil })
	})
	dir := t.TempDir()
	var src strings.Builder
	fmt.Fprintf(&src, "#include %q\n%s", shim, driverHead)
	type ran struct {
		c    nx.GoldenFunction
		plan *codegen.Plan
	}
	var runs []ran
	skipped := 0
	rename := regexp.MustCompile(`\bk(\d+)(_better)?\b`)
	all := os.Getenv("NX_CODEGEN_GOLDEN") == "all"
	perOp := map[string]int{}
	for _, c := range nx.GoldenFunctions(t) {
		// By default the first cases of each operation (the suite keeps
		// make test fast); NX_CODEGEN_GOLDEN=all runs every case.
		if perOp[c.Op]++; !all && perOp[c.Op] > 4 {
			continue
		}
		captured = nil
		if err := nx.Try(func() { nx.Jit(c.Fn, nx.OnBackend("codegen-golden"))(c.Params) }); err != nil {
			skipped++
			continue
		}
		p, err := codegen.Generate(captured)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if p.Count(codegen.HostStep)+p.Count(codegen.LoopStep) > 0 || !gemmsIn(p) {
			skipped++
			continue
		}
		ci := len(runs)
		prefix := fmt.Sprintf("c%d_", ci)
		src.WriteString(rename.ReplaceAllString(p.Source, prefix+"k$1$2"))
		consts := writeDriver(&src, ci, prefix, p)
		var in []byte
		for _, a := range c.Params {
			in = append(in, a.Bytes()...)
		}
		for _, k := range consts {
			in = append(in, k.Bytes()...)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("c%d.in", ci)), in, 0o644); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, ran{c: c, plan: p})
	}
	src.WriteString("int main(int argc, char** argv) {\n")
	for ci := range runs {
		fmt.Fprintf(&src, "  run_case(argv[1], %d, c%d_run);\n", ci, ci)
	}
	src.WriteString("  return 0;\n}\n")
	cfile := filepath.Join(dir, "golden.c")
	if err := os.WriteFile(cfile, []byte(src.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "golden")
	if out, err := exec.Command(gcc, "-std=c99", "-O0", "-w", "-o", bin, cfile, "-lm").CombinedOutput(); err != nil {
		t.Fatalf("gcc: %v\n%.4000s", err, out)
	}
	if out, err := exec.Command(bin, dir).CombinedOutput(); err != nil {
		t.Fatalf("driver: %v\n%s", err, out)
	}
	kernels := 0
	for ci, r := range runs {
		kernels += r.plan.Count(codegen.KernelStep)
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("c%d.out", ci)))
		if err != nil {
			t.Fatal(err)
		}
		w := r.c.Eager
		got, err := nx.FromBytes(b, w.DType(), w.Shape()...)
		if err != nil {
			t.Fatalf("%s: %v", r.c.Name, err)
		}
		if err := nx.SameResult(w, got, 64); err != nil {
			t.Errorf("%s (%s): generated kernels differ from eager: %v\n%s", r.c.Name, r.c.Op, err, r.plan)
		}
	}
	t.Logf("%d golden cases through generated kernels (%d kernels), %d left to the CPU or skipped", len(runs), kernels, skipped)
	if len(runs) < 250 {
		t.Errorf("only %d cases ran", len(runs))
	}
}

// gemmsIn reports whether the driver's GEMM handles the plan's products.
func gemmsIn(p *codegen.Plan) bool {
	for _, s := range p.Steps {
		if s.Kind == codegen.GemmStep && s.Gemm.DType != nx.F32 && s.Gemm.DType != nx.F64 {
			return false
		}
	}
	return true
}

var (
	captureOnce sync.Once
	captured    *nx.Graph
)

// captureDriver keeps the graph it compiles and runs it with Node.Eval.
type captureDriver struct{}

type evalExec struct{ g *nx.Graph }

func (captureDriver) Compile(g *nx.Graph) (nx.Executable, error) {
	captured = g
	return evalExec{g}, nil
}

func (e evalExec) Run(inputs []*nx.Tensor) (outs []*nx.Tensor, err error) {
	defer nx.Recover(&err)
	vals := map[int][]*nx.Tensor{}
	get := func(v nx.Value) *nx.Tensor {
		switch v.Source {
		case nx.FromInput:
			return inputs[v.Index]
		case nx.FromNode:
			return vals[v.Index][v.Result]
		}
		return v.Const
	}
	for _, n := range e.g.Nodes() {
		var args []*nx.Tensor
		for _, v := range n.Operands() {
			args = append(args, get(v))
		}
		vals[n.Index()] = n.Eval(args...)
	}
	for _, v := range e.g.Outputs() {
		outs = append(outs, get(v))
	}
	return outs, nil
}

const driverHead = `
static unsigned char* read_all(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
  unsigned char* b = (unsigned char*)malloc(n + 1);
  if (fread(b, 1, n, f) != (size_t)n) { perror(path); exit(1); }
  fclose(f);
  return b;
}
typedef void (*case_fn)(unsigned char* in, FILE* out);
static void run_case(const char* dir, int k, case_fn fn) {
  char path[4096];
  snprintf(path, sizeof path, "%s/c%d.in", dir, k);
  unsigned char* in = read_all(path);
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

// writeDriver writes the C function running plan p (kernels renamed with
// prefix) and returns the constants it reads after the graph's inputs.
func writeDriver(b *strings.Builder, ci int, prefix string, p *codegen.Plan) []*nx.Tensor {
	g := p.Graph
	names := map[nx.Value]string{}
	var consts []*nx.Tensor
	fmt.Fprintf(b, "\nstatic void c%d_run(unsigned char* in, FILE* out) {\n  unsigned char* at = in;\n", ci)
	for i, s := range g.Inputs() {
		fmt.Fprintf(b, "  unsigned char* x%d = at; at += %d;\n", i, s.Shape.Size()*s.DType.Size())
		names[nx.Value{Source: nx.FromInput, Index: i}] = fmt.Sprintf("x%d", i)
	}
	constant := func(v nx.Value) {
		if _, ok := names[v]; !ok {
			names[v] = fmt.Sprintf("k%d", len(consts))
			fmt.Fprintf(b, "  unsigned char* k%d = at; at += %d;\n", len(consts), v.Const.Size()*v.Const.DType().Size())
			consts = append(consts, v.Const)
		}
	}
	for _, st := range p.Steps {
		for _, v := range st.Args {
			if v.Source == nx.FromConst {
				constant(v)
			}
		}
	}
	for _, v := range g.Outputs() {
		if v.Source == nx.FromConst {
			constant(v)
		}
	}
	for _, st := range p.Steps {
		for _, v := range st.Outs {
			name := fmt.Sprintf("n%d_%d", v.Index, v.Result)
			if st.Kind != codegen.AliasStep {
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
		case codegen.KernelStep:
			var args []string
			for _, v := range st.Args {
				args = append(args, "(const void*)"+names[v])
			}
			for _, v := range st.Outs {
				args = append(args, "(void*)"+names[v])
			}
			fmt.Fprintf(b, "  nx_grid = %d;\n  for (nx_block_id = 0; nx_block_id < nx_grid; nx_block_id++) %s%s(%s);\n",
				st.Kernel.Grid, prefix, st.Kernel.Name, strings.Join(args, ", "))
		case codegen.AliasStep:
			fmt.Fprintf(b, "  %s = %s;\n", names[st.Outs[0]], names[st.Args[0]])
		case codegen.GemmStep:
			gm := st.Gemm
			ct := "float"
			if gm.DType == nx.F64 {
				ct = "double"
			}
			ta, tb, m, n, k, lda, ldb, ldc, sa, sb, sc := gm.ColumnMajor()
			fmt.Fprintf(b, "  gemm_%s(%d, %d, %d, %d, %d, (const %s*)%s, %d, (const %s*)%s, %d, (%s*)%s, %d, %d, %dLL, %dLL, %dLL);\n",
				ct, b2i(ta), b2i(tb), m, n, k, ct, names[st.Args[1]], lda, ct, names[st.Args[0]], ldb, ct, names[st.Outs[0]], ldc, gm.Batch, sa, sb, sc)
		}
	}
	for _, v := range g.Outputs() {
		s := g.Spec(v)
		fmt.Fprintf(b, "  fwrite(%s, 1, %d, out);\n", names[v], s.Shape.Size()*s.DType.Size())
	}
	b.WriteString("}\n")
	return consts
}

func b2i(v bool) int {
	if v {
		return 1
	}
	return 0
}
