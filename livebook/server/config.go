package server

import (
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"
)

// Defaults for Config fields left at their zero value.
const (
	// DefaultIP is the address the server listens on: loopback only.
	DefaultIP = "127.0.0.1"
	// DefaultPort is the TCP port the server listens on.
	DefaultPort = 8080
	// DefaultAutosave is how often a session saves its notebook when it has changed.
	DefaultAutosave = 5 * time.Second
	// DefaultRuntimeName names the runtime sessions use unless told otherwise.
	DefaultRuntimeName = "standalone"
	// DefaultClientQueue is how many messages may wait for one websocket client
	// before the session disconnects it as too slow.
	DefaultClientQueue = 256
)

// Environment variables read by ConfigFromEnv, following Livebook's names.
const (
	EnvPort           = "LIVEBOOK_PORT"
	EnvIP             = "LIVEBOOK_IP"
	EnvHome           = "LIVEBOOK_HOME"
	EnvTokenEnabled   = "LIVEBOOK_TOKEN_ENABLED"
	EnvToken          = "LIVEBOOK_TOKEN"
	EnvPassword       = "LIVEBOOK_PASSWORD"
	EnvAutosave       = "LIVEBOOK_AUTOSAVE_INTERVAL"
	EnvDefaultRuntime = "LIVEBOOK_DEFAULT_RUNTIME"
	EnvPublicMetrics  = "LIVEBOOK_PUBLIC_METRICS"
	EnvImportMaxBytes = "LIVEBOOK_IMPORT_MAX_BYTES"
	EnvImportTimeout  = "LIVEBOOK_IMPORT_TIMEOUT"
)

// Config configures a Server. The zero value is usable once Home and Runtimes are
// set: token authentication on, autosave every DefaultAutosave.
type Config struct {
	// IP is the address to listen on (DefaultIP when empty). The server itself does
	// not listen; Config.Addr gives the address for net.Listen.
	IP string
	// Port is the TCP port to listen on; 0 picks a free port. A negative value
	// means DefaultPort.
	Port int
	// Home is the notebooks root: every notebook the server reads or writes lies
	// beneath it. Empty means the current directory.
	Home string
	// DisableToken turns token authentication off (LIVEBOOK_TOKEN_ENABLED=false).
	// It has no effect when Password is set.
	DisableToken bool
	// Token is the access token (LIVEBOOK_TOKEN); a random one is made when it is
	// empty.
	Token string
	// Password, when set, replaces the token: users log in with it at /authenticate.
	Password string
	// Autosave is how often sessions save a changed notebook; DefaultAutosave when
	// zero, and never (only on close) when negative.
	Autosave time.Duration
	// DefaultRuntime names the entry of Runtimes that sessions use
	// (DefaultRuntimeName when empty).
	DefaultRuntime string
	// Runtimes are the runtimes sessions can evaluate cells with, by name.
	Runtimes map[string]Runtime
	// PublicMetrics serves /metrics without authentication, for scrapers.
	PublicMetrics bool
	// ClientQueue bounds each websocket client's queue of outgoing messages
	// (DefaultClientQueue when zero).
	ClientQueue int
	// ImportMaxBytes bounds the size of a notebook imported from a URL
	// (DefaultImportMaxBytes when zero or negative).
	ImportMaxBytes int64
	// ImportTimeout bounds the download of a notebook imported from a URL
	// (DefaultImportTimeout when zero or negative).
	ImportTimeout time.Duration
	// ExportGo, when set, exports notebooks as Go programs
	// (GET /api/export/go/{path}); without it that route answers 501.
	ExportGo ExportFunc
	// Logger receives the server's logs (slog.Default() when nil).
	Logger *slog.Logger
}

// ConfigFromEnv returns the configuration the LIVEBOOK_* environment variables
// describe, as read by getenv (os.Getenv when nil), with defaults for the others:
//
//	LIVEBOOK_PORT               port (0: a free port)          8080
//	LIVEBOOK_IP                 address to listen on           127.0.0.1
//	LIVEBOOK_HOME               notebooks root                 current directory
//	LIVEBOOK_TOKEN_ENABLED      token authentication           true
//	LIVEBOOK_TOKEN              the access token               random
//	LIVEBOOK_PASSWORD           password instead of a token    none
//	LIVEBOOK_AUTOSAVE_INTERVAL  autosave period (Go duration)  5s
//	LIVEBOOK_DEFAULT_RUNTIME    runtime name                   standalone
//	LIVEBOOK_PUBLIC_METRICS     /metrics without auth          false
//	LIVEBOOK_IMPORT_MAX_BYTES   size limit of URL imports      10485760 (10 MiB)
//	LIVEBOOK_IMPORT_TIMEOUT     time limit of URL imports      30s
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := Config{
		IP:             DefaultIP,
		Port:           DefaultPort,
		Autosave:       DefaultAutosave,
		DefaultRuntime: DefaultRuntimeName,
	}
	if v := getenv(EnvPort); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 0 || p > 65535 {
			return c, fmt.Errorf("server: %s=%q: not a port number", EnvPort, v)
		}
		c.Port = p
	}
	if v := getenv(EnvIP); v != "" {
		c.IP = v
	}
	c.Home = getenv(EnvHome)
	if v := getenv(EnvTokenEnabled); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("server: %s=%q: not a boolean", EnvTokenEnabled, v)
		}
		c.DisableToken = !b
	}
	c.Token = getenv(EnvToken)
	c.Password = getenv(EnvPassword)
	if v := getenv(EnvAutosave); v != "" {
		d, err := parseInterval(v)
		if err != nil {
			return c, fmt.Errorf("server: %s=%q: %w", EnvAutosave, v, err)
		}
		c.Autosave = d
	}
	if v := getenv(EnvDefaultRuntime); v != "" {
		c.DefaultRuntime = v
	}
	if v := getenv(EnvPublicMetrics); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return c, fmt.Errorf("server: %s=%q: not a boolean", EnvPublicMetrics, v)
		}
		c.PublicMetrics = b
	}
	if v := getenv(EnvImportMaxBytes); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("server: %s=%q: not a positive number of bytes", EnvImportMaxBytes, v)
		}
		c.ImportMaxBytes = n
	}
	if v := getenv(EnvImportTimeout); v != "" {
		d, err := parseInterval(v)
		if err != nil || d <= 0 {
			return c, fmt.Errorf("server: %s=%q: not a positive duration (30s, 1m) or number of seconds", EnvImportTimeout, v)
		}
		c.ImportTimeout = d
	}
	return c, nil
}

// parseInterval reads a Go duration, or a plain number of seconds.
func parseInterval(s string) (time.Duration, error) {
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("not a duration (5s, 1m) or a number of seconds")
	}
	return d, nil
}

// Addr returns the host:port to listen on.
func (c Config) Addr() string {
	ip := c.IP
	if ip == "" {
		ip = DefaultIP
	}
	port := c.Port
	if port < 0 {
		port = DefaultPort
	}
	return joinHostPort(ip, port)
}

// withDefaults returns c with its zero fields filled in.
func (c Config) withDefaults() Config {
	if c.Home == "" {
		c.Home = "."
	}
	if c.Autosave == 0 {
		c.Autosave = DefaultAutosave
	}
	if c.DefaultRuntime == "" {
		c.DefaultRuntime = DefaultRuntimeName
	}
	if c.ImportMaxBytes <= 0 {
		c.ImportMaxBytes = DefaultImportMaxBytes
	}
	if c.ImportTimeout <= 0 {
		c.ImportTimeout = DefaultImportTimeout
	}
	if c.ClientQueue <= 0 {
		c.ClientQueue = DefaultClientQueue
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}
