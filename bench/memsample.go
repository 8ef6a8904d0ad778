package bench

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// memPeaks samples this process's resident memory while an import runs and
// keeps the peaks of its two parts: anonymous memory (the Go heap, Bleve's
// segment building: what the process really holds) and file-backed pages
// (the mmap of bbolt files and Bleve segments, which the kernel can drop and
// re-read at will). The kernel's own peak, ru_maxrss, counts both.
type memPeaks struct {
	mu         sync.Mutex
	anon, file int64 // bytes
	stop       chan struct{}
	done       chan struct{}
}

func startMemPeaks(every time.Duration) *memPeaks {
	m := &memPeaks{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(m.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			m.sample()
			select {
			case <-m.stop:
				m.sample()
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *memPeaks) sample() {
	anon, file, ok := residentParts()
	if !ok {
		return
	}
	m.mu.Lock()
	m.anon, m.file = max(m.anon, anon), max(m.file, file)
	m.mu.Unlock()
}

// Stop ends the sampling and returns the peaks (zero where the OS does not
// say: /proc/self/status is Linux's).
func (m *memPeaks) Stop() (anon, file int64) {
	close(m.stop)
	<-m.done
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.anon, m.file
}

// highWater is this process's own peak resident set size (VmHWM), read from
// /proc/self/status; 0 where there is none. A child reports it because the
// rusage wait4 gives for it is not its own on Linux: a child started by
// fork and exec (Go's os/exec uses vfork) is charged, at exec, the high
// water mark of the memory it shared with its parent, so a bench process
// that grew to 500 MB made every child's "peak" at least 500 MB.
func highWater() int64 {
	return procStatus()["VmHWM"]
}

// residentParts reads RssAnon and RssFile (+ RssShmem) from /proc/self/status.
func residentParts() (anon, file int64, ok bool) {
	st := procStatus()
	anon, ok = st["RssAnon"]
	return anon, st["RssFile"] + st["RssShmem"], ok
}

// procStatus reads /proc/self/status's sizes ("VmHWM:  1234 kB"), in
// bytes; empty where there is no such file.
func procStatus() map[string]int64 {
	out := map[string]int64{}
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, found := strings.Cut(sc.Text(), ":")
		if !found {
			continue
		}
		if fields := strings.Fields(v); len(fields) == 2 && fields[1] == "kB" {
			if n, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
				out[k] = n << 10
			}
		}
	}
	return out
}
