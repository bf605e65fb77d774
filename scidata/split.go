package scidata

import "github.com/gonx-dev/gonx/nx"

// This file is the only one that makes tensors: loaders decode into Go slices of
// their final size, and these constructors hand the slices to nx.FromSlice,
// which keeps them without copying.

// Split is one part (train or test) of an image data set.
type Split struct {
	// Images is a u8 tensor {n, channels, height, width}.
	Images *nx.Tensor
	// Labels is a u8 tensor {n} of class indices, or {n, 2} for CIFAR-100
	// (coarse label, then fine label).
	Labels *nx.Tensor
}

// Len returns the number of examples in s.
func (s Split) Len() int {
	if s.Labels == nil {
		return 0
	}
	return s.Labels.Axis(0)
}

// TextSplit is one part (train or test) of a text data set.
type TextSplit struct {
	// Texts holds the documents.
	Texts []string
	// Labels is a u8 tensor {n}: the class of each text (for IMDB reviews 1
	// for positive, 0 for negative).
	Labels *nx.Tensor
}

// Len returns the number of examples in s.
func (s TextSplit) Len() int { return len(s.Texts) }

// Table is a small tabular data set.
type Table struct {
	// Features is an f32 tensor {n, features}.
	Features *nx.Tensor
	// Labels is a u8 tensor {n} of class indices.
	Labels *nx.Tensor
}

// Len returns the number of rows in t.
func (t Table) Len() int {
	if t.Labels == nil {
		return 0
	}
	return t.Labels.Axis(0)
}

// newSplit wraps n decoded images of shape {c, h, w} and their labels
// (labelWidth bytes each).
func newSplit(images, labels []byte, n, c, h, w, labelWidth int) Split {
	lshape := []int{n}
	if labelWidth > 1 {
		lshape = append(lshape, labelWidth)
	}
	return Split{Images: nx.FromSlice(images, n, c, h, w), Labels: nx.FromSlice(labels, lshape...)}
}

// newTextSplit wraps texts and their labels.
func newTextSplit(texts []string, labels []byte) TextSplit {
	return TextSplit{Texts: texts, Labels: nx.FromSlice(labels, len(labels))}
}

// newTable wraps n rows of k features and their labels.
func newTable(features []float32, labels []byte, n, k int) Table {
	return Table{Features: nx.FromSlice(features, n, k), Labels: nx.FromSlice(labels, n)}
}
