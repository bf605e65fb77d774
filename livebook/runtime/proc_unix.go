//go:build unix

package runtime

import (
	"os/exec"
	"syscall"
)

// isolate makes cmd the leader of a new process group, so that killing the kernel
// kills what it started (go build, programs the cells ran).
func isolate(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// killGroup kills the process group of a started command.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		_ = cmd.Process.Kill()
	}
}
