package kino

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
)

// Frame is a place in the notebook whose content the cell replaces as it runs: a
// training loop renders its loss curve into a frame after each epoch, and the notebook
// shows the latest one. The frame appears where it is first rendered (or placed with
// Render(f), or by ending the cell with it); later updates change it there, even from
// later cells or from goroutines. Its methods are safe for concurrent use.
type Frame struct {
	id string

	mu      sync.Mutex
	content []Output
}

// NewFrame returns an empty frame with a new ID.
func NewFrame() *Frame {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return &Frame{id: "frame-" + hex.EncodeToString(b[:])}
}

// ID returns the frame's ID, the ID of its outputs.
func (f *Frame) ID() string { return f.id }

// Render replaces the frame's content with x (anything Render accepts) and shows it.
func (f *Frame) Render(x any) {
	o := toOutput(x)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.content = []Output{o}
	write(Output{Type: TypeFrame, ID: f.id, Outputs: f.content})
}

// Append adds x (anything Render accepts) after the frame's content and shows it.
func (f *Frame) Append(x any) {
	o := toOutput(x)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.content = append(f.content[:len(f.content):len(f.content)], o)
	write(Output{Type: TypeFrame, ID: f.id, Outputs: []Output{o}, Append: true})
}

// Clear empties the frame.
func (f *Frame) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.content = nil
	write(Output{Type: TypeFrame, ID: f.id})
}

// output returns the frame with its current content.
func (f *Frame) output() Output {
	f.mu.Lock()
	defer f.mu.Unlock()
	return Output{Type: TypeFrame, ID: f.id, Outputs: f.content}
}

// String returns the marker of the frame with its current content, so that a cell
// ending with the frame shows it.
func (f *Frame) String() string { return f.output().String() }
