package scidata

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Environment variables read when the matching option is not given.
const (
	// EnvCacheDir names the cache folder.
	EnvCacheDir = "SCIDATA_CACHE_DIR"
	// EnvBaseURL names a mirror to download every file from (see BaseURL).
	EnvBaseURL = "SCIDATA_BASE_URL"
	// EnvOffline, set to 1 or true, turns on offline mode (see Offline).
	EnvOffline = "SCIDATA_OFFLINE"
)

// Option configures where data comes from and where it is kept.
type Option func(*config)

// config is the resolved set of options for one call.
type config struct {
	cacheDir    string
	baseURL     string
	offline     bool
	offlineSet  bool
	progress    io.Writer
	progressSet bool
	client      *http.Client
	attempts    int
	backoff     time.Duration
	stall       time.Duration      // stallTimeout when 0 (tests shorten it)
	datasets    map[string]Dataset // replacements for registry entries (tests)
}

// CacheDir keeps downloaded files under dir instead of $SCIDATA_CACHE_DIR or the
// user cache directory. Each data set has a sub-folder named after it.
func CacheDir(dir string) Option { return func(c *config) { c.cacheDir = dir } }

// BaseURL downloads every file from a mirror instead of the publishers: file F
// of data set D is fetched from BASE/D/F (for example
// https://mirror.example/scidata/mnist/train-images-idx3-ubyte.gz). The
// publishers are then not contacted at all. Checksums are verified as usual.
// An empty url leaves $SCIDATA_BASE_URL (or the publishers) in force.
func BaseURL(url string) Option { return func(c *config) { c.baseURL = url } }

// Offline reads the cache only: nothing is downloaded, and a missing file is an
// error wrapping ErrNotCached that says where the file would come from.
func Offline() Option { return func(c *config) { c.offline, c.offlineSet = true, true } }

// Progress draws download progress on w, whether or not it is a terminal. By
// default progress goes to standard error when that is a terminal.
func Progress(w io.Writer) Option { return func(c *config) { c.progress, c.progressSet = w, true } }

// Quiet draws no download progress.
func Quiet() Option { return func(c *config) { c.progress, c.progressSet = nil, true } }

// HTTPClient makes downloads with client instead of the default client (whose
// transport gives up on a server that sends no response headers for a minute).
func HTTPClient(client *http.Client) Option { return func(c *config) { c.client = client } }

// Retry sets how many times each URL is tried (attempts, at least 1; default 4)
// and the back-off before the second try (default 1s), which doubles for each
// further try.
func Retry(attempts int, backoff time.Duration) Option {
	return func(c *config) {
		c.attempts = max(attempts, 1)
		c.backoff = max(backoff, 0)
	}
}

// defaultClient is used when no HTTPClient option is given.
var defaultClient = &http.Client{Transport: func() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.ResponseHeaderTimeout = time.Minute
	return t
}()}

// newConfig applies opts over the defaults and the environment.
func newConfig(opts []Option) *config {
	c := &config{attempts: 4, backoff: time.Second}
	for _, o := range opts {
		if o != nil {
			o(c)
		}
	}
	if c.cacheDir == "" {
		c.cacheDir = os.Getenv(EnvCacheDir)
	}
	if c.cacheDir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			base = os.TempDir()
		}
		c.cacheDir = filepath.Join(base, "gonx-scidata")
	}
	if c.baseURL == "" {
		c.baseURL = os.Getenv(EnvBaseURL)
	}
	if !c.offlineSet {
		switch strings.ToLower(os.Getenv(EnvOffline)) {
		case "1", "true", "yes", "on":
			c.offline = true
		}
	}
	if !c.progressSet && isTerminal(os.Stderr) {
		c.progress = os.Stderr
	}
	if c.client == nil {
		c.client = defaultClient
	}
	return c
}

// dataset returns the registry entry for name, or a replacement given to this
// call.
func (c *config) dataset(name string) (Dataset, error) {
	if ds, ok := c.datasets[name]; ok {
		return ds, nil
	}
	return Lookup(name)
}

// sources returns the URLs to try for file f of data set ds, in order.
func (c *config) sources(ds Dataset, f File) []string {
	if c.baseURL != "" {
		return []string{strings.TrimRight(c.baseURL, "/") + "/" + ds.Name + "/" + f.Name}
	}
	return f.URLs
}

// path returns where the cache keeps file f of data set ds.
func (c *config) path(ds Dataset, f File) string {
	return filepath.Join(c.cacheDir, ds.Name, f.Name)
}
