//go:build !linux

package pdf

import "syscall"

// limitAddressSpace does nothing outside Linux: the worker is bounded by
// GOMEMLIMIT, its stack limit and the time limit.
func limitAddressSpace(int64) error { return nil }

func sysProcAttr() *syscall.SysProcAttr { return nil }
