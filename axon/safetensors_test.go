package axon

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/nx"
)

var update = flag.Bool("update", false, "rewrite testdata/go.safetensors")

// TestSafetensorsFromPython reads the file testdata/safetensors.py wrote with
// NumPy.
func TestSafetensorsFromPython(t *testing.T) {
	s, meta, err := LoadFile("testdata/python.safetensors")
	if err != nil {
		t.Fatal(err)
	}
	if meta["format"] != "pt" || len(meta) != 1 {
		t.Errorf("metadata %v", meta)
	}
	cases := []struct {
		layer, param string
		dt           nx.DType
		shape        nx.Shape
		want         []float64
	}{
		{"dense_0", "kernel", nx.F32, nx.Shape{2, 3}, []float64{0.5, -1.25, 2, 3, 0, -0.125}},
		{"dense_0", "bias", nx.F32, nx.Shape{3}, []float64{1, 2, 3}},
		{"misc", "ids", nx.S64, nx.Shape{4}, []float64{1, -2, 3, 1 << 40}},
		{"misc", "half", nx.F16, nx.Shape{2}, []float64{1.5, -0.25}},
		{"misc", "brain", nx.BF16, nx.Shape{3}, []float64{1, -2.5, 0.15625}},
		{"misc", "flags", nx.U8, nx.Shape{3}, []float64{1, 0, 1}},
		{"misc", "pixels", nx.U8, nx.Shape{2, 2}, []float64{0, 127, 128, 255}},
		{"misc", "scalar", nx.F32, nx.Shape{}, []float64{7.5}},
	}
	for _, c := range cases {
		got := s.Params[c.layer][c.param]
		if got == nil {
			t.Errorf("no %s.%s", c.layer, c.param)
			continue
		}
		if got.DType() != c.dt || !got.Shape().Equal(c.shape) {
			t.Errorf("%s.%s: %s%v, want %s%v", c.layer, c.param, got.DType(), got.Shape(), c.dt, c.shape)
			continue
		}
		assertValues(t, c.layer+"."+c.param, got, c.want, 0)
	}
	// gonx.state in the metadata marks layer state.
	if m := s.State["batch_norm_0"]["mean"]; m == nil || m.DType() != nx.F64 {
		t.Errorf("state: %v", s.State)
	} else {
		assertValues(t, "batch_norm_0.mean", m, []float64{0.1, -0.2}, 0)
	}
}

// goldenState is what TestSafetensorsGolden writes; testdata/safetensors.py
// check verifies the same values with NumPy.
func goldenState() *ModelState {
	return &ModelState{
		Params: map[string]map[string]*nx.Tensor{
			"dense_0": {
				"kernel": nx.FromSlice([]float32{-0.5, -0.25, 0, 0.25, 0.5, 0.75}, 2, 3),
				"bias":   nx.FromSlice([]float32{0.25, -0.5, 1}),
			},
			"embedding_0": {"kernel": nx.FromSlice([]float64{1e-300, -2.5, math.Pi, 1e300}, 2, 2)},
			"misc": {
				"counts": nx.FromSlice([]int32{-7, 0, math.MaxInt32}),
				"half":   nx.AsType(nx.FromSlice([]float32{0.5, -3}), nx.F16),
			},
		},
		State: map[string]map[string]*nx.Tensor{"batch_norm_0": {
			"mean": nx.FromSlice([]float32{1, 2}),
			"var":  nx.FromSlice([]float32{3, 4}),
		}},
		Frozen: map[string]bool{"dense_0.bias": true},
	}
}

// TestSafetensorsGolden checks that Save writes exactly the bytes of
// testdata/go.safetensors, which `python3 testdata/safetensors.py check`
// verifies independently. Run with -update after a deliberate format change.
func TestSafetensorsGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := Save(&buf, goldenState(), map[string]string{"model": "golden"}); err != nil {
		t.Fatal(err)
	}
	const path = "testdata/go.safetensors"
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("Save wrote %d bytes that differ from %s (%d bytes)", buf.Len(), path, len(want))
	}
	if n := binary.LittleEndian.Uint64(want); n%8 != 0 {
		t.Errorf("header of %d bytes is not padded to 8", n)
	}
	s, meta, err := Load(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	if meta["model"] != "golden" || len(meta) != 1 {
		t.Errorf("metadata %v", meta)
	}
	g := goldenState()
	for name, w := range g.Tensors() {
		got := s.Tensors()[name]
		if got == nil || got.DType() != w.DType() || !bytes.Equal(got.Bytes(), w.Bytes()) {
			t.Errorf("%s: read %v, want %v", name, got, w)
		}
	}
	if len(s.State["batch_norm_0"]) != 2 || !s.IsFrozen("dense_0", "bias") || s.IsFrozen("dense_0", "kernel") {
		t.Errorf("state %v, frozen %v", s.State, s.Frozen)
	}
}

func TestSafetensorsAllTypes(t *testing.T) {
	tensors := map[string]*nx.Tensor{}
	for _, dt := range []nx.DType{nx.U8, nx.U16, nx.U32, nx.U64, nx.S8, nx.S16, nx.S32, nx.S64, nx.F16, nx.BF16, nx.F32, nx.F64, nx.C64} {
		tensors["t."+dt.String()] = nx.AsType(nx.FromSlice([]float64{0, 1, 2, 3, 4, 5}, 2, 3), dt)
	}
	tensors["t.empty"] = nx.Zeros(nx.F32, 0, 3)
	var buf bytes.Buffer
	if err := WriteSafetensors(&buf, tensors, nil); err != nil {
		t.Fatal(err)
	}
	got, meta, err := ReadSafetensors(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if meta != nil {
		t.Errorf("metadata %v, want none", meta)
	}
	for name, w := range tensors {
		g := got[name]
		if g == nil || g.DType() != w.DType() || !g.Shape().Equal(w.Shape()) || !bytes.Equal(g.Bytes(), w.Bytes()) {
			t.Errorf("%s: read %v, want %v", name, g, w)
		}
	}
	if err := WriteSafetensors(&buf, map[string]*nx.Tensor{"c": nx.AsType(nx.FromSlice([]float64{1}), nx.C128)}, nil); err == nil {
		t.Error("c128 has no safetensors type: no error")
	}
}

// header returns a safetensors file with the given JSON header and data.
func header(js string, data []byte) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(js)))
	return append(append(b, js...), data...)
}

func TestSafetensorsMalformed(t *testing.T) {
	ok := `{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`
	cases := []struct {
		name string
		data []byte
		msg  string
	}{
		{"empty", nil, "header length"},
		{"short_length", []byte{1, 2, 3}, "header length"},
		{"huge_header", binary.LittleEndian.AppendUint64(nil, 1<<40), "exceeds"},
		{"truncated_header", header(ok, make([]byte, 8))[:20], "reading the"},
		{"not_json", header("[1, 2]", nil), "not a JSON object"},
		{"bad_json", header(`{"a":`, nil), "header"},
		{"bad_dtype", header(`{"a":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 4)), "unknown dtype"},
		{"negative_shape", header(`{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, make([]byte, 4)), "invalid shape"},
		{"size_mismatch", header(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, make([]byte, 8)), "do not hold"},
		{"hole", header(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)), "holes"},
		{"overlap", header(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, make([]byte, 8)), "holes"},
		{"truncated_data", header(ok, make([]byte, 5)), "truncated"},
		{"bad_metadata", header(`{"__metadata__":{"a":1}}`, nil), "__metadata__"},
		{"unknown_field", header(`{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0],"x":1}}`, nil), "unknown field"},
		{"bad_bool", header(`{"a":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}`, []byte{7}), "boolean"},
		{"overflow_shape", header(`{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}}`, nil), "invalid shape"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ReadSafetensors(bytes.NewReader(c.data))
			if !errors.Is(err, ErrSafetensors) || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error %v, want ErrSafetensors mentioning %q", err, c.msg)
			}
		})
	}
	if _, _, err := Load(bytes.NewReader(header(`{"nodot":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}`, make([]byte, 4)))); !errors.Is(err, ErrSafetensors) {
		t.Errorf("a tensor not named layer.param: %v", err)
	}
}

func TestSaveFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SaveFile(path, goldenState(), nil); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the saved one", len(entries))
	}
	if _, _, err := LoadFile(path); err != nil {
		t.Fatal(err)
	}
	// A failing write leaves the old file and no temporary file.
	bad := goldenState()
	bad.Params["x"] = map[string]*nx.Tensor{"c": nx.AsType(nx.FromSlice([]float64{1}), nx.C128)}
	if err := SaveFile(path, bad, nil); err == nil {
		t.Fatal("saving a c128 tensor: no error")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("after a failed save the folder holds %d files", len(entries))
	}
	if _, _, err := LoadFile(path); err != nil {
		t.Errorf("the previous file is damaged: %v", err)
	}
	if err := SaveFile(filepath.Join(dir, "missing", "m.safetensors"), goldenState(), nil); err == nil {
		t.Error("saving into a missing folder: no error")
	}
}

// FuzzReadSafetensors checks that no input makes the reader panic, and that
// whatever it accepts writes back to a file that reads the same. The seed
// corpus is testdata/fuzz/FuzzReadSafetensors plus the two fixtures.
func FuzzReadSafetensors(f *testing.F) {
	for _, p := range []string{"testdata/python.safetensors", "testdata/go.safetensors"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tensors, meta, err := ReadSafetensors(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrSafetensors) {
				t.Fatalf("error %v does not wrap ErrSafetensors", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteSafetensors(&buf, tensors, meta); err != nil {
			t.Fatalf("writing back what was read: %v", err)
		}
		again, _, err := ReadSafetensors(&buf)
		if err != nil {
			t.Fatalf("reading back: %v", err)
		}
		for name, tt := range tensors {
			if a := again[name]; a == nil || !bytes.Equal(a.Bytes(), tt.Bytes()) || !a.Shape().Equal(tt.Shape()) {
				t.Fatalf("%s changed in a round trip", name)
			}
		}
	})
}
