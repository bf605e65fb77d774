// Package decode reads the file formats that scientific data sets are published
// in: IDX arrays (MNIST and its relatives), CIFAR binary records, CSV tables, and
// tar archives of text files, each possibly gzip-compressed.
//
// The decoders are written for untrusted input. A truncated or corrupt stream
// yields an [*Error] that names the file, the format and the byte offset where
// reading stopped, and wraps [ErrTruncated] or [ErrCorrupt]; no input makes a
// decoder panic, and sizes read from the input are checked against limits before
// anything is allocated.
//
// The decoders write straight into the slices that callers keep: an IDX array is
// read into one slice of its final size, and CIFAR records are scattered into
// caller-provided image and label slices, so decoded data exists once in memory.
package decode
