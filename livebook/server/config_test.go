package server

import (
	"strings"
	"testing"
	"time"
)

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want Config
		err  string
	}{
		{
			name: "defaults",
			want: Config{IP: "127.0.0.1", Port: 8080, Autosave: 5 * time.Second, DefaultRuntime: "standalone"},
		},
		{
			name: "all set",
			env: map[string]string{
				EnvPort: "0", EnvIP: "::1", EnvHome: "/srv/nb", EnvTokenEnabled: "false",
				EnvPassword: "pw", EnvAutosave: "1m", EnvDefaultRuntime: "embedded", EnvPublicMetrics: "true",
				EnvToken: "tok", EnvImportMaxBytes: "1000", EnvImportTimeout: "2s",
			},
			want: Config{
				IP: "::1", Port: 0, Home: "/srv/nb", DisableToken: true, Password: "pw", Token: "tok", ImportMaxBytes: 1000, ImportTimeout: 2 * time.Second,
				Autosave: time.Minute, DefaultRuntime: "embedded", PublicMetrics: true,
			},
		},
		{
			name: "autosave in seconds",
			env:  map[string]string{EnvAutosave: "2.5"},
			want: Config{IP: "127.0.0.1", Port: 8080, Autosave: 2500 * time.Millisecond, DefaultRuntime: "standalone"},
		},
		{name: "bad port", env: map[string]string{EnvPort: "http"}, err: "LIVEBOOK_PORT"},
		{name: "port too big", env: map[string]string{EnvPort: "70000"}, err: "LIVEBOOK_PORT"},
		{name: "bad bool", env: map[string]string{EnvTokenEnabled: "maybe"}, err: "LIVEBOOK_TOKEN_ENABLED"},
		{name: "bad import size", env: map[string]string{EnvImportMaxBytes: "10MB"}, err: "LIVEBOOK_IMPORT_MAX_BYTES"},
		{name: "bad import timeout", env: map[string]string{EnvImportTimeout: "-1s"}, err: "LIVEBOOK_IMPORT_TIMEOUT"},
		{name: "bad autosave", env: map[string]string{EnvAutosave: "soon"}, err: "LIVEBOOK_AUTOSAVE_INTERVAL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want one about %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.IP != tt.want.IP || got.Port != tt.want.Port || got.Home != tt.want.Home ||
				got.DisableToken != tt.want.DisableToken || got.Password != tt.want.Password || got.Token != tt.want.Token ||
				got.ImportMaxBytes != tt.want.ImportMaxBytes || got.ImportTimeout != tt.want.ImportTimeout ||
				got.Autosave != tt.want.Autosave || got.DefaultRuntime != tt.want.DefaultRuntime ||
				got.PublicMetrics != tt.want.PublicMetrics {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestConfigAddr(t *testing.T) {
	tests := []struct {
		c    Config
		want string
	}{
		{Config{}, "127.0.0.1:0"},
		{Config{Port: -1}, "127.0.0.1:8080"},
		{Config{IP: "::1", Port: 9}, "[::1]:9"},
		{Config{IP: "0.0.0.0", Port: 8080}, "0.0.0.0:8080"},
	}
	for _, tt := range tests {
		if got := tt.c.Addr(); got != tt.want {
			t.Errorf("%+v.Addr() = %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestNewUnknownRuntime(t *testing.T) {
	_, err := New(Config{Home: t.TempDir(), DefaultRuntime: "nope", Runtimes: map[string]Runtime{"a": &fakeRuntime{}}})
	if err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("err %v", err)
	}
}
