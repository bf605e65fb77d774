package cuda

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unsafe"
)

// cScalar maps the C types of the prototypes in symbols to the Go type a
// value of that type is bound as.
var cScalar = map[string]reflect.Type{
	"unsigned int": reflect.TypeFor[uint32](), "int": reflect.TypeFor[int32](),
	"unsigned char": reflect.TypeFor[uint8](), "long long int": reflect.TypeFor[int64](),
	"float": reflect.TypeFor[float32](), "double": reflect.TypeFor[float64](),
	"size_t": reflect.TypeFor[uintptr](), "char": reflect.TypeFor[byte](),
	"CUresult": reflect.TypeFor[cuResult](), "nvrtcResult": reflect.TypeFor[nvrtcResult](),
	"cublasStatus_t": reflect.TypeFor[cublasStatus](),
	"CUdevice":       reflect.TypeFor[int32](), "CUdevice_attribute": reflect.TypeFor[int32](),
	"CUjit_option": reflect.TypeFor[int32](), "cublasOperation_t": reflect.TypeFor[int32](), "cudaDataType": reflect.TypeFor[int32](),
	"cublasComputeType_t": reflect.TypeFor[int32](), "cublasGemmAlgo_t": reflect.TypeFor[int32](),
	// 64-bit device addresses and opaque handles (pointers to driver structs).
	"CUdeviceptr": reflect.TypeFor[uintptr](), "CUcontext": reflect.TypeFor[uintptr](),
	"CUstream": reflect.TypeFor[uintptr](), "cudaStream_t": reflect.TypeFor[uintptr](),
	"CUmodule": reflect.TypeFor[uintptr](), "CUfunction": reflect.TypeFor[uintptr](),
	"nvrtcProgram": reflect.TypeFor[uintptr](), "cublasHandle_t": reflect.TypeFor[uintptr](),
}

// deviceMatrices names the pointer parameters that hold device addresses; Go
// passes them as uintptr.
var deviceMatrices = map[string]bool{"A": true, "B": true, "C": true}

var protoRE = regexp.MustCompile(`^(.+?)\b(\w+)\((.*)\)$`)
var paramRE = regexp.MustCompile(`^(.*?)\s*(\w+)$`)

// cTypeToGo returns the Go types allowed for a C parameter (or result) type.
func cTypeToGo(t *testing.T, ctype, name string) []reflect.Type {
	depth := strings.Count(ctype, "*")
	base := strings.Join(strings.Fields(strings.NewReplacer("const", " ", "*", " ").Replace(ctype)), " ")
	if base == "long long" {
		base = "long long int"
	}
	if depth == 0 {
		g, ok := cScalar[base]
		if !ok {
			t.Fatalf("no Go type for C type %q", ctype)
		}
		return []reflect.Type{g}
	}
	if depth == 1 && base == "void" {
		if deviceMatrices[name] {
			return []reflect.Type{reflect.TypeFor[uintptr]()}
		}
		return []reflect.Type{reflect.TypeFor[unsafe.Pointer]()}
	}
	if depth == 2 && base == "void" { // void **kernelParams: pointers held as uintptr
		return []reflect.Type{reflect.TypeFor[*uintptr]()}
	}
	g, ok := cScalar[base]
	if !ok {
		t.Fatalf("no Go type for C type %q", ctype)
	}
	for range depth {
		g = reflect.PointerTo(g)
	}
	if depth == 1 && deviceMatrices[name] {
		return []reflect.Type{reflect.TypeFor[uintptr]()}
	}
	return []reflect.Type{g}
}

// TestSymbolTypes checks every bound Go function type against its C prototype:
// the number of parameters, and each parameter's and the result's type and width.
func TestSymbolTypes(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range symbols {
		if seen[s.name] {
			t.Errorf("%s bound twice", s.name)
		}
		seen[s.name] = true
		m := protoRE.FindStringSubmatch(s.proto)
		if m == nil || m[2] != s.name {
			t.Errorf("prototype %q does not declare %s", s.proto, s.name)
			continue
		}
		ft := reflect.TypeOf(s.fn).Elem()
		if ft.Kind() != reflect.Func || ft.NumOut() != 1 {
			t.Errorf("%s: Go type %v", s.name, ft)
			continue
		}
		ret := strings.TrimSpace(m[1])
		want := cTypeToGo(t, ret, "")
		if ret == "const char *" {
			want = []reflect.Type{reflect.TypeFor[string]()}
		}
		if ft.Out(0) != want[0] {
			t.Errorf("%s returns %v; the C function returns %s (want %v)", s.name, ft.Out(0), ret, want[0])
		}
		var params []string
		if p := strings.TrimSpace(m[3]); p != "void" {
			params = strings.Split(p, ",")
		}
		if ft.NumIn() != len(params) {
			t.Errorf("%s: Go has %d parameters, C %d", s.name, ft.NumIn(), len(params))
			continue
		}
		for i, p := range params {
			pm := paramRE.FindStringSubmatch(strings.TrimSpace(p))
			if pm == nil {
				t.Fatalf("%s: cannot parse parameter %q", s.name, p)
			}
			allowed := cTypeToGo(t, pm[1], pm[2])
			if got := ft.In(i); got != allowed[0] {
				t.Errorf("%s parameter %d (%s): Go %v, want %v", s.name, i, strings.TrimSpace(p), got, allowed[0])
			} else if got.Size() != uintptr(cSize(pm[1])) {
				t.Errorf("%s parameter %d (%s): Go %v is %d bytes, C %d", s.name, i, strings.TrimSpace(p), got, got.Size(), cSize(pm[1]))
			}
		}
	}
}

// cSize is the size of a C type on linux/amd64 and linux/arm64 (LP64).
func cSize(ctype string) int {
	if strings.Contains(ctype, "*") {
		return 8
	}
	base := strings.Join(strings.Fields(strings.ReplaceAll(ctype, "const", " ")), " ")
	switch base {
	case "unsigned char":
		return 1
	case "size_t", "CUdeviceptr", "long long", "long long int", "double",
		"CUcontext", "CUstream", "cudaStream_t", "CUmodule", "CUfunction", "nvrtcProgram", "cublasHandle_t":
		return 8
	}
	return 4 // int, unsigned int, float, and the enums
}

// TestSymbolTypesDetectMismatch makes sure the check above can fail.
func TestSymbolTypesDetectMismatch(t *testing.T) {
	var wrong func(dptr *uintptr, bytes uint32) cuResult
	ft := reflect.TypeOf(&wrong).Elem()
	pm := paramRE.FindStringSubmatch("size_t bytesize")
	if ft.In(1) == cTypeToGo(t, pm[1], pm[2])[0] {
		t.Fatal("a 32-bit Go parameter matched size_t")
	}
	if got := cTypeToGo(t, "const float *", "A")[0]; got != reflect.TypeFor[uintptr]() {
		t.Fatalf("device matrix A maps to %v", got)
	}
	if got := cTypeToGo(t, "const char * const *", "options")[0]; got != reflect.TypeFor[**byte]() {
		t.Fatalf("const char * const * maps to %v", got)
	}
}
