package scidata

import (
	"context"
	"fmt"
	"io"
	"path"

	"github.com/gonx-dev/gonx/scidata/decode"
)

// Archive names of the binary CIFAR versions.
const (
	cifar10Archive  = "cifar-10-binary.tar.gz"
	cifar100Archive = "cifar-100-binary.tar.gz"
)

// maxCIFARRecords bounds the records one archive member may hold (CIFAR's
// largest holds 50000), so a corrupt header cannot make a loader allocate
// without bound.
const maxCIFARRecords = 1 << 18

// CIFAR10 loads CIFAR-10 (binary version): 50000 training and 10000 test colour
// images, u8 {n, 3, 32, 32} (red, green and blue planes), with labels 0-9 (see
// CIFAR10Classes), u8 {n}.
func CIFAR10(ctx context.Context, opts ...Option) (train, test Split, err error) {
	return loadCIFAR(ctx, "cifar10", cifar10Archive, decode.CIFAR10, opts,
		[]string{"cifar-10-batches-bin/data_batch_1.bin", "cifar-10-batches-bin/data_batch_2.bin",
			"cifar-10-batches-bin/data_batch_3.bin", "cifar-10-batches-bin/data_batch_4.bin",
			"cifar-10-batches-bin/data_batch_5.bin"},
		[]string{"cifar-10-batches-bin/test_batch.bin"})
}

// CIFAR100 loads CIFAR-100 (binary version): 50000 training and 10000 test
// colour images, u8 {n, 3, 32, 32}, with labels u8 {n, 2}: the coarse label
// (0-19, see CIFAR100CoarseClasses), then the fine label (0-99, see
// CIFAR100FineClasses).
func CIFAR100(ctx context.Context, opts ...Option) (train, test Split, err error) {
	return loadCIFAR(ctx, "cifar100", cifar100Archive, decode.CIFAR100, opts,
		[]string{"cifar-100-binary/train.bin"}, []string{"cifar-100-binary/test.bin"})
}

// cifarSplit collects the members of one split. Every member holds the same
// number of records (the first one met sets it), and member i's records go
// after those of members 0..i-1.
type cifarSplit struct {
	members        []string
	seen           []bool
	perMember      int
	images, labels []byte
}

// loadCIFAR downloads (if needed) the archive of a CIFAR data set and decodes
// the named members of each split straight into the splits' final slices.
func loadCIFAR(ctx context.Context, name, archive string, format decode.CIFARFormat, opts []Option, trainMembers, testMembers []string) (train, test Split, err error) {
	c := newConfig(opts)
	ds, err := c.dataset(name)
	if err != nil {
		return Split{}, Split{}, err
	}
	f := ds.file(archive)
	p, err := c.ensure(ctx, ds, f)
	if err != nil {
		return Split{}, Split{}, wrapErr(name, err)
	}
	splits := []*cifarSplit{
		{members: trainMembers, seen: make([]bool, len(trainMembers))},
		{members: testMembers, seen: make([]bool, len(testMembers))},
	}
	nl := len(format.Classes)
	rec := int64(format.RecordBytes())
	err = decodeGzip(p, f, func(r io.Reader) error {
		err := decode.Tar(archive, r, func(e decode.TarEntry) error {
			for _, s := range splits {
				for i, m := range s.members {
					if path.Clean(e.Path) != m {
						continue
					}
					if s.seen[i] {
						return fmt.Errorf("%s: %w: member %s appears twice", archive, ErrCorrupt, m)
					}
					s.seen[i] = true
					n := e.Size / rec
					if e.Size%rec != 0 || n == 0 || n > maxCIFARRecords {
						return fmt.Errorf("%s: %w: member %s has %d bytes, not a whole number of %d-byte records", archive, ErrCorrupt, m, e.Size, rec)
					}
					if s.images == nil {
						s.perMember = int(n)
						total := s.perMember * len(s.members)
						s.images = make([]byte, total*decode.CIFARImageBytes)
						s.labels = make([]byte, total*nl)
					} else if int(n) != s.perMember {
						return fmt.Errorf("%s: %w: member %s has %d records, the split's others %d", archive, ErrCorrupt, m, n, s.perMember)
					}
					lo, hi := i*s.perMember, (i+1)*s.perMember
					return decode.CIFAR(archive+"/"+m, e.R, format,
						s.images[lo*decode.CIFARImageBytes:hi*decode.CIFARImageBytes], s.labels[lo*nl:hi*nl])
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, s := range splits {
			for i, m := range s.members {
				if !s.seen[i] {
					return fmt.Errorf("%s: %w: member %s is missing", archive, ErrCorrupt, m)
				}
			}
		}
		return nil
	})
	if err != nil {
		return Split{}, Split{}, wrapErr(name, err)
	}
	build := func(s *cifarSplit) Split {
		return newSplit(s.images, s.labels, s.perMember*len(s.members), 3, 32, 32, nl)
	}
	return build(splits[0]), build(splits[1]), nil
}
