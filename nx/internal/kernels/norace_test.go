//go:build !race

package kernels

// raceEnabled trims the randomized tests, which the race detector slows down
// tenfold.
const raceEnabled = false
