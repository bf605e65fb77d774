package server

import (
	"fmt"
	"slices"

	"github.com/gonx-dev/gonx/livebook/livemd"
)

// MetadataRuntime is the key of a notebook's metadata that names the runtime its
// sessions use instead of Config.DefaultRuntime, one of Config.Runtimes:
//
//	<!-- livebook:{"gonx_runtime":"attached"} -->
//	# Notebook title
const MetadataRuntime = "gonx_runtime"

// sessionRuntime returns the runtime for a notebook: the one its metadata names,
// else the default; and a warning when the metadata names one the server does not
// have.
func (m *Manager) sessionRuntime(nb *livemd.Notebook) (string, Runtime, string) {
	v, ok := nb.Metadata[MetadataRuntime]
	if !ok {
		return m.runtimeName, m.runtime, ""
	}
	name, _ := v.(string)
	if rt, ok := m.runtimes[name]; ok && name != "" {
		return name, rt, ""
	}
	var names []string
	for n := range m.runtimes {
		names = append(names, n)
	}
	slices.Sort(names)
	return m.runtimeName, m.runtime, fmt.Sprintf("the notebook's metadata names the runtime %v (%s), which this server does not have (it has %q): using %q",
		v, MetadataRuntime, names, m.runtimeName)
}
