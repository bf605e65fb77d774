// Package bench measures gonx side by side with peer systems (OpenBLAS, NumPy,
// PyTorch, gonum, gorgonia) and prints the results as tables of ratios, every
// number of a table measured in one run on one machine.
package bench
