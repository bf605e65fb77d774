package livebook

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionFrom(t *testing.T) {
	suffix := " (" + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	cases := []struct {
		name string
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{"no build info", nil, false, "livebook (devel)"},
		{"released module", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v0.3.1"}}, true, "livebook v0.3.1"},
		{"as a dependency", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app"},
			Deps: []*debug.Module{{Path: modulePath, Version: "v0.2.0"}},
		}, true, "livebook v0.2.0"},
		{"checkout with changes", &debug.BuildInfo{
			Main: debug.Module{Path: modulePath, Version: "(devel)"},
			Settings: []debug.BuildSetting{
				{Key: "vcs.revision", Value: "0123456789abcdef0123"},
				{Key: "vcs.modified", Value: "true"},
			},
		}, true, "livebook (devel) 0123456789ab+dirty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := versionFrom(c.info, c.ok); got != c.want+suffix {
				t.Errorf("got %q, want %q", got, c.want+suffix)
			}
		})
	}
}

func TestVersionNamesLivebook(t *testing.T) {
	if v := Version(); !strings.HasPrefix(v, "livebook ") {
		t.Errorf("Version() = %q", v)
	}
}
