package decode

import (
	"bytes"
	"slices"
	"testing"
)

// cifarRecords builds n records of format f whose labels are i%classes and
// whose pixels are (i+k)%251 for pixel k.
func cifarRecords(f CIFARFormat, n int) []byte {
	var b []byte
	for i := range n {
		for _, c := range f.Classes {
			b = append(b, byte(i%c))
		}
		for k := range CIFARImageBytes {
			b = append(b, byte((i+k)%251))
		}
	}
	return b
}

func TestCIFAR(t *testing.T) {
	rec10 := cifarRecords(CIFAR10, 3)
	rec100 := cifarRecords(CIFAR100, 3)
	badLabel := slices.Clone(rec10)
	badLabel[CIFAR10.RecordBytes()] = 10
	badFine := slices.Clone(rec100)
	badFine[2*CIFAR100.RecordBytes()+1] = 100
	tests := []struct {
		name   string
		format CIFARFormat
		in     []byte
		n      int
		want   error
		off    int64
	}{
		{name: "cifar10", format: CIFAR10, in: rec10, n: 3},
		{name: "cifar100", format: CIFAR100, in: rec100, n: 3},
		{name: "none", format: CIFAR10, in: nil, n: 0},
		{name: "cut in label", format: CIFAR100, in: rec100[:2*CIFAR100.RecordBytes()+1], n: 3, want: ErrTruncated, off: int64(2*CIFAR100.RecordBytes() + 1)},
		{name: "cut in pixels", format: CIFAR10, in: rec10[:100], n: 3, want: ErrTruncated, off: 100},
		{name: "trailing", format: CIFAR10, in: rec10, n: 2, want: ErrCorrupt, off: int64(2 * CIFAR10.RecordBytes())},
		{name: "label out of range", format: CIFAR10, in: badLabel, n: 3, want: ErrCorrupt, off: int64(CIFAR10.RecordBytes())},
		{name: "fine label out of range", format: CIFAR100, in: badFine, n: 3, want: ErrCorrupt, off: int64(2*CIFAR100.RecordBytes() + 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nl := len(tt.format.Classes)
			images := make([]byte, tt.n*CIFARImageBytes)
			labels := make([]byte, tt.n*nl)
			err := CIFAR("batch.bin", bytes.NewReader(tt.in), tt.format, images, labels)
			checkErr(t, err, tt.want, "cifar", tt.off)
			if err != nil {
				return
			}
			rb := tt.format.RecordBytes()
			for i := range tt.n {
				rec := tt.in[i*rb : (i+1)*rb]
				if !bytes.Equal(labels[i*nl:(i+1)*nl], rec[:nl]) || !bytes.Equal(images[i*CIFARImageBytes:(i+1)*CIFARImageBytes], rec[nl:]) {
					t.Fatalf("record %d decoded wrongly", i)
				}
			}
		})
	}
}

func TestCIFARMisuse(t *testing.T) {
	tests := []struct {
		name           string
		format         CIFARFormat
		images, labels int
	}{
		{"no label bytes", CIFARFormat{}, CIFARImageBytes, 1},
		{"images short", CIFAR10, CIFARImageBytes, 2},
		{"odd labels", CIFAR100, 2 * CIFARImageBytes, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CIFAR("x", bytes.NewReader(nil), tt.format, make([]byte, tt.images), make([]byte, tt.labels))
			if err == nil {
				t.Fatal("no error")
			}
		})
	}
}
