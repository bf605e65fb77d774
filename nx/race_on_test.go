//go:build race

package nx

// raceEnabled reports whether the race detector is on.
const raceEnabled = true
