package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestServeRefusesRemoteAddresses(t *testing.T) {
	data := t.TempDir()
	for _, addr := range []string{"0.0.0.0:0", "[::]:0", ":0", "192.168.1.10:0", "10.0.0.1:7777"} {
		t.Run(addr, func(t *testing.T) {
			r := engram(t, "--data", data, "serve", "--addr", addr)
			if r.code != 2 || !strings.Contains(r.stderr, "--allow-remote") || r.stdout != "" {
				t.Fatalf("exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
			}
		})
	}
	if r := engram(t, "--data", data, "serve", "--addr", "no-port"); r.code != 2 || !strings.Contains(r.stderr, "HOST:PORT") {
		t.Fatalf("bad addr: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestIsLoopbackHost(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"127.0.0.1", true},
		{"127.3.2.1", true},
		{"::1", true},
		{"localhost", true},
		{"", false},
		{"0.0.0.0", false},
		{"::", false},
		{"192.168.1.10", false},
		{"fe80::1", false},
	}
	for _, tc := range tests {
		got, err := isLoopbackHost(context.Background(), tc.host)
		if err != nil || got != tc.want {
			t.Errorf("isLoopbackHost(%q) = %v, %v; want %v", tc.host, got, err, tc.want)
		}
	}
}

// TestServe runs `engram serve` as a child process (this test binary acting
// as the CLI), reads the URL line it prints, checks that the token is needed
// and enough, then stops it with SIGTERM and expects a clean exit.
func TestServe(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"loopback", []string{"--addr", "127.0.0.1:0"}},
		{"remote allowed", []string{"--addr", "0.0.0.0:0", "--allow-remote"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			base, token, stop := startServe(t, tc.args...)
			resp, err := http.Get(base + "/api/info")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("without token: %d", resp.StatusCode)
			}
			req, _ := http.NewRequest(http.MethodGet, base+"/api/search?q=anything", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || !strings.Contains(string(body), `"total":0`) {
				t.Fatalf("with token: %d %s", resp.StatusCode, body)
			}
			if stderr := stop(); strings.Contains(stderr, token) {
				t.Fatalf("the token leaked to stderr: %s", stderr)
			}
		})
	}
}

// startServe starts `engram serve ARGS` on a fresh data directory and
// returns its base URL, its token and a function that stops it with
// SIGTERM, checks it exited 0 and returns its stderr.
func startServe(t *testing.T, args ...string) (base, token string, stop func() string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, exe, append([]string{"--data", t.TempDir(), "serve"}, args...)...)
	cmd.Env = append(os.Environ(), "ENGRAM_TEST_AS_CLI=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("reading the URL line: %v; stderr: %s", err, stderr.String())
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(line), "Engram is serving on http://")
	hostPort, tok, ok2 := strings.Cut(url, "/?token=")
	if !ok || !ok2 || len(tok) != 43 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("URL line %q", line)
	}
	if strings.HasPrefix(hostPort, "0.0.0.0:") {
		hostPort = "127.0.0.1:" + strings.TrimPrefix(hostPort, "0.0.0.0:")
	}
	return "http://" + hostPort, tok, func() string {
		t.Helper()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("serve exited with %v after SIGTERM; stderr: %s", err, stderr.String())
		}
		return stderr.String()
	}
}

// TestListenServeFallsBack takes a port, then asks listenServe for it: as
// the default it falls back to a free port, as the user's --addr it fails.
func TestListenServeFallsBack(t *testing.T) {
	taken, err := listenServe("127.0.0.1:0", true)
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	addr := taken.Addr().String()
	ln, err := listenServe(addr, false)
	if err != nil {
		t.Fatalf("default address taken: %v", err)
	}
	ln.Close()
	if ln.Addr().String() == addr {
		t.Fatalf("listened on the taken %s", addr)
	}
	if _, err := listenServe(addr, true); err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Fatalf("explicit taken address: %v", err)
	}
}
