//go:build !(linux || darwin || freebsd)

package runtime

import "errors"

// canCapture reports whether startCapture works here.
const canCapture = false

type capture struct{}

func startCapture(string, func(string, string), func(string, Output)) (*capture, error) {
	return nil, errors.New("output capture is not supported here")
}

func (*capture) stop() string { return "" }
