package decode

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// IDX element types, the third byte of an IDX file's magic number.
const (
	IDXUint8   byte = 0x08 // unsigned byte
	IDXInt8    byte = 0x09 // signed byte
	IDXInt16   byte = 0x0B // big-endian int16
	IDXInt32   byte = 0x0C // big-endian int32
	IDXFloat32 byte = 0x0D // big-endian float32
	IDXFloat64 byte = 0x0E // big-endian float64
)

// DefaultMaxBytes bounds the payload an IDX header may declare when the caller
// gives no limit: 4 GiB, above any published IDX data set.
const DefaultMaxBytes int64 = 4 << 30

// Array is a decoded IDX array.
type Array struct {
	// Type is the element type, one of the IDX constants (IDXUint8, ...).
	Type byte
	// Dims are the dimensions, outermost first (for MNIST images
	// [60000 28 28]).
	Dims []int
	// Data holds the elements in row-major order exactly as stored: one byte
	// each for IDXUint8 and IDXInt8, big-endian for the wider types.
	Data []byte
}

// Len returns the number of elements, the product of a.Dims.
func (a *Array) Len() int {
	n := 1
	for _, d := range a.Dims {
		n *= d
	}
	return n
}

// idxElemSize returns the size in bytes of IDX element type t, or 0 if t is not
// a valid type.
func idxElemSize(t byte) int {
	switch t {
	case IDXUint8, IDXInt8:
		return 1
	case IDXInt16:
		return 2
	case IDXInt32, IDXFloat32:
		return 4
	case IDXFloat64:
		return 8
	}
	return 0
}

// IDX reads one IDX array from r, named name in errors. The payload is read
// into a single slice of its final size; maxBytes bounds the size a header may
// declare (0 or less means DefaultMaxBytes), so a corrupt header cannot make
// IDX allocate without bound. Data after the array is an error, and reaching
// the end makes a compressed stream below r check its trailer.
func IDX(name string, r io.Reader, maxBytes int64) (*Array, error) {
	const format = "idx"
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	var magic [4]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, readFailure(name, format, 0, err, "the magic number")
	}
	if magic[0] != 0 || magic[1] != 0 {
		return nil, corrupt(name, format, 0, "magic number %#x does not start with two zero bytes", magic)
	}
	elem := idxElemSize(magic[2])
	if elem == 0 {
		return nil, corrupt(name, format, 2, "unknown element type %#02x", magic[2])
	}
	rank := int(magic[3])
	if rank == 0 {
		return nil, corrupt(name, format, 3, "array has no dimensions")
	}
	hdr := make([]byte, 4*rank)
	if n, err := io.ReadFull(r, hdr); err != nil {
		return nil, readFailure(name, format, 4+int64(n), err, "the dimensions")
	}
	dims := make([]int, rank)
	total := int64(elem)
	for i := range dims {
		d := binary.BigEndian.Uint32(hdr[4*i:])
		if d > math.MaxInt32 {
			return nil, corrupt(name, format, 4+4*int64(i), "dimension %d is %d, too large", i, d)
		}
		dims[i] = int(d)
		if d != 0 && total > maxBytes/int64(d) {
			return nil, corrupt(name, format, 4+4*int64(i),
				"dimensions %v declare more than the limit of %d bytes", dims[:i+1], maxBytes)
		}
		total *= int64(d)
	}
	start := 4 + 4*int64(rank)
	data := make([]byte, total)
	if n, err := io.ReadFull(r, data); err != nil {
		return nil, readFailure(name, format, start+int64(n), err,
			fmt.Sprintf("the data (%d of %d bytes read)", n, total))
	}
	if err := expectEOF(name, format, start+total, r); err != nil {
		return nil, err
	}
	return &Array{Type: magic[2], Dims: dims, Data: data}, nil
}
