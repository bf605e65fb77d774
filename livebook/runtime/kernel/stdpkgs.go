package kernel

import "strings"

// stdImports are the standard-library packages a cell may use without importing them,
// by import path; where two share a name the first listed wins.
var stdImports = []string{
	"bufio", "bytes", "cmp", "context", "errors", "flag", "fmt", "io", "iter", "log",
	"maps", "math", "os", "reflect", "regexp", "runtime", "slices", "sort", "strconv",
	"strings", "sync", "time", "unicode", "unsafe",
	"archive/tar", "archive/zip",
	"compress/bzip2", "compress/flate", "compress/gzip", "compress/zlib",
	"container/heap", "container/list", "container/ring",
	"crypto/md5", "crypto/rand", "crypto/sha1", "crypto/sha256", "crypto/sha512",
	"encoding/base64", "encoding/binary", "encoding/csv", "encoding/hex", "encoding/json",
	"encoding/xml",
	"hash/crc32", "hash/fnv", "hash/maphash",
	"html",
	"image", "image/color", "image/draw", "image/gif", "image/jpeg", "image/png",
	"io/fs", "log/slog",
	"math/big", "math/bits", "math/cmplx", "math/rand",
	"net/http", "net/url",
	"os/exec", "os/signal",
	"path", "path/filepath",
	"runtime/debug",
	"sync/atomic",
	"text/tabwriter", "text/template", "html/template",
	"unicode/utf16", "unicode/utf8",
}

// stdPackages maps package names to the standard-library paths of stdImports.
func stdPackages() map[string]string {
	m := make(map[string]string, len(stdImports))
	for _, p := range stdImports {
		name := p[strings.LastIndex(p, "/")+1:]
		if _, ok := m[name]; !ok {
			m[name] = p
		}
	}
	return m
}
