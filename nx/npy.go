package nx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Bytes returns a copy of t's elements as little-endian bytes in row-major
// order (Nx's to_binary).
func (t *Tensor) Bytes() []byte {
	b := dataBytes(t.data)
	out := make([]byte, len(b))
	copy(out, b)
	if nativeBigEndian {
		swapBytes(out, t.dtype.Size(), t.dtype.IsComplex())
	}
	return out
}

// FromBytes returns a tensor of type dt and the given shape whose elements are
// read from b, little-endian and row-major (Nx's from_binary). Without a shape it
// is 1-D. It fails when b's length does not match.
func FromBytes(b []byte, dt DType, shape ...int) (*Tensor, error) {
	if !dt.Valid() {
		return nil, fmt.Errorf("nx: FromBytes: invalid dtype %s", dt)
	}
	size := dt.Size()
	s := Shape(append([]int{}, shape...))
	if shape == nil {
		if len(b)%size != 0 {
			return nil, fmt.Errorf("nx: FromBytes: %d bytes is not a whole number of %s elements", len(b), dt)
		}
		s = Shape{len(b) / size}
	}
	for _, d := range s {
		if d < 0 {
			return nil, fmt.Errorf("nx: FromBytes: shape %v has a negative dimension", []int(s))
		}
	}
	n, ok := checkedSize(s)
	if !ok || n*size != len(b) {
		return nil, fmt.Errorf("nx: FromBytes: shape %v of %s needs %d bytes, got %d", []int(s), dt, n*size, len(b))
	}
	data := makeData(dt, n)
	copy(dataBytes(data), b)
	if nativeBigEndian {
		swapBytes(dataBytes(data), size, dt.IsComplex())
	}
	return &Tensor{shape: s, dtype: dt, data: data}, nil
}

// checkedSize multiplies the dimensions of s, reporting false on overflow past
// what a slice can hold.
func checkedSize(s Shape) (int, bool) {
	n := 1
	for _, d := range s {
		if d != 0 && n > (1<<40)/d {
			return 0, false
		}
		n *= d
	}
	return n, true
}

var nativeBigEndian = binary.NativeEndian.Uint16([]byte{0, 1}) == 1

// swapBytes reverses the byte order of each element of b in place; complex
// elements swap each of their two parts.
func swapBytes(b []byte, size int, isComplex bool) {
	if isComplex {
		size /= 2
	}
	for i := 0; i+size <= len(b); i += size {
		slices.Reverse(b[i : i+size])
	}
}

// npyDescr maps dtypes to NumPy's type descriptors (little-endian).
var npyDescr = map[DType]string{
	U8: "|u1", U16: "<u2", U32: "<u4", U64: "<u8",
	S8: "|i1", S16: "<i2", S32: "<i4", S64: "<i8",
	F16: "<f2", F32: "<f4", F64: "<f8", C64: "<c8", C128: "<c16",
}

// npyMagic starts every .npy file.
const npyMagic = "\x93NUMPY"

// ErrNPY is wrapped by every error ReadNPY returns for malformed input.
var ErrNPY = errors.New("nx: malformed .npy data")

// WriteNPY writes t to w in NumPy's .npy format (version 1.0), which
// numpy.load reads. bf16 has no NumPy type and is refused.
func WriteNPY(w io.Writer, t *Tensor) error {
	descr, ok := npyDescr[t.dtype]
	if !ok {
		return fmt.Errorf("nx: WriteNPY: NumPy has no %s type; convert with AsType first", t.dtype)
	}
	dims := make([]string, len(t.shape))
	for i, d := range t.shape {
		dims[i] = strconv.Itoa(d)
	}
	shape := "(" + strings.Join(dims, ", ")
	if len(dims) == 1 {
		shape += ","
	}
	shape += ")"
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
	// Pad with spaces so that the data starts on a 64-byte boundary.
	total := len(npyMagic) + 2 + 2 + len(header) + 1
	header += strings.Repeat(" ", (64-total%64)%64) + "\n"
	if len(header) > 65535 {
		return fmt.Errorf("nx: WriteNPY: header of %d bytes is too long", len(header))
	}
	var pre bytes.Buffer
	pre.WriteString(npyMagic)
	pre.Write([]byte{1, 0})
	_ = binary.Write(&pre, binary.LittleEndian, uint16(len(header)))
	pre.WriteString(header)
	if _, err := w.Write(pre.Bytes()); err != nil {
		return fmt.Errorf("nx: WriteNPY: %w", err)
	}
	if _, err := w.Write(t.Bytes()); err != nil {
		return fmt.Errorf("nx: WriteNPY: %w", err)
	}
	return nil
}

// ReadNPY reads a tensor in NumPy's .npy format (versions 1 to 3) from r:
// numeric and boolean arrays (bool becomes u8), either byte order, C or Fortran
// order. Malformed input gives an error wrapping ErrNPY that says what was
// wrong and at which byte offset.
func ReadNPY(r io.Reader) (*Tensor, error) {
	var pre [10]byte
	if n, err := io.ReadFull(r, pre[:8]); err != nil {
		return nil, npyErr(int64(n), "truncated magic string: %v", err)
	}
	if string(pre[:6]) != npyMagic {
		return nil, npyErr(0, "not a .npy file (bad magic string %q)", pre[:6])
	}
	major := pre[6]
	var hlen int
	offset := int64(8)
	switch major {
	case 1:
		if _, err := io.ReadFull(r, pre[8:10]); err != nil {
			return nil, npyErr(offset, "truncated header length")
		}
		hlen = int(binary.LittleEndian.Uint16(pre[8:10]))
		offset += 2
	case 2, 3:
		var l [4]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			return nil, npyErr(offset, "truncated header length")
		}
		hlen = int(binary.LittleEndian.Uint32(l[:]))
		offset += 4
		if hlen > 1<<20 {
			return nil, npyErr(offset-4, "header length %d is unreasonably large", hlen)
		}
	default:
		return nil, npyErr(6, "unsupported format version %d.%d", major, pre[7])
	}
	header := make([]byte, hlen)
	if n, err := io.ReadFull(r, header); err != nil {
		return nil, npyErr(offset+int64(n), "truncated header (want %d bytes)", hlen)
	}
	h, err := parseNPYHeader(string(header))
	if err != nil {
		return nil, npyErr(offset, "%v", err)
	}
	offset += int64(hlen)
	n, ok := checkedSize(h.shape)
	if !ok {
		return nil, npyErr(offset, "shape %v is too large", []int(h.shape))
	}
	raw := make([]byte, 0, min(n*h.size, 1<<26))
	buf := bytes.NewBuffer(raw)
	got, err := io.CopyN(buf, r, int64(n*h.size))
	if err != nil {
		return nil, npyErr(offset+got, "truncated data: want %d bytes of %v elements, got %d", n*h.size, []int(h.shape), got)
	}
	data := buf.Bytes()
	if h.bigEndian {
		swapBytes(data, h.size, h.dtype.IsComplex())
	}
	if h.bool {
		for i, v := range data {
			if v > 1 {
				data[i] = 1
			}
		}
	}
	shape := h.shape
	if h.fortran {
		shape = slices.Clone(h.shape)
		slices.Reverse(shape)
	}
	t, err := FromBytes(data, h.dtype, shape...)
	if err != nil {
		return nil, npyErr(offset, "%v", err)
	}
	if h.fortran && t.Rank() > 1 {
		t = Transpose(t)
	}
	return t, nil
}

func npyErr(offset int64, format string, args ...any) error {
	return fmt.Errorf("%w: byte %d: %s", ErrNPY, offset, fmt.Sprintf(format, args...))
}

type npyHeader struct {
	dtype     DType
	size      int
	bigEndian bool
	bool      bool
	fortran   bool
	shape     Shape
}

// parseNPYHeader reads the Python dict literal of a .npy header.
func parseNPYHeader(h string) (npyHeader, error) {
	var out npyHeader
	h = strings.TrimSpace(h)
	if !strings.HasPrefix(h, "{") || !strings.HasSuffix(h, "}") {
		return out, fmt.Errorf("header is not a dict: %.40q", h)
	}
	descr, err := npyField(h, "descr")
	if err != nil {
		return out, err
	}
	descr = strings.Trim(descr, `'"`)
	if len(descr) < 3 {
		return out, fmt.Errorf("unsupported descr %q", descr)
	}
	order, code := descr[0], descr[1:]
	switch order {
	case '<', '|', '=':
	case '>':
		out.bigEndian = true
	default:
		return out, fmt.Errorf("unsupported byte order in descr %q", descr)
	}
	if code == "b1" {
		out.bool = true
		code = "u1"
	}
	found := false
	for dt, d := range npyDescr {
		if d[1:] == code {
			out.dtype, found = dt, true
		}
	}
	if !found {
		return out, fmt.Errorf("unsupported descr %q", descr)
	}
	out.size = out.dtype.Size()
	fortran, err := npyField(h, "fortran_order")
	if err != nil {
		return out, err
	}
	switch fortran {
	case "True":
		out.fortran = true
	case "False":
	default:
		return out, fmt.Errorf("fortran_order is %q, want True or False", fortran)
	}
	shape, err := npyField(h, "shape")
	if err != nil {
		return out, err
	}
	if !strings.HasPrefix(shape, "(") || !strings.HasSuffix(shape, ")") {
		return out, fmt.Errorf("shape %q is not a tuple", shape)
	}
	out.shape = Shape{}
	for _, f := range strings.Split(shape[1:len(shape)-1], ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := strconv.Atoi(strings.TrimSuffix(f, "L"))
		if err != nil || d < 0 {
			return out, fmt.Errorf("shape %q has a bad dimension %q", shape, f)
		}
		out.shape = append(out.shape, d)
	}
	return out, nil
}

// npyField returns the raw value of key in a header dict.
func npyField(h, key string) (string, error) {
	i := strings.Index(h, "'"+key+"'")
	if i < 0 {
		return "", fmt.Errorf("header has no %q", key)
	}
	rest := strings.TrimSpace(h[i+len(key)+2:])
	if !strings.HasPrefix(rest, ":") {
		return "", fmt.Errorf("header: %q is not followed by ':'", key)
	}
	rest = strings.TrimSpace(rest[1:])
	end := len(rest)
	if strings.HasPrefix(rest, "(") {
		end = strings.Index(rest, ")") + 1
		if end == 0 {
			return "", fmt.Errorf("header: unterminated tuple for %q", key)
		}
	} else if j := strings.IndexAny(rest, ",}"); j >= 0 {
		end = j
	}
	return strings.TrimSpace(rest[:end]), nil
}
