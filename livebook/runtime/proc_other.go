//go:build !unix

package runtime

import "os/exec"

// isolate does nothing: kernels run on Unix systems only.
func isolate(*exec.Cmd) {}

// killGroup kills the command's process.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
