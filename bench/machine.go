package bench

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// Machine describes where the benchmark ran.
type Machine struct {
	System string // uname -srm
	CPU    string
	Cores  int
	Memory string
	Go     string
	Commit string // short hash, "+ uncommitted changes" when the tree is dirty
	// LoadStart and LoadEnd are /proc/loadavg's 1-minute load when Run
	// started and ended: other work on the machine skews every number.
	LoadStart, LoadEnd string
}

// loadAverage returns the 1-minute load average, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}

func describeMachine() Machine {
	m := Machine{
		System:    runtime.GOOS + " " + runtime.GOARCH,
		CPU:       "unknown",
		Cores:     runtime.NumCPU(),
		Memory:    "unknown",
		Go:        runtime.Version(),
		Commit:    "unknown",
		LoadStart: loadAverage(),
	}
	if out, err := exec.Command("uname", "-srm").Output(); err == nil {
		m.System = strings.TrimSpace(string(out))
	}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPU = v
	}
	if v := procField("/proc/meminfo", "MemTotal"); v != "" {
		if kb, err := strconv.ParseInt(strings.TrimSuffix(v, " kB"), 10, 64); err == nil {
			m.Memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
		// --no-optional-locks: reading the status must not touch the index.
		if st, err := exec.Command("git", "--no-optional-locks", "status", "--porcelain").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
			m.Commit += " + uncommitted changes"
		}
	}
	return m
}

// procField returns the value of the first "key: value" line of a /proc
// file, or "".
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
