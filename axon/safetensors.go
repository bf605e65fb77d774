package axon

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gonx-dev/gonx/nx"
)

// Model states are saved as safetensors (https://github.com/huggingface/safetensors),
// the format PyTorch and Hugging Face tools read: an 8-byte little-endian
// header length N, a JSON header of N bytes mapping each tensor's name to
// {"dtype", "shape", "data_offsets": [begin, end]} (plus an optional
// "__metadata__" object of strings), then the tensors' little-endian bytes,
// back to back, offsets counted from the end of the header.

// ErrSafetensors is wrapped by every error about a malformed safetensors file.
var ErrSafetensors = errors.New("malformed safetensors data")

// maxHeader bounds the JSON header a reader accepts (the reference
// implementation's limit).
const maxHeader = 100 << 20

// safetensors dtype names and the nx types they hold.
var stTypes = map[string]nx.DType{
	"BOOL": nx.U8, "U8": nx.U8, "I8": nx.S8, "U16": nx.U16, "I16": nx.S16, "U32": nx.U32, "I32": nx.S32,
	"U64": nx.U64, "I64": nx.S64, "F16": nx.F16, "BF16": nx.BF16, "F32": nx.F32, "F64": nx.F64,
	"C64": nx.C64,
}

// stName returns the safetensors name of an nx type.
func stName(dt nx.DType) (string, bool) {
	switch dt {
	case nx.U8:
		return "U8", true
	case nx.S8:
		return "I8", true
	case nx.U16:
		return "U16", true
	case nx.S16:
		return "I16", true
	case nx.U32:
		return "U32", true
	case nx.S32:
		return "I32", true
	case nx.U64:
		return "U64", true
	case nx.S64:
		return "I64", true
	case nx.F16:
		return "F16", true
	case nx.BF16:
		return "BF16", true
	case nx.F32:
		return "F32", true
	case nx.F64:
		return "F64", true
	case nx.C64:
		return "C64", true
	}
	return "", false
}

type stEntry struct {
	DType       string `json:"dtype"`
	Shape       []int  `json:"shape"`
	DataOffsets [2]int `json:"data_offsets"`
}

// WriteSafetensors writes tensors (by name) and metadata to w in the
// safetensors format. Tensors are stored in name order; the header is padded
// with spaces to a multiple of 8 bytes so that the data is aligned.
func WriteSafetensors(w io.Writer, tensors map[string]*nx.Tensor, metadata map[string]string) error {
	names := sortedKeys(tensors)
	header := make(map[string]any, len(names)+1)
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	offset := 0
	for _, name := range names {
		if name == "__metadata__" || name == "" {
			return fmt.Errorf("axon: safetensors: invalid tensor name %q", name)
		}
		t := tensors[name]
		dt, ok := stName(t.DType())
		if !ok {
			return fmt.Errorf("axon: safetensors: tensor %q: type %s has no safetensors equivalent", name, t.DType())
		}
		n := t.Size() * t.DType().Size()
		shape := t.Shape()
		if shape == nil {
			shape = nx.Shape{}
		}
		header[name] = stEntry{DType: dt, Shape: shape, DataOffsets: [2]int{offset, offset + n}}
		offset += n
	}
	js, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("axon: safetensors: %w", err)
	}
	if pad := (8 - len(js)%8) % 8; pad > 0 {
		js = append(js, bytes.Repeat([]byte{' '}, pad)...)
	}
	var size [8]byte
	binary.LittleEndian.PutUint64(size[:], uint64(len(js)))
	if _, err := w.Write(size[:]); err != nil {
		return err
	}
	if _, err := w.Write(js); err != nil {
		return err
	}
	for _, name := range names {
		if _, err := w.Write(tensors[name].Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// ReadSafetensors reads safetensors data from r: the tensors by name and the
// metadata. It rejects malformed input (a truncated file, a header that is not
// JSON or names an unknown type, offsets that do not match the shapes, leave
// holes or overlap, or point past the data) with an error wrapping
// ErrSafetensors that says where; it never panics.
func ReadSafetensors(r io.Reader) (map[string]*nx.Tensor, map[string]string, error) {
	var size [8]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return nil, nil, stErr(0, "reading the header length: %v", err)
	}
	n := binary.LittleEndian.Uint64(size[:])
	if n > maxHeader {
		return nil, nil, stErr(0, "header length %d exceeds %d bytes", n, maxHeader)
	}
	js := make([]byte, n)
	if _, err := io.ReadFull(r, js); err != nil {
		return nil, nil, stErr(8, "reading the %d-byte header: %v", n, err)
	}
	if len(bytes.TrimSpace(js)) == 0 || bytes.TrimLeft(js, " ")[0] != '{' {
		return nil, nil, stErr(8, "the header is not a JSON object")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(js, &raw); err != nil {
		return nil, nil, stErr(8, "header: %v", err)
	}
	var meta map[string]string
	if m, ok := raw["__metadata__"]; ok {
		if err := json.Unmarshal(m, &meta); err != nil {
			return nil, nil, stErr(8, "__metadata__ must map strings to strings: %v", err)
		}
		delete(raw, "__metadata__")
	}
	entries := make(map[string]stEntry, len(raw))
	type span struct {
		name       string
		begin, end int
	}
	spans := make([]span, 0, len(raw))
	for name, m := range raw {
		if name == "" {
			return nil, nil, stErr(8, "a tensor has an empty name")
		}
		var e stEntry
		dec := json.NewDecoder(bytes.NewReader(m))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			return nil, nil, stErr(8, "tensor %q: %v", name, err)
		}
		dt, ok := stTypes[e.DType]
		if !ok {
			return nil, nil, stErr(8, "tensor %q: unknown dtype %q", name, e.DType)
		}
		elems := 1
		for _, d := range e.Shape {
			if d < 0 || d > 0 && elems > math.MaxInt32/d {
				return nil, nil, stErr(8, "tensor %q: invalid shape %v", name, e.Shape)
			}
			elems *= d
		}
		begin, end := e.DataOffsets[0], e.DataOffsets[1]
		if begin < 0 || end < begin || end-begin != elems*dt.Size() {
			return nil, nil, stErr(8, "tensor %q: data_offsets %v do not hold %d elements of %s", name, e.DataOffsets, elems, e.DType)
		}
		entries[name] = e
		spans = append(spans, span{name, begin, end})
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].begin != spans[j].begin {
			return spans[i].begin < spans[j].begin
		}
		return spans[i].end < spans[j].end
	})
	pos := 0
	for _, s := range spans {
		if s.begin != pos {
			return nil, nil, stErr(8, "tensor %q starts at data offset %d, want %d (the data must be covered without holes or overlaps)", s.name, s.begin, pos)
		}
		pos = s.end
	}
	// Read what is there rather than allocating what the header claims.
	data, err := io.ReadAll(io.LimitReader(r, int64(pos)))
	if err != nil {
		return nil, nil, stErr(8+int64(n)+int64(len(data)), "reading the data: %v", err)
	}
	if len(data) < pos {
		return nil, nil, stErr(8+int64(n)+int64(len(data)), "the data is truncated: want %d bytes, got %d", pos, len(data))
	}
	tensors := make(map[string]*nx.Tensor, len(entries))
	for name, e := range entries {
		dt := stTypes[e.DType]
		b := data[e.DataOffsets[0]:e.DataOffsets[1]]
		if e.DType == "BOOL" {
			b = bytes.Clone(b)
			for i := range b {
				if b[i] > 1 {
					return nil, nil, stErr(8+int64(n)+int64(e.DataOffsets[0]+i), "tensor %q: boolean byte %d", name, b[i])
				}
			}
		}
		t, err := nx.FromBytes(b, dt, e.Shape...)
		if err != nil {
			return nil, nil, stErr(8+int64(n)+int64(e.DataOffsets[0]), "tensor %q: %v", name, err)
		}
		tensors[name] = t
	}
	return tensors, meta, nil
}

func stErr(offset int64, format string, args ...any) error {
	return fmt.Errorf("axon: safetensors: byte %d: %s: %w", offset, fmt.Sprintf(format, args...), ErrSafetensors)
}

// Metadata keys under which Save records which tensors are layer state and
// which parameters are frozen.
const (
	metaState  = "gonx.state"
	metaFrozen = "gonx.frozen"
)

// Save writes s to w as safetensors, each tensor named "layer.param", with
// metadata (which may be nil) in the header; the names of state tensors and
// frozen parameters are added to it under "gonx.state" and "gonx.frozen".
func Save(w io.Writer, s *ModelState, metadata map[string]string) error {
	meta := map[string]string{}
	for k, v := range metadata {
		meta[k] = v
	}
	var state, frozen []string
	for layer, ps := range s.State {
		for p := range ps {
			state = append(state, layer+"."+p)
		}
	}
	for k, f := range s.Frozen {
		if f {
			frozen = append(frozen, k)
		}
	}
	sort.Strings(state)
	sort.Strings(frozen)
	meta[metaState] = strings.Join(state, ",")
	meta[metaFrozen] = strings.Join(frozen, ",")
	return WriteSafetensors(w, s.Tensors(), meta)
}

// Load reads a model state written by Save (or any safetensors file whose
// tensors are named "layer.param") and returns it with the file's metadata.
func Load(r io.Reader) (*ModelState, map[string]string, error) {
	tensors, meta, err := ReadSafetensors(r)
	if err != nil {
		return nil, nil, err
	}
	isState := map[string]bool{}
	for _, k := range strings.Split(meta[metaState], ",") {
		isState[k] = k != ""
	}
	s := &ModelState{Params: map[string]map[string]*nx.Tensor{}, State: map[string]map[string]*nx.Tensor{}}
	for name, t := range tensors {
		i := strings.LastIndexByte(name, '.')
		if i <= 0 || i == len(name)-1 {
			return nil, nil, fmt.Errorf("axon: load: tensor %q is not named layer.param: %w", name, ErrSafetensors)
		}
		dst := s.Params
		if isState[name] {
			dst = s.State
		}
		layer := name[:i]
		if dst[layer] == nil {
			dst[layer] = map[string]*nx.Tensor{}
		}
		dst[layer][name[i+1:]] = t
	}
	for _, k := range strings.Split(meta[metaFrozen], ",") {
		if k != "" {
			if s.Frozen == nil {
				s.Frozen = map[string]bool{}
			}
			s.Frozen[k] = true
		}
	}
	delete(meta, metaState)
	delete(meta, metaFrozen)
	return s, meta, nil
}

// SaveFile writes s to the file path as Save does, atomically: it writes a
// temporary file in the same directory, syncs it to disk and renames it over
// path, so a crash leaves either the old file or the new one.
func SaveFile(path string, s *ModelState, metadata map[string]string) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("axon: save: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := Save(f, s, metadata); err != nil {
		return fmt.Errorf("axon: save %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("axon: save %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("axon: save %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("axon: save %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync() // make the rename durable where the system allows
		d.Close()
	}
	return nil
}

// LoadFile reads a model state from the file path (see Load).
func LoadFile(path string) (*ModelState, map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("axon: load: %w", err)
	}
	defer f.Close()
	s, meta, err := Load(f)
	if err != nil {
		return nil, nil, fmt.Errorf("axon: load %s: %w", path, err)
	}
	return s, meta, nil
}
