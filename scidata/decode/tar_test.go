package decode

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestTarText(t *testing.T) {
	arch := tarBytes(t,
		[2]string{"aclImdb/README", "readme"},
		[2]string{"aclImdb/train/pos/0_9.txt", "Great film."},
		[2]string{"aclImdb/train/neg/1_2.txt", "Dull."},
		[2]string{"aclImdb/test/pos/2_8.txt", ""},
	)
	keep := func(p string) bool { return strings.HasSuffix(p, ".txt") }
	gz := gzipBytes(t, arch)
	tests := []struct {
		name  string
		in    []byte
		gzip  bool
		limit int64
		paths []string
		want  error
		form  string
	}{
		{name: "plain", in: arch, paths: []string{"aclImdb/train/pos/0_9.txt", "aclImdb/train/neg/1_2.txt", "aclImdb/test/pos/2_8.txt"}},
		{name: "gzip", in: gz, gzip: true, paths: []string{"aclImdb/train/pos/0_9.txt", "aclImdb/train/neg/1_2.txt", "aclImdb/test/pos/2_8.txt"}},
		{name: "cut in content", in: arch[:512*3+5], want: ErrTruncated, form: "tar"},
		{name: "cut in header", in: arch[:512*2+100], want: ErrTruncated, form: "tar"},
		{name: "gzip cut", in: gz[:len(gz)-30], gzip: true, want: ErrTruncated, form: "gzip"},
		{name: "bad header", in: append(bytes.Repeat([]byte{'x'}, 512), arch...), want: ErrCorrupt, form: "tar"},
		{name: "over limit", in: arch, limit: 5, want: ErrCorrupt, form: "tar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			var r = bytes.NewReader(tt.in)
			var src interface{ Read([]byte) (int, error) } = r
			if tt.gzip {
				zr, err := Gzip("a.tar.gz", r)
				if err != nil {
					t.Fatal(err)
				}
				src = zr
			}
			err := TarText("a.tar.gz", src, tt.limit, keep, func(p string, text []byte) error {
				got = append(got, p)
				return nil
			})
			checkErr(t, err, tt.want, tt.form, -1)
			if err == nil && strings.Join(got, ",") != strings.Join(tt.paths, ",") {
				t.Errorf("paths %v, want %v", got, tt.paths)
			}
		})
	}
}

func TestTarCallbackError(t *testing.T) {
	stop := errors.New("stop")
	arch := tarBytes(t, [2]string{"a.txt", "a"}, [2]string{"b.txt", "b"})
	n := 0
	err := Tar("a.tar", bytes.NewReader(arch), func(e TarEntry) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Fatalf("err %v after %d entries, want stop after 1", err, n)
	}
}
