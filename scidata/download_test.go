package scidata_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gonx-dev/gonx/scidata"
	"github.com/gonx-dev/gonx/scidata/decode"
)

// realFile reads a file of the shared data folder.
func realFile(t *testing.T, parts ...string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(append([]string{sharedData(t)}, parts...)...))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDownloadFailures runs downloads against a server that misbehaves in one
// way each, and checks the outcome and the requests made.
func TestDownloadFailures(t *testing.T) {
	images := realFile(t, "mnist", "t10k-images-idx3-ubyte.gz")
	const name = "t10k-images-idx3-ubyte.gz"
	good := fileOf(name, images)
	wrong := good
	wrong.SHA256 = strings.Repeat("0", 64)
	tests := []struct {
		name     string
		file     scidata.File
		serve    []byte
		fail     int // 500s before success
		cut      int // bytes sent before the connection drops, once
		attempts int
		want     error
		check    func(t *testing.T, s *fileServer)
	}{
		{name: "ok", file: good, serve: images},
		{name: "500 then success", file: good, serve: images, fail: 2, attempts: 3,
			check: func(t *testing.T, s *fileServer) {
				if n := s.count("/tiny/"+name, true); n != 3 {
					t.Errorf("%d requests, want 3: %v", n, s.log())
				}
			}},
		{name: "500 too often", file: good, serve: images, fail: 5, attempts: 3, want: errStatus},
		{name: "cut then resumed", file: good, serve: images, cut: 700_000, attempts: 2,
			check: func(t *testing.T, s *fileServer) {
				log := s.log()
				if len(log) != 2 || !strings.HasPrefix(log[1], "/tiny/"+name+" bytes=") || strings.HasSuffix(log[1], "bytes=0-") {
					t.Errorf("requests %v, want a full one then a ranged one", log)
				}
			}},
		{name: "wrong checksum", file: wrong, serve: images, want: scidata.ErrChecksum},
		{name: "short file", file: good, serve: images[:1000], want: scidata.ErrChecksum},
		{name: "not found", file: good, serve: nil, want: errStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newFileServer(t)
			if tt.serve != nil {
				s.add("tiny", name, tt.serve)
			}
			s.set(func(s *fileServer) {
				s.fail["/tiny/"+name] = tt.fail
				s.cut["/tiny/"+name] = tt.cut
			})
			cache := t.TempDir()
			o := opts(t, s, scidata.CacheDir(cache), scidata.WithDataset(scidata.Dataset{Name: "tiny", Files: []scidata.File{tt.file}}))
			if tt.attempts > 0 {
				o = append(o, scidata.Retry(tt.attempts, 0))
			}
			err := scidata.Download(context.Background(), "tiny", o...)
			dst := filepath.Join(cache, "tiny", name)
			switch {
			case tt.want == errStatus:
				if err == nil || !strings.Contains(err.Error(), "GET ") {
					t.Fatalf("error %v, want an HTTP status error", err)
				}
			case tt.want != nil:
				if !errors.Is(err, tt.want) {
					t.Fatalf("error %v, want %v", err, tt.want)
				}
			case err != nil:
				t.Fatal(err)
			}
			if tt.want == scidata.ErrChecksum {
				var ce *scidata.ChecksumError
				if !errors.As(err, &ce) || ce.Expected != tt.file.SHA256 || ce.Actual != sha(tt.serve) || !strings.Contains(err.Error(), name) {
					t.Errorf("error %v does not name the file, expected and actual checksums", err)
				}
			}
			got, rerr := os.ReadFile(dst)
			if tt.want == nil && (rerr != nil || sha(got) != tt.file.SHA256) {
				t.Errorf("cached file missing or wrong: %v", rerr)
			}
			if tt.want != nil && rerr == nil {
				t.Errorf("a file was cached despite the error")
			}
			if _, err := os.Stat(dst + ".part"); tt.want == scidata.ErrChecksum && err == nil {
				t.Errorf("bad partial file left behind")
			}
			if tt.check != nil {
				tt.check(t, s)
			}
		})
	}
}

// errStatus marks cases that expect an HTTP status error.
var errStatus = errors.New("status")

// TestTruncatedGzip loads an MNIST whose test labels file is cut short (with a
// checksum that matches the cut file): the decoder reports the file and offset.
// Small generated files stand in for the others.
func TestTruncatedGzip(t *testing.T) {
	s := newFileServer(t)
	ds := scidata.Dataset{Name: "mnist"}
	for _, name := range []string{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"} {
		var b []byte
		switch name {
		case "t10k-labels-idx1-ubyte.gz":
			b = realFile(t, "mnist", name)
			b = b[:len(b)/2]
		case "train-labels-idx1-ubyte.gz":
			b = gzipIDX(t, 10)
		default:
			b = gzipIDX(t, 10, 28, 28)
		}
		ds.Files = append(ds.Files, fileOf(name, b))
		s.add("mnist", name, b)
	}
	_, _, err := scidata.MNIST(context.Background(), opts(t, s, scidata.WithDataset(ds))...)
	var de *decode.Error
	if !errors.Is(err, decode.ErrTruncated) || !errors.As(err, &de) {
		t.Fatalf("error %v, want a truncation error", err)
	}
	if de.File != "t10k-labels-idx1-ubyte.gz" || de.Format != "gzip" || de.Offset <= 0 || de.Offset > 2271 {
		t.Errorf("error %+v does not point into the cut file", de)
	}
	if !strings.HasPrefix(err.Error(), "scidata: mnist: ") {
		t.Errorf("error %q lacks context", err)
	}
}

// gzipIDX returns a gzip-compressed IDX file of zero bytes with dims.
func gzipIDX(t *testing.T, dims ...int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	hdr := []byte{0, 0, 8, byte(len(dims))}
	size := 1
	for _, d := range dims {
		hdr = binary.BigEndian.AppendUint32(hdr, uint32(d))
		size *= d
	}
	zw.Write(hdr)
	zw.Write(make([]byte, size))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestOffline checks that offline mode, by option or environment, reads only
// the cache and says which file is missing and where it would come from.
func TestOffline(t *testing.T) {
	tests := []struct {
		name string
		env  string
		opt  []scidata.Option
	}{
		{name: "option", opt: []scidata.Option{scidata.Offline()}},
		{name: "environment", env: "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv(scidata.EnvOffline, tt.env)
			}
			cache := t.TempDir()
			_, _, err := scidata.MNIST(context.Background(), append(tt.opt, scidata.CacheDir(cache), scidata.Quiet())...)
			var nc *scidata.NotCachedError
			if !errors.Is(err, scidata.ErrNotCached) || !errors.As(err, &nc) {
				t.Fatalf("error %v, want ErrNotCached", err)
			}
			msg := err.Error()
			for _, want := range []string{"train-images-idx3-ubyte.gz", filepath.Join(cache, "mnist"), "https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not mention %q", msg, want)
				}
			}
			if entries, _ := os.ReadDir(cache); len(entries) != 0 {
				t.Errorf("offline mode wrote to the cache: %v", entries)
			}
		})
	}
	t.Run("cached", func(t *testing.T) {
		s := newFileServer(t)
		s.add("iris", "iris.data", irisData(t))
		cache := t.TempDir()
		if _, err := scidata.Iris(context.Background(), opts(t, s, scidata.CacheDir(cache))...); err != nil {
			t.Fatal(err)
		}
		tab, err := scidata.Iris(context.Background(), opts(t, s, scidata.CacheDir(cache), scidata.Offline())...)
		if err != nil || tab.Len() != 150 {
			t.Fatalf("offline load from the cache: %v", err)
		}
		if n := len(s.log()); n != 1 {
			t.Errorf("%d requests, want 1: %v", n, s.log())
		}
	})
}

// irisData is UCI's iris.data, byte for byte (see testdata/README.md).
func irisData(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "iris.data"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestCorruptCache damages a cached file: the next load (or Verify) reports
// the checksum mismatch and deletes the file, and the load after that
// downloads it again.
func TestCorruptCache(t *testing.T) {
	tests := []struct {
		name  string
		check func(ctx context.Context, o []scidata.Option) error
	}{
		{"load", func(ctx context.Context, o []scidata.Option) error {
			_, err := scidata.Iris(ctx, o...)
			return err
		}},
		{"verify", func(ctx context.Context, o []scidata.Option) error {
			st, err := scidata.Verify(ctx, "iris", o...)
			if err != nil {
				return err
			}
			if len(st) != 1 || !st[0].Cached {
				return errors.New("Verify did not find the cached file")
			}
			return st[0].Err
		}},
		{"download", func(ctx context.Context, o []scidata.Option) error {
			return scidata.Download(ctx, "iris", append(o, scidata.Offline())...)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			iris := irisData(t)
			s := newFileServer(t)
			s.add("iris", "iris.data", iris)
			cache := t.TempDir()
			o := opts(t, s, scidata.CacheDir(cache))
			ctx := context.Background()
			if _, err := scidata.Iris(ctx, o...); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(cache, "iris", "iris.data")
			bad := append([]byte(nil), iris...)
			bad[100] ^= 1
			if err := os.WriteFile(path, bad, 0o644); err != nil {
				t.Fatal(err)
			}
			err := tt.check(ctx, o)
			var ce *scidata.ChecksumError
			if !errors.As(err, &ce) || ce.Path != path || ce.Actual != sha(bad) {
				t.Fatalf("error %v, want a checksum error for %s", err, path)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Errorf("bad file not deleted: %v", err)
			}
			if _, err := scidata.Iris(ctx, o...); err != nil {
				t.Fatal(err)
			}
			if n := s.count("/iris/iris.data", true); n != 2 {
				t.Errorf("%d downloads, want 2", n)
			}
		})
	}
}
