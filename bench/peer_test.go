package bench

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestParsePeerOutput(t *testing.T) {
	in := `{"info": "OpenBLAS", "value": "0.3.21; core Zen"}

{"system": "OpenBLAS", "case": "f32 256", "ns": 1776427.4, "check": 125833636.25}
{"system": "numpy", "case": "softmax 4096\u00d71024", "ns": 2e7}
{"system": "torch", "case": "forward+backward", "error": "out of memory"}
`
	out, err := ParsePeerOutput(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if want := []PeerInfo{{"OpenBLAS", "0.3.21; core Zen"}}; len(out.Info) != 1 || out.Info[0] != want[0] {
		t.Errorf("Info = %+v, want %+v", out.Info, want)
	}
	want := []PeerResult{
		{System: "OpenBLAS", Case: "f32 256", PerOp: 1776427 * time.Nanosecond, Check: 125833636.25, HasCheck: true},
		{System: "numpy", Case: "softmax 4096×1024", PerOp: 20 * time.Millisecond},
		{System: "torch", Case: "forward+backward", Err: "out of memory"},
	}
	if len(out.Results) != len(want) {
		t.Fatalf("Results = %+v, want %+v", out.Results, want)
	}
	for i := range want {
		if out.Results[i] != want[i] {
			t.Errorf("Results[%d] = %+v, want %+v", i, out.Results[i], want[i])
		}
	}
	if r, ok := out.Result("numpy", "softmax 4096×1024"); !ok || r.PerOp != 20*time.Millisecond {
		t.Errorf("Result(numpy, softmax) = %+v, %v", r, ok)
	}
	if _, ok := out.Result("numpy", "f32 256"); ok {
		t.Error("Result found a case the peer did not print")
	}
	var none *PeerOutput
	if _, ok := none.Result("numpy", "x"); ok {
		t.Error("Result on a nil output reported ok")
	}
}

func TestParsePeerOutputRejects(t *testing.T) {
	good := `{"system": "s", "case": "c", "ns": 5}` + "\n"
	for _, c := range []struct {
		name, line, want string
	}{
		{"stray text", "Warning: something", "invalid character"},
		{"unknown field", `{"system": "s", "case": "c", "ns": 5, "nanos": 5}`, "unknown field"},
		{"two values", `{"system": "s", "case": "c", "ns": 5} {}`, "more than one JSON value"},
		{"no case", `{"system": "s", "ns": 5}`, `needs "system" and "case"`},
		{"no time", `{"system": "s", "case": "c"}`, `needs "ns" or "error"`},
		{"zero time", `{"system": "s", "case": "c", "ns": 0}`, "positive"},
		{"negative time", `{"system": "s", "case": "c", "ns": -3}`, "positive"},
		{"huge time", `{"system": "s", "case": "c", "ns": 1e300}`, "fits a time.Duration"},
		{"empty info", `{"info": "", "value": "x"}`, "info line"},
		{"info with result", `{"info": "k", "system": "s"}`, "info line"},
		{"string time", `{"system": "s", "case": "c", "ns": "5"}`, "cannot unmarshal"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := ParsePeerOutput(strings.NewReader(good + c.line + "\n" + good))
			if !errors.Is(err, ErrPeerOutput) {
				t.Fatalf("err = %v, want one wrapping ErrPeerOutput", err)
			}
			if !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %q, want it to name line 2 and say %q", err, c.want)
			}
			if len(out.Results) != 1 {
				t.Errorf("kept %d results before the bad line, want 1", len(out.Results))
			}
		})
	}
}

func FuzzParsePeerOutput(f *testing.F) {
	f.Add(`{"info": "numpy", "value": "1.24.2"}`)
	f.Add(`{"system": "OpenBLAS", "case": "f32 256", "ns": 1776427.0, "check": 125833636.26}`)
	f.Add(`{"system": "torch", "case": "forward", "error": "no"}` + "\n\n" + `{"system": "a", "case": "b", "ns": 1e300}`)
	f.Add(`{"system": "a", "case": "b", "ns": 1e-3}`)
	f.Add("not json\n")
	f.Fuzz(func(t *testing.T, in string) {
		out, err := ParsePeerOutput(strings.NewReader(in))
		if out == nil {
			t.Fatal("nil output")
		}
		if err != nil && !errors.Is(err, ErrPeerOutput) && !strings.Contains(err.Error(), "reading peer output") {
			t.Fatalf("unexpected error kind: %v", err)
		}
		for _, r := range out.Results {
			if r.System == "" || r.Case == "" || (r.Err == "" && r.PerOp < 0) {
				t.Fatalf("accepted a bad result %+v", r)
			}
		}
	})
}

func TestCheckClose(t *testing.T) {
	for _, c := range []struct {
		a, b, tol float64
		want      bool
	}{
		{1e6, 1e6 + 1, 1e-5, true},
		{1e6, 1e6 + 100, 1e-5, false},
		{0, 1e-7, 1e-6, true},
		{0, 1e-3, 1e-6, false},
		{math.NaN(), 1, 1, false},
		{-5, 5, 1e-3, false},
	} {
		if got := CheckClose(c.a, c.b, c.tol); got != c.want {
			t.Errorf("CheckClose(%v, %v, %v) = %v, want %v", c.a, c.b, c.tol, got, c.want)
		}
	}
}

func ExampleParsePeerOutput() {
	out, err := ParsePeerOutput(strings.NewReader(
		`{"info": "torch", "value": "PyTorch 1.13; 2 threads"}
{"system": "torch", "case": "forward", "ns": 1.3e8, "check": 315519.6}
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Info[0].Key+":", out.Info[0].Value)
	r, _ := out.Result("torch", "forward")
	fmt.Println(r.Case, r.PerOp, r.Check)
	// Output:
	// torch: PyTorch 1.13; 2 threads
	// forward 130ms 315519.6
}
