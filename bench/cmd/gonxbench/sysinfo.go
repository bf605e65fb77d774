package main

import (
	"os"
	"runtime/debug"
	"strings"
)

// cpuInfo returns the first value of key in /proc/cpuinfo, or "" where there
// is none (other systems, or no such key).
func cpuInfo(key string) string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	for line := range strings.Lines(string(b)) {
		k, v, ok := strings.Cut(line, ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// cpuName names the processor, with its AVX-512 support where it is known.
func cpuName() string {
	name := cpuInfo("model name")
	if name == "" {
		return "unknown CPU"
	}
	switch hasAVX512() {
	case yes:
		name += " (AVX-512)"
	case no:
		name += " (no AVX-512)"
	}
	return name
}

type tristate int

const (
	unknown tristate = iota
	yes
	no
)

// hasAVX512 says whether the CPU has AVX-512 Foundation, from /proc/cpuinfo.
func hasAVX512() tristate {
	flags := cpuInfo("flags")
	if flags == "" {
		return unknown
	}
	for f := range strings.FieldsSeq(flags) {
		if f == "avx512f" {
			return yes
		}
	}
	return no
}

// moduleVersion returns the version of the module path linked into this
// binary, or "(unknown version)".
func moduleVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				if d.Replace != nil {
					d = d.Replace
				}
				return d.Path + " " + d.Version
			}
		}
	}
	return path + " (unknown version)"
}

// loadAverage returns the 1-minute load average from /proc/loadavg, or "" where
// there is none. Other work on the machine moves every number of a table, the
// multi-threaded peers' most.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return ""
}
