package cli

import "syscall"

// daemonAttr starts the daemon detached from this console.
func daemonAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: 0x00000008} // DETACHED_PROCESS
}
