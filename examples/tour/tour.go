// Package tour is a short walk through nx and axon, printed as text. It is what
// the tour command (and `make run`) shows a newcomer.
package tour

import (
	"fmt"
	"io"

	"github.com/gonx-dev/gonx/axon"
	"github.com/gonx-dev/gonx/nx"
)

// step is one stop of the tour: a caption and the tensor it computes.
type step struct {
	caption string
	value   func() *nx.Tensor
}

// Run prints the tour to w. It returns the first error of w, or the error of an
// nx operation that panicked.
func Run(w io.Writer) (err error) {
	defer nx.Recover(&err)
	x := nx.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	steps := []step{
		{"a tensor from a Go slice", func() *nx.Tensor { return x }},
		{"broadcasting: x + [10, 20, 30]", func() *nx.Tensor {
			return nx.Add(x, nx.FromSlice([]float32{10, 20, 30}))
		}},
		{"a weak Go number keeps the tensor's type: x * 0.5", func() *nx.Tensor {
			return nx.Multiply(x, nx.Number(0.5))
		}},
		{"row sums, keeping the axis", func() *nx.Tensor { return nx.Sum(x, nx.Axes(1), nx.KeepAxes()) }},
		{"the index of each row's maximum", func() *nx.Tensor { return nx.Argmax(x, nx.Axis(1)) }},
		{"softmax over each row (axon)", func() *nx.Tensor { return axon.Softmax(x) }},
	}
	for i, s := range steps {
		if _, err := fmt.Fprintf(w, "%d. %s\n%v\n\n", i+1, s.caption, s.value()); err != nil {
			return err
		}
	}
	return nil
}
