//go:build !windows

package cli

import "syscall"

// daemonAttr starts the daemon in a session of its own, so closing the
// terminal (SIGHUP) does not end it.
func daemonAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
