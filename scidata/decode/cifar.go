package decode

import (
	"fmt"
	"io"
)

// CIFARImageBytes is the size of one CIFAR image: 32×32 pixels in three planes,
// red, then green, then blue, each row-major; that is {3, 32, 32} channel-first.
const CIFARImageBytes = 3 * 32 * 32

// CIFARFormat describes a CIFAR binary record layout: label bytes, then
// CIFARImageBytes of pixels.
type CIFARFormat struct {
	// Classes holds, for each label byte of a record in order, the number of
	// classes; a label byte must be below it. Its length is the number of label
	// bytes.
	Classes []int
}

// CIFAR10 is the record layout of CIFAR-10: one label byte (10 classes).
var CIFAR10 = CIFARFormat{Classes: []int{10}}

// CIFAR100 is the record layout of CIFAR-100: a coarse label (20 classes) and a
// fine label (100 classes).
var CIFAR100 = CIFARFormat{Classes: []int{20, 100}}

// RecordBytes returns the size of one record.
func (f CIFARFormat) RecordBytes() int { return len(f.Classes) + CIFARImageBytes }

// CIFAR reads CIFAR binary records from r, named name in errors, straight into
// images and labels: record i's pixels go to images[i*CIFARImageBytes:] and its
// label bytes to labels[i*len(f.Classes):]. It reads exactly
// len(labels)/len(f.Classes) records and reports a short stream, data after the
// last record, and labels out of range as errors. The slices must agree in
// length; if they do not, CIFAR returns an error without reading.
func CIFAR(name string, r io.Reader, f CIFARFormat, images, labels []byte) error {
	const format = "cifar"
	nl := len(f.Classes)
	if nl == 0 {
		return fmt.Errorf("decode: cifar: format has no label bytes")
	}
	n := len(labels) / nl
	if len(labels)%nl != 0 || len(images) != n*CIFARImageBytes {
		return fmt.Errorf("decode: cifar: %d label bytes and %d image bytes do not make whole records of %d labels",
			len(labels), len(images), nl)
	}
	rec := int64(f.RecordBytes())
	for i := range n {
		off := int64(i) * rec
		lab := labels[i*nl : (i+1)*nl]
		if k, err := io.ReadFull(r, lab); err != nil {
			return readFailure(name, format, off+int64(k), err, fmt.Sprintf("the label of record %d", i))
		}
		for j, c := range f.Classes {
			if int(lab[j]) >= c {
				return corrupt(name, format, off+int64(j), "record %d: label %d is not below %d", i, lab[j], c)
			}
		}
		img := images[i*CIFARImageBytes : (i+1)*CIFARImageBytes]
		if k, err := io.ReadFull(r, img); err != nil {
			return readFailure(name, format, off+int64(nl+k), err, fmt.Sprintf("the pixels of record %d", i))
		}
	}
	return expectEOF(name, format, int64(n)*rec, r)
}
