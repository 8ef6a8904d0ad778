package pdf

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// limitAddressSpace caps the worker's virtual memory with RLIMIT_AS at what
// it already maps plus n bytes, so that a runaway allocation fails (the Go
// runtime then exits with "out of memory") instead of taking the machine's
// memory. The Go runtime reserves address space up front, so a cap that
// ignored the current size would leave too little, or too much, room.
func limitAddressSpace(n int64) error {
	cur, err := vmSize()
	if err != nil {
		return fmt.Errorf("reading the address space size: %w", err)
	}
	limit := uint64(cur + n)
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		return fmt.Errorf("setting RLIMIT_AS: %w", err)
	}
	return nil
}

// vmSize returns the process's mapped virtual memory in bytes.
func vmSize() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmSize:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, err
			}
			return kb << 10, nil
		}
	}
	if err := s.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no VmSize in /proc/self/status")
}

// sysProcAttr makes the worker die with its parent, so that a killed import
// leaves no worker behind.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
