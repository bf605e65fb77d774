//go:build race

package nx

// raceDetector is set when the race detector runs, which makes sync.Pool drop
// pooled values at random and so changes allocation counts.
const raceDetector = true
