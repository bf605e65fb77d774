//go:build !race

package runtime

// raceEnabled reports whether this program was built with -race, which its plugins
// must be built with too.
const raceEnabled = false
