// Package bench measures gonx side by side with peer systems (OpenBLAS, NumPy,
// PyTorch, gonum, gorgonia) and prints the results as tables of times, rates and
// ratios, every number of a table measured in one run on one machine.
//
// Table collects Results and prints them; Protocol is the timing loop every
// system follows (the Go side calls Protocol.Measure, the peer scripts in peers/
// carry their own copy of it); Runner runs the peer scripts as child processes
// with their thread pools pinned; ParsePeerOutput reads what they print. The
// command cmd/gonxbench (run by `make bench`) puts them together; README.md
// explains how to run it and read its tables.
package bench
