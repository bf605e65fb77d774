package livebook

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// modulePath is the livebook module's import path.
const modulePath = "github.com/gonx-dev/gonx/livebook"

// Version describes the running livebook build: the module version (or
// "(devel)" for a build from a checkout), the VCS revision when known, and the
// Go version and platform.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	return versionFrom(info, ok)
}

func versionFrom(info *debug.BuildInfo, ok bool) string {
	version, revision, dirty := "(devel)", "", false
	if ok {
		if info.Main.Path == modulePath && info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, dep := range info.Deps {
			if dep.Path == modulePath && dep.Version != "" {
				version = dep.Version
			}
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	out := "livebook " + version
	if revision != "" {
		if len(revision) > 12 {
			revision = revision[:12]
		}
		out += " " + revision
		if dirty {
			out += "+dirty"
		}
	}
	return fmt.Sprintf("%s (%s %s/%s)", out, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
